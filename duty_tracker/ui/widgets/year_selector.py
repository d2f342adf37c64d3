"""Choosing a year, spelt "2026年" everywhere: :class:`YearSelector` offers the years that have
records or terms around them (plus the current and the next one, newest first);
:class:`YearSpin` steps or types any year."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget


class YearSelector(QComboBox):
    year_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip("选择年度")
        self.currentIndexChanged.connect(self._emit)

    def set_range(self, first: int, last: int, current: int | None = None) -> None:
        keep = self.year() if current is None else current
        self.blockSignals(True)
        self.clear()
        for year in range(last, first - 1, -1):
            self.addItem(f"{year}年", year)
        index = self.findData(keep)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)

    def year(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def set_year(self, year: int) -> None:
        index = self.findData(year)
        if index < 0:
            years = [self.itemData(i) for i in range(self.count())] + [year]
            self.set_range(min(years), max(years), year)
            self._emit()
            return
        self.setCurrentIndex(index)

    def _emit(self, *_args: object) -> None:
        year = self.year()
        if year is not None:
            self.year_changed.emit(year)


class YearSpin(QSpinBox):
    """A year stepped or typed, spelt as everywhere in the window ("2026年"). With
    ``none_text`` the lowest value stands for "no year" (an open end: "不限")."""

    FIRST, LAST = 2000, 2100

    def __init__(self, year: int | None, parent: QWidget | None = None, *, none_text: str = "") -> None:
        super().__init__(parent)
        self._none = bool(none_text)
        self.setRange(self.FIRST - 1 if self._none else self.FIRST, self.LAST)
        self.setSuffix("年")
        if none_text:
            self.setSpecialValueText(none_text)
        self.set_year(year)

    def year(self) -> int | None:
        value = self.value()
        return None if self._none and value == self.minimum() else value

    def set_year(self, year: int | None) -> None:
        self.setValue(self.minimum() if year is None else year)

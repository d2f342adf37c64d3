"""A date range filter as office software offers it: a preset (不限, 本年, 上一年, 本季度, 本月)
or 自定义 with two date pickers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

PRESETS = ("不限", "本年", "上一年", "本季度", "本月", "自定义")


def make_date_edit(parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(QDate(1990, 1, 1))
    edit.setMaximumDate(QDate(2099, 12, 31))
    return edit


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DateRangeFilter(QWidget):
    changed = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.preset = QComboBox(self)
        self.preset.addItems(PRESETS)
        self.date_from = make_date_edit(self)
        self.date_to = make_date_edit(self)
        self.date_from.setToolTip("起始日期（含）")
        self.date_to.setToolTip("截止日期（含）")
        layout.addWidget(self.preset)
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel("至", self))
        layout.addWidget(self.date_to)
        year = today().year
        self.date_from.setDate(QDate(year, 1, 1))
        self.date_to.setDate(QDate(year, 12, 31))
        self._set_enabled()
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.date_from.dateChanged.connect(self._dates_changed)
        self.date_to.dateChanged.connect(self._dates_changed)

    def range(self) -> tuple[date | None, date | None]:
        if self.preset.currentText() == "不限":
            return None, None
        return from_qdate(self.date_from.date()), from_qdate(self.date_to.date())

    def set_range(self, start: date | None, end: date | None) -> None:
        """Show a custom range (or 不限 when both are None)."""
        self.blockSignals(True)
        if start is None and end is None:
            self.preset.setCurrentText("不限")
        else:
            self.preset.setCurrentText("自定义")
            self.date_from.setDate(to_qdate(start or date(1990, 1, 1)))
            self.date_to.setDate(to_qdate(end or date(2099, 12, 31)))
        self._set_enabled()
        self.blockSignals(False)
        self.changed.emit()

    def state(self) -> str:
        """For the settings: 'preset' or '自定义|from|to'."""
        text = self.preset.currentText()
        if text == "自定义":
            start, end = self.range()
            return f"自定义|{start}|{end}"
        return text

    def restore(self, state: str) -> None:
        parts = str(state or "").split("|")
        if parts[0] == "自定义" and len(parts) == 3:
            try:
                self.set_range(date.fromisoformat(parts[1]), date.fromisoformat(parts[2]))
                return
            except ValueError:
                pass
        if parts[0] in PRESETS and parts[0] != "自定义":
            self.preset.setCurrentText(parts[0])

    def _preset_changed(self) -> None:
        text = self.preset.currentText()
        today = self._today()
        span: tuple[date, date] | None = None
        if text == "本年":
            span = date(today.year, 1, 1), date(today.year, 12, 31)
        elif text == "上一年":
            span = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        elif text == "本季度":
            first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
            span = first, _month_end(first, 3)
        elif text == "本月":
            first = date(today.year, today.month, 1)
            span = first, _month_end(first, 1)
        if span is not None:
            for edit, day in ((self.date_from, span[0]), (self.date_to, span[1])):
                edit.blockSignals(True)
                edit.setDate(to_qdate(day))
                edit.blockSignals(False)
        self._set_enabled()
        self.changed.emit()

    def _dates_changed(self) -> None:
        if self.preset.currentText() == "自定义":
            self.changed.emit()

    def _set_enabled(self) -> None:
        custom = self.preset.currentText() == "自定义"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)


def _month_end(first: date, months: int) -> date:
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)

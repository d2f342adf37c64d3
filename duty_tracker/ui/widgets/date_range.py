"""Dates as clerks type them. :class:`DateField` takes 20260320, 2026-3-20, 2026/3/20 or
2026年3月20日 (full-width digits too) — typed over the whole field or wherever the cursor is —
or a day picked from the calendar; it shows the date as 2026-03-20. :class:`DateRangeFilter` is
the record list's range: a preset (不限, 本年, 上一年, 本季度, 本月) or 自定义 with two fields."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import parse_date
from duty_tracker.ui import look

PRESETS = ("不限", "本年", "上一年", "本季度", "本月", "自定义")
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2099, 12, 31)
TYPED_FORMS = "可直接输入 20260320、2026-3-20 或 2026年3月20日"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def read_typed_date(text: str, before: str = "", typed: str = "") -> date | None:
    """The date in the field's ``text``; else in what the clerk ``typed`` since entering it, or
    in what typing added to the text ``before`` — so that a date typed into the middle of the old
    one ("2025-" + "20260320" + "11-20") still counts."""
    for candidate in (text, typed, _inserted(before, text)):
        if candidate:
            try:
                return parse_date(candidate)
            except InputError:
                continue
    return None


def _inserted(before: str, after: str) -> str:
    """What typing added to ``before`` to give ``after`` (the part between common ends)."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return after[start:len(after) - end].strip()


class DateField(QWidget):
    """A date typed in any of the clerk's spellings or picked from a calendar. Keeps the API of
    QDateEdit the forms use (``date``/``setDate``/``dateChanged``, minimum and maximum)."""

    dateChanged = Signal(QDate)  # noqa: N815 - the name QDateEdit gives it

    def __init__(self, parent: QWidget | None = None, day: date | None = None) -> None:
        super().__init__(parent)
        self._minimum, self._maximum = FIRST_DAY, LAST_DAY
        self._date = day or date.today()
        self._typed_from = ""
        self._typed = ""  # the characters typed since the field was entered
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("如 2026-03-20")
        self.edit.setToolTip(TYPED_FORMS)
        self.button = QToolButton(self)
        look.name(self.button, "dateButton")
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("从日历中选择")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(lambda: self.calendar.setSelectedDate(to_qdate(self._date)))
        self.button.setMenu(menu)
        self.calendar.clicked.connect(lambda picked: (menu.close(), self.setDate(picked)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.installEventFilter(self)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textEdited.connect(lambda _t: self._mark(False) if self.is_valid() else None)
        self._show()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-03-20") + 48)

    # -- QDateEdit's API ---------------------------------------------------------------------
    def date(self) -> QDate:  # noqa: A003 - QDateEdit's name
        """The date shown — or being typed, when what is typed so far is a date."""
        typed = self.typed_date()
        return to_qdate(typed if typed is not None else self._date)

    def setDate(self, value: QDate | date) -> None:  # noqa: N802 - QDateEdit's name
        day = from_qdate(value) if isinstance(value, QDate) else value
        day = min(max(day, self._minimum), self._maximum)
        changed = day != self._date
        self._date = day
        self._show()
        if changed:
            self.dateChanged.emit(to_qdate(day))

    def setMinimumDate(self, value: QDate) -> None:  # noqa: N802
        self._minimum = from_qdate(value)
        self.calendar.setMinimumDate(value)

    def setMaximumDate(self, value: QDate) -> None:  # noqa: N802
        self._maximum = from_qdate(value)
        self.calendar.setMaximumDate(value)

    def setDisplayFormat(self, _format: str) -> None:  # noqa: N802 - always 2026-03-20
        return None

    def setCalendarPopup(self, _on: bool) -> None:  # noqa: N802 - always offered
        return None

    # -- typing ----------------------------------------------------------------------------
    def typed_date(self) -> date | None:
        """What the field holds as a date (None: not a date, or out of range)."""
        day = read_typed_date(self.edit.text(), self._typed_from or self._date.isoformat(), self._typed)
        if day is None or not self._minimum <= day <= self._maximum:
            return None
        return day

    def is_valid(self) -> bool:
        return self.typed_date() is not None

    def text(self) -> str:
        return self.edit.text()

    def commit(self) -> None:
        """Take what was typed (on Enter, leaving the field, or before a save); a text that is
        no date stays, marked, for the clerk to correct."""
        day = self.typed_date()
        if day is None:
            self._mark(True)
            return
        self._typed_from = self._typed = ""
        self.setDate(day)
        self._show()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Backspace:
                self._typed = self._typed[:-1]
            elif event.text() and event.text().isprintable():
                self._typed += event.text()
        if obj is self.edit and event.type() == QEvent.Type.FocusIn:
            self._typed_from = self.edit.text()
            self._typed = ""
            if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                                  Qt.FocusReason.ShortcutFocusReason):
                QTimer.singleShot(0, self.edit.selectAll)  # from the keyboard: typing replaces it
        return False

    def _show(self) -> None:
        self._typed = ""
        self.edit.setText(self._date.isoformat())
        self._mark(False)

    def _mark(self, bad: bool) -> None:
        look.mark_invalid(self.edit, bad)
        self.edit.setToolTip(f"不是有效的日期。{TYPED_FORMS}" if bad else TYPED_FORMS)


def make_date_edit(parent: QWidget | None = None, day: date | None = None) -> DateField:
    return DateField(parent, day)


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

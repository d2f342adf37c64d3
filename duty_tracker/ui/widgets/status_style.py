"""Colours of the compliance statuses, the same on every page: a soft background the status
word stays readable on (dark text of the same hue), printed or on a cheap office monitor."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont

from duty_tracker.core.domain import Status

#: status → (background, text)
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.DONE: ("#d7efd2", "#1d6b2c"),
    Status.IN_PROGRESS: ("#dfe9f7", "#1f4e8c"),
    Status.WARNING: ("#ffe6a8", "#7a4f00"),
    Status.FAILED: ("#f7cfca", "#9c2318"),
    Status.NOT_APPLICABLE: ("#ececec", "#7a7a7a"),
}

_BRUSHES: dict[tuple[Status, int], QBrush] = {}

#: Pace is not a status: a period under way behind an even spread keeps its status and colour,
#: and says "进度落后" in this colour (bold), on every page and in the reminders.
PACE_LABEL = "进度落后"
PACE_COLOUR = "#a33a00"
_PACE: list[QBrush] = []


def pace_brush() -> QBrush:
    if not _PACE:
        _PACE.append(QBrush(QColor(PACE_COLOUR)))
    return _PACE[0]


def pace_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def status_brush(status: Status, foreground: bool = False) -> QBrush:
    key = (status, int(foreground))
    brush = _BRUSHES.get(key)
    if brush is None:
        brush = _BRUSHES[key] = QBrush(QColor(STATUS_COLOURS[status][1 if foreground else 0]))
    return brush


def status_css(status: Status) -> str:
    background, text = STATUS_COLOURS[status]
    return f"background: {background}; color: {text};"

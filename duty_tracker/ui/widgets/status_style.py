"""Colours of the compliance statuses, the same on every page: a soft background the status
word stays readable on (dark text of the same hue), printed or on a cheap office monitor.

The models hand Qt a QColor for a cell's background and text, which it paints as a solid brush:
making a QBrush from a colour would load QGradient's, QImage's and QPixmap's types (its other
constructors), 1.6 ms of the window's start for brushes no different from the colour."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from duty_tracker.core.domain import Status

#: status → (background, text)
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.DONE: ("#d7efd2", "#1d6b2c"),
    Status.IN_PROGRESS: ("#dfe9f7", "#1f4e8c"),
    Status.WARNING: ("#ffe6a8", "#7a4f00"),
    Status.FAILED: ("#f7cfca", "#9c2318"),
    Status.NOT_APPLICABLE: ("#ececec", "#7a7a7a"),
}

_COLOURS: dict[tuple[Status, int], QColor] = {}

#: Pace is not a status: a period under way behind an even spread keeps its status and colour,
#: and says "进度落后" in this colour (bold), on every page and in the reminders.
PACE_LABEL = "进度落后"
PACE_COLOUR = "#a33a00"
_PACE: list[QColor] = []


def pace_colour() -> QColor:
    if not _PACE:
        _PACE.append(QColor(PACE_COLOUR))
    return _PACE[0]


def pace_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def status_colour(status: Status, foreground: bool = False) -> QColor:
    key = (status, int(foreground))
    colour = _COLOURS.get(key)
    if colour is None:
        colour = _COLOURS[key] = QColor(STATUS_COLOURS[status][1 if foreground else 0])
    return colour


def status_css(status: Status) -> str:
    background, text = STATUS_COLOURS[status]
    return f"background: {background}; color: {text};"

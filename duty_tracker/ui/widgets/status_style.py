"""Colours of the compliance statuses, the same on every page: a soft background the status
word stays readable on (dark text of the same hue), printed or on a cheap office monitor."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor

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


def status_brush(status: Status, foreground: bool = False) -> QBrush:
    key = (status, int(foreground))
    brush = _BRUSHES.get(key)
    if brush is None:
        brush = _BRUSHES[key] = QBrush(QColor(STATUS_COLOURS[status][1 if foreground else 0]))
    return brush


def status_css(status: Status) -> str:
    background, text = STATUS_COLOURS[status]
    return f"background: {background}; color: {text};"

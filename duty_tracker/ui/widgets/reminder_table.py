"""The reminder list's columns as the dashboard and the start-up reminder both show them (here,
not with the reminder window, whose dialog types the dashboard's first paint does not need)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from duty_tracker.ui import look


def setup_reminder_table(table: QTableView) -> None:
    """The reminder list as the dashboard and the start-up reminder show it."""
    look.setup_table(table, stretch=3,
                     widths=[look.char_width(table, c) + 12 for c in (4, 3.5, 4, 12, 3.5, 3.5, 6, 5)])

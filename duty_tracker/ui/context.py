"""The application context handed to every window, page and dialog (as git-cola's
``ApplicationContext``): the open store, the database path, the clock and the settings. No
module-level globals: tests build a context on a temporary database and a fixed ``today``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

from duty_tracker.core.storage.store import Store


class DataEvents(QObject):
    """Broadcast after the data changed, so every page can refresh what it shows.

    ``changed`` carries the kind of data: "records", "people", "rules", "debriefs" or "all".
    """

    changed = Signal(str)


@dataclass
class AppContext:
    store: Store
    db_path: Path
    today_fn: Callable[[], date] = date.today
    settings: QSettings = field(default_factory=lambda: QSettings("duty_tracker", "履职纪实"))
    events: DataEvents = field(default_factory=DataEvents)
    #: Ctrl+Z for the whole window: deletes, edits and imports push commands here.
    undo_stack: QUndoStack = field(default_factory=QUndoStack)
    #: The one-window-per-database lock (``core.storage.instance_lock``); None in tests/--smoke.
    instance_lock: Any = None

    def today(self) -> date:
        return self.today_fn()

    def notify(self, kind: str = "all") -> None:
        self.events.changed.emit(kind)

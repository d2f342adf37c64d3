"""The application context handed to every window, page and dialog (as git-cola's
``ApplicationContext``): the open ledger, the clock and the settings. No module-level globals:
tests build a context on a temporary database and a fixed ``today``.

The context is the one place where the window's database changes: :meth:`AppContext.switch_to`
(文件 → 打开数据库, the demo database) and :meth:`AppContext.data_replaced` (after a restore
swapped the file under the same ledger). Pages read ``ctx.store`` each time and refresh on
``notify("all")``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

from duty_tracker.core.services.ledger import Ledger
from duty_tracker.core.storage.store import Store


class DataEvents(QObject):
    """Broadcast after the data changed, so every page can refresh what it shows.

    ``changed`` carries the kind of data: "records", "people", "rules", "debriefs", "tasks",
    "annual_reports" or "all".
    """

    changed = Signal(str)
    #: a short note for the status bar ("已保存", "已删除 1 条，Ctrl+Z 可撤销")
    status = Signal(str)


class AppContext:
    """What every page and dialog of one window shares: the open ledger, the clock, the
    settings, the data-changed signals and the undo history."""

    def __init__(self, ledger: Ledger, today_fn: Callable[[], date] = date.today,
                 settings: QSettings | None = None, events: DataEvents | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        self.ledger = ledger
        self.today_fn = today_fn
        self.settings = settings if settings is not None else QSettings("duty_tracker", "履职纪实")
        self.events = events if events is not None else DataEvents()
        #: Ctrl+Z for the whole window: deletes, edits and imports push commands here.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack()

    @property
    def store(self) -> Store:
        return self.ledger.store

    @property
    def db_path(self) -> Path:
        return self.ledger.path

    def today(self) -> date:
        return self.today_fn()

    def notify(self, kind: str = "all") -> None:
        self.events.changed.emit(kind)

    def notify_status(self, text: str) -> None:
        """Tell the clerk in the status bar what just happened (no box to click away)."""
        self.events.status.emit(text)

    def switch_to(self, ledger: Ledger) -> None:
        """Work on ``ledger`` from now on; the previous one is closed (and its locks released)."""
        old, self.ledger = self.ledger, ledger
        old.close()
        self.data_replaced()

    def data_replaced(self) -> None:
        """Everything may differ now: the undo history belongs to the old data; pages reload."""
        self.undo_stack.clear()
        self.notify("all")

    def close(self) -> None:
        self.ledger.close()

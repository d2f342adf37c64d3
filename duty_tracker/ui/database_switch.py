"""Working on another database without restarting: 文件 → 打开数据库 / 新建数据库, and the
welcome's demo data, which goes into a database of its own so that sample records never mix
with the real ledger.

The switch is all or nothing: the new file is locked and opened first; only then is the old
store closed and its lock released. Pages read ``ctx.store`` and refresh on ``notify("all")``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from duty_tracker import APP_NAME
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.ui.context import AppContext

DEMO_DB_NAME = "演示数据.db"


def demo_db_path(ctx: AppContext) -> Path:
    """The demo database sits beside the real one (same data folder)."""
    from duty_tracker.paths import default_db_path

    return default_db_path().parent / DEMO_DB_NAME if ctx.db_path.name != DEMO_DB_NAME else ctx.db_path


def switch_database(window: QWidget, ctx: AppContext, path: Path) -> bool:
    """Make ``path`` the open database (created and seeded when new). False when it could not
    be opened; the current database then stays open, untouched."""
    from duty_tracker.core.storage.instance_lock import InstanceLock
    from duty_tracker.core.storage.store import Store

    path = Path(path)
    if path.resolve() == Path(ctx.db_path).resolve():
        return True
    lock = None
    try:
        if ctx.instance_lock is not None:  # a real window: one window per database
            lock = InstanceLock(path).acquire()
        store = Store.open(path)
    except StorageError as exc:
        if lock is not None:
            lock.release()
        QMessageBox.warning(window, APP_NAME, f"无法打开数据库 {path}：\n{exc}\n\n仍在使用原来的数据库。")
        return False
    old_store, old_lock = ctx.store, ctx.instance_lock
    ctx.store, ctx.db_path = store, path
    ctx.instance_lock = lock if old_lock is not None else None
    old_store.close()
    if old_lock is not None:
        old_lock.release()
    ctx.undo_stack.clear()  # its commands belong to the other database
    ctx.notify("all")
    refresh = getattr(window, "database_changed", None)
    if callable(refresh):
        refresh()
    return True

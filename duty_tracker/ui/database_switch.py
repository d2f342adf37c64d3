"""Working on another database without restarting: 文件 → 打开数据库 / 新建数据库, and the
welcome's demo data, which goes into a database of its own so that sample records never mix
with the real ledger.

The switch is all or nothing: the new ledger is locked and opened first; only then does the
context close the old one (``AppContext.switch_to``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from duty_tracker import APP_NAME
from duty_tracker.core.errors import AppError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext

DEMO_DB_NAME = "演示数据.db"


def demo_db_path(ctx: AppContext) -> Path:
    """The demo database sits beside the real one (same data folder)."""
    from duty_tracker.paths import default_db_path

    return default_db_path().parent / DEMO_DB_NAME if ctx.db_path.name != DEMO_DB_NAME else ctx.db_path


def switch_database(window: QWidget, ctx: AppContext, path: Path) -> bool:
    """Make ``path`` the open database (created and seeded when new). False when it could not
    be opened; the current database then stays open, untouched."""
    from duty_tracker.core.services.ledger import open_ledger

    path = Path(path)
    if path.resolve() == Path(ctx.db_path).resolve():
        return True
    try:
        ledger = open_ledger(path, actor=ctx.ledger.actor, purpose="履职纪实窗口",
                             window=ctx.ledger.window_lock is not None)
    except AppError as exc:
        look.warn(window, APP_NAME, f"无法打开数据库 {path}：\n{exc}\n\n仍在使用原来的数据库。")
        return False
    ctx.switch_to(ledger)
    refresh = getattr(window, "database_changed", None)
    if callable(refresh):
        refresh()
    return True

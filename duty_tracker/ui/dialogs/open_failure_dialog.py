"""What the clerk sees when the database cannot be opened: what happened, in Chinese, and the
way out — restore the newest good backup (the damaged file is kept aside), try again, or quit.
A database from a newer program is never touched."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from duty_tracker import APP_NAME
from duty_tracker.core.storage.backup import (
    BackupError,
    newest_good_backup,
    recover_from_newest_backup,
)
from duty_tracker.core.storage.errors import CorruptDatabaseError, NewerDatabaseError, StorageError
from duty_tracker.ui import look


def handle_open_failure(db_path: Path, error: StorageError) -> bool:
    """Returns True when opening should be tried again."""
    if isinstance(error, NewerDatabaseError):
        look.fail(None, APP_NAME, str(error))
        return False
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"无法打开数据库。\n\n{error}")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes a file path
    restore_button = None
    if isinstance(error, CorruptDatabaseError) and newest_good_backup(db_path) is not None:
        box.setInformativeText("可以从最近一次完好的自动备份恢复；损坏的文件会改名保留，不会删除。")
        restore_button = box.addButton("从最新备份恢复", QMessageBox.ButtonRole.AcceptRole)
    retry = box.addButton("重试", QMessageBox.ButtonRole.ActionRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore_button is not None and clicked is restore_button:
        try:
            aside, backup = recover_from_newest_backup(db_path)
        except (BackupError, OSError) as exc:
            look.fail(None, APP_NAME, f"恢复失败：{exc}")
            return False
        look.inform(
            None, APP_NAME,
            f"已从备份 {backup.name} 恢复。\n损坏的数据库已保留为：{aside}")
        return True
    return clicked is retry

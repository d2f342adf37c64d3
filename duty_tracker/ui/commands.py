"""Record changes as undoable commands (git-cola's ``cmds``): pushed on ``ctx.undo_stack`` so
that Ctrl+Z / Ctrl+Y undo and redo them. Each command calls the records repository and then
``ctx.notify("records")`` so every page refreshes.

Adding and editing happen in the record dialog *before* the command is pushed (an error must
keep the dialog open with the clerk's text), so those commands skip their first ``redo()``.
Attachment changes are not undoable (the files stay in the data folder in any case).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QMessageBox

from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.records_repo import RECORD_FIELDS
from duty_tracker.ui.context import AppContext


def record_snapshot(record: dict[str, Any]) -> dict[str, Any]:
    """The editable state of a record (fields and links), as ``update_record`` takes it."""
    snap = {key: record.get(key) for key in RECORD_FIELDS}
    snap["leader_ids"] = list(record.get("leader_ids") or [])
    snap["duty_ids"] = list(record.get("duty_ids") or [])
    return snap


class _RecordCommand(QUndoCommand):
    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx

    def _run(self, action: Callable[[], None]) -> bool:
        try:
            action()
        except StorageError as exc:
            QMessageBox.warning(QApplication.activeWindow(), "操作失败", f"{self.text()}失败：{exc}")
            self.setObsolete(True)
            return False
        self.ctx.notify("records")
        return True


class AddRecordCommand(_RecordCommand):
    """The record was added by the dialog; undo deletes it (soft), redo brings it back."""

    def __init__(self, ctx: AppContext, record_id: int, title: str) -> None:
        super().__init__(ctx, f"新增纪实“{title}”")
        self.record_id = record_id
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(lambda: self.ctx.store.records.restore_records([self.record_id]))

    def undo(self) -> None:
        self._run(lambda: self.ctx.store.records.delete_records([self.record_id]))


class EditRecordCommand(_RecordCommand):
    def __init__(self, ctx: AppContext, record_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        super().__init__(ctx, f"修改纪实“{after.get('title') or before.get('title')}”")
        self.record_id = record_id
        self.before, self.after = before, after
        self._first = True

    def _apply(self, state: dict[str, Any]) -> None:
        fields = dict(state)
        leader_ids = fields.pop("leader_ids")
        duty_ids = fields.pop("duty_ids")
        self.ctx.store.records.update_record(self.record_id, leader_ids=leader_ids, duty_ids=duty_ids, **fields)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(lambda: self._apply(self.after))

    def undo(self) -> None:
        self._run(lambda: self._apply(self.before))


class DeleteRecordsCommand(_RecordCommand):
    """Soft delete (to the recycle bin); undo restores."""

    def __init__(self, ctx: AppContext, record_ids: list[int]) -> None:
        super().__init__(ctx, f"删除 {len(record_ids)} 条纪实")
        self.record_ids = list(record_ids)

    def redo(self) -> None:
        self._run(lambda: self.ctx.store.records.delete_records(self.record_ids))

    def undo(self) -> None:
        self._run(lambda: self.ctx.store.records.restore_records(self.record_ids))


class RestoreRecordsCommand(_RecordCommand):
    """From the recycle bin back to the ledger; undo deletes again."""

    def __init__(self, ctx: AppContext, record_ids: list[int]) -> None:
        super().__init__(ctx, f"恢复 {len(record_ids)} 条纪实")
        self.record_ids = list(record_ids)

    def redo(self) -> None:
        self._run(lambda: self.ctx.store.records.restore_records(self.record_ids))

    def undo(self) -> None:
        self._run(lambda: self.ctx.store.records.delete_records(self.record_ids))

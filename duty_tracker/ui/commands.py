"""Record changes as undoable commands (git-cola's ``cmds``), pushed on ``ctx.undo_stack`` so
that Ctrl+Z / Ctrl+Y undo and redo them.

Every command's ``redo()`` calls the record use cases (``core.services.records``); the first
``redo()`` — run by ``QUndoStack.push`` — does the work itself, there is no pretend first redo.
A save that fails there sets ``error`` (the record form shows it and stays open with what the
clerk typed) and makes the command obsolete, so it never enters the history. Undo and redo put
the record back into its whole saved state (fields, links, attachments).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from duty_tracker.core.errors import AppError
from duty_tracker.core.services import records
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext


class _RecordCommand(QUndoCommand):
    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.error: str | None = None

    def _run(self, action: Callable[[], None], *, quiet: bool = False) -> bool:
        try:
            action()
        except AppError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            if not quiet:
                look.warn(QApplication.activeWindow(), "操作失败", f"{self.text()}失败：{exc}")
            return False
        self.ctx.notify("records")
        return True


class SaveRecordCommand(_RecordCommand):
    """Add (``record_id`` None) or edit a record from a draft; undo returns to the state before."""

    def __init__(self, ctx: AppContext, draft: records.RecordDraft, record_id: int | None = None) -> None:
        super().__init__(ctx, f"{'新增' if record_id is None else '修改'}纪实“{draft.title.strip()}”")
        self.draft, self.record_id = draft, record_id
        self.change: records.RecordChange | None = None

    def redo(self) -> None:
        if self.change is None:
            self._run(self._save_first_time, quiet=True)
        else:
            self._run(lambda: records.redo_change(self.ctx.store, self.change))

    def _save_first_time(self) -> None:
        self.change = records.save_record(self.ctx.store, self.draft, self.record_id)
        self.setText(self.change.description)
        if not self.change.changed:
            self.setObsolete(True)  # nothing to undo

    def undo(self) -> None:
        if self.change is not None:
            self._run(lambda: records.undo_change(self.ctx.store, self.change))


class DeleteRecordsCommand(_RecordCommand):
    """Soft delete (to the recycle bin); undo restores."""

    def __init__(self, ctx: AppContext, record_ids: list[int]) -> None:
        super().__init__(ctx, f"删除 {len(record_ids)} 条纪实")
        self.record_ids = list(record_ids)

    def redo(self) -> None:
        self._run(lambda: records.delete_records(self.ctx.store, self.record_ids))

    def undo(self) -> None:
        self._run(lambda: records.restore_records(self.ctx.store, self.record_ids))


class RestoreRecordsCommand(_RecordCommand):
    """From the recycle bin back to the ledger; undo deletes again."""

    def __init__(self, ctx: AppContext, record_ids: list[int]) -> None:
        super().__init__(ctx, f"恢复 {len(record_ids)} 条纪实")
        self.record_ids = list(record_ids)

    def redo(self) -> None:
        self._run(lambda: records.restore_records(self.ctx.store, self.record_ids))

    def undo(self) -> None:
        self._run(lambda: records.delete_records(self.ctx.store, self.record_ids))

"""Record changes as undoable commands (git-cola's ``cmds``), pushed on ``ctx.undo_stack`` so
that Ctrl+Z / Ctrl+Y undo and redo them.

Every command's ``redo()`` calls the record use cases (``core.services.records``); the first
``redo()`` — run by ``QUndoStack.push`` — does the work itself, there is no pretend first redo.
A save that fails there sets ``error`` (the record form shows it and stays open with what the
clerk typed) and makes the command obsolete, so it never enters the history. Undo and redo put
the record back into its whole saved state (fields, links, attachments). Each step says in the
status bar what it did and how to take it back ("已删除 1 条纪实，Ctrl+Z 可撤销"); command texts
stay short, so that the 编辑 menu's "撤销…" entry fits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication

from duty_tracker.core.errors import AppError
from duty_tracker.core.services import records
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext

#: How long a record title may be in the undo menu and the status bar.
TITLE_CHARS = 14


def short_title(title: str) -> str:
    title = " ".join((title or "").split())
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS] + "…"


def key_text(key: QKeySequence.StandardKey) -> str:
    """The shortcut as this computer spells it (Ctrl+Z; Ctrl+Y or Ctrl+Shift+Z)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class DataCommand(QUndoCommand):
    """An undoable change through a use case: a failure is said once and makes the command
    obsolete; a success tells the pages (``data_kind``) and says so in the status bar."""

    #: what kind of data the pages are told changed
    data_kind = "records"

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.error: str | None = None
        self._done_once = False

    def _run(self, action: Callable[[], None], *, quiet: bool = False, undo: bool = False) -> bool:
        try:
            action()
        except AppError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            if not quiet:
                look.warn(QApplication.activeWindow(), "操作失败", f"{self.text()}失败：{exc}")
            return False
        self.ctx.notify(self.data_kind)
        self.ctx.notify_status(self._status(undo))
        self._done_once = True
        return True

    def _status(self, undo: bool) -> str:
        if undo:
            return f"已撤销：{self.text()}（{key_text(QKeySequence.StandardKey.Redo)} 可重做）"
        if self._done_once:
            return f"已重做：{self.text()}"
        return f"{self.done_text()}，{key_text(QKeySequence.StandardKey.Undo)} 可撤销"

    def done_text(self) -> str:
        return f"已{self.text()}"


class SaveRecordCommand(DataCommand):
    """Add (``record_id`` None) or edit a record from a draft; undo returns to the state before."""

    def __init__(self, ctx: AppContext, draft: records.RecordDraft, record_id: int | None = None) -> None:
        super().__init__(ctx, f"{'新增' if record_id is None else '修改'}纪实“{short_title(draft.title)}”")
        self.draft, self.record_id = draft, record_id
        self.change: records.RecordChange | None = None

    def redo(self) -> None:
        if self.change is None:
            self._run(self._save_first_time, quiet=True)
        else:
            self._run(lambda: records.redo_change(self.ctx.store, self.change))

    def _save_first_time(self) -> None:
        self.change = records.save_record(self.ctx.store, self.draft, self.record_id)
        self.setText(f"{'新增' if self.change.before is None else '修改'}纪实“{short_title(self.change.title)}”")
        if not self.change.changed:
            self.setObsolete(True)  # nothing to undo

    def undo(self) -> None:
        if self.change is not None:
            self._run(lambda: records.undo_change(self.ctx.store, self.change), undo=True)

    def done_text(self) -> str:
        return f"已保存纪实“{short_title(self.draft.title)}”"


class DeleteRecordsCommand(DataCommand):
    """Soft delete (to the recycle bin); undo restores."""

    def __init__(self, ctx: AppContext, record_ids: list[int]) -> None:
        super().__init__(ctx, f"删除 {len(record_ids)} 条纪实")
        self.record_ids = list(record_ids)

    def redo(self) -> None:
        self._run(lambda: records.delete_records(self.ctx.store, self.record_ids))

    def undo(self) -> None:
        self._run(lambda: records.restore_records(self.ctx.store, self.record_ids), undo=True)

    def done_text(self) -> str:
        return f"已删除 {len(self.record_ids)} 条纪实（移入回收站）"


class RestoreRecordsCommand(DataCommand):
    """From the recycle bin back to the ledger; undo deletes again."""

    def __init__(self, ctx: AppContext, record_ids: list[int]) -> None:
        super().__init__(ctx, f"恢复 {len(record_ids)} 条纪实")
        self.record_ids = list(record_ids)

    def redo(self) -> None:
        self._run(lambda: records.restore_records(self.ctx.store, self.record_ids))

    def undo(self) -> None:
        self._run(lambda: records.delete_records(self.ctx.store, self.record_ids), undo=True)

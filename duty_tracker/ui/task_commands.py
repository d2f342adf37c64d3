"""Work-point changes as undoable commands on ``ctx.undo_stack`` (the same shape as the record
commands of ``ui/commands.py``): Ctrl+Z / Ctrl+Y in the main window undo and redo them.

Each ``redo()`` calls a use case of ``core.services.workpoints``; the first one — run by
``QUndoStack.push`` — does the work itself. A change that fails there sets ``error`` (the form
shows it and stays open) and makes the command obsolete, so it never enters the history.
Every step notifies "tasks" (the 工作要点 page, the dashboard's reminders reload) and says in
the status bar what it did and how to take it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from duty_tracker.core.services import workpoints as wp
from duty_tracker.ui.commands import DataCommand, short_title
from duty_tracker.ui.context import AppContext


class _TaskCommand(DataCommand):
    data_kind = "tasks"


class SaveProgressCommand(_TaskCommand):
    """Add (``progress_id`` None) or correct a progress entry; undo returns to the state before
    (a new entry goes to the recycle bin)."""

    def __init__(self, ctx: AppContext, draft: wp.ProgressDraft, progress_id: int | None = None,
                 task_title: str = "") -> None:
        what = "填报" if progress_id is None else "修改"
        super().__init__(ctx, f"{what}进展“{short_title(task_title)}”")
        self.draft, self.progress_id = draft, progress_id
        self.change: wp.ProgressChange | None = None

    def redo(self) -> None:
        if self.change is None:
            self._run(self._save_first_time, quiet=True)
        else:
            self._run(lambda: wp.redo_progress(self.ctx.store, self.change))

    def _save_first_time(self) -> None:
        self.change = wp.save_progress(self.ctx.store, self.draft, self.progress_id)

    def undo(self) -> None:
        if self.change is not None:
            self._run(lambda: wp.undo_progress(self.ctx.store, self.change), undo=True)


class DeleteProgressCommand(_TaskCommand):
    """A progress entry to the recycle bin; undo brings it back."""

    def __init__(self, ctx: AppContext, progress_ids: Sequence[int]) -> None:
        super().__init__(ctx, f"删除 {len(progress_ids)} 条进展")
        self.progress_ids = list(progress_ids)

    def redo(self) -> None:
        self._run(lambda: wp.delete_progress(self.ctx.store, self.progress_ids))

    def undo(self) -> None:
        self._run(lambda: wp.restore_progress(self.ctx.store, self.progress_ids), undo=True)


class DeleteTasksCommand(_TaskCommand):
    """Tasks that are not tasks after all, to the recycle bin (with their progress); undo
    restores them."""

    def __init__(self, ctx: AppContext, task_ids: Sequence[int], title: str = "") -> None:
        what = f"任务“{short_title(title)}”" if len(task_ids) == 1 and title else f"{len(task_ids)} 项任务"
        super().__init__(ctx, f"删除{what}")
        self.task_ids = list(task_ids)

    def redo(self) -> None:
        self._run(lambda: wp.delete_tasks(self.ctx.store, self.task_ids))

    def undo(self) -> None:
        self._run(lambda: wp.restore_tasks(self.ctx.store, self.task_ids), undo=True)


class DeletePlanCommand(_TaskCommand):
    """A whole imported document (its tasks and their progress) to the recycle bin."""

    def __init__(self, ctx: AppContext, plan_id: int, title: str) -> None:
        super().__init__(ctx, f"删除工作要点《{short_title(title)}》")
        self.plan_id = plan_id

    def redo(self) -> None:
        self._run(lambda: wp.delete_plan(self.ctx.store, self.plan_id))

    def undo(self) -> None:
        self._run(lambda: wp.restore_plan(self.ctx.store, self.plan_id), undo=True)


class UpdateTaskCommand(_TaskCommand):
    """A stored task's title, deadline and units changed; undo puts back what they were.
    ``before``/``after``: the fields (``title``, ``due``, ``deadline_text``) and ``units``."""

    def __init__(self, ctx: AppContext, task_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        super().__init__(ctx, f"修改任务“{short_title(after.get('title') or before.get('title', ''))}”")
        self.task_id, self.before, self.after = task_id, before, after

    def _apply(self, state: dict[str, Any]) -> None:
        fields = {k: v for k, v in state.items() if k != "units"}
        wp.update_task(self.ctx.store, self.task_id, units=state.get("units"), **fields)

    def redo(self) -> None:
        self._run(lambda: self._apply(self.after), quiet=not self._done_once)

    def undo(self) -> None:
        self._run(lambda: self._apply(self.before), undo=True)

"""The submission mark of a unit's annual report as an undoable command on ``ctx.undo_stack``
(the shape of ``ui/commands.py``): Ctrl+Z takes a 标记为已报送 — or its removal — back.

``redo()`` calls ``reporting.mark_annual_report_submitted``; the first one, run by
``QUndoStack.push``, does the work itself. A mark that fails there sets ``error`` and makes the
command obsolete, so it never enters the history. Each step notifies "annual_reports" (the
年度报告 page and the reminders reload) and says in the status bar how to take it back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication

from duty_tracker.core.errors import AppError
from duty_tracker.core.reports.debrief_model import chinese_date
from duty_tracker.core.services import reporting
from duty_tracker.ui import look
from duty_tracker.ui.commands import key_text, short_title
from duty_tracker.ui.context import AppContext

#: The data-changed kind of the annual reports (their text and their submission).
ANNUAL_REPORTS = "annual_reports"


class MarkAnnualSubmittedCommand(QUndoCommand):
    """Mark the report of ``unit_id`` and ``year`` submitted on ``on`` (None: not submitted);
    undo puts back the day it had before (``before``)."""

    def __init__(self, ctx: AppContext, unit_id: int, year: int, on: date | None,
                 before: date | None, name: str) -> None:
        what = f"标记“{short_title(name)}”{year}年度报告已报送" if on is not None \
            else f"取消“{short_title(name)}”{year}年度报告的报送标记"
        super().__init__(what)
        self.ctx, self.unit_id, self.year = ctx, unit_id, year
        self.on, self.before = on, before
        self.error: str | None = None
        self._done_once = False

    def _run(self, day: date | None, undo: bool) -> bool:
        try:
            reporting.mark_annual_report_submitted(self.ctx.store, self.unit_id, self.year, day)
        except AppError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            if self._done_once:
                look.warn(QApplication.activeWindow(), "操作失败", f"{self.text()}失败：{exc}")
            return False
        self.ctx.notify(ANNUAL_REPORTS)
        self.ctx.notify_status(self._status(undo))
        self._done_once = True
        return True

    def _status(self, undo: bool) -> str:
        if undo:
            return f"已撤销：{self.text()}（{key_text(QKeySequence.StandardKey.Redo)} 可重做）"
        if self._done_once:
            return f"已重做：{self.text()}"
        when = f"（报送日期{chinese_date(self.on)}）" if self.on else ""
        return f"已{self.text()}{when}，{key_text(QKeySequence.StandardKey.Undo)} 可撤销"

    def redo(self) -> None:
        self._run(self.on, undo=False)

    def undo(self) -> None:
        self._run(self.before, undo=True)


def push_mark(ctx: AppContext, unit_id: int, year: int, on: date | None, before: date | None,
              name: str, on_error: Callable[[str], None] | None = None) -> bool:
    """Push the command; False (and ``on_error`` told why) when the mark could not be made."""
    command = MarkAnnualSubmittedCommand(ctx, unit_id, year, on, before, name)
    ctx.undo_stack.push(command)
    if command.error is not None and on_error is not None:
        on_error(command.error)
    return command.error is None

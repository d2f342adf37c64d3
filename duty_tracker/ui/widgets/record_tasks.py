"""佐证工作要点任务: in the record form, the work-point tasks of the record's year that the record
evidences (a meeting on 行政复议 evidences the task "完成相对集中复议权工作"). A ticked task
counts the record as a step of its progress — for the unit of the record's leader when that
unit is one of the task's units, else for the task as a whole.

Links are written after the record itself was saved (a new record has no id before), through
``workpoints.link_record`` / ``unlink_record``; only the ticks that changed are written."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from duty_tracker.core.errors import AppError
from duty_tracker.core.services import workpoints as wp
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.widgets.check_list import CheckList


class RecordTasksBox(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._year: int | None = None
        self._linked: list[int] = []  # as stored
        layout = QVBoxLayout(self)
        self.hint = look.hint_label("本纪实可作为哪些工作要点任务的佐证（可多选）")
        self.tasks = CheckList("搜索任务…", self)
        layout.addWidget(self.hint)
        layout.addWidget(self.tasks, 1)
        self.changed = self.tasks.changed

    def show_year(self, year: int) -> None:
        """Offer the tasks of ``year`` (ticked tasks of another year stay, marked)."""
        if year == self._year:
            return
        self._year = year
        views = wp.list_tasks(self.ctx.store, wp.TaskFilter(year), self.ctx.today())
        self.tasks.set_items([(v.id, f"{v.number}. {v.title}", " ".join(v.text.split())) for v in views],
                             stale_suffix="（不是该年度的任务）")
        self.hint.setText("本纪实可作为哪些工作要点任务的佐证（可多选）" if views
                          else f"{year}年尚未导入工作要点（在“工作要点”页导入后可在此关联）。")

    def load_record(self, record_id: int) -> None:
        self._linked = [row["task_id"] for row in wp.tasks_of_record(self.ctx.store, record_id)]
        self.tasks.set_checked(self._linked)

    def checked_ids(self) -> list[int]:
        return self.tasks.checked_ids()

    def save(self, record_id: int, leader_units: Iterable[int]) -> str | None:
        """Write the ticks that changed; the Chinese reason when one could not be written."""
        wanted = self.checked_ids()
        before = set(self._linked)
        units = set(leader_units)
        try:
            for task_id in [t for t in self._linked if t not in wanted]:
                wp.unlink_record(self.ctx.store, task_id, record_id)
            for task_id in [t for t in wanted if t not in self._linked]:
                task_units = {u["unit_id"] for u in self.ctx.store.tasks.task(task_id)["units"]}
                mine = sorted(units & task_units)
                wp.link_record(self.ctx.store, task_id, record_id, mine[0] if len(mine) == 1 else None)
        except AppError as exc:
            return str(exc)
        finally:
            self._linked = [row["task_id"] for row in wp.tasks_of_record(self.ctx.store, record_id)]
        if set(self._linked) != before:
            self.ctx.notify("tasks")
        return None

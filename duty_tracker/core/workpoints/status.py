"""Status of a work-point task, per responsible unit and for the task as a whole.

The rules, in the words the clerk is shown (:data:`STATUS_RULES`; the window, the 任务分解表
and the annual report repeat them)::

    已完成：该单位有一条进展标记为“已完成”（之后再填的进展不会改回未完成）；完成日期晚于完成时限的，为逾期完成。
    逾期：未完成，且已过完成时限。
    临期：未完成，距完成时限不超过 30 天（含当天）。
    推进中：未完成，已填报进展或关联了履职纪实。
    未开始：未完成，尚未填报任何进展。
    整项任务：牵头单位均已完成即为已完成；没有牵头单位的，全部负责单位完成；只有配合单位的，全部配合单位完成。
    整项任务完成后，其余单位不再显示逾期或临期。
    只计算截至当日（含当日）填报的进展；没有完成时限的任务不会逾期或临期。

The same warning days as the duties (``core.compliance.DEFAULT_WARN_DAYS``). Only what is
dated on or before ``today`` counts, so a status "as of" any day can be shown (the year end,
for the annual report). A later note does not reopen a completed task: to reopen it the clerk
unticks that entry. Pure Python without storage; ``today`` is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS
from duty_tracker.core.workpoints.model import ASSIST, LEAD, RESPONSIBLE


class TaskStatus(StrEnum):
    """The values are the Chinese words the clerk sees (and ``tasks list --json`` prints)."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    OVERDUE = "逾期"
    DUE_SOON = "临期"


#: Most urgent first: the order of the reminders and of a list sorted by status.
STATUS_URGENCY: dict[TaskStatus, int] = {
    TaskStatus.OVERDUE: 0, TaskStatus.DUE_SOON: 1, TaskStatus.IN_PROGRESS: 2,
    TaskStatus.NOT_STARTED: 3, TaskStatus.DONE: 4,
}
#: The rules as the clerk reads them (help text of the 工作要点 page, notes of the sheet).
#: The module's docstring quotes them word for word (a test holds them together).
STATUS_RULES: tuple[str, ...] = (
    "已完成：该单位有一条进展标记为“已完成”（之后再填的进展不会改回未完成）；完成日期晚于完成时限的，为逾期完成。",
    "逾期：未完成，且已过完成时限。",
    f"临期：未完成，距完成时限不超过 {DEFAULT_WARN_DAYS} 天（含当天）。",
    "推进中：未完成，已填报进展或关联了履职纪实。",
    "未开始：未完成，尚未填报任何进展。",
    "整项任务：牵头单位均已完成即为已完成；没有牵头单位的，全部负责单位完成；只有配合单位的，全部配合单位完成。",
    "整项任务完成后，其余单位不再显示逾期或临期。",
    "只计算截至当日（含当日）填报的进展；没有完成时限的任务不会逾期或临期。",
)
#: What the dashboard reminds of.
REMINDER_STATUSES = frozenset({TaskStatus.OVERDUE, TaskStatus.DUE_SOON})


@dataclass(frozen=True, slots=True)
class ProgressFact:
    """One reported step of a unit: its date and whether it says the task is completed.
    A record linked as evidence is a step with ``done`` False."""

    on: date
    done: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """The status of a task for one unit or as a whole.

    ``reported`` counts the steps that count (dated on or before today); ``last_on`` is the
    latest of them; ``done_on`` the day it was completed; ``days_left`` the days from today to
    the deadline (negative once passed, None without a deadline). For a whole task,
    ``done_units`` / ``deciding_units`` say how many of the units that decide have completed.
    """

    status: TaskStatus
    reported: int = 0
    last_on: date | None = None
    done_on: date | None = None
    late: bool = False
    days_left: int | None = None
    done_units: int = 0
    deciding_units: int = 0

    @property
    def label(self) -> str:
        """The status as a clerk reads it in a cell: "已完成", "已完成（逾期完成）", "逾期 5 天"."""
        if self.status is TaskStatus.DONE:
            return "已完成（逾期完成）" if self.late else "已完成"
        if self.status is TaskStatus.OVERDUE and self.days_left is not None:
            return f"逾期 {-self.days_left} 天"
        if self.status is TaskStatus.DUE_SOON and self.days_left is not None:
            return "今日到期" if self.days_left == 0 else f"临期（还有 {self.days_left} 天）"
        return self.status.value


def _open_status(due: date | None, today: date, started: bool, warn_days: int) -> TaskStatus:
    """The status of what is not completed: by the deadline first, then by progress."""
    if due is not None:
        days = (due - today).days
        if days < 0:
            return TaskStatus.OVERDUE
        if days <= warn_days:
            return TaskStatus.DUE_SOON
    return TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED


def unit_verdict(due: date | None, facts: Iterable[ProgressFact], today: date, *,
                 warn_days: int = DEFAULT_WARN_DAYS) -> Verdict:
    """The status of a task for one unit, from that unit's steps."""
    counted = sorted((f for f in facts if f.on <= today), key=lambda f: f.on)
    days_left = (due - today).days if due is not None else None
    last_on = counted[-1].on if counted else None
    done_on = next((f.on for f in counted if f.done), None)
    if done_on is not None:
        return Verdict(TaskStatus.DONE, len(counted), last_on, done_on,
                       late=due is not None and done_on > due, days_left=days_left)
    return Verdict(_open_status(due, today, bool(counted), warn_days), len(counted), last_on,
                   days_left=days_left)


def deciding_units(roles: Mapping[int, str]) -> list[int]:
    """The units whose completion completes the task: the leads, else the responsible units,
    else the assisting ones (see the module's rules)."""
    for role in (LEAD, RESPONSIBLE, ASSIST):
        found = [unit_id for unit_id, r in roles.items() if r == role]
        if found:
            return found
    return []


def task_verdict(due: date | None, roles: Mapping[int, str], units: Mapping[int, Verdict],
                 today: date, *, task_facts: Iterable[ProgressFact] = (),
                 warn_days: int = DEFAULT_WARN_DAYS) -> Verdict:
    """The status of the task as a whole from its units' verdicts (``units``: unit id →
    :func:`unit_verdict`) and the steps that concern the task without a unit (``task_facts``,
    e.g. a record linked to the task as a whole)."""
    deciding = deciding_units(roles)
    verdicts = [units[u] for u in deciding if u in units]
    done = [v for v in verdicts if v.status is TaskStatus.DONE]
    own = [f for f in task_facts if f.on <= today]
    reported = sum(v.reported for v in units.values()) + len(own)
    dates = [v.last_on for v in units.values() if v.last_on] + [f.on for f in own]
    last_on = max(dates) if dates else None
    days_left = (due - today).days if due is not None else None
    if deciding and len(done) == len(deciding):
        done_on = max(v.done_on for v in done if v.done_on)
        return Verdict(TaskStatus.DONE, reported, last_on, done_on,
                       late=due is not None and done_on > due, days_left=days_left,
                       done_units=len(done), deciding_units=len(deciding))
    status = _open_status(due, today, reported > 0, warn_days)
    return Verdict(status, reported, last_on, days_left=days_left,
                   done_units=len(done), deciding_units=len(deciding))


def settled(unit: Verdict, task: Verdict) -> Verdict:
    """A unit's verdict once its task is seen as a whole: when the task is completed, a unit
    that has not completed it is no longer 逾期 or 临期 (nothing is left to be late for)."""
    if task.status is not TaskStatus.DONE or unit.status not in REMINDER_STATUSES:
        return unit
    status = TaskStatus.IN_PROGRESS if unit.reported else TaskStatus.NOT_STARTED
    return Verdict(status, unit.reported, unit.last_on, days_left=unit.days_left)

"""The year's work-point tasks with their status, read from the store: what ``tasks list``,
the 工作要点 page, the 任务分解表, the reminders, the calendar and the annual report show.

The rules themselves are pure (:mod:`duty_tracker.core.workpoints.status`); this module only
gathers the facts — each unit's progress entries and the records linked as evidence — in a
few queries for a whole year, and applies the rules as of ``today``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS
from duty_tracker.core.exchange.calendar_ics import CalendarEvent
from duty_tracker.core.storage.store import Store
from duty_tracker.core.storage.tasks_repo import TASK_ROLES
from duty_tracker.core.workpoints.status import (
    STATUS_URGENCY,
    ProgressFact,
    TaskStatus,
    Verdict,
    settled,
    task_verdict,
    unit_verdict,
)


@dataclass(slots=True)
class TaskFilter:
    """Which tasks of a year to show; every field narrows the list.

    With ``unit_id`` the list holds that unit's tasks and ``statuses`` tests the unit's own
    status (本单位任务); without it, the task's status as a whole. ``due_from``/``due_to``
    bound the deadline (a task without one is left out when either is given).
    """

    year: int
    unit_id: int | None = None
    statuses: frozenset[TaskStatus] | None = None
    due_from: date | None = None
    due_to: date | None = None
    plan_id: int | None = None
    text: str = ""
    task_ids: list[int] | None = None

    def keeps(self, view: TaskView) -> bool:
        if self.statuses is not None and view.status_for(self.unit_id) not in self.statuses:
            return False
        if (self.due_from or self.due_to) and view.due is None:
            return False
        if self.due_from and view.due < self.due_from:
            return False
        if self.due_to and view.due > self.due_to:
            return False
        needle = (self.text or "").strip()
        return not needle or needle in view.title or needle in view.text


@dataclass(slots=True)
class UnitProgress:
    """One responsible unit of a task: its role, its status, and (when asked for) its entries."""

    unit_id: int
    unit_name: str
    role: str
    verdict: Verdict
    last_note: str = ""
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> TaskStatus:
        return self.verdict.status

    def to_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {"unit_id": self.unit_id, "unit": self.unit_name, "role": self.role,
                "role_label": TASK_ROLES[self.role], "status": v.status.value, "status_label": v.label,
                "reported": v.reported, "last_reported_on": _iso(v.last_on), "last_note": self.last_note,
                "done_on": _iso(v.done_on), "late": v.late}


@dataclass(slots=True)
class TaskView:
    """A task with its status as a whole and per unit."""

    id: int
    uuid: str
    plan_id: int
    plan_title: str
    year: int
    section: str
    section_position: int | None
    number: int
    position: int
    title: str
    text: str
    due: date | None
    deadline_text: str | None
    named_units: list[dict[str, str]]
    verdict: Verdict
    units: list[UnitProgress]
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> TaskStatus:
        return self.verdict.status

    def unit(self, unit_id: int) -> UnitProgress | None:
        return next((u for u in self.units if u.unit_id == unit_id), None)

    def status_for(self, unit_id: int | None) -> TaskStatus:
        """The unit's status (None: the task's); a unit not of the task: the task's."""
        unit = self.unit(unit_id) if unit_id is not None else None
        return unit.status if unit else self.status

    def unit_names(self, *roles: str) -> list[str]:
        """Names of the units in ``roles`` as the document names them; the program's units
        when the document named none."""
        named = [n["name"] for n in self.named_units if n["role"] in roles]
        if self.named_units:
            return named
        return [u.unit_name for u in self.units if u.role in roles]

    def to_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "id": self.id, "uuid": self.uuid, "plan_id": self.plan_id, "plan": self.plan_title,
            "year": self.year, "section": self.section, "section_number": self.section_position,
            "number": self.number, "title": self.title, "text": self.text, "due": _iso(self.due),
            "deadline_text": self.deadline_text, "status": v.status.value, "status_label": v.label,
            "days_left": v.days_left, "done_on": _iso(v.done_on), "late": v.late,
            "done_units": v.done_units, "deciding_units": v.deciding_units,
            "named_units": [dict(n) for n in self.named_units],
            "lead_units": self.unit_names("lead"),
            "units": [u.to_dict() for u in self.units],
            "records": [{"record_id": r["record_id"], "performed_on": r["performed_on"],
                         "title": r["title"], "unit_id": r["unit_id"]} for r in self.records],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def task_views(store: Store, flt: TaskFilter, today: date, *, entries: bool = False,
               warn_days: int = DEFAULT_WARN_DAYS) -> list[TaskView]:
    """The tasks of ``flt.year`` in document order with their status as of ``today``;
    ``entries=True`` also loads each unit's progress entries (the detail view, the report)."""
    rows = store.tasks.tasks(flt.year, plan_id=flt.plan_id, unit_id=flt.unit_id, task_ids=flt.task_ids)
    ids = [row["id"] for row in rows]
    progress: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for entry in store.tasks.progress(ids):
        progress[(entry["task_id"], entry["unit_id"])].append(entry)
    records: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in store.tasks.task_records(ids):
        records[link["task_id"]].append(link)
    views = [_view(row, progress, records[row["id"]], today, entries, warn_days) for row in rows]
    return [view for view in views if flt.keeps(view)]


def _view(row: dict[str, Any], progress: dict[tuple[int, int], list[dict[str, Any]]],
          links: list[dict[str, Any]], today: date, entries: bool, warn_days: int) -> TaskView:
    due = date.fromisoformat(row["due"]) if row["due"] else None
    units: list[UnitProgress] = []
    for unit in row["units"]:
        own = progress.get((row["id"], unit["unit_id"]), [])
        facts = _facts(own, [link for link in links if link["unit_id"] == unit["unit_id"]])
        verdict = unit_verdict(due, facts, today, warn_days=warn_days)
        counted = [e for e in own if e["reported_on"] <= today.isoformat() and e["note"]]
        units.append(UnitProgress(unit["unit_id"], unit["unit_name"], unit["role"], verdict,
                                  counted[-1]["note"] if counted else "", own if entries else []))
    known = {u.unit_id for u in units}
    loose = _facts([], [link for link in links if link["unit_id"] not in known])
    verdict = task_verdict(due, {u.unit_id: u.role for u in units}, {u.unit_id: u.verdict for u in units},
                           today, task_facts=loose, warn_days=warn_days)
    for unit in units:
        unit.verdict = settled(unit.verdict, verdict)
    return TaskView(
        row["id"], row["uuid"], row["plan_id"], row["plan_title"], row["year"], row["section"],
        row["section_position"], row["number"], row["position"], row["title"], row["text"], due,
        row["deadline_text"], row["named_units"], verdict, units, links)


def _facts(entries: Iterable[dict[str, Any]], links: Iterable[dict[str, Any]]) -> list[ProgressFact]:
    facts = [ProgressFact(date.fromisoformat(e["reported_on"]), bool(e["done"])) for e in entries]
    return facts + [ProgressFact(date.fromisoformat(link["performed_on"])) for link in links]


def by_section(views: Iterable[TaskView]) -> list[tuple[str, list[TaskView]]]:
    """(section heading, its tasks) in document order — the 工作要点 page's groups and the
    annual report's 主要举措和成效 by section. Tasks outside any section come under ""."""
    groups: dict[tuple[int, int, str], list[TaskView]] = {}
    for view in views:
        key = (view.plan_id, view.section_position or 0, view.section)
        groups.setdefault(key, []).append(view)
    return [(key[2], items) for key, items in sorted(groups.items(), key=lambda kv: kv[0][:2])]


def by_urgency(views: Iterable[TaskView], unit_id: int | None = None) -> list[TaskView]:
    """Most urgent first (逾期, 临期, …), then by deadline, then in document order."""
    return sorted(views, key=lambda v: (STATUS_URGENCY[v.status_for(unit_id)],
                                        v.due or date.max, v.plan_id, v.position))


def task_calendar_events(store: Store, year: int, today: date, *,
                         unit_id: int | None = None) -> list[CalendarEvent]:
    """One all-day event per task deadline of ``year`` (of one unit's tasks with ``unit_id``),
    the status as of ``today`` and the units not yet done in its description. The UID is
    built from the task's uuid and the date, so a newer export updates the event."""
    events = []
    for view in task_views(store, TaskFilter(year, unit_id=unit_id), today):
        if view.due is None:
            continue
        verdict = view.unit(unit_id).verdict if unit_id is not None and view.unit(unit_id) else view.verdict
        lines = [f"{u.unit_name}（{TASK_ROLES[u.role]}）：{u.verdict.label}" for u in view.units
                 if unit_id is None or u.unit_id == unit_id]
        deadline = f"完成时限：{view.deadline_text}。" if view.deadline_text else ""
        events.append(CalendarEvent(
            uid=f"{view.uuid}-{view.due:%Y%m%d}{'-' + str(unit_id) if unit_id is not None else ''}"
                "@duty-tracker",
            day=view.due, summary=f"【任务截止】{view.title}",
            description=f"{view.plan_title}。{deadline}截至 {today:%Y-%m-%d}：{verdict.label}"
                        + ("\n" + "\n".join(lines) if lines else "")))
    return events

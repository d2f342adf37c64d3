"""From the store to the annual report's model: the only part of the annual report that reads
data.

The work-point facts come from ``core.task_status.task_views`` — what ``tasks list`` and the
工作要点 page show — for the unit's tasks of the year, with each unit's progress entries; the
heads' facts from the debrief's builder and ``core.status`` (the same numbers as the debrief,
the dashboard and ``status --json``).

The facts are taken as of the year's end (or today while the year runs): a progress note dated
in January is work of the next year and is not counted, and a task not completed by its
deadline in the year is overdue once the year is over.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from duty_tracker.core.domain import Role
from duty_tracker.core.errors import InputError
from duty_tracker.core.reports.annual_model import (
    ANNUAL_KEYS,
    AnnualReport,
    AnnualTexts,
    EvidenceRecord,
    HeadFact,
    ProgressNote,
    TaskFact,
    WorkSection,
    annual_deadline,
    institution_name,
    place_name,
)
from duty_tracker.core.reports.debrief_builder import DebriefBuilder
from duty_tracker.core.reports.debrief_defaults import institutional_title
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.status import leader_tallies, year_status
from duty_tracker.core.storage.errors import NotFoundError
from duty_tracker.core.storage.store import Store
from duty_tracker.core.task_status import TaskFilter, TaskView, by_section, task_views
from duty_tracker.core.workpoints.status import TaskStatus

_HEAD_ROLES = (Role.PARTY.value, Role.GOVERNMENT.value)


def default_report_date(year: int, today: date, deadline: date) -> date:
    """成文日期: today, but not after the deadline (a report printed again later keeps the
    date it was due by) and not before the year began."""
    return max(date(year, 1, 1), min(today, deadline))


def _saved_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # a hand-edited database: the default


def _lead_names(view: TaskView, unit_id: int) -> tuple[str, ...]:
    """Whom an assisting unit helped: the lead units, else the responsible ones."""
    own = {u.unit_name for u in view.units if u.unit_id == unit_id}
    for roles in (("lead",), ("responsible",)):
        names = [n for n in view.unit_names(*roles) if n not in own]
        if names:
            return tuple(names)
    return ()


def _status(status: TaskStatus, due: date | None, year: int, today: date) -> TaskStatus:
    """The status as of the year's end; once the year is over, a task due on its last day and
    not completed is overdue, not 今日到期."""
    year_end = date(year, 12, 31)
    if status is TaskStatus.DUE_SOON and today > year_end and due is not None and due <= year_end:
        return TaskStatus.OVERDUE
    return status


def task_fact(view: TaskView, unit_id: int, as_of: date, today: date) -> TaskFact | None:
    """The unit's side of a task: its role, status, notes and evidence up to ``as_of``."""
    unit = view.unit(unit_id)
    if unit is None:
        return None
    cut = as_of.isoformat()
    notes = tuple(ProgressNote(date.fromisoformat(e["reported_on"]), (e.get("note") or "").strip(),
                               bool(e.get("done")), int(e.get("attachment_count") or 0))
                  for e in unit.entries if e["reported_on"] <= cut)
    records = tuple(EvidenceRecord(date.fromisoformat(r["performed_on"]), r["title"],
                                   r.get("kind") or "")
                    for r in view.records
                    if r["unit_id"] in (None, unit_id) and r["performed_on"] <= cut)
    verdict = unit.verdict
    return TaskFact(
        title=view.title, section=view.section, role=unit.role,
        status=_status(verdict.status, view.due, view.year, today).value, text=view.text,
        plan_title=view.plan_title, due=view.due, deadline_text=view.deadline_text or "",
        done_on=verdict.done_on, late=verdict.late,
        task_done=view.verdict.status is TaskStatus.DONE,
        lead_units=_lead_names(view, unit_id) if unit.role != "lead" else (),
        notes=notes, records=records)


class AnnualBuilder:
    """Builds the annual report of one unit and year from one store."""

    def __init__(self, store: Store, year: int, *, today: date) -> None:
        self.store = store
        self.year = year
        self.today = today
        self.as_of = min(today, date(year, 12, 31))

    def build(self, unit_id: int, *, report_date: date | None = None,
              with_task_table: bool = True) -> AnnualReport:
        """The report of ``unit_id`` with the saved text (empty parts stay empty); the
        成文日期 is ``report_date``, else the saved one, else the default."""
        try:
            unit = self.store.people.unit(unit_id)
        except NotFoundError as exc:
            raise ReportError(str(exc)) from exc
        parent = None
        if unit.get("parent_id"):
            parent = next((u for u in self.store.people.units() if u["id"] == unit["parent_id"]),
                          None)
        institution = institution_name(unit, parent)
        sections, plans = self._sections(unit_id, self.year, self.as_of)
        next_sections, next_plans = self._sections(unit_id, self.year + 1, self.today)
        saved = self.store.annual_reports.get(unit_id, self.year) or {}
        deadline = annual_deadline(unit["level"], self.year)
        return AnnualReport(
            year=self.year, unit_id=unit_id, unit_name=unit["name"], level=unit["level"],
            institution=institution, as_of=self.as_of, sections=sections,
            heads=self._heads(unit_id, place_name(institution, unit["level"])), plan_titles=plans,
            year_plan_titles=tuple(dict.fromkeys(
                p["title"] for p in self.store.tasks.plans(self.year))),
            next_year_tasks=tuple(t for s in next_sections for t in s.tasks),
            next_plan_titles=next_plans,
            texts=AnnualTexts(**{k: saved.get(k) or "" for k in ANNUAL_KEYS}),
            title=saved.get("title") or "", addressee=saved.get("addressee") or "",
            signature=saved.get("signature") or "",
            report_date=(report_date or _saved_date(saved.get("report_date"))
                         or default_report_date(self.year, self.today, deadline)),
            deadline=deadline, submitted_on=_saved_date(saved.get("submitted_on")),
            with_task_table=with_task_table,
        )

    def _sections(self, unit_id: int, year: int, as_of: date
                  ) -> tuple[tuple[WorkSection, ...], tuple[str, ...]]:
        views = task_views(self.store, TaskFilter(year, unit_id=unit_id), as_of, entries=True)
        out = []
        for heading, items in by_section(views):
            facts = [f for f in (task_fact(v, unit_id, as_of, self.today) for v in items) if f]
            if facts:
                out.append(WorkSection(heading, tuple(facts)))
        plans = tuple(dict.fromkeys(v.plan_title for v in views))
        return tuple(out), plans

    def _heads(self, unit_id: int, place: str) -> tuple[HeadFact, ...]:
        """The unit's party and government heads in office during the year (not those of the
        units below it), party first, each with the debrief's facts and the year's tally; their
        posts named after the unit as the report names it ("中共杭州市司法局党组书记")."""
        ids = {spec.id for spec in self.store.people.leader_specs(self.year)}
        rows = [r for r in self.store.people.leaders(unit_id)
                if r["id"] in ids and r["role"] in _HEAD_ROLES]
        if not rows:
            return ()
        tallies = leader_tallies(year_status(self.store, self.year, today=self.today,
                                             leader_ids=[r["id"] for r in rows]))
        debriefs = DebriefBuilder(self.store, self.year, today=self.today)
        heads = []
        for row in rows:
            debrief = debriefs.build(row["id"])
            debrief = replace(debrief, institution=institutional_title(
                place, row.get("position") or "", row["role"]))
            heads.append(HeadFact(debrief, tallies[row["id"]], row["id"]))
        heads.sort(key=lambda h: (_HEAD_ROLES.index(h.role),
                                  h.debrief.terms[0].start if h.debrief.terms else date.max))
        return tuple(heads)


def fill_with_draft(report: AnnualReport) -> AnnualReport:
    """The report with every part the clerk left empty taken from the generated draft."""
    from duty_tracker.core.reports.annual_narrative import draft_annual

    draft = draft_annual(report)
    texts = {k: report.texts.text(k) if report.texts.text(k).strip() else draft.text(k)
             for k in ANNUAL_KEYS}
    return replace(report, texts=AnnualTexts(**texts))


def build_annual_report(store: Store, unit_id: int, year: int, *, today: date,
                        use_draft: bool = False, report_date: date | None = None,
                        with_task_table: bool = True) -> AnnualReport:
    """The annual report of one unit and year. ``use_draft`` fills the parts left empty with
    the generated draft (otherwise they are left out of the print and listed in
    ``report.empty_sections``); ``report_date`` sets the 成文日期 for this print."""
    if not 1990 <= year <= 2100:
        raise InputError(f"年度不正确：{year}（应为四位年份，如 2025）。")
    if report_date is not None and report_date.year not in (year, year + 1):
        raise InputError(f"成文日期{report_date.isoformat()}与报告年度{year}年不符，"
                         f"请填写{year}年或{year + 1}年的日期。")
    report = AnnualBuilder(store, year, today=today).build(
        unit_id, report_date=report_date, with_task_table=with_task_table)
    return fill_with_draft(report) if use_draft else report

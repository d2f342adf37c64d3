"""From the store to the report model: the only part of the debrief that reads data.

:func:`build_debrief` uses the store's queries and the compliance engine (through
``core.status.year_status``) so that the report says exactly what the dashboard and
``status --json`` say. A :class:`DebriefBuilder` caches what is the same for every leader of a
year (duties, their sections, the rule set, the units), which matters when 500 reports are
made in a row. The unit summary is built in ``summary_builder``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from duty_tracker.core.domain import Role, Term, terms_in_year
from duty_tracker.core.errors import InputError
from duty_tracker.core.reports.debrief_defaults import default_report_date, institutional_title
from duty_tracker.core.reports.debrief_model import (
    NARRATIVE_KEYS,
    AttachmentEntry,
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
    TermSpan,
    UnitSummary,
)
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.reports.narrative import draft_narrative
from duty_tracker.core.reports.sections import WORK_SECTIONS, classify_duty, classify_record
from duty_tracker.core.status import year_status
from duty_tracker.core.storage.errors import NotFoundError
from duty_tracker.core.storage.store import Store


def _term_spans(terms: list[dict[str, Any]], year: int) -> tuple[TermSpan, ...]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    parsed = [Term(date.fromisoformat(t["start_date"]),
                   date.fromisoformat(t["end_date"]) if t.get("end_date") else None) for t in terms]
    return tuple(TermSpan(lo, hi, full_year=(lo == first and hi == last))
                 for lo, hi in terms_in_year(parsed, year))


def _book(title: str) -> str:
    title = (title or "").strip()
    if not title:
        return ""
    return title if title.startswith("《") else f"《{title}》"


def _saved_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None  # a hand-edited database: fall back to the default


class DebriefBuilder:
    """Builds the debriefs of one year from one store; caches the year's rules and units."""

    def __init__(self, store: Store, year: int, *, today: date | None = None) -> None:
        self.store = store
        self.year = year
        self.today = today or date.today()
        self.duties = store.rules.duties_for_year(year)
        self.duty_specs = store.rules.duty_specs(year)  # for year_status, once per builder
        self.duty_by_id = {d["id"]: d for d in self.duties}
        self.duty_section = {d["id"]: classify_duty(d["title"], d.get("source_text") or "")
                             for d in self.duties}
        rule_set_id = store.rules.rule_set_for_year(year)
        self.rule_set_title = ""
        if rule_set_id is not None:
            self.rule_set_title = _book(store.rules.rule_set(rule_set_id)["title"])
        self.units = {u["id"]: u for u in store.people.units()}
        self._prefetched: dict[int, list[Any]] = {}

    def prefetch(self, leader_ids: Sequence[int]) -> None:
        """Work out the compliance periods of several leaders in one pass (a batch's chunk):
        one query for their records' days instead of one per leader. Each leader's periods
        are used by the next :meth:`build` of that leader, once; later builds ask the store
        again, so nothing stale outlives the chunk it was read for."""
        ids = list(dict.fromkeys(leader_ids))
        self._prefetched = {}
        if not ids:
            return
        status = year_status(self.store, self.year, today=self.today, leader_ids=ids,
                             duties=self.duty_specs)
        by_leader: dict[int, list[Any]] = {leader_id: [] for leader_id in ids}
        for period in status.periods:
            by_leader.setdefault(period.leader_id, []).append(period)
        self._prefetched = by_leader  # what an earlier chunk left unused is dropped

    def _periods(self, leader_id: int) -> list[Any]:
        periods = self._prefetched.pop(leader_id, None)
        if periods is None:
            periods = year_status(self.store, self.year, today=self.today,
                                  leader_ids=[leader_id], duties=self.duty_specs).periods
        return periods

    # -- one leader ------------------------------------------------------------------------
    def build(self, leader_id: int, *, use_draft: bool = False,
              report_date: date | None = None) -> DebriefReport:
        """The debrief of one leader. ``report_date`` (成文日期) wins over the saved one,
        which wins over the default (31 December, or today while the year is not over)."""
        try:
            leader = self.store.people.leader(leader_id)
        except NotFoundError as exc:
            raise ReportError(str(exc)) from exc
        periods = self._periods(leader_id)
        records = self.store.records.records_for(leader_id, self.year)
        saved = self.store.debriefs.get(leader_id, self.year) or {}
        role = Role(leader["role"])
        report = DebriefReport(
            year=self.year,
            leader_name=leader["name"],
            unit_name=leader.get("unit_name") or "",
            position=leader.get("position") or "",
            role_label=role.label,
            role=role.value,
            institution=institutional_title(self._place_name(leader), leader.get("position")
                                            or "", role.value),
            terms=_term_spans(leader.get("terms") or [], self.year),
            compliance=self._compliance(periods),
            records=self._records(records),
            narrative=NarrativeSections(**{k: saved.get(k) or "" for k in NARRATIVE_KEYS}),
            attachments=self._attachments(records),
            title=saved.get("title") or "",
            byline=saved.get("byline") or "",
            signature=saved.get("signature") or "",
            report_date=(report_date or _saved_date(saved.get("report_date"))
                         or default_report_date(self.year, self.today)),
            rule_set_title=self.rule_set_title,
        )
        return fill_with_draft(report) if use_draft else report

    def _place_name(self, leader: dict[str, Any]) -> str:
        """The unit's name, preceded by its parent's when a district or county is named on
        its own ("西湖区" under "杭州市" → "杭州市西湖区"), as an institution writes it."""
        unit = self.units.get(leader.get("unit_id"), {})
        name = unit.get("name") or leader.get("unit_name") or ""
        parent = self.units.get(unit.get("parent_id"), {})
        parent_name = parent.get("name") or ""
        if (unit.get("level") == "区县" and parent.get("level") == "市" and parent_name
                and not name.startswith(parent_name[:2])):
            return parent_name + name
        return name

    def _compliance(self, periods: list[Any]) -> tuple[ComplianceRow, ...]:
        by_duty: dict[int, list[Any]] = defaultdict(list)
        for p in periods:
            by_duty[p.duty_id].append(p)
        rows = []
        for duty in self.duties:  # the rule set's order (position), not the dict's
            ps = by_duty.get(duty["id"])
            if not ps:
                continue
            rows.append(ComplianceRow(
                article_label=duty.get("article_ref") or "—",
                duty_title=duty["title"],
                periods=tuple(PeriodResult(_period_label(p), p.required, p.done, p.status.value,
                                           p.window_end) for p in ps),
                section=self.duty_section[duty["id"]],
                target=duty.get("target") or "",
                source_text=duty.get("source_text") or "",
                unit="学时" if duty.get("unit") == "hours" else "次",
            ))
        return tuple(rows)

    def _records(self, records: list[dict[str, Any]]) -> tuple[RecordEntry, ...]:
        """The year's records, in date order, each with its duties and section."""
        out = []
        for rec in records:
            duties = [self.duty_by_id[d] for d in rec.get("duty_ids", []) if d in self.duty_by_id]
            duties.sort(key=lambda d: (d.get("position") or 0, d["id"]))
            out.append(RecordEntry(
                day=date.fromisoformat(rec["performed_on"]),
                title=rec["title"],
                minutes_no=rec.get("minutes_number") or "",
                kind=rec.get("kind") or "",
                duties=tuple(d["title"] for d in duties),
                section=classify_record(rec["title"], rec.get("kind") or "",
                                        [self.duty_section[d["id"]] for d in duties]),
                attachments=len(rec.get("attachments", [])),
            ))
        return tuple(out)

    @staticmethod
    def _attachments(records: list[dict[str, Any]]) -> tuple[AttachmentEntry, ...]:
        return tuple(AttachmentEntry(att["file_name"], rec["title"],
                                     date.fromisoformat(rec["performed_on"]))
                     for rec in records for att in rec.get("attachments", []))

    # -- the unit summary ------------------------------------------------------------------
    def summary(self, unit_id: int | None = None) -> UnitSummary:
        """The unit summary of this year (``summary_builder``)."""
        from duty_tracker.core.reports.summary_builder import build_summary

        return build_summary(self.store, self.year, self.duties, unit_id, today=self.today)


def _period_label(p: Any) -> str:
    """The period's label; a period the leader held only in part says which part."""
    label = p.period.label
    if p.partial and p.window_start and p.window_end:
        ws, we = p.window_start, p.window_end
        label += f"（{ws.month}月{ws.day}日至{we.month}月{we.day}日）"
    return label


def fill_with_draft(report: DebriefReport) -> DebriefReport:
    """The report with every empty section taken from the generated draft. A 主要做法和成效
    block saved in the earlier layout stands for the four work sections: they are then not
    drafted (the clerk's text already covers that ground)."""
    draft = draft_narrative(report)
    n = report.narrative
    legacy_only = n.achievements.strip() and not any(n.text(k).strip() for k in WORK_SECTIONS)
    filled = {}
    for key in NARRATIVE_KEYS:
        own = n.text(key)
        if own.strip() or (legacy_only and key in WORK_SECTIONS):
            filled[key] = own
        else:
            filled[key] = draft.text(key)
    return replace(report, narrative=NarrativeSections(**filled))


def build_debrief(store: Store, leader_id: int, year: int, *, today: date | None = None,
                  use_draft: bool = False, report_date: date | None = None) -> DebriefReport:
    """The debrief of one leader and year. ``use_draft`` fills empty sections with the
    generated draft (otherwise they are left out of the print and listed in
    ``report.empty_sections``); ``report_date`` sets the 成文日期 for this print."""
    if report_date is not None and report_date.year not in (year, year + 1):
        raise InputError(f"成文日期{report_date.isoformat()}与报告年度{year}年不符，"
                         f"请填写{year}年或{year + 1}年的日期。")
    return DebriefBuilder(store, year, today=today).build(leader_id, use_draft=use_draft,
                                                          report_date=report_date)


def build_unit_summary(store: Store, year: int, unit_id: int | None = None, *,
                       today: date | None = None) -> UnitSummary:
    """Every leader × duty of ``unit_id`` (and its sub-units), or of the whole ledger."""
    return DebriefBuilder(store, year, today=today).summary(unit_id)


def leaders_of_year(store: Store, year: int, unit_id: int | None = None) -> list[dict[str, Any]]:
    """Leaders with a term touching ``year`` (the ones ``report --all`` prints), with names;
    with ``unit_id``, those of that unit and of the units below it."""
    ids = {spec.id for spec in store.people.leader_specs(year)}
    units = store.people.unit_subtree(unit_id) if unit_id is not None else None
    return [row for row in store.people.leaders()
            if row["id"] in ids and (units is None or row["unit_id"] in units)]

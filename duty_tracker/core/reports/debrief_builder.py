"""From the store to the report model: the only part of the report layer that reads data.

:func:`build_debrief` and :func:`build_unit_summary` use the store's queries and the compliance
engine (through ``core.status.year_status``) so that the PDF says exactly what the dashboard
and ``status --json`` say. A :class:`DebriefBuilder` caches what is the same for every leader of
a year (duties, articles, the rule set), which matters when 500 reports are made in a row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from duty_tracker.core.domain import Role, Status, duty_applies_to, worst_status
from duty_tracker.core.reports.debrief_model import (
    AttachmentEntry,
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
    RecordGroup,
    SummaryCell,
    SummaryDuty,
    SummaryRow,
    TermSpan,
    UnitSummary,
)
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.reports.narrative import draft_narrative
from duty_tracker.core.status import year_status
from duty_tracker.core.storage.errors import NotFoundError
from duty_tracker.core.storage.store import Store

_OTHER = (10**9, 10**9)  # sort key of the "其他履职事项" group: last
_TITLE_CHARS = 30  # an article's text shortened to this for a group heading


@dataclass(frozen=True, slots=True)
class _ArticleInfo:
    label: str
    sort: tuple[int, int]
    text: str


def _short(text: str, limit: int = _TITLE_CHARS) -> str:
    """The first sentence of a clause, cut to ``limit`` characters with an ellipsis."""
    text = " ".join((text or "").split())
    for stop in "。；;":
        cut = text.find(stop)
        if 0 < cut:
            text = text[:cut]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _term_spans(terms: list[dict[str, Any]], year: int) -> tuple[TermSpan, ...]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    spans = []
    for t in sorted(terms, key=lambda t: t["start_date"]):
        start = date.fromisoformat(t["start_date"])
        end = date.fromisoformat(t["end_date"]) if t.get("end_date") else None
        if start > last or (end is not None and end < first):
            continue
        lo, hi = max(start, first), last if end is None else min(end, last)
        spans.append(TermSpan(lo, hi, full_year=(lo == first and hi == last)))
    return tuple(spans)


def _book(title: str) -> str:
    title = (title or "").strip()
    if not title:
        return ""
    return title if title.startswith("《") else f"《{title}》"


class DebriefBuilder:
    """Builds the debriefs of one year from one store; caches the year's rules."""

    def __init__(self, store: Store, year: int, *, today: date | None = None) -> None:
        self.store = store
        self.year = year
        self.today = today or date.today()
        self.duties = store.rules.duties_for_year(year)
        self.duty_by_id = {d["id"]: d for d in self.duties}
        rule_set_id = store.rules.rule_set_for_year(year)
        self.rule_set_title = ""
        self.articles: dict[int, _ArticleInfo] = {}
        self.clause_text: dict[tuple[int, int], str] = {}
        if rule_set_id is not None:
            self.rule_set_title = _book(store.rules.rule_set(rule_set_id)["title"])
            for art in store.rules.articles(rule_set_id):
                self.articles[art["id"]] = _ArticleInfo(art["label"], (art["number"], 0),
                                                        art["text"])
                for clause in art["clauses"]:
                    self.clause_text[(art["number"], clause["number"])] = clause["text"]

    # -- one leader ------------------------------------------------------------------------
    def build(self, leader_id: int, *, use_draft: bool = False) -> DebriefReport:
        try:
            leader = self.store.people.leader(leader_id)
        except NotFoundError as exc:
            raise ReportError(str(exc)) from exc
        status = year_status(self.store, self.year, today=self.today, leader_ids=[leader_id])
        compliance = self._compliance(status.periods)
        records = self.store.records.records_for(leader_id, self.year)
        groups, attachments = self._groups(records)
        saved = self.store.debriefs.get(leader_id, self.year) or {}
        narrative = NarrativeSections(
            achievements=saved.get("achievements") or "",
            problems=saved.get("problems") or "",
            plans=saved.get("plans") or "",
        )
        report = DebriefReport(
            year=self.year,
            leader_name=leader["name"],
            unit_name=leader.get("unit_name") or "",
            position=leader.get("position") or "",
            role_label=Role(leader["role"]).label,
            terms=_term_spans(leader.get("terms") or [], self.year),
            compliance=compliance,
            record_groups=groups,
            narrative=narrative,
            attachments=attachments,
            closing_unit=leader.get("unit_name") or "",
            report_date=self.today,
            title=saved.get("title") or "",
            rule_set_title=self.rule_set_title,
            record_total=len(records),
        )
        if use_draft:
            report = fill_with_draft(report)
        return report

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
                periods=tuple(PeriodResult(_period_label(p), p.required, p.done, p.status.value)
                              for p in ps),
            ))
        return tuple(rows)

    def _groups(self, records: list[dict[str, Any]]
                ) -> tuple[tuple[RecordGroup, ...], tuple[AttachmentEntry, ...]]:
        """Records under every article they count for (their duties' clauses and the article
        they cite); records citing nothing go to 其他履职事项."""
        groups: dict[str, list[RecordEntry]] = defaultdict(list)
        sort_keys: dict[str, tuple[int, int]] = {}
        titles: dict[str, list[str]] = defaultdict(list)
        attachments: list[AttachmentEntry] = []
        for rec in records:
            day = date.fromisoformat(rec["performed_on"])
            duties = [self.duty_by_id[d] for d in rec.get("duty_ids", []) if d in self.duty_by_id]
            duties.sort(key=lambda d: (d.get("position") or 0, d["id"]))
            entry = RecordEntry(day=day, title=rec["title"], minutes_no=rec["minutes_number"] or "",
                                kind=rec["kind"], duties=tuple(d["title"] for d in duties))
            keys: list[str] = []
            for d in duties:
                label = d.get("article_ref") or ""
                key = label or "—"
                if key not in sort_keys:
                    sort_keys[key] = ((d.get("article_number") or 10**8),
                                      (d.get("clause_number") or 0)) if label else _OTHER
                if d["title"] not in titles[key]:
                    titles[key].append(d["title"])
                keys.append(key)
            cited = self.articles.get(rec.get("article_id") or -1)
            if cited is not None:
                sort_keys.setdefault(cited.label, cited.sort)
                keys.append(cited.label)
            if not keys:
                keys.append("")
                sort_keys.setdefault("", _OTHER)
            for key in dict.fromkeys(keys):
                groups[key].append(entry)
            for att in rec.get("attachments", []):
                attachments.append(AttachmentEntry(att["file_name"], rec["title"], day))
        out = []
        for key in sorted(groups, key=lambda k: (sort_keys[k], k)):
            label = "" if key in ("", "—") else key
            title = self._group_title(titles.get(key, []), sort_keys[key])
            out.append(RecordGroup(label, title, tuple(groups[key])))
        return tuple(out), tuple(attachments)

    def _group_title(self, duty_titles: list[str], sort_key: tuple[int, int]) -> str:
        """One duty: its title; several (分别听取…): the clause's text, shortened."""
        if len(duty_titles) == 1:
            return duty_titles[0]
        text = self.clause_text.get(sort_key)
        if text is None and sort_key[1] == 0:
            text = next((a.text for a in self.articles.values() if a.sort == sort_key), None)
        if text:
            return _short(text)
        return _short("、".join(duty_titles)) if duty_titles else ""

    # -- the unit summary ------------------------------------------------------------------
    def summary(self, unit_id: int | None = None) -> UnitSummary:
        people = self.store.people
        units = {u["id"]: u for u in people.units()}
        wanted: set[int] | None = None
        if unit_id is not None:
            if unit_id not in units:
                raise ReportError(f"单位（编号 {unit_id}）不存在。")
            wanted = {uid for uid in units if _descends(uid, unit_id, units)}
        leaders = {row["id"]: row for row in people.leaders()
                   if wanted is None or row["unit_id"] in wanted}
        status = year_status(self.store, self.year, today=self.today)
        periods: dict[tuple[int, int], list[Any]] = defaultdict(list)
        for p in status.periods:
            periods[(p.leader_id, p.duty_id)].append(p)
        duties = [d for d in self.duties]
        rows = []
        for spec in status.leaders:
            row = leaders.get(spec.id)
            if row is None:
                continue
            cells: list[SummaryCell | None] = []
            for duty in duties:
                if not duty_applies_to(duty["role"], row["role"]):
                    cells.append(None)
                    continue
                ps = periods.get((spec.id, duty["id"]), [])
                applicable = [p for p in ps if p.status != Status.NOT_APPLICABLE]
                cells.append(SummaryCell(
                    required=sum(p.required for p in applicable),
                    done=sum(p.done for p in applicable),
                    status=worst_status([p.status for p in ps]).value,
                ))
            rows.append(SummaryRow(row["name"], row.get("unit_name") or "",
                                   row.get("position") or "", Role(row["role"]).label,
                                   tuple(cells)))
        if unit_id is not None:
            name = units[unit_id]["name"]
        else:
            roots = [u for u in units.values() if not u.get("parent_id")]
            name = roots[0]["name"] if len(roots) == 1 else "各单位"
        year_end = date(self.year, 12, 31)
        return UnitSummary(
            year=self.year,
            unit_name=name,
            duties=tuple(SummaryDuty(d.get("article_ref") or "—", d["title"]) for d in duties),
            rows=tuple(rows),
            report_date=min(self.today, year_end),
        )


def _descends(uid: int, ancestor: int, units: dict[int, dict[str, Any]]) -> bool:
    seen: set[int] = set()
    current: int | None = uid
    while current is not None and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        current = units.get(current, {}).get("parent_id")
    return False


def _period_label(p: Any) -> str:
    """The period's label; a period the leader held only in part says which part."""
    label = p.period.label
    if p.partial and p.window_start and p.window_end:
        ws, we = p.window_start, p.window_end
        label += f"（{ws.month}月{ws.day}日至{we.month}月{we.day}日）"
    return label


def fill_with_draft(report: DebriefReport) -> DebriefReport:
    """The report with every empty narrative section taken from the generated draft."""
    from dataclasses import replace

    draft = draft_narrative(report)
    n = report.narrative
    return replace(report, narrative=NarrativeSections(
        achievements=n.achievements if n.achievements.strip() else draft.achievements,
        problems=n.problems if n.problems.strip() else draft.problems,
        plans=n.plans if n.plans.strip() else draft.plans,
    ))


def build_debrief(store: Store, leader_id: int, year: int, *, today: date | None = None,
                  use_draft: bool = False) -> DebriefReport:
    """The debrief of one leader and year. ``use_draft`` fills empty narrative sections with
    the generated draft (otherwise the PDF says they were not written)."""
    return DebriefBuilder(store, year, today=today).build(leader_id, use_draft=use_draft)


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

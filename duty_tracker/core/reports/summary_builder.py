"""The unit summary model: every leader × duty of a unit and year, from the compliance engine.

Two choices keep the table honest and short:

* A cell keeps the periods that were missed ("下半年0/1"): a yearly total of 13/2 would hide
  a half-year with nothing done.
* Duties that one clause splits by body ("每年分别听取本级人大、政府、政协、法院、检察院党组
  工作汇报": five duties with a ``target`` each) share one column, counted in bodies ("4/5")
  with the missing ones named — instead of five columns of mostly the same number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from duty_tracker.core.domain import Role, Status, duty_applies_to, terms_in_year, worst_status
from duty_tracker.core.reports.debrief_defaults import default_report_date
from duty_tracker.core.reports.debrief_model import (
    SummaryCell,
    SummaryDuty,
    SummaryRow,
    UnitSummary,
)
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.status import year_status
from duty_tracker.core.storage.store import Store


@dataclass(frozen=True, slots=True)
class _Column:
    duty: SummaryDuty
    duty_ids: tuple[int, ...]
    targets: tuple[str, ...] = ()  # set for a family of duties split by body

    @property
    def family(self) -> bool:
        return bool(self.targets)


def summary_columns(duties: list[dict[str, Any]]) -> list[_Column]:
    """One column per duty, one per family of duties that differ only in their body."""
    families: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for d in duties:
        if d.get("target"):
            key = (d.get("article_ref"), d.get("source_text"), d.get("period"), d.get("role"),
                   d.get("min_count"))
            families[key].append(d)
    columns: list[_Column] = []
    done: set[int] = set()
    for d in duties:
        if d["id"] in done:
            continue
        key = (d.get("article_ref"), d.get("source_text"), d.get("period"), d.get("role"),
               d.get("min_count"))
        members = families.get(key, []) if d.get("target") else []
        if len(members) > 1:
            targets = tuple(m["target"] for m in members)
            title = d["title"].replace(d["target"], "、".join(targets), 1)
            columns.append(_Column(SummaryDuty(d.get("article_ref") or "—", title,
                                               d.get("role") or "all"),
                                   tuple(m["id"] for m in members), targets))
            done.update(m["id"] for m in members)
        else:
            columns.append(_Column(SummaryDuty(d.get("article_ref") or "—", d["title"],
                                               d.get("role") or "all"), (d["id"],)))
            done.add(d["id"])
    return columns


def _single_cell(ps: list[Any]) -> SummaryCell:
    applicable = [p for p in ps if p.status != Status.NOT_APPLICABLE]
    misses = ()
    if len(ps) > 1:  # name the half-year, quarter or month that was missed
        misses = tuple(f"{p.period.label}{p.done}/{p.required}" for p in applicable
                       if p.status in (Status.FAILED, Status.WARNING))
    return SummaryCell(required=sum(p.required for p in applicable),
                       done=sum(p.done for p in applicable),
                       status=worst_status([p.status for p in ps]).value, misses=misses)


def _family_cell(column: _Column, periods: dict[int, list[Any]]) -> SummaryCell:
    statuses = {duty_id: worst_status([p.status for p in periods.get(duty_id, [])])
                for duty_id in column.duty_ids}
    applicable = [d for d, s in statuses.items() if s != Status.NOT_APPLICABLE]
    misses = tuple(f"缺{t}" for d, t in zip(column.duty_ids, column.targets, strict=True)
                   if statuses[d] in (Status.FAILED, Status.WARNING))
    return SummaryCell(required=len(applicable),
                       done=sum(1 for d in applicable if statuses[d] == Status.DONE),
                       status=worst_status(list(statuses.values())).value, misses=misses)


def _terms_note(terms: tuple[Any, ...], year: int) -> str:
    """"7月1日起", "至6月30日", "3月18日至9月26日"; "" for the whole year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    spans = terms_in_year(terms, year)
    if not spans or (len(spans) == 1 and spans[0] == (first, last)):
        return ""
    lo, hi = spans[0][0], spans[-1][1]
    if hi == last:
        return f"{lo.month}月{lo.day}日起"
    if lo == first:
        return f"至{hi.month}月{hi.day}日"
    return f"{lo.month}月{lo.day}日至{hi.month}月{hi.day}日"


def build_summary(store: Store, year: int, duties: list[dict[str, Any]],
                  unit_id: int | None = None, *, today: date) -> UnitSummary:
    """Every leader × duty column of ``unit_id`` (and its sub-units), or of the ledger."""
    people = store.people
    units = {u["id"]: u for u in people.units()}
    wanted: set[int] | None = None
    if unit_id is not None:
        if unit_id not in units:
            raise ReportError(f"单位（编号 {unit_id}）不存在。")
        wanted = people.unit_subtree(unit_id)
    leaders = {row["id"]: row for row in people.leaders()
               if wanted is None or row["unit_id"] in wanted}
    status = year_status(store, year, today=today)
    periods: dict[int, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for p in status.periods:
        periods[p.leader_id][p.duty_id].append(p)
    columns = summary_columns(duties)
    rows = []
    for spec in status.leaders:
        row = leaders.get(spec.id)
        if row is None:
            continue
        mine = periods.get(spec.id, {})
        cells: list[SummaryCell | None] = []
        for column in columns:
            if not duty_applies_to(column.duty.role, row["role"]):
                cells.append(None)
            elif column.family:
                cells.append(_family_cell(column, mine))
            else:
                cells.append(_single_cell(mine.get(column.duty_ids[0], [])))
        rows.append(SummaryRow(row["name"], row.get("unit_name") or "", row.get("position") or "",
                               Role(row["role"]).label, tuple(cells), role=row["role"],
                               terms_note=_terms_note(spec.terms, year)))
    if unit_id is not None:
        name = units[unit_id]["name"]
    else:
        roots = [u for u in units.values() if not u.get("parent_id")]
        name = roots[0]["name"] if len(roots) == 1 else "各单位"
    return UnitSummary(year=year, unit_name=name, duties=tuple(c.duty for c in columns),
                       rows=tuple(rows), report_date=default_report_date(year, today))

"""The annual 法治政府建设年度报告 each unit owes, and where it stands on a day: the dashboard's
reminders and the 年度报告 page's list.

Apart from ``reporting`` so that the reminders, worked out just after the window first paints,
do not load the report renderers (reportlab, python-docx) with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS
from duty_tracker.core.reports.annual_model import (
    ANNUAL_KEYS,
    GOVERNMENT_LEVELS,
    annual_deadline,
    institution_name,
)
from duty_tracker.core.reports.debrief_model import chinese_date
from duty_tracker.core.storage.store import Store

__all__ = ["REPORTING_LEVELS", "AnnualReportDue", "annual_report_states", "annual_reports_due"]


#: Unit levels that owe the report each year (事业单位 and 国企 are not bound by it).
REPORTING_LEVELS = (*GOVERNMENT_LEVELS, "部门")


@dataclass(frozen=True, slots=True)
class AnnualReportDue:
    """Where one unit's annual report of ``year`` stands as of a day.

    ``status`` is 已报送, 未到期, 临期 (due within the warning days) or 逾期 (not submitted by
    the deadline); ``days_left`` counts from that day to the deadline (negative once passed).
    """

    unit_id: int
    unit_name: str
    institution: str
    year: int
    deadline: date
    status: str
    days_left: int
    submitted_on: date | None = None
    written: bool = False  # some text is saved

    @property
    def label(self) -> str:
        """"临期（还有 9 天）", "今日到期", "逾期 5 天", "已报送", "未到期"."""
        if self.status == "临期":
            return "今日到期" if self.days_left == 0 else f"临期（还有 {self.days_left} 天）"
        if self.status == "逾期":
            return f"逾期 {-self.days_left} 天"
        return self.status

    @property
    def message(self) -> str:
        """"【临期（还有 9 天）】杭州市司法局2025年法治政府建设年度报告应于2026年3月1日前报送"."""
        return (f"【{self.label}】{self.institution}{self.year}年法治政府建设年度报告"
                f"应于{chinese_date(self.deadline)}前报送")


def annual_report_states(store: Store, year: int, today: date, *,
                         warn_days: int = DEFAULT_WARN_DAYS) -> list[AnnualReportDue]:
    """Every unit that owes the report of ``year``, with its state as of ``today`` (the
    window's list), governments and departments in the ledger's unit order."""
    units = store.people.units()
    by_id = {u["id"]: u for u in units}
    saved = store.annual_reports.for_year(year)
    out = []
    for unit in units:
        if unit["level"] not in REPORTING_LEVELS:
            continue
        row = saved.get(unit["id"]) or {}
        deadline = annual_deadline(unit["level"], year)
        submitted = date.fromisoformat(row["submitted_on"]) if row.get("submitted_on") else None
        days_left = (deadline - today).days
        if submitted is not None:
            status = "已报送"
        elif days_left < 0:
            status = "逾期"
        elif days_left <= warn_days:
            status = "临期"
        else:
            status = "未到期"
        written = any((row.get(k) or "").strip() for k in ANNUAL_KEYS)
        out.append(AnnualReportDue(unit["id"], unit["name"],
                                   institution_name(unit, by_id.get(unit.get("parent_id"))),
                                   year, deadline, status, days_left, submitted, written))
    return out


def annual_reports_due(store: Store, today: date, *,
                       warn_days: int = DEFAULT_WARN_DAYS) -> list[AnnualReportDue]:
    """The dashboard's reminders: the reports of last year not yet submitted that are due
    within ``warn_days`` or overdue, most urgent first. Each year's duty runs from the
    beginning of the next year to its end; a report submitted is no longer reminded of."""
    states = annual_report_states(store, today.year - 1, today, warn_days=warn_days)
    due = [s for s in states if s.status in ("临期", "逾期")]
    return sorted(due, key=lambda s: (s.days_left, s.unit_id))

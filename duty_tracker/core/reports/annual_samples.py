"""Hand-made annual reports for tests and a preview without a database: a city department
with tasks in every state (completed on time and late, under way, overdue, not started,
assisting another unit) and two heads, one of whom took over mid-year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.annual_model import (
    AnnualReport,
    EvidenceRecord,
    HeadFact,
    ProgressNote,
    TaskFact,
    WorkSection,
)
from duty_tracker.core.reports.debrief_model import DebriefReport, TermSpan
from duty_tracker.core.reports.samples import sample_debrief
from duty_tracker.core.status import LeaderTally

PLAN = "杭州市2025年法治政府建设工作要点"


def tally_of(debrief: DebriefReport) -> LeaderTally:
    """The year's tally of a debrief's duties (what ``core.status.leader_tallies`` gives)."""
    return LeaderTally({Status(k): n for k, n in debrief.status_counts().items()})


def head_of(debrief: DebriefReport) -> HeadFact:
    return HeadFact(debrief, tally_of(debrief))


def after_year(debrief: DebriefReport) -> DebriefReport:
    """The debrief as it stands once the year is over: a period still short is missed."""
    rows = tuple(replace(row, periods=tuple(
        replace(p, status=Status.FAILED) if p.status == Status.WARNING else p
        for p in row.periods)) for row in debrief.compliance)
    return replace(debrief, compliance=rows)


def sample_task(title: str, status: str = "已完成", *, year: int = 2025, role: str = "responsible",
                section: str = "一、深化依法行政", due: date | None = None,
                notes: tuple[tuple[date, str, bool], ...] = (), late: bool = False,
                done_on: date | None = None, task_done: bool | None = None,
                lead_units: tuple[str, ...] = (), records: tuple[EvidenceRecord, ...] = (),
                attachments: int = 0) -> TaskFact:
    """A task of the unit; ``notes`` are (day, text, done)."""
    done = status == "已完成"
    if done and done_on is None:
        done_on = next((d for d, _t, flag in notes if flag), date(year, 6, 30))
    return TaskFact(
        title=title, section=section, role=role, status=status, text=title, plan_title=PLAN,
        due=due, deadline_text="", done_on=done_on if done else None, late=late,
        task_done=done if task_done is None else task_done, lead_units=lead_units,
        notes=tuple(ProgressNote(d, t, flag, attachments) for d, t, flag in notes),
        records=records)


def sample_sections(year: int = 2025) -> tuple[WorkSection, ...]:
    """Two sections of the 工作要点 with tasks in every state."""
    first = (
        sample_task("调整法治政府建设工作领导小组", year=year, due=date(year, 6, 30),
                    notes=((date(year, 4, 10), "起草调整方案，报市政府审定", False),
                           (date(year, 5, 26), "市政府印发通知，成员单位增至32个", True)),
                    attachments=1),
        sample_task("制定行政机关合同合法性审查工作指引", "推进中", year=year,
                    notes=((date(year, 8, 15), "起草指引初稿，征求各部门意见", False),)),
        sample_task("完成相对集中行政复议权工作", "逾期", year=year, role="lead",
                    due=date(year, 6, 30),
                    notes=((date(year, 11, 30), "完成机构设置和人员划转方案", False),)),
    )
    second = (
        sample_task("统一使用法律顾问信息服务系统", year=year, due=date(year, 6, 30), late=True,
                    notes=((date(year, 9, 30), "法律顾问信息全部录入系统", True),)),
        sample_task("坚持政府法律专题学习会制度", "推进中", year=year, role="assist",
                    lead_units=("市政府办公厅",), task_done=True,
                    records=(EvidenceRecord(date(year, 6, 18), "政府常务会议集体学法", "学法"),)),
        sample_task("加强法制机构力量建设", "未开始", year=year),
    )
    return (WorkSection("一、健全依法决策机制", first),
            WorkSection("二、完善法治政府建设推进机制", second))


def sample_heads(year: int = 2025) -> tuple[HeadFact, ...]:
    """A party head all year with a missed duty, a government head who left on 30 June and
    his successor from 1 July."""
    party = replace(sample_debrief("孙喆", year), unit_name="杭州市司法局", position="党组书记",
                    institution="中共杭州市司法局党组书记")
    left = replace(sample_debrief("王堃", year), unit_name="杭州市司法局", position="局长",
                   role="government", role_label="政府主要负责人", institution="杭州市司法局局长",
                   terms=(TermSpan(date(year, 1, 1), date(year, 6, 30)),))
    came = replace(sample_debrief("李珺", year, partial_term=True), unit_name="杭州市司法局",
                   position="局长", role="government", role_label="政府主要负责人",
                   institution="杭州市司法局局长")
    return tuple(head_of(after_year(d)) for d in (party, left, came))


def sample_annual(year: int = 2025, **changes: object) -> AnnualReport:
    """A department's report of ``year`` as made after the year; ``changes`` replace fields."""
    report = AnnualReport(
        year=year, unit_id=1, unit_name="杭州市司法局", level="部门", institution="杭州市司法局",
        as_of=date(year, 12, 31), sections=sample_sections(year), heads=sample_heads(year),
        plan_titles=(PLAN,), year_plan_titles=(PLAN,), deadline=date(year + 1, 3, 1),
        report_date=date(year + 1, 2, 20))
    return replace(report, **changes)  # type: ignore[arg-type]

"""Hand-made debriefs for tests, the benchmark and a preview without a database.

The names deliberately carry characters that many fonts lack (喆 堃 珺 昇 镕 赟 玥 〇): they are
common in real rosters and are exactly what reportlab drops silently without our fallback.
"""

from __future__ import annotations

from datetime import date, timedelta

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.debrief_model import (
    AttachmentEntry,
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
    SummaryCell,
    SummaryDuty,
    SummaryRow,
    TermSpan,
    UnitSummary,
)
from duty_tracker.core.reports.sections import classify_duty, classify_record

RARE_NAMES = ("孙喆", "王堃", "李珺", "赵昇", "朱镕", "钱赟", "周玥", "林〇")

_LAW_TOPICS = (
    "《中华人民共和国宪法》",
    "《中华人民共和国民法典》",
    "《中华人民共和国行政复议法》",
    "《中华人民共和国行政处罚法》",
    "《法治政府建设实施纲要（2021—2025年）》",
    "《优化营商环境条例》",
)

RULE_SET = "《杭州市党政主要负责人履行推进法治建设第一责任人职责实施细则》"


def sample_debrief(
    name: str = "孙喆",
    year: int = 2025,
    *,
    records_per_group: int = 4,
    narrative: NarrativeSections | None = None,
    partial_term: bool = False,
) -> DebriefReport:
    """A realistic party-head debrief: yearly, half-yearly and quarterly duties with every
    status, records for each duty and one for no duty, attachments."""
    quarters = ("第一季度", "第二季度", "第三季度", "第四季度")
    rows = (
        ("第九条（一）", "主持召开党委常委会会议专题研究法治建设工作",
         (PeriodResult("全年", 1, 2, Status.DONE),)),
        ("第九条（二）", "党委理论学习中心组学法", (PeriodResult("全年", 2, 3, Status.DONE),)),
        ("第九条（三）", "听取法院党组工作汇报",
         (PeriodResult("上半年", 1, 1, Status.DONE), PeriodResult("下半年", 1, 0, Status.FAILED))),
        ("第九条（四）", "带头开展述法",
         tuple(PeriodResult(q, 1, 1 if i < 2 else 0, Status.DONE if i < 2 else Status.WARNING,
                            date(year, 3 * i + 3, 30 if i in (1, 2) else 31))
               for i, q in enumerate(quarters))),
        ("第十条", "带头讲法治课", (PeriodResult("全年", 1, 0, Status.FAILED),)),
    )
    compliance = tuple(ComplianceRow(label, title, periods, section=classify_duty(title))
                       for label, title, periods in rows)
    records: list[RecordEntry] = []
    start = date(year, 1, 15)
    for gi, row in enumerate(compliance):
        for ri in range(records_per_group):
            day = start + timedelta(days=gi * 11 + ri * 71)
            if day.year != year:
                day = date(year, 12, 20)
            topic = _LAW_TOPICS[(gi + ri) % len(_LAW_TOPICS)]
            kind = "学法" if "学法" in row.duty_title else "会议"
            records.append(RecordEntry(
                day=day,
                title=f"{row.duty_title}：学习{topic}" if kind == "学法" else
                      f"{row.duty_title}（第{ri + 1}次）",
                minutes_no=f"区委纪要〔{year}〕{gi * 10 + ri + 1}号",
                kind=kind,
                duties=(row.duty_title,),
                section=row.section,
                attachments=1 if ri == 0 else 0,
            ))
    records.append(RecordEntry(date(year, 6, 30), "修订《区委工作规则》", f"区委纪要〔{year}〕99号",
                               "会议", section=classify_record("修订《区委工作规则》", "会议")))
    records.sort(key=lambda r: r.day)
    attachments = tuple(AttachmentEntry(f"会议纪要扫描件{i + 1}.pdf", r.title, r.day)
                        for i, r in enumerate(r for r in records if r.attachments))
    terms = (
        (TermSpan(date(year, 7, 1), date(year, 12, 31)),) if partial_term
        else (TermSpan(date(year, 1, 1), date(year, 12, 31), full_year=True),)
    )
    return DebriefReport(
        year=year,
        leader_name=name,
        unit_name="杭州市西湖区",
        position="区委书记",
        role_label="党委主要负责人",
        role="party",
        terms=terms,
        compliance=compliance,
        records=tuple(records),
        narrative=narrative or NarrativeSections(),
        attachments=attachments,
        report_date=date(year + 1, 1, 10),
        rule_set_title=RULE_SET,
    )


def sample_unit_summary(year: int = 2025, leaders: int = 12) -> UnitSummary:
    """Party and government heads alternating, with every status and some missed periods."""
    duties = (
        SummaryDuty("第九条（一）", "专题研究法治建设", "party"),
        SummaryDuty("第九条（二）", "理论学习中心组学法", "party"),
        SummaryDuty("第九条（三）", "听取人大、政府、政协、法院、检察院党组工作汇报", "party"),
        SummaryDuty("第九条（四）", "带头开展述法", "party"),
        SummaryDuty("第十条", "带头讲法治课", "all"),
        SummaryDuty("第十一条（一）", "政府常务会议学法", "government"),
        SummaryDuty("第十一条（二）", "听取法治政府建设情况汇报", "government"),
        SummaryDuty("第十一条（三）", "出庭应诉", "government"),
        SummaryDuty("第十二条", "重大行政决策合法性审查", "government"),
        SummaryDuty("第十三条", "年度法治政府建设报告", "government"),
        SummaryDuty("第十四条", "述法", "all"),
    )
    statuses = (Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.WARNING, Status.FAILED)
    rows = []
    for i in range(leaders):
        party = i % 2 == 0
        role = "party" if party else "government"
        cells: list[SummaryCell | None] = []
        for j, duty in enumerate(duties):
            if duty.role not in (role, "all"):
                cells.append(None)
                continue
            status = statuses[(i + j) % len(statuses)]
            required = 1 + (j % 3)
            done = required if status == Status.DONE else max(0, required - 1 - (i % 2))
            misses = (f"下半年{done % 2}/1",) if status == Status.FAILED and j in (3, 6) else ()
            cells.append(SummaryCell(required, done, status, misses))
        name = RARE_NAMES[i % len(RARE_NAMES)] + ("" if i < len(RARE_NAMES) else str(i))
        rows.append(SummaryRow(
            leader_name=name,
            unit_name="西湖区" if i < 2 else f"蒋村街道{i}",
            position="区委书记" if party else "区长",
            role_label="党委主要负责人" if party else "政府主要负责人",
            cells=tuple(cells),
            role=role,
            terms_note="7月1日起" if i == 3 else "",
        ))
    return UnitSummary(year=year, unit_name="杭州市西湖区", duties=duties, rows=tuple(rows),
                       report_date=date(year, 12, 31))

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
    RecordGroup,
    SummaryCell,
    SummaryDuty,
    SummaryRow,
    TermSpan,
    UnitSummary,
)

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
    status, records under several articles, attachments."""
    quarters = ("第一季度", "第二季度", "第三季度", "第四季度")
    compliance = (
        ComplianceRow("第九条（一）", "主持召开党委常委会会议专题研究法治建设工作",
                      (PeriodResult("全年", 1, 2, Status.DONE),)),
        ComplianceRow("第九条（二）", "党委理论学习中心组学法",
                      (PeriodResult("全年", 2, 3, Status.DONE),)),
        ComplianceRow("第九条（三）", "听取法院党组工作汇报",
                      (PeriodResult("上半年", 1, 1, Status.DONE),
                       PeriodResult("下半年", 1, 0, Status.FAILED))),
        ComplianceRow("第九条（四）", "带头开展述法",
                      tuple(PeriodResult(q, 1, 1 if i < 2 else 0,
                                         Status.DONE if i < 2 else Status.WARNING)
                            for i, q in enumerate(quarters))),
        ComplianceRow("第十条", "带头讲法治课", (PeriodResult("全年", 1, 0, Status.FAILED),)),
    )
    groups = []
    start = date(year, 1, 15)
    for gi, row in enumerate(compliance):
        recs = []
        for ri in range(records_per_group):
            day = start + timedelta(days=gi * 11 + ri * 71)
            if day.year != year:
                day = date(year, 12, 20)
            topic = _LAW_TOPICS[(gi + ri) % len(_LAW_TOPICS)]
            kind = "学法" if "学法" in row.duty_title else "会议"
            recs.append(RecordEntry(
                day=day,
                title=f"{row.duty_title}：学习{topic}" if kind == "学法" else
                      f"{row.duty_title}（第{ri + 1}次）",
                minutes_no=f"区委纪要〔{year}〕{gi * 10 + ri + 1}号",
                kind=kind,
                duties=(row.duty_title,),
            ))
        groups.append(RecordGroup(row.article_label, row.duty_title, tuple(recs)))
    groups.append(RecordGroup("第八条", "健全并执行党委工作规则", (
        RecordEntry(date(year, 6, 30), "修订《区委工作规则》", f"区委纪要〔{year}〕99号",
                    "会议"),
    )))
    attachments = tuple(
        AttachmentEntry(f"会议纪要扫描件{i + 1}.pdf", g.records[0].title, g.records[0].day)
        for i, g in enumerate(groups) if g.records
    )
    terms = (
        (TermSpan(date(year, 7, 1), date(year, 12, 31)),) if partial_term
        else (TermSpan(date(year, 1, 1), date(year, 12, 31), full_year=True),)
    )
    return DebriefReport(
        year=year,
        leader_name=name,
        unit_name="杭州市西湖区委",
        position="区委书记",
        role_label="党委主要负责人",
        terms=terms,
        compliance=compliance,
        record_groups=tuple(groups),
        narrative=narrative or NarrativeSections(),
        attachments=attachments,
        closing_unit="中共杭州市西湖区委员会",
        report_date=date(year + 1, 1, 10),
        rule_set_title=RULE_SET,
    )


def sample_unit_summary(year: int = 2025, leaders: int = 12) -> UnitSummary:
    duties = (
        SummaryDuty("第九条（一）", "专题研究法治建设"),
        SummaryDuty("第九条（二）", "理论学习中心组学法"),
        SummaryDuty("第九条（三）", "听取法院党组工作汇报"),
        SummaryDuty("第九条（四）", "带头开展述法"),
        SummaryDuty("第十条", "带头讲法治课"),
        SummaryDuty("第十一条（一）", "政府常务会议学法"),
        SummaryDuty("第十一条（二）", "听取法治政府建设情况汇报"),
        SummaryDuty("第十一条（三）", "出庭应诉"),
        SummaryDuty("第十二条", "重大行政决策合法性审查"),
        SummaryDuty("第十三条", "年度法治政府建设报告"),
        SummaryDuty("第十四条", "述法"),
    )
    statuses = (Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.WARNING, Status.FAILED)
    rows = []
    for i in range(leaders):
        party = i % 2 == 0
        cells: list[SummaryCell | None] = []
        for j, _duty in enumerate(duties):
            if (party and j in (5, 6, 7, 8)) or (not party and j in (2, 3)):
                cells.append(None)
                continue
            status = statuses[(i + j) % len(statuses)]
            required = 1 + (j % 3)
            done = required if status == Status.DONE else max(0, required - 1 - (i % 2))
            cells.append(SummaryCell(required, done, status))
        name = RARE_NAMES[i % len(RARE_NAMES)] + ("" if i < len(RARE_NAMES) else str(i))
        rows.append(SummaryRow(
            leader_name=name,
            unit_name=f"西湖区{('委', '政府')[i % 2]}" if i < 2 else f"{'蒋村街道'}{i}",
            position="区委书记" if party else "区长",
            role_label="党委主要负责人" if party else "政府主要负责人",
            cells=tuple(cells),
        ))
    return UnitSummary(year=year, unit_name="杭州市西湖区", duties=duties, rows=tuple(rows),
                       report_date=date(year, 12, 31))

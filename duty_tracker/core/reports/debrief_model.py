"""What a debrief report and the unit summary say, as plain frozen dataclasses.

The builder fills these from the store; the PDF renderers and the narrative drafter only read
them. Keeping this layer free of database and reportlab types means the renderer can be tested
with hand-made objects, runs in worker processes (the objects pickle), and the window can show
the same data it prints.

All strings here are display text (Chinese labels already chosen); the renderers escape them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from duty_tracker.core.domain import Status, worst_status

#: The title when the clerk has not set another one (issue 5: configurable).
DEFAULT_TITLE_TEMPLATE = "关于{name}同志{year}年度履行推进法治建设第一责任人职责情况的报告"


def chinese_date(day: date) -> str:
    """GB/T 9704-2012 §7.3.5: year, month and day in full with Arabic numerals, no leading
    zeros ("2025年7月1日")."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True, slots=True)
class TermSpan:
    """The part of one term of office that falls inside the report's year."""

    start: date
    end: date
    #: True when the term covers the whole year (then the report says "全年").
    full_year: bool = False

    @property
    def text(self) -> str:
        return f"{chinese_date(self.start)}至{chinese_date(self.end)}"


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One period of one duty: label ("上半年", "第一季度", "全年", "3月" …) and the counts."""

    label: str
    required: int
    done: int
    status: str  # one of domain.Status values

    @property
    def applicable(self) -> bool:
        return self.status != Status.NOT_APPLICABLE


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One duty for the leader and year, with its periods (one for a yearly duty)."""

    article_label: str  # "第九条（二）"
    duty_title: str
    periods: tuple[PeriodResult, ...]

    @property
    def status(self) -> str:
        """The year's status of the duty: the worst of its periods (SPEC §3)."""
        return str(worst_status([Status(p.status) for p in self.periods]))

    @property
    def required(self) -> int:
        return sum(p.required for p in self.periods if p.applicable)

    @property
    def done(self) -> int:
        return sum(p.done for p in self.periods if p.applicable)


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One 履职纪实 record as the report lists it."""

    day: date
    title: str
    minutes_no: str = ""  # 纪要文号
    kind: str = ""  # 会议/学法/培训/听取汇报/报告/述职/其他
    #: Titles of the duties this record counts for (the narrative cites them).
    duties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordGroup:
    """The records of the year that cite one article (or "其他" when they cite none)."""

    article_label: str  # "第九条（二）"; "" for records citing no article
    article_title: str  # short text of the clause or the duty; may be ""
    records: tuple[RecordEntry, ...]

    @property
    def heading(self) -> str:
        label = self.article_label or "其他履职事项"
        return f"{label}　{self.article_title}" if self.article_title else label


@dataclass(frozen=True, slots=True)
class AttachmentEntry:
    """One evidence file listed in 附件目录."""

    file_name: str
    record_title: str
    record_day: date | None = None


@dataclass(frozen=True, slots=True)
class NarrativeSections:
    """The three sections the clerk writes (or accepts from the generated draft)."""

    achievements: str = ""  # 三、主要做法和成效
    problems: str = ""  # 四、存在的问题和不足
    plans: str = ""  # 五、下一步工作打算

    @property
    def is_empty(self) -> bool:
        return not (self.achievements.strip() or self.problems.strip() or self.plans.strip())


@dataclass(frozen=True, slots=True)
class DebriefReport:
    """Everything one leader's year-end debrief PDF shows, in display form."""

    year: int
    leader_name: str
    unit_name: str
    position: str  # "区委书记"
    role_label: str  # "党委主要负责人"
    terms: tuple[TermSpan, ...] = ()
    compliance: tuple[ComplianceRow, ...] = ()
    record_groups: tuple[RecordGroup, ...] = ()
    narrative: NarrativeSections = field(default_factory=NarrativeSections)
    attachments: tuple[AttachmentEntry, ...] = ()
    closing_unit: str = ""  # 署名; the unit's name when empty
    report_date: date | None = None  # 成文日期; 31 December of the year when None
    title: str = ""  # DEFAULT_TITLE_TEMPLATE when empty
    rule_set_title: str = ""  # "《杭州市…实施细则》", cited in the opening sentence when set
    #: Distinct records of the year; a record citing two articles is listed under both, so
    #: the sum over groups may be larger. None: the sum over groups.
    record_total: int | None = None

    @property
    def effective_title(self) -> str:
        if self.title.strip():
            return self.title
        return DEFAULT_TITLE_TEMPLATE.format(name=self.leader_name, year=self.year)

    @property
    def effective_closing_unit(self) -> str:
        return self.closing_unit.strip() or self.unit_name

    @property
    def effective_report_date(self) -> date:
        return self.report_date or date(self.year, 12, 31)

    @property
    def record_count(self) -> int:
        if self.record_total is not None:
            return self.record_total
        return sum(len(g.records) for g in self.record_groups)

    @property
    def terms_text(self) -> str:
        if not self.terms:
            return f"{self.year}年度未在任"
        if len(self.terms) == 1 and self.terms[0].full_year:
            return f"{self.year}年全年在任"
        return "；".join(t.text for t in self.terms)

    def status_counts(self) -> dict[str, int]:
        """Duties per year-status, in the fixed order of domain.Status."""
        counts = {str(s): 0 for s in Status}
        for row in self.compliance:
            counts[row.status] += 1
        return counts


# --------------------------------------------------------------------------- unit summary
@dataclass(frozen=True, slots=True)
class SummaryDuty:
    """A column of the unit summary table."""

    article_label: str
    title: str


@dataclass(frozen=True, slots=True)
class SummaryCell:
    """A leader × duty cell: totals over the applicable periods and the year's status."""

    required: int
    done: int
    status: str


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """A leader (row of the summary); ``cells`` align with ``UnitSummary.duties`` and hold
    None where the duty does not bind the leader's role."""

    leader_name: str
    unit_name: str
    position: str
    role_label: str
    cells: tuple[SummaryCell | None, ...]

    def done_duties(self) -> tuple[int, int]:
        """(duties 达标, duties that apply) for the row's last column."""
        applicable = [c for c in self.cells if c is not None and c.status != Status.NOT_APPLICABLE]
        return sum(1 for c in applicable if c.status == Status.DONE), len(applicable)


@dataclass(frozen=True, slots=True)
class UnitSummary:
    """The landscape table of every leader × duty of a unit (or of all units) for a year."""

    year: int
    unit_name: str  # the unit, or the name of the whole ledger when it spans several units
    duties: tuple[SummaryDuty, ...]
    rows: tuple[SummaryRow, ...]
    report_date: date | None = None
    title: str = ""

    @property
    def effective_title(self) -> str:
        if self.title.strip():
            return self.title
        return f"{self.unit_name}{self.year}年度党政主要负责人履行推进法治建设第一责任人职责情况汇总表"

    @property
    def effective_report_date(self) -> date:
        return self.report_date or date(self.year, 12, 31)

"""What a debrief report and the unit summary say, as plain frozen dataclasses.

The builder fills these from the store; the renderers (PDF, Word) and the narrative drafter
only read them. Keeping this layer free of database and reportlab types means the renderers
can be tested with hand-made objects, run in worker processes (the objects pickle), and the
window can show the same data it prints.

A 述职述法报告 is the leader's own report: the body is organised by what he did (the sections
of ``sections``), drafted from the records that belong to each section; the statistics table
and the record list are appendices. The title, byline, signature and date are fields the clerk
may set; empty means the default (``debrief_defaults``).

All strings here are display text (Chinese labels already chosen); the renderers escape them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from duty_tracker.core.domain import Status, worst_status
from duty_tracker.core.reports import debrief_defaults as defaults
from duty_tracker.core.reports.sections import SectionText, section_texts

#: Kept for callers that format the default title themselves (``{year}``; ``{name}`` unused).
DEFAULT_TITLE_TEMPLATE = defaults.DEFAULT_TITLE_TEMPLATE


def chinese_date(day: date) -> str:
    """GB/T 9704-2012 §7.3.5: year, month and day in full with Arabic numerals, no leading
    zeros ("2025年7月1日")."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_day(day: date) -> str:
    """"7月1日" — inside a report of one year the year goes without saying."""
    return f"{day.month}月{day.day}日"


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

    @property
    def short_text(self) -> str:
        return f"{month_day(self.start)}至{month_day(self.end)}"


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One period of one duty: label ("上半年", "第一季度", "全年", "3月" …) and the counts."""

    label: str
    required: int
    done: int
    status: str  # one of domain.Status values
    #: The last day the leader had for this period (his part of it); None when unknown.
    end: date | None = None

    @property
    def applicable(self) -> bool:
        return self.status != Status.NOT_APPLICABLE

    @property
    def missed(self) -> bool:
        return self.status in (Status.FAILED, Status.WARNING)


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One duty for the leader and year, with its periods (one for a yearly duty)."""

    article_label: str  # "第九条（二）"
    duty_title: str
    periods: tuple[PeriodResult, ...]
    #: The body section the duty belongs to (``sections.classify_duty``).
    section: str = ""
    #: The body the duty concerns when a clause names several ("人大" of 分别听取人大、政协…).
    target: str = ""
    #: The clause's own words (the draft borrows the purpose: "研究解决重大问题").
    source_text: str = ""
    #: "次" or "学时".
    unit: str = "次"

    @property
    def status(self) -> str:
        """The year's status of the duty: the worst of its periods."""
        return str(worst_status([Status(p.status) for p in self.periods]))

    @property
    def required(self) -> int:
        return sum(p.required for p in self.periods if p.applicable)

    @property
    def done(self) -> int:
        """Work done in the leader's periods (also in a part-term period he did not answer
        for: what he did is his)."""
        return sum(p.done for p in self.periods)

    @property
    def applicable(self) -> bool:
        return any(p.applicable for p in self.periods)


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One 履职纪实 record as the report lists it."""

    day: date
    title: str
    minutes_no: str = ""  # 纪要文号
    kind: str = ""  # 会议/学法/培训/听取汇报/报告/述职/其他
    #: Titles of the duties this record counts for (the narrative groups by them).
    duties: tuple[str, ...] = ()
    #: The body section the record belongs to (``sections.classify_record``).
    section: str = ""
    attachments: int = 0


@dataclass(frozen=True, slots=True)
class AttachmentEntry:
    """One evidence file, listed in the appendix 佐证材料目录."""

    file_name: str
    record_title: str
    record_day: date | None = None


@dataclass(frozen=True, slots=True)
class NarrativeSections:
    """The text of the body, per section, as the clerk wrote it (or accepted from the draft).

    ``achievements`` is the one 主要做法和成效 block of the earlier layout: rows saved then
    keep printing it (as 主要做法和成效 when none of the four work sections has text, else
    after them as 其他做法和成效), so nothing a clerk typed is lost.
    """

    achievements: str = ""  # 主要做法和成效 (the earlier layout's one block)
    problems: str = ""  # 存在的问题和不足
    plans: str = ""  # 下一步工作打算
    leadership: str = ""  # 履行第一责任人职责、统筹部署
    study: str = ""  # 带头尊法学法守法用法
    decisions: str = ""  # 依法决策、依法行政 / 依法执政
    publicity: str = ""  # 推动法治宣传、化解矛盾纠纷

    def text(self, key: str) -> str:
        return getattr(self, key)

    @property
    def is_empty(self) -> bool:
        return not any(self.text(k).strip() for k in NARRATIVE_KEYS)


#: Every text field of :class:`NarrativeSections` (the debrief's saved narrative columns).
NARRATIVE_KEYS = ("leadership", "study", "decisions", "publicity", "achievements", "problems",
                  "plans")


@dataclass(frozen=True, slots=True)
class DebriefReport:
    """Everything one leader's year-end debrief shows, in display form."""

    year: int
    leader_name: str
    unit_name: str
    position: str  # "区委书记"
    role_label: str  # "党委主要负责人"
    terms: tuple[TermSpan, ...] = ()
    compliance: tuple[ComplianceRow, ...] = ()
    records: tuple[RecordEntry, ...] = ()
    narrative: NarrativeSections = field(default_factory=NarrativeSections)
    attachments: tuple[AttachmentEntry, ...] = ()
    #: The fields the clerk may set ("" / None: the default, see the ``effective_*``).
    title: str = ""
    byline: str = ""
    signature: str = ""
    report_date: date | None = None  # 成文日期
    rule_set_title: str = ""  # "《杭州市…实施细则》", cited in the opening sentence when set
    role: str = ""  # "party" / "government" / "other" (section titles, the institution)
    #: "中共杭州市委书记": the unit and position in institutional form (derived when empty).
    institution: str = ""

    # -- the fields with their defaults --------------------------------------------------------
    @property
    def effective_title(self) -> str:
        return self.title.strip() or defaults.default_title(self.year)

    @property
    def effective_institution(self) -> str:
        return self.institution.strip() or defaults.institutional_title(
            self.unit_name, self.position, self.role)

    @property
    def effective_byline(self) -> str:
        return self.byline.strip() or defaults.default_byline(self.effective_institution,
                                                              self.leader_name)

    @property
    def effective_signature(self) -> str:
        return self.signature.strip() or self.leader_name

    @property
    def effective_closing_unit(self) -> str:  # the earlier name of the signature
        return self.effective_signature

    @property
    def effective_report_date(self) -> date:
        return self.report_date or date(self.year, 12, 31)

    # -- facts the text depends on ---------------------------------------------------------
    @property
    def record_count(self) -> int:
        return len(self.records)

    @property
    def full_year(self) -> bool:
        return len(self.terms) == 1 and self.terms[0].full_year

    @property
    def left_office(self) -> bool:
        """He left the post before the year was out (then the report makes no plans for it)."""
        return bool(self.terms) and self.terms[-1].end < date(self.year, 12, 31)

    @property
    def period_phrase(self) -> str:
        """"2025年" for a whole year, "任职期间（7月1日至12月31日）" for a part term."""
        if not self.terms or self.full_year:
            return f"{self.year}年"
        return "任职期间（" + "、".join(t.short_text for t in self.terms) + "）"

    @property
    def terms_text(self) -> str:
        if not self.terms:
            return f"{self.year}年度未在任"
        if self.full_year:
            return f"{self.year}年全年在任"
        return "；".join(t.text for t in self.terms)

    @property
    def applicable_duties(self) -> tuple[ComplianceRow, ...]:
        return tuple(r for r in self.compliance if r.applicable)

    def status_counts(self) -> dict[str, int]:
        """Duties per year-status, in the fixed order of domain.Status."""
        counts = {str(s): 0 for s in Status}
        for row in self.compliance:
            counts[row.status] += 1
        return counts

    # -- the body ---------------------------------------------------------------------------
    def sections(self) -> list[SectionText]:
        """Every section of the body in print order, with its title and text (maybe empty)."""
        return section_texts(self.narrative, self.role)

    @property
    def empty_sections(self) -> tuple[str, ...]:
        """Titles of the body sections with no text: left out of the print, and what the
        window shows the clerk as still to write."""
        return tuple(s.title for s in self.sections() if not s.text.strip() and not s.legacy)


# --------------------------------------------------------------------------- unit summary
@dataclass(frozen=True, slots=True)
class SummaryDuty:
    """A column of the unit summary table (one duty, or a family such as 分别听取…)."""

    article_label: str
    title: str
    role: str = "all"  # whom it binds: party / government / all


@dataclass(frozen=True, slots=True)
class SummaryCell:
    """A leader × duty cell: totals over the applicable periods, the year's status, and the
    periods (or bodies of a family) that were missed, so a missed half-year stays visible."""

    required: int
    done: int
    status: str
    #: "下半年0/1", "法院" …: what is behind a 未达标 or 预警.
    misses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """A leader (row of the summary); ``cells`` align with ``UnitSummary.duties`` and hold
    None where the duty does not bind the leader's role."""

    leader_name: str
    unit_name: str
    position: str
    role_label: str
    cells: tuple[SummaryCell | None, ...]
    role: str = ""
    terms_note: str = ""  # "7月1日起" for a part term

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
    filled_by_unit: str = ""  # 填报单位 (the unit when empty)
    filled_by: str = ""  # 填报人 (a blank to sign when empty)

    @property
    def effective_title(self) -> str:
        if self.title.strip():
            return self.title
        return f"{self.unit_name}{self.year}年度党政主要负责人履行推进法治建设第一责任人职责情况汇总表"

    @property
    def effective_report_date(self) -> date:
        return self.report_date or date(self.year, 12, 31)

    @property
    def effective_filled_by_unit(self) -> str:
        return self.filled_by_unit.strip() or self.unit_name

"""What a unit's annual 法治政府建设年度报告 says, as plain frozen dataclasses.

The report a government or department submits each spring on the year before: an opening
paragraph, then 主要举措和成效 (by the sections of the year's 工作要点, from the unit's tasks,
their progress notes and the records that evidence them), 党政主要负责人履行推进法治建设第一
责任人职责情况 (from the heads' debriefs and compliance), 存在的不足和原因 and 下一年度工作安排.

``annual_builder`` fills these from the store; ``annual_narrative`` drafts the text from them;
``annual_document`` lays them out for the debrief's PDF and Word renderers. Like the debrief's
model, nothing here touches the database or reportlab, so the objects can be made by hand in
tests and pickled to a worker. The clerk's own fields (title, 主送机关, signature, date) are
"" / None for the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from duty_tracker.core.reports.debrief_model import DebriefReport, chinese_date
from duty_tracker.core.status import LeaderTally

#: The parts of the report, in print order ("opening" is the paragraph before 一、).
ANNUAL_KEYS = ("opening", "measures", "leadership", "problems", "plans")
#: The headings of the numbered parts (the order of the official report's contents).
SECTION_TITLES = {
    "measures": "主要举措和成效",
    "leadership": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "problems": "存在的不足和原因",
    "plans": "下一年度工作安排",
}
#: What the draft writes where the data has nothing to say: a note to the clerk in 【】, kept
#: visible in print so that a report with a gap never looks finished.
PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "【", "】"
#: Unit levels that report as a government (by 1 April); the others as departments (1 March).
GOVERNMENT_LEVELS = ("市", "区县", "乡镇街道")
#: (month, day) of the next year by which the report is due: governments report by 1 April,
#: departments (and every other unit) by 1 March, so that the government can draw on theirs.
GOVERNMENT_DEADLINE = (4, 1)
DEPARTMENT_DEADLINE = (3, 1)


def annual_deadline(level: str, year: int) -> date:
    """The day the report of ``year`` is due for a unit of ``level``."""
    month, day = GOVERNMENT_DEADLINE if level in GOVERNMENT_LEVELS else DEPARTMENT_DEADLINE
    return date(year + 1, month, day)


def institution_name(unit: dict[str, Any], parent: dict[str, Any] | None) -> str:
    """The unit as it signs a report: a city or district as its people's government
    ("杭州市" → "杭州市人民政府"; "西湖区" under 杭州市 → "杭州市西湖区人民政府"), a street as its
    office ("北山街道" → "北山街道办事处"), a town as its government; a department under its
    city's name when its own name starts with just "市" ("市司法局" → "杭州市司法局")."""
    name = (unit.get("name") or "").strip()
    level = unit.get("level") or ""
    parent_name = ((parent or {}).get("name") or "").strip()
    if name.endswith(("政府", "办事处")):
        return name
    if level == "乡镇街道":
        return name + ("办事处" if name.endswith("街道") else "人民政府")
    if level in ("市", "区县"):
        if (level == "区县" and (parent or {}).get("level") == "市" and parent_name
                and not name.startswith(parent_name[:2])):
            name = parent_name + name
        return name + "人民政府"
    if parent_name and name[:1] in "市区县" and parent_name.endswith(name[0]):
        return parent_name[:-1] + name
    return name


@dataclass(frozen=True, slots=True)
class ProgressNote:
    """One progress entry of the unit on a task, as entered."""

    day: date
    text: str
    done: bool = False
    attachments: int = 0


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """A 履职纪实 record linked to a task as evidence (for this unit or the task as a whole)."""

    day: date
    title: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class TaskFact:
    """One work-point task of the unit, with the unit's own status as of the report's day."""

    title: str
    section: str  # the document's heading ("三、健全优化依法决策机制"), "" outside any
    role: str  # the unit's role: "lead" / "responsible" / "assist"
    status: str  # the unit's TaskStatus value (未开始 / 推进中 / 已完成 / 逾期 / 临期)
    text: str = ""
    plan_title: str = ""
    due: date | None = None
    deadline_text: str = ""
    done_on: date | None = None
    late: bool = False  # completed after its deadline
    #: The task as a whole is completed (its lead units are done), whoever this unit is.
    task_done: bool = False
    #: The lead units as the document names them (an assisting unit says whom it helped).
    lead_units: tuple[str, ...] = ()
    notes: tuple[ProgressNote, ...] = ()
    records: tuple[EvidenceRecord, ...] = ()

    @property
    def done(self) -> bool:
        return self.status == "已完成"

    @property
    def overdue(self) -> bool:
        return self.status == "逾期"

    @property
    def started(self) -> bool:
        """Something was reported or evidenced (a note with text, a record, a done mark)."""
        return self.done or bool(self.records) or any(n.text.strip() for n in self.notes)

    @property
    def evidenced(self) -> bool:
        """Files or records back the work up."""
        return bool(self.records) or any(n.attachments for n in self.notes)


@dataclass(frozen=True, slots=True)
class WorkSection:
    """A section of the year's 工作要点 with the unit's tasks in it, in document order."""

    heading: str  # "三、健全优化依法决策机制" ("" for tasks outside any section)
    tasks: tuple[TaskFact, ...]

    @property
    def title(self) -> str:
        """The heading without its number: "健全优化依法决策机制" ("其他工作" when none)."""
        text = self.heading.strip()
        for sep in ("、", "．", "."):
            head, found, rest = text.partition(sep)
            if found and head and len(head) <= 4 and rest.strip():
                return rest.strip()
        return text or "其他工作"


@dataclass(frozen=True, slots=True)
class HeadFact:
    """One party or government head of the unit in office during the year: the debrief's facts
    (terms, duties with their periods, records) and the year's tally of duties."""

    debrief: DebriefReport
    tally: LeaderTally
    leader_id: int = 0

    @property
    def name(self) -> str:
        return self.debrief.leader_name

    @property
    def role(self) -> str:
        return self.debrief.role


@dataclass(frozen=True, slots=True)
class AnnualTexts:
    """The text of each part of the report, as the clerk wrote it (or took from the draft)."""

    opening: str = ""
    measures: str = ""
    leadership: str = ""
    problems: str = ""
    plans: str = ""

    def text(self, key: str) -> str:
        return getattr(self, key)

    @property
    def is_empty(self) -> bool:
        return not any(self.text(k).strip() for k in ANNUAL_KEYS)


@dataclass(frozen=True, slots=True)
class AnnualReport:
    """Everything one unit's annual report of ``year`` shows, in display form."""

    year: int
    unit_id: int
    unit_name: str
    level: str
    #: The unit as it signs: "杭州市人民政府", "杭州市司法局", "西湖区北山街道办事处".
    institution: str
    #: The day the facts are taken as of: 31 December, or an earlier today (a draft in the year).
    as_of: date
    sections: tuple[WorkSection, ...] = ()
    heads: tuple[HeadFact, ...] = ()
    #: The 工作要点 the unit's tasks of the year come from, and every 工作要点 of the year.
    plan_titles: tuple[str, ...] = ()
    year_plan_titles: tuple[str, ...] = ()
    #: The unit's tasks of the next year already imported (the plans cite them).
    next_year_tasks: tuple[TaskFact, ...] = ()
    next_plan_titles: tuple[str, ...] = ()
    texts: AnnualTexts = field(default_factory=AnnualTexts)
    title: str = ""
    addressee: str = ""
    signature: str = ""
    report_date: date | None = None
    deadline: date | None = None
    submitted_on: date | None = None
    #: Whether the print has the appendix 工作任务完成情况表 (when there are tasks).
    with_task_table: bool = True

    # -- the fields with their defaults --------------------------------------------------------
    @property
    def default_title(self) -> str:
        return f"{self.institution}{self.year}年法治政府建设年度报告"

    @property
    def effective_title(self) -> str:
        return self.title.strip() or self.default_title

    @property
    def effective_signature(self) -> str:
        return self.signature.strip() or self.institution

    @property
    def effective_report_date(self) -> date:
        return self.report_date or self.as_of

    @property
    def government(self) -> bool:
        return self.level in GOVERNMENT_LEVELS

    @property
    def place(self) -> str:
        """Whose heads they are: a government's place ("杭州市西湖区"), a department itself —
        the 区委书记 and 区长 are the heads of the district, not of its government."""
        return place_name(self.institution, self.level)

    # -- facts the text depends on ---------------------------------------------------------
    @property
    def tasks(self) -> tuple[TaskFact, ...]:
        return tuple(t for s in self.sections for t in s.tasks)

    @property
    def year_complete(self) -> bool:
        """The facts are those of the whole year (the report is made after it)."""
        return self.as_of >= date(self.year, 12, 31)

    @property
    def as_of_phrase(self) -> str:
        """"截至12月31日" / "截至11月20日" for the counts."""
        return f"截至{self.as_of.month}月{self.as_of.day}日"

    @property
    def deadline_text(self) -> str:
        return chinese_date(self.deadline) if self.deadline else ""

    # -- the body ---------------------------------------------------------------------------
    def parts(self) -> list[tuple[str, str, str]]:
        """(key, heading, text) of the numbered parts in print order (the opening excluded)."""
        return [(k, SECTION_TITLES[k], self.texts.text(k)) for k in ANNUAL_KEYS if k != "opening"]

    @property
    def empty_sections(self) -> tuple[str, ...]:
        """Headings of the parts with no text (the opening called 开头): left out of the
        print and what the window shows as still to write."""
        out = ["开头"] if not self.texts.opening.strip() else []
        return tuple(out + [title for _k, title, text in self.parts() if not text.strip()])

    @property
    def to_fill(self) -> tuple[str, ...]:
        """Headings of the parts whose text still holds a 【…】 note to fill in."""
        names = {"opening": "开头", **SECTION_TITLES}
        return tuple(names[k] for k in ANNUAL_KEYS if PLACEHOLDER_OPEN in self.texts.text(k))


def place_name(institution: str, level: str) -> str:
    """Whose heads a unit's heads are: a government's place ("杭州市西湖区人民政府" →
    "杭州市西湖区"), a department itself."""
    if level in GOVERNMENT_LEVELS:
        for suffix in ("人民政府", "政府", "办事处"):
            if institution.endswith(suffix):
                return institution.removesuffix(suffix)
    return institution


def placeholder(text: str) -> str:
    """A note to the clerk where the data has nothing to say (see :data:`PLACEHOLDER_OPEN`)."""
    return f"{PLACEHOLDER_OPEN}{text}{PLACEHOLDER_CLOSE}"

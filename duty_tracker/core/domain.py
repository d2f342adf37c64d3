"""Domain vocabulary shared by every layer: roles, periods, statuses, record kinds, unit levels.

The stored values are short ASCII codes (stable in the database, the JSON output and data
packages); the Chinese labels are what clerks see. Keeping both here means the UI, the CLI
and the reports never invent their own spelling.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple


class Role(StrEnum):
    """Whom a duty binds (``ALL`` = both heads) or which head a leader is (``OTHER``)."""

    PARTY = "party"
    GOVERNMENT = "government"
    ALL = "all"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PARTY: "党委主要负责人",
    Role.GOVERNMENT: "政府主要负责人",
    Role.ALL: "党政主要负责人",
    Role.OTHER: "其他主要负责人",
}

#: Roles a duty may carry: "other" when the text binds heads of departments and units by name
#: (部门、单位主要负责人); such a duty applies to other heads only.
DUTY_ROLES = (Role.PARTY, Role.GOVERNMENT, Role.ALL, Role.OTHER)
#: Roles a leader may carry.
LEADER_ROLES = (Role.PARTY, Role.GOVERNMENT, Role.OTHER)


def duty_applies_to(duty_role: str, leader_role: str) -> bool:
    """A party head answers for party and joint duties, a government head for government and
    joint duties; other heads (departments, townships … "参照执行") answer for joint duties and
    for the duties a text gives to heads of departments and units (role "other")."""
    if duty_role == Role.ALL:
        return True
    return duty_role == leader_role


class Period(StrEnum):
    YEAR = "year"
    HALF_YEAR = "half_year"
    QUARTER = "quarter"
    MONTH = "month"
    ONCE = "once"

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self]


PERIOD_LABELS: dict[Period, str] = {
    Period.YEAR: "每年",
    Period.HALF_YEAR: "每半年",
    Period.QUARTER: "每季度",
    Period.MONTH: "每月",
    Period.ONCE: "一次性",
}


class Status(StrEnum):
    """Compliance status of one period; the values are the Chinese words clerks, reports and
    ``status --json`` use."""

    DONE = "达标"
    IN_PROGRESS = "进行中"
    WARNING = "预警"
    FAILED = "未达标"
    NOT_APPLICABLE = "不适用"


#: Worst first: the year's status of a duty is the worst status among its periods.
STATUS_SEVERITY: dict[Status, int] = {
    Status.FAILED: 4,
    Status.WARNING: 3,
    Status.IN_PROGRESS: 2,
    Status.DONE: 1,
    Status.NOT_APPLICABLE: 0,
}


def worst_status(statuses: list[Status] | tuple[Status, ...]) -> Status:
    if not statuses:
        return Status.NOT_APPLICABLE
    return max(statuses, key=STATUS_SEVERITY.__getitem__)


#: Posts of a government head (政府主要负责人) — of a city, district, county, township, street
#: office or department — and of a party head (党委主要负责人); "副…" is never a head.
_GOVERNMENT_POSTS = ("市长", "区长", "县长", "州长", "旗长", "镇长", "乡长", "主任", "局长", "厅长")
_PARTY_POSTS = ("书记",)
_POST_SEPARATORS = "、，,；;/ 　"


def guess_leader_role(position: str) -> Role | None:
    """Which head a post names: "区委书记" → party, "区长" → government, "区委副书记、区长" →
    government (the 副书记 is not the head); None when the post says neither ("副区长", "科员")."""
    parts = [position or ""]
    for separator in _POST_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    posts = [part.strip() for part in parts if part.strip()]

    def holds(words: tuple[str, ...]) -> bool:
        return any(part.endswith(word) and not part.endswith("副" + word) for part in posts for word in words)

    if holds(_PARTY_POSTS):
        return Role.PARTY
    if holds(_GOVERNMENT_POSTS):
        return Role.GOVERNMENT
    return None


RECORD_KINDS = ("会议", "学法", "培训", "听取汇报", "报告", "述职", "其他")

#: Words of a duty's title that tell what kind of record performs it, most specific first.
_KIND_WORDS = (("学法", "学法"), ("学习", "学法"), ("培训", "培训"), ("汇报", "听取汇报"),
               ("述职", "述职"), ("述法", "述职"), ("报告", "报告"), ("会议", "会议"))


def guess_record_kind(duty_title: str) -> str:
    """The kind a record of this duty most likely has ("党委理论学习中心组学法" → 学法)."""
    for word, kind in _KIND_WORDS:
        if word in duty_title:
            return kind
    return "其他"


def quota_text(period: str, min_count: int, unit: str = "times") -> str:
    """The quota in the clerk's words: "每年不少于2次", "每半年不少于1次", "每年不少于40学时"."""
    amount = f"{min_count}学时" if unit == "hours" else f"{min_count}次"
    try:
        period = Period(period)
    except ValueError:
        return f"不少于{amount}"
    if period is Period.ONCE:
        return "一次性" if min_count == 1 and unit != "hours" else f"一次性，不少于{amount}"
    return f"{period.label}不少于{amount}"
UNIT_LEVELS = ("市", "区县", "部门", "乡镇街道", "事业单位", "国企")


class Term(NamedTuple):
    """A term of office; ``end`` None means still in office."""

    start: date
    end: date | None = None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class DutySpec(NamedTuple):
    """What the compliance engine needs to know about a duty.

    ``due`` is only used for ``once`` duties (the deadline; the one period ends there) and for
    recurring duties with an in-period deadline such as "每年3月1日前" (``due_month_day`` =
    (3, 1): the year's period then ends on that day).
    """

    id: int
    title: str
    period: Period
    min_count: int
    role: Role = Role.ALL
    unit: str = "times"  # "hours": min_count is hours of study and records' hours are summed
    due: date | None = None
    due_month_day: tuple[int, int] | None = None
    article_number: int | None = None
    clause_number: int | None = None


class LeaderSpec(NamedTuple):
    id: int
    name: str
    role: Role
    terms: tuple[Term, ...] = ()
    unit_id: int | None = None


def terms_in_year(terms: tuple[Term, ...] | list[Term], year: int) -> list[tuple[date, date]]:
    """The parts of ``terms`` inside ``year`` as (start, end), in order; a term still running
    ends on 31 December. The one place where terms are clipped to a year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    spans = []
    for term in sorted(terms, key=lambda t: t.start):
        start = max(term.start, first)
        end = last if term.end is None else min(term.end, last)
        if start <= end:
            spans.append((start, end))
    return spans


def tenure_text(terms: tuple[Term, ...] | list[Term], year: int) -> str:
    """How the terms cover ``year``: "全年", "2025-07-01起", "至2025-06-30", or both; "—" none."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    parts = []
    for start, end in terms_in_year(terms, year):
        if start == first and end == last:
            return "全年"
        if end == last:
            parts.append(f"{start.isoformat()}起")
        elif start == first:
            parts.append(f"至{end.isoformat()}")
        else:
            parts.append(f"{start.isoformat()}至{end.isoformat()}")
    return "；".join(parts) or "—"


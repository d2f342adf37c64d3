"""Deadlines in a sentence of a rules text, and whether each recurs every year.

Recurring: 每年3月1日前, 每年二月底前, (每年)年底前, 每年第一季度, 每年上半年, 每年3月,
每年11月至12月期间 — the due day inside the year ("03-01"; a window that runs into the next
year, 每年年底或次年年初, and 每年年初 have none). One-off: 2021年6月30日前, 2022年底前, 2020年9月底前, 2023年上半年.
A deadline without a year ("7月15日前", "于4月30日前") takes its kind from the sentence: after
a yearly deadline it is yearly too; after a dated one it is in the same year; with words of a
yearly cycle (上一年度, 本年度, 当年) it is yearly; else, in a document with a date (a notice),
it is a one-off in the year of that date (the next year if the day has passed); else yearly —
a standing rule without dates speaks of every year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from duty_tracker.core.rules.numerals import numeral_to_int

_CN = "一二两三四五六七八九十"
_M = rf"(\d{{1,2}}|[{_CN}]{{1,3}})"
_BEFORE = r"(?:之|以)?前"
_YEAR = r"((?:19|20)\d{2})年"
_EVERY = r"每年(?:的)?"

#: (pattern, kind) in the order they are tried; a later pattern never overlaps an earlier match.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_YEAR}{_M}月{_M}日{_BEFORE}"), "date"),
    (re.compile(rf"{_YEAR}{_M}月(?:底|末){_BEFORE}"), "date_month_end"),
    (re.compile(rf"{_YEAR}(?:年底|底|年末|末){_BEFORE}"), "date_year_end"),
    (re.compile(rf"{_YEAR}([上下])半年(?:前|内)?"), "date_half"),
    (re.compile(rf"{_EVERY}{_M}月{_M}日{_BEFORE}"), "year_md"),
    (re.compile(rf"{_EVERY}{_M}月(?:底|末|份){_BEFORE}"), "year_month_end"),
    (re.compile(
        rf"{_EVERY}(?:年底|年末|年终)(?:或|至|到)次年(?:年初|初|{_M}月份?(?:底|末)?)(?:{_BEFORE})?"
    ), "year_nodue"),
    (re.compile(rf"(?:{_EVERY}|(?<![0-9年]))(?:年底|年末|年终){_BEFORE}"), "year_end"),
    (re.compile(rf"{_EVERY}(?:年底|年末)(?!或|至|到)"), "year_end"),
    (re.compile(rf"{_EVERY}(?:年初|年中)"), "year_nodue"),
    (re.compile(rf"{_EVERY}第?([一二三四1-4])季度(?:末|底)?(?:{_BEFORE}|内|结束前)?"), "year_quarter"),
    (re.compile(rf"{_EVERY}([上下])半年(?:前|内)?"), "year_half"),
    (re.compile(
        rf"{_EVERY}{_M}月份?(?:底|末)?\s?(?:至|到|—|－|-|~|～)\s?(次年)?{_M}月份?(?:底|末)?"
        r"(?:期间|之间|内|前)?"
    ), "year_window"),
    (re.compile(
        rf"{_EVERY}{_M}()(?:至|到|—|－|-|~|～){_M}月份?(?:期间|之间|内)?"
    ), "year_window"),
    (re.compile(
        rf"{_EVERY}{_M}月{_M}日\s?(?:至|到|—|－|-|~|～)\s?(?:{_M}月)?{_M}日(?:期间|之间|前)?"
    ), "year_day_window"),
    (re.compile(rf"{_EVERY}{_M}月份?(?:期间|内|中)?(?![0-9日号底末份至到])"), "year_month"),
    (re.compile(rf"次年{_M}月{_M}日{_BEFORE}"), "year_md"),  # 年终述法报告于次年1月底前报送
    (re.compile(rf"次年{_M}月(?:底|末|份){_BEFORE}"), "year_month_end"),
    (re.compile(rf"{_EVERY}([元正])月份?(?:期间|内|中)?(?![0-9日号底末份至到])"), "year_month"),
    (re.compile(rf"(?<![年0-9]){_M}月{_M}日{_BEFORE}"), "bare_md"),
    (re.compile(rf"(?<![年0-9]){_M}月(?:底|末){_BEFORE}"), "bare_month_end"),
]

#: Words of a yearly cycle that make a deadline without a year recur.
_CYCLE = re.compile(r"每年|每一年|上一?年度|上年|本年度|当年|(?<![0-9〇一二三四五六七八九零])年度")


@dataclass(slots=True)
class Deadline:
    """A deadline at ``start:end`` of its sentence. ``due`` is "MM-DD" when ``recurring`` (or
    None for a yearly window without a due day), else "YYYY-MM-DD"."""

    start: int
    end: int
    recurring: bool
    due: str | None


@dataclass(slots=True)
class DeadlineContext:
    """What a deadline without a year needs: the document's date, and the year of the last
    dated deadline of the same clause."""

    doc_date: date | None = None
    clause_year: int | None = None


def find_deadlines(sentence: str, context: DeadlineContext) -> list[Deadline]:
    """Every deadline of the sentence, in order."""
    if "月" not in sentence and "年" not in sentence:
        return []
    raw: list[tuple[int, int, str, tuple[str | None, ...]]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            raw.append((match.start(), match.end(), kind, match.groups()))
    raw.sort()
    found: list[Deadline] = []
    for start, end, kind, groups in raw:
        deadline = _resolve(sentence, start, end, kind, groups, found, context)
        if deadline is not None:
            found.append(deadline)
            if not deadline.recurring and deadline.due:
                context.clause_year = int(deadline.due[:4])
    return found


def _resolve(
    sentence: str, start: int, end: int, kind: str, groups: tuple[str | None, ...],
    earlier: list[Deadline], context: DeadlineContext,
) -> Deadline | None:
    values = [1 if g in ("元", "正") else numeral_to_int(g) if g and g not in "上下次年" else None
              for g in groups]
    if kind.startswith("date"):
        due = _once_due(kind, groups, values)
        return Deadline(start, end, False, due) if due else None
    if kind == "year_nodue":  # 每年年初, 每年年底或次年年初: every year, no day inside it
        return Deadline(start, end, True, None)
    if kind.startswith("year"):
        if kind == "year_window" and groups[1]:  # 每年12月至次年1月: no due inside one year
            return Deadline(start, end, True, None) if _month_ok(values[0]) else None
        due = _yearly_due(kind, groups, values)
        return Deadline(start, end, True, due) if due else None
    month, day = values[0], (values[1] if kind == "bare_md" else None)
    if not _month_ok(month) or (kind == "bare_md" and not _day_ok(month, day)):
        return None
    month_day = (month or 1, day or calendar.monthrange(2001, month or 1)[1])
    previous = earlier[-1] if earlier else None
    if previous is not None and previous.recurring:
        return Deadline(start, end, True, f"{month_day[0]:02d}-{month_day[1]:02d}")
    year = _year_for(sentence, month_day, previous, context)
    if year is None:
        return Deadline(start, end, True, f"{month_day[0]:02d}-{month_day[1]:02d}")
    if kind == "bare_md" and month == 2 and day == 29 and not calendar.isleap(year):
        return None
    return Deadline(start, end, False, f"{year:04d}-{month_day[0]:02d}-{month_day[1]:02d}")


def _year_for(
    sentence: str, month_day: tuple[int, int], previous: Deadline | None, context: DeadlineContext
) -> int | None:
    """The year of a one-off deadline without a year, or None when it recurs."""
    if previous is not None and previous.due:
        return int(previous.due[:4])
    if _CYCLE.search(sentence):
        return None
    if context.clause_year:
        return context.clause_year
    if context.doc_date is None:
        return None
    year = context.doc_date.year
    if month_day < (context.doc_date.month, context.doc_date.day):
        year += 1  # "于1月31日前" in a notice of November: next January
    return year


def _month_ok(month: int | None) -> bool:
    return month is not None and 1 <= month <= 12


def _day_ok(month: int | None, day: int | None) -> bool:
    return _month_ok(month) and day is not None and 1 <= day <= calendar.monthrange(2000, month)[1]


def _yearly_due(kind: str, groups: tuple[str | None, ...], values: list[int | None]) -> str | None:
    if kind == "year_md":
        month, day = values
        return f"{month:02d}-{day:02d}" if _day_ok(month, day) else None
    if kind in ("year_month_end", "year_month"):
        month = values[0]
        return f"{month:02d}-{calendar.monthrange(2001, month)[1]:02d}" if _month_ok(month) else None
    if kind == "year_end":
        return "12-31"
    if kind == "year_quarter":
        quarter = values[0]
        if quarter is None or not 1 <= quarter <= 4:
            return None
        month = quarter * 3
        return f"{month:02d}-{calendar.monthrange(2001, month)[1]:02d}"
    if kind == "year_half":
        return "06-30" if groups[0] == "上" else "12-31"
    if kind == "year_day_window":  # 每年12月20日至31日期间: the last day of the window
        month = values[2] if values[2] is not None else values[0]
        day = values[3]
        return f"{month:02d}-{day:02d}" if _day_ok(month, day) and (month, day) >= (values[0], values[1]) else None  # type: ignore[operator]
    if kind == "year_window":
        first, last = values[0], values[2]
        if not (_month_ok(first) and _month_ok(last)) or last < first:  # type: ignore[operator]
            return None
        return f"{last:02d}-{calendar.monthrange(2001, last)[1]:02d}"  # type: ignore[arg-type]
    return None


def _once_due(kind: str, groups: tuple[str | None, ...], values: list[int | None]) -> str | None:
    year = values[0]
    if year is None:
        return None
    if kind == "date":
        month, day = values[1], values[2]
        if not _month_ok(month) or day is None or not 1 <= day <= calendar.monthrange(year, month)[1]:  # type: ignore[arg-type]
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    if kind == "date_month_end":
        month = values[1]
        if not _month_ok(month):
            return None
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"  # type: ignore[arg-type]
    if kind == "date_year_end":
        return f"{year:04d}-12-31"
    if kind == "date_half":
        return f"{year:04d}-06-30" if groups[1] == "上" else f"{year:04d}-12-31"
    return None

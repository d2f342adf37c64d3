"""Deadlines as work points write them, read into ISO dates.

"2017年年底前" → 2017-12-31; "6月底前", "6月份" → the month's last day of the document's
year; "上半年" → 06-30, "下半年"/"年内"/"全年"/"年底前" → 12-31; "第三季度", "三季度末" → 09-30;
"10月1日前" → 10-01 (the day named is the last day allowed); "次年3月底前" → the next year.
"长期坚持", "持续推进", "每季度" are deadlines too, of work that never closes: no date.

In running text a month or a year alone is not a deadline ("2017年法治政府建设…", "6月26日
国际禁毒日"): there a marker must say so (前/底/末/份/内/完成). In a deadline field or column
("完成时限：6月") the bare forms count. Dates inside 《》 titles, 〔〕 document numbers and
cited "（…号）" are never deadlines.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from duty_tracker.core.rules.numerals import chinese_to_int

_YEAR = r"(?P<y>(?:19|20)\d{2}|二[〇○零][一二三四五六七八九〇○零]{2})\s?年(?:度)?"
_REL = r"(?P<rel>次年|明年|下一年度?|下年度?|今年|本年度?|当年)"
_PREFIX = rf"(?:{_YEAR}|{_REL})?\s?"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_BEFORE = r"(?P<suf>前|之前|以前|止|为止|内)?"

_RE_DATE = re.compile(rf"{_PREFIX}{_MONTH}\s?月\s?{_DAY}\s?[日号]{_BEFORE}")
_RE_MONTH = re.compile(
    rf"{_PREFIX}{_MONTH}\s?月(?P<fen>份)?(?P<part>底|末|中旬|上旬|下旬|初|中)?{_BEFORE}(?!\d|[一二三四五六七八九十]{{0,2}}[日号])"
)
_RE_QUARTER = re.compile(
    rf"{_PREFIX}(?P<first>前)?第?(?P<q>[一二三四1-4])\s?季度(?P<part>末|底)?{_BEFORE}"
)
_RE_HALF = re.compile(rf"{_PREFIX}(?P<h>上|下)半年(?P<part>末|底)?{_BEFORE}")
_RE_YEAR_END = re.compile(
    rf"(?:{_YEAR}\s?(?:年底|年末|底|末)|{_REL}?(?:年底|年末))(?P<suf>前|之前|以前)?"
)
_RE_IN_YEAR = re.compile(r"(?:本年度内|年度内|年内|全年|本年内)")
_RE_YEAR_ONLY = re.compile(rf"(?P<to>到|至|截至|截止到?)?{_YEAR}(?P<suf>内|前|之前|以前|底前)?")
_RE_ONGOING = re.compile(
    r"长期坚持|长期推进|长期开展|长期执行|长期|持续推进|持续开展|持续|常态化推进|常态化|常年|"
    r"每半年|每季度|每年|每月|定期|按年度|逐年推进"
)
_RE_MASK = re.compile(r"《[^》\n]{0,200}》|〔[^〕\n]{0,20}〕|（[^（）\n]{0,60}号）|\d{4}\s?[—–\-－~～至到]\s?\d{4}\s?年")
_RE_EVERY = re.compile(r"每(?:年|季度|半年|月)$")


@dataclass(slots=True, frozen=True)
class Deadline:
    """A deadline phrase found at ``start``…``end``; ``iso`` None for ongoing work."""

    phrase: str
    iso: str | None
    start: int
    end: int


def find_deadlines(text: str, year: int | None, *, field: bool = False) -> list[Deadline]:
    """Every deadline in ``text``, in order. ``field`` is True for the value of a deadline
    field or column, where bare months, years and "长期" count."""
    masked = _RE_MASK.sub(lambda m: " " * len(m.group(0)), text)
    found: list[Deadline] = []
    for reader in (_dates, _months, _quarters, _halves, _year_ends, _in_year, _years_only):
        found.extend(reader(masked, text, year, field))
    if field or not found:
        for match in _RE_ONGOING.finditer(masked):
            if field or _ongoing_stands_alone(masked, match):
                found.append(Deadline(text[match.start():match.end()], None, match.start(), match.end()))
    return _without_overlaps(found)


def choose_due(deadlines: list[Deadline]) -> Deadline | None:
    """The deadline of a task: the latest date named (the last milestone), else the first
    ongoing phrase, else None."""
    dated = [d for d in deadlines if d.iso]
    if dated:
        return max(dated, key=lambda d: (d.iso, -d.start))
    return deadlines[0] if deadlines else None


def _year_of(match: re.Match[str], year: int | None) -> int | None:
    raw = match.groupdict().get("y")
    if raw:
        value = int(raw) if raw.isdigit() else chinese_to_int(raw.replace("○", "〇"))
        return value if value and 1990 <= value <= 2100 else None
    rel = match.groupdict().get("rel")
    if rel and year is not None and rel[0] in "次明下":
        return year + 1
    return year


def _month_end(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _number(raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw) if raw.isdigit() else chinese_to_int(raw)


def _deadline(match: re.Match[str], text: str, iso: str | None) -> Deadline:
    return Deadline(text[match.start():match.end()].strip(), iso, match.start(), match.end())


def _recurring(masked: str, start: int) -> bool:
    return bool(_RE_EVERY.search(masked[max(0, start - 3):start]))


def _dates(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    out = []
    for match in _RE_DATE.finditer(masked):
        if not field and not match.group("suf") and not _marked(masked, match):
            continue
        y, m, d = _year_of(match, year), _number(match.group("m")), _number(match.group("d"))
        iso = None
        if y and m and d and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
            iso = f"{y:04d}-{m:02d}-{d:02d}"
        if iso or field:
            out.append(_deadline(match, text, iso))
    return out


def _months(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    out = []
    for match in _RE_MONTH.finditer(masked):
        part, fen, suf = match.group("part"), match.group("fen"), match.group("suf")
        marked = part in ("底", "末", "下旬") or bool(suf) or bool(fen)
        if not field and not marked and not _marked(masked, match):
            continue
        y, m = _year_of(match, year), _number(match.group("m"))
        if not m or not 1 <= m <= 12:
            continue
        iso = None
        if y:
            iso = _month_end(y, m)
            if part in ("上旬", "初"):
                iso = f"{y:04d}-{m:02d}-10"
            elif part in ("中旬", "中"):
                iso = f"{y:04d}-{m:02d}-20"
        out.append(_deadline(match, text, iso))
    return out


def _quarters(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    out = []
    for match in _RE_QUARTER.finditer(masked):
        if _recurring(masked, match.start()):
            continue
        q = _number(match.group("q"))
        y = _year_of(match, year)
        if not q or not 1 <= q <= 4:
            continue
        out.append(_deadline(match, text, _month_end(y, q * 3) if y else None))
    return out


def _halves(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    out = []
    for match in _RE_HALF.finditer(masked):
        if _recurring(masked, match.start()):
            continue
        y = _year_of(match, year)
        month = 6 if match.group("h") == "上" else 12
        out.append(_deadline(match, text, _month_end(y, month) if y else None))
    return out


def _year_ends(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    out = []
    for match in _RE_YEAR_END.finditer(masked):
        y = _year_of(match, year)
        out.append(_deadline(match, text, f"{y:04d}-12-31" if y else None))
    return out


def _in_year(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    return [_deadline(m, text, f"{year:04d}-12-31" if year else None) for m in _RE_IN_YEAR.finditer(masked)]


def _years_only(masked: str, text: str, year: int | None, field: bool) -> list[Deadline]:
    out = []
    for match in _RE_YEAR_ONLY.finditer(masked):
        after = masked[match.end():match.end() + 1]
        if after and (after.isdigit() or after in "一二三四五六七八九十上下年第前全底末"):
            continue  # the year of a longer phrase (月, 季度, 半年, 年底) read by another reader
        if not field and not match.group("suf") and not match.group("to") and not _marked(masked, match):
            continue
        y = _year_of(match, year)
        out.append(_deadline(match, text, f"{y:04d}-12-31" if y else None))
    return out


def _marked(masked: str, match: re.Match[str]) -> bool:
    """"于6月", "在10月1日", "截至9月", "到6月" (a preposition before) and "6月完成" (after)
    mark a deadline too."""
    before = masked[max(0, match.start() - 2):match.start()]
    return before.endswith(("于", "在", "至", "到", "截至", "截止")) or masked.startswith(("完成", "办结"), match.end())


def _ongoing_stands_alone(masked: str, match: re.Match[str]) -> bool:
    """In running text "持续推进法治政府建设" is a verb, not a deadline; only a phrase that
    closes a sentence or a bracket ("……，长期坚持。", "（长期）") is one."""
    if match.group(0).startswith(("每", "定期", "按")):
        return False
    after = masked[match.end():match.end() + 1]
    before = masked[max(0, match.start() - 1):match.start()]
    return (not after or after in "。；）】") and (not before or before in "，；（【：")


def _without_overlaps(found: list[Deadline]) -> list[Deadline]:
    """Leftmost-longest: "2017年年底前" is one deadline, not "2017年" and "年底前"."""
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[Deadline] = []
    for item in found:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out

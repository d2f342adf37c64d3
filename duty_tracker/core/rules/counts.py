"""Counts in a sentence and whether each one is a quota (a minimum to meet in every period).

A quota counts occasions (1次, 两期, 3场 …) or hours of study (40学时, 8个小时, 2天 = 12 学时;
hours and days only with a period and only for study: 学法, 培训, 授课 …).
A range (1—2次, 2至3次, 一两次) sets its lower number as the minimum. Never quotas: maxima
(不超过3次), past tallies (去年开展学法24次, 2020年共举办…, 召开了3次), numbers inside
quotations and titles (“最多跑一次”, “两个确立”), and the duration of one session (每次不少于
半小时, 为期3天): those stay details of the duty.
"""

from __future__ import annotations

import math
import re

from duty_tracker.core.rules.model import HOURS_PER_DAY
from duty_tracker.core.rules.numerals import numeral_to_int

_CN_COUNT = "一二两三四五六七八九十"
_N = rf"\d{{1,4}}(?:\.\d{{1,2}})?|[{_CN_COUNT}半]{{1,3}}"
_TIMES_UNITS = "次期场回轮篇份堂"
RE_COUNT = re.compile(
    rf"(?<![第每单逐初月跑0-9.])(?:(?P<lo>{_N})\s?(?:—|－|-|~|～|至|到)\s?)?(?P<n>{_N})\s?个?"
    rf"(?P<unit>[{_TIMES_UNITS}]|学时|课时|小时|天)"
    r"(?!性|数|要|生|级|序|方|贷|品|次|然|津)(?P<above>以上|及以上|或以上)?"
)
RE_MAXIMUM = re.compile(r"(?:不超过|不多于|至多|最多|不得超过|不宜超过|控制在)\s?$")
#: Words of a past tally before a count in the same piece of the sentence.
_TALLY = re.compile(
    r"去年|前年|今年以来|以来|截至|截止|已经|已(?=[开举召组完学审听办出收受达累])|先后|共计|"
    r"共(?=开展|举办|召开|组织|举行|完成|学法|审议|听取|办理|出庭|收到|受理)|"
    r"累计(?:开展|举办|召开|组织|完成|达到?)|(?:19|20)\d{2}年(?!度?(?:起|开始|以后))|了$"
)
#: The duration of one session, not a quota of the period: 每次不少于半小时, 为期3天.
_ONE_SESSION = re.compile(r"每次|每期|每场|每堂|每课|每讲|单次|一次|为期|时长|用时|每人每次|每天")
#: A period of hours: a quota of hours only counts when it is yearly (or per period).
_HOURS_PERIOD = re.compile(r"年度|全年|一年|年内|累计|每年|年均|每半年|每季度|每月|任期")
_RE_ALTERNATIVE = re.compile(r"或者?\s?$")
#: How far before a quota of hours its period word may stand ("每年参加法治培训，累计不少于…").
_HOURS_REACH = 25
#: Hours and days count as a quota only for study: 学法, 培训, 授课, 讲座 …
_STUDY = re.compile(r"学|培训|课|讲座|教育|研修|轮训|进修")


def count_value(match: re.Match[str]) -> tuple[int, str] | None:
    """(minimum, unit) of a count: "1—2次" → (1, "times"), "40学时" → (40, "hours"),
    "2天" → (12, "hours"); None when it is no whole number of occasions."""
    raw = match.group("lo") or match.group("n")
    value = _number(raw)
    if value is None or value <= 0:
        return None
    unit = match.group("unit")
    if unit in ("学时", "课时", "小时"):
        return math.ceil(value), "hours"
    if unit == "天":
        return math.ceil(value * HOURS_PER_DAY), "hours"
    if value != int(value):
        return None
    return int(value), "times"


def _number(raw: str) -> float | None:
    if raw == "半":
        return 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return float(raw)
    if "半" in raw:
        return None
    if len(raw) >= 2 and not any(ch in raw for ch in "十"):
        return float(numeral_to_int(raw[0]) or 0) or None  # 一两次, 两三次, 三五次: a range
    value = numeral_to_int(raw)
    return float(value) if value is not None else None


def is_quota(sentence: str, match: re.Match[str], quoted: list[tuple[int, int]]) -> bool:
    """Whether a count sets a minimum for the period (see module docstring)."""
    start = match.start()
    if any(a <= start < b for a, b in quoted):
        return False
    if RE_MAXIMUM.search(sentence[max(0, start - 6):start]):
        return False
    piece = sentence[_piece_start(sentence, start):start]
    if _TALLY.search(piece):
        return False
    unit = match.group("unit")
    if unit in ("学时", "课时", "小时", "天"):
        near = sentence[max(0, start - _HOURS_REACH):start]
        if _ONE_SESSION.search(piece) or not _HOURS_PERIOD.search(near):
            return False
        if unit in ("小时", "天") and not _STUDY.search(sentence[:start]):
            return False  # 公示不少于5天, 办结时限: days, but no study
    return True


def is_alternative(sentence: str, match: re.Match[str], previous: re.Match[str] | None) -> bool:
    """"不少于3天或者18学时": the second count restates the first."""
    if previous is None:
        return False
    between = sentence[previous.end():match.start()]
    return len(between) <= 4 and bool(_RE_ALTERNATIVE.search(between))


def _piece_start(sentence: str, position: int) -> int:
    cut = max(sentence.rfind(sep, 0, position) for sep in "，,：；")
    return cut + 1


_QUOTED = re.compile(r"“[^“”]{0,80}”|《[^《》]{0,80}》|‘[^‘’]{0,40}’|「[^「」]{0,40}」")


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Where quotations and titles stand in the sentence: nothing in them is an obligation."""
    if not any(ch in sentence for ch in "“《‘「"):
        return []
    return [(m.start(), m.end()) for m in _QUOTED.finditer(sentence)]

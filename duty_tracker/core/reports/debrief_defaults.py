"""The defaults of a debrief's own fields: title, byline, 成文日期.

A 述职述法报告 is the leader's personal report, written in the first person ("本人"): its title
does not name him in the third person ("关于某某同志……的报告"); his name and post stand in
the byline under the title, in the institutional form of the post ("中共杭州市委书记　陶跃进",
"杭州市市长　姜德胜"), and he signs it.
"""

from __future__ import annotations

from datetime import date

DEFAULT_TITLE_TEMPLATE = "{year}年度履行推进法治建设第一责任人职责情况的述职述法报告"
#: Where the default title is broken into two lines (between words, never inside one).
DEFAULT_TITLE_BREAK = "第一责任人"

_PARTY_WORDS = ("书记",)
_PLACE_ENDINGS = ("省", "市", "区", "县", "州", "盟", "旗", "镇", "乡", "街道")


def default_title(year: int) -> str:
    """"2025年度履行推进法治建设第一责任人职责情况的述职述法报告" (first person: no name)."""
    return DEFAULT_TITLE_TEMPLATE.format(year=year, name="")


def institutional_title(unit: str, position: str, role: str = "") -> str:
    """The post as an institution writes it: a party secretary under the party committee
    ("中共" + the place + the post, the place's last character shared with the post:
    杭州市 + 市委书记 → 中共杭州市委书记; 西湖区 + 区委书记 → 中共西湖区委书记); every other
    post after its unit ("杭州市市长", "杭州市司法局局长"). Nothing is repeated when the
    post already names the unit."""
    unit, position = (unit or "").strip(), (position or "").strip()
    if not position:
        return unit
    if not unit or position.startswith(unit):
        joined = position
    elif any(w in position for w in _PARTY_WORDS) and role != "government":
        joined = _party_post(unit, position)
    elif position.endswith("长") and unit.endswith("人民政府"):
        joined = unit.removesuffix("人民政府") + position  # 西湖区人民政府 + 区长 → 西湖区区长
    else:
        joined = unit + position
    if any(w in position for w in _PARTY_WORDS) and role != "government":
        if not joined.startswith(("中共", "中国共产党")):
            joined = "中共" + joined
    return joined


def _party_post(unit: str, position: str) -> str:
    """The unit and the post with what they share written once: 杭州市 + 市委书记 →
    杭州市委书记; 杭州市西湖区委 + 区委书记 → 杭州市西湖区委书记; 蒋村街道党工委 + 党工委书记 →
    蒋村街道党工委书记; 杭州市司法局 + 党组书记 → 杭州市司法局党组书记."""
    for k in range(min(len(unit), len(position)) - 1, 0, -1):
        if unit.endswith(position[:k]) and (k > 1 or unit.endswith(_PLACE_ENDINGS)):
            return unit + position[k:]
    return unit + position


def default_byline(institution: str, name: str) -> str:
    """"中共杭州市委书记　陶跃进" (an ideographic space between post and name)."""
    return "\u3000".join(x for x in (institution.strip(), name.strip()) if x)


def default_report_date(year: int, today: date) -> date:
    """成文日期: 31 December of the report's year; today while that year is not over (a
    report printed in the next year keeps its year's date)."""
    year_end = date(year, 12, 31)
    return max(date(year, 1, 1), min(today, year_end))

"""Collective names of responsible units, expanded to the units they mean.

Two kinds occur in every work-points document:

* sets of departments or other units under one government: "市政府各部门", "市直各单位",
  "市级各部门", "省直各部门", "区政府各工作部门", "各直属单位", "市属各国有企业" — the
  program's units of that level (部门; 部门 and 事业单位 for "各单位"; 事业单位; 国企) whose parent
  is that government (the home unit for 市/省 in a city's program, the district for 区/县 in a
  district's);
* sets of lower governments: "各区、县（市）政府", "各区县（市）", "各县（市、区）人民政府",
  "各乡镇（街道）", "各乡镇人民政府、街道办事处" — every unit of that level under the home; and
  the same office in each of them: "各区、县（市）司法局" → the 司法局 of every district.

"各有关部门", "市政府相关部门" name no set (which ones?): they stay unmatched for the clerk.
"""

from __future__ import annotations

import re

from duty_tracker.core.workpoints.unit_index import (
    COLLECTIVE,
    UnitIndex,
    UnitMatch,
    UnitRef,
    normalise_name,
    place_of,
    same_body,
    split_level,
)
from duty_tracker.core.workpoints.units import split_top_level

_DEPARTMENT_SET = re.compile(
    r"^(?P<scope>全省|全市|全区|全县|省|市|区|县|州|镇|乡|街道)?"
    r"(?:委|政府|委、政府|委和政府|委政府|直|级|属)?(?:机关)?(?:各|所有)?"
    r"(?P<what>工作部门|部门|部门和单位|部门、单位|单位|直属单位|直属机构|部委办局|委办局|机关单位|机关|"
    r"事业单位|直属事业单位|国有企业|国企|企业)$"
)
_WHAT_LEVELS: dict[str, tuple[str, ...]] = {
    "工作部门": ("部门",), "部门": ("部门",), "部委办局": ("部门",), "委办局": ("部门",), "机关": ("部门",),
    "直属机构": ("部门",),
    "部门和单位": ("部门", "事业单位"), "部门、单位": ("部门", "事业单位"), "单位": ("部门", "事业单位"),
    "机关单位": ("部门", "事业单位"),
    "直属单位": ("事业单位",), "事业单位": ("事业单位",), "直属事业单位": ("事业单位",),
    "国有企业": ("国企",), "国企": ("国企",), "企业": ("国企",),
}
_VAGUE = re.compile(r"(?:有关|相关|涉及|其他)")
_REGION_CHARS = re.compile(r"^(?:设区|区|县|市|乡|镇|街道|、|（|）)+$")
_GOVERNMENT_WORDS = ("", "政府", "人民政府", "党委和政府", "党委、政府", "党委政府", "党政", "党委",
                     "党工委", "委", "办事处", "街道办事处")


def expand_collective(name: str, index: UnitIndex) -> UnitMatch | None:
    """The units a collective name stands for; None when ``name`` is not a collective."""
    text = re.sub(r"\s", "", name).replace("(", "（").replace(")", "）")
    if _VAGUE.search(text):
        return None
    department_set = _department_set(name, text, index)
    if department_set is not None:
        return department_set
    if not text.startswith("各"):
        return None
    whole = _region_set(name, text[1:], index)
    if whole is not None or "、" not in text:
        return whole
    return _union_of_parts(name, text[1:], index)


def _union_of_parts(name: str, rest: str, index: UnitIndex) -> UnitMatch | None:
    """"各乡镇人民政府、街道办事处": every part a set of governments → all of them."""
    ids: list[int] = []
    for part in split_top_level(rest, "、"):
        found = _region_set(part, part.removeprefix("各"), index)
        if found is None or not found.matched:
            return None
        ids.extend(i for i in found.unit_ids if i not in ids)
    return UnitMatch(name, ids, COLLECTIVE, f"统称，共{len(ids)}个单位")


def _department_set(name: str, text: str, index: UnitIndex) -> UnitMatch | None:
    match = _DEPARTMENT_SET.match(text)
    if not match or ("各" not in text and "所有" not in text and match.group("what") not in ("国有企业", "国企")):
        return None
    levels = _WHAT_LEVELS[match.group("what")]
    scope = _scope_unit(match.group("scope"), index)
    if scope is None:
        level = match.group("scope") or "本级"
        return UnitMatch(name, [], None, f"“{name}”指{level}一级政府所属的单位，单位名录中没有唯一对应的这一级政府，请手工选择。")
    members = [u.id for u in index.units.values() if u.level in levels and u.parent_id == scope.id]
    if not members:
        return UnitMatch(name, [], None, f"单位名录中“{scope.name}”下没有{'、'.join(levels)}一级的单位，请手工选择。")
    return UnitMatch(name, members, COLLECTIVE, f"统称，包括“{scope.name}”下的{'、'.join(levels)}共{len(members)}个单位")


def _scope_unit(scope: str | None, index: UnitIndex) -> UnitRef | None:
    """The government a department set hangs under: the home when the prefix is its level
    (市 for a city, 省 for a province, 区/县 for a district or county), otherwise the only unit
    of that level whose place the prefix fits; None when there is none or several."""
    home = index.home
    if not scope:
        return home
    scope = scope.removeprefix("全")
    wanted = {"省": ("市",), "市": ("市", "区县"), "州": ("市",), "区": ("区县",), "县": ("区县",),
              "镇": ("乡镇街道",), "乡": ("乡镇街道",), "街道": ("乡镇街道",)}[scope]
    if home is not None and home.level in wanted and _fits(scope, home):
        return home
    candidates = [u for u in index.units.values() if u.level in wanted and _fits(scope, u)]
    return candidates[0] if len(candidates) == 1 else None


def _fits(scope: str, unit: UnitRef) -> bool:
    """Whether a prefix (省/市/区/县/镇 …) names a unit of this place: 杭州市 fits 市, not 省;
    a unit whose name shows no place fits any prefix of its level."""
    place = place_of(unit)
    if not place or not place.endswith(("省", "市", "区", "县", "州", "盟", "旗", "镇", "乡", "街道")):
        return True
    if scope in ("区", "县"):
        return unit.level == "区县"
    return place.endswith(scope)


def _region_set(name: str, rest: str, index: UnitIndex) -> UnitMatch | None:
    """"各区、县（市）政府", "各乡镇（街道）", and "各区县（市）司法局" (one office in each)."""
    for cut in range(len(rest), 0, -1):
        regions, tail = rest[:cut], rest[cut:]
        if not _REGION_CHARS.match(regions) or not re.search(r"区|县|市|乡|镇|街道", regions):
            continue
        levels = _levels_of(regions)
        members = _under_home(index, levels)
        if tail in _GOVERNMENT_WORDS or normalise_name(tail) in ("政府", "委"):
            if not members:
                return UnitMatch(name, [], None, f"单位名录中没有{'、'.join(levels)}一级的单位，请手工选择。")
            return UnitMatch(name, [u.id for u in members], COLLECTIVE,
                             f"统称，包括{'、'.join(levels)}一级共{len(members)}个单位")
        offices = _offices_in(members, tail, index)
        if offices:
            return UnitMatch(name, offices, COLLECTIVE, f"统称，包括各{'、'.join(levels)}的“{tail}”共{len(offices)}个单位")
        if members and re.match(r"^[\u4e00-\u9fff]{2,12}(?:局|委|办|厅|中心|所)$", tail):
            return UnitMatch(name, [], None, f"单位名录中各{'、'.join(levels)}下没有找到“{tail}”，请手工选择。")
    return None


def _levels_of(regions: str) -> tuple[str, ...]:
    """区/县 (县级市 in brackets) → 区县; 乡/镇/街道 → 乡镇街道; 市 first or alone (各市、县…,
    各设区市) → 市."""
    outside = re.sub(r"（[^（）]*）", "", regions)
    levels: list[str] = []
    if outside.startswith(("市", "设区市")) and (outside in ("市", "设区市") or outside[1:2] == "、"):
        levels.append("市")
    if re.search(r"区|县", outside.replace("设区", "")) or (outside not in ("市", "设区市") and "市" in outside[1:]):
        levels.append("区县")
    if re.search(r"乡|镇|街道", regions):
        levels.append("乡镇街道")
    return tuple(levels) or ("区县",)


def _under_home(index: UnitIndex, levels: tuple[str, ...]) -> list[UnitRef]:
    """Units of those levels below the home (all of them when there is no home)."""
    home = index.home
    units = [u for u in index.units.values() if u.level in levels]
    if home is None:
        return units
    below = _descendants(index, home.id)
    return [u for u in units if u.id in below]


def _descendants(index: UnitIndex, unit_id: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for unit in index.units.values():
        if unit.parent_id is not None:
            children.setdefault(unit.parent_id, []).append(unit.id)
    out: set[int] = set()
    stack = list(children.get(unit_id, []))
    while stack:
        current = stack.pop()
        if current in out:
            continue
        out.add(current)
        stack.extend(children.get(current, []))
    return out


def _offices_in(regions: list[UnitRef], office: str, index: UnitIndex) -> list[int]:
    """The unit called ``office`` (区司法局, 西湖区司法局, any spelling) under each region."""
    spellings = set(same_body(office))
    for _prefix, stem in split_level(normalise_name(office))[1:]:
        spellings |= set(same_body(stem))
    found: list[int] = []
    for region in regions:
        for unit in index.units.values():
            if unit.parent_id != region.id:
                continue
            key = normalise_name(unit.name)
            if any(key.endswith(s) for s in spellings if len(s) >= 2):
                found.append(unit.id)
                break
    return found

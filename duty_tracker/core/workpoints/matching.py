"""Mapping the responsible units a document names to the program's units.

In order: the clerk's remembered choice for that name (an explicit decision wins over every
rule); the exact name; the normalised name (the city's own name as prefix or not — 杭州市司法局
= 市司法局 —, 中共 and 人民政府/委员会/办公室 forms, alternative names in brackets); a known
other name (:mod:`.aliases`: short forms and the 2018–2019 机构改革 renamings, 市法制办 → 市司法局);
collective names ("市政府各部门", "市直各单位", "各区、县（市）政府", "各乡镇（街道）",
"各区县（市）司法局") expanded to the units they mean (:mod:`.collectives`). A name that
several units fit, or none, is reported as such with the candidates — never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from duty_tracker.core.workpoints.collectives import expand_collective
from duty_tracker.core.workpoints.model import ROLE_ORDER, ParsedTask
from duty_tracker.core.workpoints.unit_index import (
    ALIAS,
    EXACT,
    MOVED_BODIES,
    NORMALISED,
    REMEMBERED,
    UnitIndex,
    UnitMatch,
    UnitRef,
    names_of,
    normalise_name,
    same_body,
    split_level,
)

__all__ = ["UnitMapping", "UnitMatch", "UnitRef", "match_units", "normalise_name"]


@dataclass(slots=True)
class UnitMapping:
    """The proposal for every name, in the order the names were given."""

    matches: dict[str, UnitMatch]

    @property
    def unmatched(self) -> list[str]:
        return [name for name, match in self.matches.items() if not match.matched]

    def ids_for(self, name: str) -> list[int]:
        match = self.matches.get(name)
        return list(match.unit_ids) if match else []

    def task_units(self, task: ParsedTask) -> list[tuple[int, str]]:
        """(unit id, role) for a task, collectives expanded; a unit named twice keeps its
        strongest role (牵头 before 负责 before 配合). Unmatched names are left out: see
        :attr:`unmatched`."""
        roles: dict[int, str] = {}
        for unit_role in task.roles:
            for unit_id in self.ids_for(unit_role.name):
                known = roles.get(unit_id)
                if known is None or ROLE_ORDER[unit_role.role] < ROLE_ORDER[known]:
                    roles[unit_id] = unit_role.role
        return list(roles.items())

    def to_dict(self) -> dict[str, Any]:
        return {"matches": [m.to_dict() for m in self.matches.values()], "unmatched": self.unmatched}


def match_units(
    names: Iterable[str],
    units: Iterable[Any],
    *,
    remembered: Mapping[str, int | list[int]] | None = None,
    home_unit_id: int | None = None,
) -> UnitMapping:
    """Propose a unit (or units) for every responsible-unit name of a document.

    ``units`` are the program's units (dicts or objects with id, name, level, parent_id);
    ``remembered`` maps a name to the unit id(s) the clerk chose for it before;
    ``home_unit_id`` is the unit whose documents these are (default: the single top unit),
    which says what "市政府各部门" or "各区县" is under, and whose place name may prefix names.
    """
    refs = [UnitRef.of(u) for u in units]
    home = _home(refs, home_unit_id)
    index = UnitIndex(refs, home)
    memory = {normalise_name(k): v for k, v in (remembered or {}).items()}
    matches: dict[str, UnitMatch] = {}
    for raw in names:
        name = raw.strip()
        if name and name not in matches:
            matches[name] = _match_one(name, index, remembered or {}, memory)
    return UnitMapping(matches)


def _home(units: list[UnitRef], home_unit_id: int | None) -> UnitRef | None:
    if home_unit_id is not None:
        return next((u for u in units if u.id == home_unit_id), None)
    roots = [u for u in units if u.parent_id is None]
    if len(roots) == 1:
        return roots[0]
    regions = [u for u in roots if u.level == "市"] or [u for u in roots if u.level == "区县"]
    return regions[0] if len(regions) == 1 else None


def _match_one(name: str, index: UnitIndex, remembered: Mapping[str, Any], memory: Mapping[str, Any]) -> UnitMatch:
    chosen = remembered.get(name, memory.get(normalise_name(name)))
    if chosen is not None:
        ids = [i for i in ([chosen] if isinstance(chosen, int) else list(chosen)) if i in index.units]
        if ids:
            return UnitMatch(name, ids, REMEMBERED, "按以前的选择对应")
    exact = [u.id for u in index.units.values() if u.name.strip() == name]
    if len(exact) == 1:
        return UnitMatch(name, exact, EXACT)
    if len(exact) > 1:
        return _ambiguous(name, exact, index)
    found = index.lookup(normalise_name(name))
    if len(found) == 1:
        return UnitMatch(name, sorted(found), NORMALISED, f"名称写法不同，对应“{names_of(index, found)}”")
    if found:
        return _ambiguous(name, sorted(found), index)
    by_alias = _alias(name, index)
    if by_alias is not None:
        return by_alias
    collective = expand_collective(name, index)
    if collective is not None:
        return collective
    return UnitMatch(name, [], None, "单位名录中没有找到对应的单位，请手工选择。", _similar(name, index))


def _name(index: UnitIndex, ids: Iterable[int]) -> str:
    return "、".join(index.units[i].name for i in sorted(ids))


def _ambiguous(name: str, ids: list[int], index: UnitIndex) -> UnitMatch:
    return UnitMatch(name, [], None, f"有多个单位可能对应（{names_of(index, ids)}），请选择。", ids)


def _alias(name: str, index: UnitIndex) -> UnitMatch | None:
    key = index.generic(normalise_name(name))
    for prefix, stem in split_level(key):
        spellings = same_body(stem)
        found = _lookup_all(index, prefix, [s for s in spellings if s != stem])
        if found:
            return _alias_match(name, found, index, "简称或全称不同")
        for old, heirs, why in MOVED_BODIES:
            if not old & set(spellings):
                continue
            found = _lookup_all(index, prefix, [s for heir in heirs for s in same_body(heir)])
            if found:
                return _alias_match(name, found, index, why)
    return None


def _lookup_all(index: UnitIndex, prefix: str, stems: list[str]) -> set[int]:
    found: set[int] = set()
    for stem in stems:
        variants = {stem, stem[:-1] + "厅"} if prefix == "省" and stem.endswith("局") else {stem}
        for variant in variants:
            found |= index.lookup(prefix + variant)
    return found


def _alias_match(name: str, found: set[int], index: UnitIndex, why: str) -> UnitMatch:
    if len(found) == 1:
        return UnitMatch(name, sorted(found), ALIAS, f"{why}：{name} → {names_of(index, found)}")
    return UnitMatch(name, [], None, f"{why}，可能对应{names_of(index, found)}，请选择。", sorted(found))


def _similar(name: str, index: UnitIndex) -> list[int]:
    """Units whose name shares the stem of ``name`` (suggestions only, never applied)."""
    key = index.generic(normalise_name(name))
    stems = {stem for _prefix, stem in split_level(key)[1:]} or {key}
    core = {re.sub(r"(局|委|办|厅|中心|部)$", "", s) for s in stems}
    out = []
    for unit in index.units.values():
        other = index.generic(normalise_name(unit.name))
        if any(len(c) >= 2 and c in other for c in core):
            out.append(unit.id)
    return sorted(out)[:8]



"""Unit names in comparable form, and an index of the program's units by every form of their
names (normalised, with or without the home's place name, qualified by the parent's place)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from duty_tracker.core.workpoints.aliases import MOVED, SAME_BODY

REMEMBERED, EXACT, NORMALISED, ALIAS, COLLECTIVE = "remembered", "exact", "normalised", "alias", "collective"
REGION_LEVELS = ("市", "区县", "乡镇街道")
_LEVEL_CHARS = ("街道", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡")
_REGION_SUFFIX = re.compile(r"(?:人民政府|政府|党委和政府|党委、政府|党委政府|党政|党委|党工委|委|办事处|街道办事处)$")


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit of the program, as the matcher needs it."""

    id: int
    name: str
    level: str
    parent_id: int | None = None

    @classmethod
    def of(cls, unit: Any) -> UnitRef:
        """From a storage row (dict) or any object with id, name, level, parent_id."""
        if isinstance(unit, UnitRef):
            return unit
        get = unit.get if isinstance(unit, Mapping) else lambda key, default=None: getattr(unit, key, default)
        parent = get("parent_id", None)
        return cls(int(get("id")), str(get("name")), str(get("level")), int(parent) if parent is not None else None)


@dataclass(slots=True)
class UnitMatch:
    """How one name of the document maps: ``unit_ids`` empty when it is not matched;
    ``candidates`` are units it may mean (several fit, or similar names) for the clerk."""

    name: str
    unit_ids: list[int] = field(default_factory=list)
    method: str | None = None
    note: str = ""
    candidates: list[int] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return bool(self.unit_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "unit_ids": list(self.unit_ids), "method": self.method,
                "note": self.note, "candidates": list(self.candidates)}


def normalise_name(name: str) -> str:
    """A unit name in comparable form: no spaces or bracketed alternatives, no 中共 prefix,
    人民政府 → 政府, 委员会 → 委, 办公室/办公厅 → 办, 共青团X委 → X团委."""
    text = re.sub(r"\s", "", name).replace("(", "（").replace(")", "）")
    text = re.sub(r"（[^（）]*）", "", text)
    text = re.sub(r"^(?:中国共产党|中共)", "", text)
    text = re.sub(r"^共青团", "团", text)
    text = text.replace("人民政府", "政府").replace("委员会", "委").replace("办公室", "办").replace("办公厅", "办")
    match = re.fullmatch(r"团(.{1,8}?[省市区县])委", text)
    if match:
        text = f"{match.group(1)}团委"
    return text


def _bracketed(name: str) -> list[str]:
    return re.findall(r"[（(]([^（）()]{2,30})[）)]", name)


def split_level(name: str) -> list[tuple[str, str]]:
    """Ways to read a name as level prefix + stem: "市市场监管局" → ("市", "市场监管局");
    "市场监管局" → also ("", "市场监管局")."""
    out = [("", name)]
    for prefix in _LEVEL_CHARS:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            out.append((prefix, name[len(prefix):]))
    return out


def place_of(unit: UnitRef) -> str | None:
    """The place a region-level unit stands for: 杭州市人民政府 → 杭州市, 中共西湖区委 → 西湖区."""
    if unit.level not in REGION_LEVELS:
        return None
    place = _REGION_SUFFIX.sub("", normalise_name(unit.name))
    return place if len(place) >= 2 else None


class UnitIndex:
    """Lookup of normalised names (and their forms) to unit ids."""

    def __init__(self, units: list[UnitRef], home: UnitRef | None) -> None:
        self.units = {u.id: u for u in units}
        self.home = home
        self.home_places = self._home_places(home)
        self.keys: dict[str, set[int]] = {}
        for unit in units:
            for key in self._keys_of(unit):
                self.keys.setdefault(key, set()).add(unit.id)

    @staticmethod
    def _home_places(home: UnitRef | None) -> list[tuple[str, str]]:
        """(place as written, level prefix that replaces it): 杭州市 → 市, 杭州 → 市."""
        place = place_of(home) if home else None
        if not place:
            return []
        level = next((c for c in _LEVEL_CHARS if place.endswith(c)), "")
        out = [(place, level)]
        if level and len(place) - len(level) >= 2:
            out.append((place[: -len(level)], level))
        return out

    def generic(self, key: str) -> str:
        """The name as the home's own documents write it: 杭州市司法局 → 市司法局."""
        for place, level in self.home_places:
            if key.startswith(place) and len(key) > len(place):
                return level + key[len(place):]
        return key

    def _keys_of(self, unit: UnitRef) -> set[str]:
        names = [normalise_name(unit.name)] + [normalise_name(alt) for alt in _bracketed(unit.name)]
        keys = set(names)
        place = place_of(unit)
        if place:
            keys |= {place, f"{place}政府", f"{place}委", f"{place}党委"}
        parent = self.units.get(unit.parent_id) if unit.parent_id is not None else None
        parent_place = place_of(parent) if parent else None
        if parent_place:
            for name in names:
                for prefix, stem in split_level(name)[1:]:
                    if parent_place.endswith(prefix):
                        keys.add(parent_place + stem)
        if unit is self.home or (self.home and unit.id == self.home.id):
            level = self.home_places[0][1] if self.home_places else ""
            keys |= {f"{level}政府", f"{level}委", f"{level}委{level}政府"} if level else set()
        return keys | {self.generic(k) for k in keys}

    def lookup(self, key: str) -> set[int]:
        """Units known by ``key``; a name without the level ("仲裁委", "市场监管局" for
        市市场监管局) is also read as the home's own unit of that name."""
        found = set(self.keys.get(key, ())) | set(self.keys.get(self.generic(key), ()))
        if not found and self.home_places:
            found = set(self.keys.get(self.home_places[0][1] + key, ()))
        return found


def same_body(stem: str) -> list[str]:
    """Every normalised spelling of the body a stem names (itself included)."""
    key = normalise_name(stem)
    for group in _SAME:
        if key in group:
            return list(group)
    return [key]


_SAME: list[tuple[str, ...]] = [tuple(dict.fromkeys(normalise_name(n) for n in group)) for group in SAME_BODY]
MOVED_BODIES: list[tuple[set[str], list[str], str]] = [
    ({normalise_name(n) for n in old}, [normalise_name(n) for n in new], why) for old, new, why in MOVED
]


def names_of(index: UnitIndex, ids: Iterable[int]) -> str:
    """The names of units, for a message."""
    return "、".join(index.units[i].name for i in sorted(ids))

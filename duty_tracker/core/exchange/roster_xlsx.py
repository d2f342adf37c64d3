"""The leader roster (负责人名册) to and from .xlsx.

One row per term of office: 单位, 单位层级, 上级单位, 姓名, 职务, 类别, 任职开始, 任职结束. A
leader with two terms has two rows; a leader without a term one row with empty dates. On import
a leader is recognised by unit name + name; a unit by its name (a new unit needs its 层级).

Use::

    preview = preview_roster(store, path)   # reads and validates, writes nothing
    for error in preview.errors: print(error)          # "第 5 行（任职开始）：日期格式不正确…"
    result = apply_roster(store, preview)   # every valid row in one transaction

"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.domain import ROLE_LABELS, UNIT_LEVELS, Role
from duty_tracker.core.exchange.xlsx_common import (
    Column,
    ExchangeError,
    RowError,
    iso,
    new_workbook,
    open_sheet,
    parse_date,
    read_rows,
    save_workbook,
    text_of,
    write_sheet,
)
from duty_tracker.core.storage.errors import StorageError

SHEET = "负责人名册"
COLUMNS = (
    Column("单位", 24), Column("单位层级", 10), Column("上级单位", 20), Column("姓名", 10),
    Column("职务", 22), Column("类别", 16), Column("任职开始", 12, is_date=True),
    Column("任职结束", 12, is_date=True),
)
ALIASES = {
    "unit": ("单位", "单位名称", "所在单位"),
    "level": ("单位层级", "层级"),
    "parent": ("上级单位",),
    "name": ("姓名", "负责人", "负责人姓名"),
    "position": ("职务", "职务名称"),
    "role": ("类别", "负责人类别", "角色"),
    "start": ("任职开始", "任职开始日期", "任职起始", "起始日期"),
    "end": ("任职结束", "任职结束日期", "结束日期"),
}
REQUIRED = ("unit", "name", "role")
#: Longest unit name, position … accepted (a real one is far shorter).
MAX_NAME = 100

_ROLE_WORDS = {
    "party": Role.PARTY, "党委主要负责人": Role.PARTY, "党委": Role.PARTY, "党委书记": Role.PARTY,
    "书记": Role.PARTY, "党组书记": Role.PARTY,
    "government": Role.GOVERNMENT, "政府主要负责人": Role.GOVERNMENT, "政府": Role.GOVERNMENT,
    "行政": Role.GOVERNMENT, "行政主要负责人": Role.GOVERNMENT,
    "other": Role.OTHER, "其他主要负责人": Role.OTHER, "其他": Role.OTHER,
    "主要负责人": Role.OTHER,
}


def parse_role(value: Any) -> Role:
    text = text_of(value).replace(" ", "")
    role = _ROLE_WORDS.get(text) or _ROLE_WORDS.get(text.lower())
    if role is None:
        raise ValueError(f"类别不正确：{text or '（空）'}（可填：党委主要负责人、政府主要负责人、其他主要负责人）")
    return role


# -- export --------------------------------------------------------------------------------------
def roster_rows(store: Any) -> list[list[Any]]:
    units = {u["id"]: u for u in store.people.units()}
    rows: list[list[Any]] = []
    for leader in store.people.leaders():
        unit = units.get(leader["unit_id"], {})
        parent = units.get(unit.get("parent_id"), {}) if unit else {}
        base = [unit.get("name", ""), unit.get("level", ""), parent.get("name", ""), leader["name"],
                leader["position"], ROLE_LABELS[Role(leader["role"])]]
        terms = leader["terms"] or [{"start_date": None, "end_date": None}]
        for term in terms:
            rows.append(base + [iso(term["start_date"]), iso(term["end_date"])])
    return rows


def export_roster(store: Any, path: Path | str) -> int:
    """Write the roster to ``path`` (.xlsx); returns the number of data rows."""
    wb = new_workbook()
    count = write_sheet(wb.create_sheet(SHEET), COLUMNS, roster_rows(store))
    save_workbook(wb, path)
    return count


# -- import preview ------------------------------------------------------------------------------
@dataclass
class RosterRow:
    row: int
    unit: str
    level: str | None
    parent: str
    name: str
    position: str
    role: Role
    start: date | None
    end: date | None
    #: Filled by the preview: what applying this row will do (shown to the clerk).
    action: str = ""


@dataclass
class RosterPreview:
    path: Path
    rows: list[RosterRow] = field(default_factory=list)  # the valid rows
    errors: list[RowError] = field(default_factory=list)
    #: File-level remarks that do not block the import (sheets that were not read).
    skipped: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def valid_count(self) -> int:
        return len(self.rows)

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors] + [str(e) for e in self.skipped]


@dataclass
class RosterResult:
    units_added: int = 0
    leaders_added: int = 0
    leaders_updated: int = 0
    terms_added: int = 0
    terms_updated: int = 0

    def summary(self) -> str:
        return (f"新增单位 {self.units_added} 个，新增负责人 {self.leaders_added} 名，"
                f"更新负责人 {self.leaders_updated} 名，新增任期 {self.terms_added} 段，"
                f"更新任期 {self.terms_updated} 段。")


def preview_roster(store: Any, path: Path | str) -> RosterPreview:
    """Read and check every row; nothing is written."""
    path = Path(path)
    preview = RosterPreview(path)
    sheet = open_sheet(path, (SHEET,))
    raw_rows, file_errors = read_rows(sheet, ALIASES, REQUIRED)
    preview.errors += file_errors
    preview.skipped += [RowError(0, "", notice) for notice in sheet.notices]
    preview.total_rows = len(raw_rows)
    checker = _RosterChecker(store)
    for raw in raw_rows:
        if raw.issues:
            preview.errors += raw.issues
            continue
        row, errors = checker.check(raw.number, raw.values)
        if errors:
            preview.errors += errors
        elif row is not None:
            preview.rows.append(row)
    return preview


class _RosterChecker:
    """The roster as it stands plus the rows read so far: units, leaders and their terms."""

    def __init__(self, store: Any) -> None:
        self.units_by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for unit in store.people.units():
            self.units_by_name[unit["name"]].append(unit)
        self.new_units: dict[str, str] = {}  # name -> level, for units the file creates
        self.leaders_by_key: dict[tuple[str, str], dict[str, Any]] = {}
        for leader in store.people.leaders():
            self.leaders_by_key.setdefault((leader["unit_name"], leader["name"]), leader)
        # Terms per leader as the import goes along: (start, end)
        self.terms: dict[tuple[str, str], list[tuple[date, date | None]]] = defaultdict(list)
        for key, leader in self.leaders_by_key.items():
            self.terms[key] = [(date.fromisoformat(t["start_date"]), iso(t["end_date"]))
                               for t in leader["terms"]]
        self.seen_leaders: set[tuple[str, str]] = set()

    def check(self, number: int, values: dict[str, Any]) -> tuple[RosterRow | None, list[RowError]]:
        errors: list[RowError] = []

        def bad(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        unit_name, name = text_of(values.get("unit")), text_of(values.get("name"))
        level, parent = text_of(values.get("level")) or None, text_of(values.get("parent"))
        position = text_of(values.get("position"))
        for label, text, limit in (("单位", unit_name, MAX_NAME), ("姓名", name, 50),
                                   ("上级单位", parent, MAX_NAME), ("职务", position, MAX_NAME)):
            if len(text) > limit:
                bad(label, f"内容过长（超过 {limit} 字）")
        if not unit_name:
            bad("单位", "单位不能为空")
        if not name:
            bad("姓名", "姓名不能为空")
        role: Role | None = None
        try:
            role = parse_role(values.get("role"))
        except ValueError as exc:
            bad("类别", str(exc))
        self._check_unit(unit_name, level, parent, bad)
        start, end = _term_dates(values, bad, errors)
        action = self._term_action((unit_name, name), start, end, bad) if not errors else ""
        if errors:
            return None, errors
        if unit_name not in self.units_by_name and unit_name not in self.new_units:
            self.new_units[unit_name] = level or ""
        key = (unit_name, name)
        label = "新增负责人" if key not in self.leaders_by_key and key not in self.seen_leaders else "更新负责人"
        self.seen_leaders.add(key)
        return RosterRow(number, unit_name, level, parent, name, position, role, start, end,
                         "、".join(a for a in (label, action) if a)), []

    def _check_unit(self, unit_name: str, level: str | None, parent: str, bad: Any) -> None:
        levels = "、".join(UNIT_LEVELS)
        if unit_name and len(self.units_by_name.get(unit_name, [])) > 1:
            bad("单位", f"数据库中有多个名为“{unit_name}”的单位，无法确定是哪一个")
        if unit_name and unit_name not in self.units_by_name and level is None \
                and self.new_units.get(unit_name) is None:
            bad("单位层级", f"新单位“{unit_name}”需要填写层级（{levels}）")
        elif level is not None and level not in UNIT_LEVELS:
            bad("单位层级", f"层级不正确：{level}（可选：{levels}）")
        if parent and parent not in self.units_by_name and parent not in self.new_units and parent != unit_name:
            bad("上级单位", f"上级单位不存在：{parent}（请先在本表中列出该单位）")
        if parent and parent == unit_name:
            bad("上级单位", "上级单位不能是本单位")

    def _term_action(self, key: tuple[str, str], start: date | None, end: date | None, bad: Any) -> str:
        if start is None:
            return ""
        existing = self.terms[key]
        same = [t for t in existing if t[0] == start]
        others = [t for t in existing if t[0] != start]
        for o_start, o_end in others:
            if (o_end is None or start <= o_end) and (end is None or o_start <= end):
                bad("任职开始", f"任期与已有任期（{o_start.isoformat()} 至 "
                                f"{o_end.isoformat() if o_end else '今'}）重叠")
                return ""
        self.terms[key] = others + [(start, end)]
        return "更新任期" if same and same[0][1] != end else ("" if same else "新增任期")


def _term_dates(values: dict[str, Any], bad: Any, errors: list[RowError]) -> tuple[date | None, date | None]:
    start = end = None
    if values.get("start") not in (None, ""):
        try:
            start = parse_date(values.get("start"), "任职开始日期")
        except ValueError as exc:
            bad("任职开始", str(exc))
    if values.get("end") not in (None, ""):
        try:
            end = parse_date(values.get("end"), "任职结束日期")
        except ValueError as exc:
            bad("任职结束", str(exc))
        if start is None and not errors:
            bad("任职开始", "填写了任职结束日期，但没有开始日期")
    if start and end and end < start:
        bad("任职结束", "结束日期早于开始日期")
    return start, end


def apply_roster(store: Any, preview: RosterPreview) -> RosterResult:
    """Write every valid row of ``preview`` in one transaction (all or nothing)."""
    result = RosterResult()
    people = store.people
    try:
        with store.db.atomic():
            units = {u["name"]: u["id"] for u in people.units()}
            parents: dict[str, str] = {}
            for row in preview.rows:
                if row.unit not in units:
                    units[row.unit] = people.add_unit(row.unit, row.level or "部门")
                    result.units_added += 1
                if row.parent:
                    parents[row.unit] = row.parent
            for unit_name, parent_name in parents.items():
                unit = people.unit(units[unit_name])
                if unit["parent_id"] != units[parent_name]:
                    people.update_unit(unit["id"], name=unit["name"], level=unit["level"],
                                       parent_id=units[parent_name])
            leaders: dict[tuple[int, str], dict[str, Any]] = {}
            for leader in people.leaders():
                leaders.setdefault((leader["unit_id"], leader["name"]), leader)
            touched: set[int] = set()
            for row in preview.rows:
                unit_id = units[row.unit]
                leader = leaders.get((unit_id, row.name))
                if leader is None:
                    leader_id = people.add_leader(row.name, unit_id, row.role.value, row.position)
                    leader = leaders[(unit_id, row.name)] = people.leader(leader_id)
                    result.leaders_added += 1
                    touched.add(leader_id)
                elif (leader["role"] != row.role.value or (row.position and leader["position"] != row.position)):
                    people.update_leader(leader["id"], name=leader["name"], unit_id=unit_id,
                                         role=row.role.value, position=row.position or leader["position"])
                    leader.update(role=row.role.value, position=row.position or leader["position"])
                    if leader["id"] not in touched:
                        result.leaders_updated += 1
                        touched.add(leader["id"])
                if row.start is None:
                    continue
                same = [t for t in people.terms(leader["id"]) if t["start_date"] == row.start.isoformat()]
                if same:
                    if same[0]["end_date"] != (row.end.isoformat() if row.end else None):
                        people.update_term(same[0]["id"], row.start, row.end)
                        result.terms_updated += 1
                else:
                    people.add_term(leader["id"], row.start, row.end)
                    result.terms_added += 1
    except StorageError as exc:
        raise ExchangeError(f"导入未完成，数据库未作任何修改：{exc}") from exc
    return result

"""The ledger (履职纪实台账) and the status table (完成情况) to .xlsx, and records from .xlsx.

Export: one sheet 履职纪实台账 (a year, optionally one unit) and/or one sheet 完成情况 (per leader,
duty and period). Import reads a sheet with the same headers (the exported file is the
template): every row is checked — date, type, title, leaders known (in the unit the 单位 column
names, when it names one), duties known in the rule set of that year — and the valid rows go in
in one transaction::

    preview = preview_records(store, path)
    print("\\n".join(preview.error_lines()))
    result = apply_records(store, preview)

Rows that are already in the ledger are *skipped*, with a line saying so, rather than added a
second time: a row whose 唯一标识 is already there, and a row with the same date, title and
leaders as a record already there or as an earlier row of the file (the same sheet imported
twice, or pasted twice). ``allow_duplicates=True`` imports the second kind anyway, for the rare
meeting that really took place twice the same day. Skipped rows do not block the import.
"""

from __future__ import annotations

import re
import sqlite3
import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.styles import PatternFill

from duty_tracker.core.domain import PERIOD_LABELS, RECORD_KINDS, ROLE_LABELS, Period, Role, Status
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
from duty_tracker.core.helpers import now_iso
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.marks import sqlite_reason

LEDGER_SHEET = "履职纪实台账"
STATUS_SHEET = "完成情况"
LEDGER_COLUMNS = (
    Column("序号", 6), Column("履职日期", 12, is_date=True), Column("单位", 18),
    Column("负责人", 14, wrap=True), Column("履职事项", 36, wrap=True), Column("条款", 14, wrap=True),
    Column("类型", 9), Column("标题", 36, wrap=True), Column("地点", 14, wrap=True),
    Column("参加人员", 20, wrap=True), Column("纪要文号", 16), Column("情况说明", 48, wrap=True),
    Column("附件数", 7), Column("唯一标识", 38),
)
STATUS_COLUMNS = (
    Column("单位", 18), Column("负责人", 10), Column("类别", 15), Column("履职事项", 40, wrap=True),
    Column("条款", 14), Column("周期", 8), Column("期间开始", 12, is_date=True),
    Column("期间结束", 12, is_date=True), Column("应完成", 8), Column("已完成", 8), Column("状态", 8),
    Column("备注", 16),
)
STATUS_FILLS = {
    Status.DONE: PatternFill("solid", fgColor="D9F2D9"),
    Status.IN_PROGRESS: PatternFill("solid", fgColor="E3ECF7"),
    Status.WARNING: PatternFill("solid", fgColor="FFF0C2"),
    Status.FAILED: PatternFill("solid", fgColor="F8D3D0"),
}
ALIASES = {
    "performed_on": ("履职日期", "日期", "时间"),
    "unit": ("单位",),
    "leaders": ("负责人", "负责人姓名"),
    "duties": ("履职事项", "事项"),
    "kind": ("类型", "形式"),
    "title": ("标题", "名称", "事由"),
    "place": ("地点",),
    "participants": ("参加人员",),
    "minutes_number": ("纪要文号", "文号"),
    "description": ("情况说明", "说明", "内容"),
    "uuid": ("唯一标识", "UUID", "uuid"),
}
REQUIRED = ("performed_on", "leaders", "kind", "title")
_LEADER_SPLIT = re.compile(r"[、，,；;/\s]+")
_DUTY_SPLIT = re.compile(r"[\n；;]+")
MAX_TEXT = 4000


# -- export --------------------------------------------------------------------------------------
def ledger_rows(store: Any, year: int, unit_id: int | None = None) -> list[list[Any]]:
    db = store.db
    where = "r.deleted_at IS NULL AND r.performed_on BETWEEN ? AND ?"
    params: list[Any] = [f"{year}-01-01", f"{year}-12-31"]
    if unit_id is not None:
        where += (" AND r.id IN (SELECT rl.record_id FROM record_leaders rl JOIN leaders l "
                  "ON l.id = rl.leader_id WHERE l.unit_id = ?)")
        params.append(unit_id)
    records = list(db.query(
        f"SELECT r.*, a.label AS article_label FROM records r LEFT JOIN articles a ON a.id = r.article_id "
        f"WHERE {where} ORDER BY r.performed_on, r.id", params))
    if not records:
        return []
    leaders: dict[int, list[tuple[str, str]]] = defaultdict(list)
    duties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    attachments: dict[int, int] = {}
    id_filter = f"SELECT r.id FROM records r WHERE {where}"
    for rid, name, unit in db.execute(
        f"SELECT rl.record_id, l.name, u.name FROM record_leaders rl JOIN leaders l ON l.id = rl.leader_id "
        f"JOIN units u ON u.id = l.unit_id WHERE rl.record_id IN ({id_filter}) ORDER BY l.unit_id, "
        f"CASE l.role WHEN 'party' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, l.id", params):
        leaders[rid].append((name, unit))
    for rid, title, a_label, c_label in db.execute(
        f"SELECT rd.record_id, d.title, a.label, c.label FROM record_duties rd JOIN duties d ON d.id = rd.duty_id "
        f"LEFT JOIN articles a ON a.id = d.article_id LEFT JOIN clauses c ON c.id = d.clause_id "
        f"WHERE rd.record_id IN ({id_filter}) ORDER BY d.position, d.id", params):
        duties[rid].append((title, (a_label or "") + (c_label or "")))
    for rid, count in db.execute(
        f"SELECT record_id, count(*) FROM attachments WHERE record_id IN ({id_filter}) GROUP BY record_id",
        params):
        attachments[rid] = count
    rows = []
    for index, r in enumerate(records, start=1):
        names = leaders.get(r["id"], [])
        refs = list(dict.fromkeys(ref for _t, ref in duties.get(r["id"], []) if ref))
        if r["article_label"] and r["article_label"] not in refs:
            refs.append(r["article_label"])
        rows.append([
            index, iso(r["performed_on"]), "、".join(dict.fromkeys(u for _n, u in names)),
            "、".join(n for n, _u in names), "\n".join(t for t, _r in duties.get(r["id"], [])),
            "、".join(refs), r["kind"], r["title"], r["place"], r["participants"], r["minutes_number"],
            r["description"], attachments.get(r["id"], 0), r["uuid"],
        ])
    return rows


def status_rows(store: Any, year: int, unit_id: int | None = None,
                today: date | None = None) -> list[list[Any]]:
    from duty_tracker.core.status import year_status

    leader_ids = None
    if unit_id is not None:
        leader_ids = [leader["id"] for leader in store.people.leaders(unit_id)]
        if not leader_ids:
            return []
    status = year_status(store, year, today=today, leader_ids=leader_ids)
    units = {u["id"]: u["name"] for u in store.people.units()}
    refs = {d["id"]: d["article_ref"] for d in store.rules.duties_for_year(year)}
    leaders = {leader.id: leader for leader in status.leaders}
    duties = {duty.id: duty for duty in status.duties}
    rows = []
    for p in status.periods:
        leader, duty = leaders[p.leader_id], duties[p.duty_id]
        rows.append([
            units.get(leader.unit_id, ""), leader.name, ROLE_LABELS[Role(leader.role)], duty.title,
            refs.get(duty.id, ""), PERIOD_LABELS[Period(duty.period)], p.period.start, p.period.end,
            p.required, p.done, p.status.value, "任期不完整" if p.partial else "",
        ])
    return rows


def _colour_status(ws: Any) -> None:
    status_col = [c.header for c in STATUS_COLUMNS].index("状态") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=status_col, max_col=status_col):
        fill = STATUS_FILLS.get(Status(cell.value)) if cell.value in Status._value2member_map_ else None
        if fill:
            cell.fill = fill


def export_ledger(
    store: Any,
    path: Path | str,
    year: int,
    *,
    unit_id: int | None = None,
    ledger: bool = True,
    status: bool = False,
    today: date | None = None,
) -> dict[str, int]:
    """Write the ledger and/or the status table of ``year``; returns rows written per sheet."""
    if not ledger and not status:
        raise ExchangeError("请至少选择导出台账或完成情况表。")
    wb = new_workbook()
    counts: dict[str, int] = {}
    if ledger:
        ws = wb.create_sheet(LEDGER_SHEET)
        counts[LEDGER_SHEET] = write_sheet(ws, LEDGER_COLUMNS, ledger_rows(store, year, unit_id))
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if status:
        ws = wb.create_sheet(STATUS_SHEET)
        counts[STATUS_SHEET] = write_sheet(ws, STATUS_COLUMNS, status_rows(store, year, unit_id, today))
        _colour_status(ws)
        ws.page_setup.orientation = "landscape"
    save_workbook(wb, path)
    return counts


# -- import --------------------------------------------------------------------------------------
@dataclass
class RecordRow:
    row: int
    performed_on: date
    title: str
    kind: str
    leader_ids: list[int]
    duty_ids: list[int]
    place: str = ""
    participants: str = ""
    minutes_number: str = ""
    description: str = ""
    uuid: str | None = None
    leader_names: str = ""
    duty_titles: str = ""


@dataclass
class RecordsPreview:
    path: Path
    rows: list[RecordRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Rows left out on purpose (already in the ledger, duplicates) and file-level remarks
    #: (sheets not read); they do not block the import of the valid rows.
    skipped: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def valid_count(self) -> int:
        return len(self.rows)

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors})

    def error_lines(self) -> list[str]:
        """Everything the clerk should read before confirming: errors, then what is skipped."""
        return [str(e) for e in self.errors] + [str(e) for e in self.skipped]


class _Lookup:
    """Leaders by name (and unit), duties by title per year — built once per preview."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.leaders: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for leader in store.people.leaders():
            self.leaders[leader["name"]].append((leader["id"], leader["unit_name"]))
        self._duties: dict[int, dict[str, int]] = {}

    def duties(self, year: int) -> dict[str, int]:
        if year not in self._duties:
            by_title: dict[str, int] = {}
            for duty in self.store.rules.duties_for_year(year):
                by_title.setdefault(duty["title"].strip(), duty["id"])
            self._duties[year] = by_title
        return self._duties[year]


def preview_records(store: Any, path: Path | str, *, allow_duplicates: bool = False) -> RecordsPreview:
    """Read and check every row of a ledger workbook; nothing is written."""
    path = Path(path)
    preview = RecordsPreview(path)
    sheet = open_sheet(path, (LEDGER_SHEET,))
    raw_rows, file_errors = read_rows(sheet, ALIASES, REQUIRED)
    preview.errors += file_errors
    preview.skipped += [RowError(0, "", notice) for notice in sheet.notices]
    preview.total_rows = len(raw_rows)
    lookup = _Lookup(store)
    seen_uuids: set[str] = set()
    for raw in raw_rows:
        if raw.issues:
            preview.errors += raw.issues
            continue
        row, errors = _check_row(raw.number, raw.values, lookup, seen_uuids)
        if errors:
            preview.errors += errors
        elif row is not None:
            preview.rows.append(row)
    _skip_known(store, preview, allow_duplicates)
    preview.errors.sort(key=lambda e: e.row)
    preview.skipped.sort(key=lambda e: e.row)
    return preview


def _skip_known(store: Any, preview: RecordsPreview, allow_duplicates: bool) -> None:
    """Leave out the rows already in the ledger (by 唯一标识, or by date, title and leaders)
    and the repeats of an earlier row of the same file."""
    uuids = [r.uuid for r in preview.rows if r.uuid]
    existing: set[str] = set()
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        existing |= {u for (u,) in store.db.execute(
            f"SELECT uuid FROM records WHERE uuid IN ({','.join('?' * len(chunk))})", chunk)}
    known = _known_keys(store, preview.rows) if not allow_duplicates else set()
    seen: dict[tuple, int] = {}
    kept = []
    for row in preview.rows:
        key = _duplicate_key(row.performed_on.isoformat(), row.title, row.leader_ids)
        if row.uuid in existing:
            preview.skipped.append(RowError(row.row, "唯一标识", "该纪实已在数据库中（可能已导入过），已跳过"))
        elif not allow_duplicates and key in known:
            preview.skipped.append(RowError(row.row, "", "与数据库中已有的纪实重复（日期、标题、负责人相同），"
                                                     "已跳过；确需重复录入时请选择“允许重复”后再导入"))
        elif not allow_duplicates and key in seen:
            preview.skipped.append(RowError(row.row, "", f"与本表第 {seen[key]} 行重复（日期、标题、负责人相同），已跳过"))
        else:
            seen.setdefault(key, row.row)
            kept.append(row)
    preview.rows = kept


def _duplicate_key(day: str, title: str, leader_ids: list[int]) -> tuple:
    return day, " ".join(title.split()), tuple(sorted(set(leader_ids)))


def _known_keys(store: Any, rows: list[RecordRow]) -> set[tuple]:
    """The (date, title, leaders) of the ledger's records on the days the file covers."""
    days = sorted({r.performed_on.isoformat() for r in rows})
    keys: set[tuple] = set()
    for start in range(0, len(days), 500):
        chunk = days[start:start + 500]
        found: dict[int, tuple[str, str, list[int]]] = {}
        for rid, day, title, leader in store.db.execute(
                f"SELECT r.id, r.performed_on, r.title, rl.leader_id FROM records r "
                f"JOIN record_leaders rl ON rl.record_id = r.id WHERE r.deleted_at IS NULL "
                f"AND r.performed_on IN ({','.join('?' * len(chunk))})", chunk):
            found.setdefault(rid, (day, title, []))[2].append(leader)
        keys |= {_duplicate_key(day, title, leaders) for day, title, leaders in found.values()}
    return keys


def _check_row(
    number: int, values: dict[str, Any], lookup: _Lookup, seen_uuids: set[str]
) -> tuple[RecordRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    day: date | None = None
    try:
        day = parse_date(values.get("performed_on"))
    except ValueError as exc:
        bad("履职日期", str(exc))
    title = text_of(values.get("title"))
    if not title:
        bad("标题", "标题不能为空")
    elif len(title) > 500:
        bad("标题", "标题过长（超过 500 字）")
    kind = text_of(values.get("kind"))
    if kind not in RECORD_KINDS:
        bad("类型", f"类型不正确：{kind or '（空）'}（可选：{'、'.join(RECORD_KINDS)}）")
    unit = text_of(values.get("unit"))
    units = {u for u in _LEADER_SPLIT.split(unit) if u}
    names = [n for n in _LEADER_SPLIT.split(text_of(values.get("leaders"))) if n]
    leader_ids: list[int] = []
    if not names:
        bad("负责人", "负责人不能为空")
    for name in names:
        everywhere = lookup.leaders.get(name, [])
        candidates = [c for c in everywhere if c[1] in units or c[1] == unit] if unit else everywhere
        if not candidates and everywhere:
            bad("负责人", f"负责人“{name}”不在单位“{unit}”（本机记录的单位："
                         f"{'、'.join(dict.fromkeys(c[1] for c in everywhere))}）；请核对“单位”列")
        elif not candidates:
            bad("负责人", f"未知负责人：{name}（请先在“负责人与单位”中添加）")
        elif len(candidates) > 1:
            bad("负责人", f"负责人“{name}”有重名，请在“单位”列填写其单位")
        else:
            leader_ids.append(candidates[0][0])
    duty_titles = [t.strip() for t in _DUTY_SPLIT.split(text_of(values.get("duties"))) if t.strip()]
    duty_ids: list[int] = []
    if day is not None:
        known = lookup.duties(day.year)
        for duty_title in duty_titles:
            duty_id = known.get(duty_title)
            if duty_id is None:
                bad("履职事项", f"未知履职事项：{duty_title}（{day.year} 年适用的规则中没有该事项）")
            else:
                duty_ids.append(duty_id)
    texts = {k: text_of(values.get(k)) for k in ("place", "participants", "minutes_number", "description")}
    for key, label in (("place", "地点"), ("participants", "参加人员"), ("minutes_number", "纪要文号"),
                       ("description", "情况说明")):
        if len(texts[key]) > MAX_TEXT:
            bad(label, f"内容过长（超过 {MAX_TEXT} 字）")
    record_uuid = text_of(values.get("uuid")) or None
    if record_uuid:
        try:
            record_uuid = str(uuidlib.UUID(record_uuid))
        except ValueError:
            bad("唯一标识", f"唯一标识格式不正确：{record_uuid[:40]}（新纪实请留空）")
        else:
            if record_uuid in seen_uuids:
                bad("唯一标识", "与前面某行的唯一标识重复")
            seen_uuids.add(record_uuid)
    if errors or day is None:
        return None, errors
    return RecordRow(
        number, day, title, kind, list(dict.fromkeys(leader_ids)), list(dict.fromkeys(duty_ids)),
        texts["place"], texts["participants"], texts["minutes_number"], texts["description"],
        record_uuid, "、".join(names), "；".join(duty_titles),
    ), []


@dataclass
class RecordsResult:
    added: int = 0
    record_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"已导入 {self.added} 条履职纪实。"


def apply_records(store: Any, preview: RecordsPreview) -> RecordsResult:
    """Insert every valid row of ``preview`` in one transaction: all of them, or none."""
    result = RecordsResult()
    db = store.db
    now = now_iso()
    try:
        with db.atomic():
            for row in preview.rows:
                record_id = int(db["records"].insert({
                    "uuid": row.uuid or str(uuidlib.uuid4()), "performed_on": row.performed_on.isoformat(),
                    "title": row.title, "kind": row.kind, "place": row.place,
                    "participants": row.participants, "minutes_number": row.minutes_number,
                    "description": row.description, "article_id": None,
                    "created_at": now, "updated_at": now, "deleted_at": None,
                }).last_pk)
                db["record_leaders"].insert_all(
                    [{"record_id": record_id, "leader_id": lid} for lid in row.leader_ids])
                db["record_duties"].insert_all(
                    [{"record_id": record_id, "duty_id": did} for did in row.duty_ids])
                result.record_ids.append(record_id)
            result.added = len(result.record_ids)
    except StorageError as exc:  # rolled back, reported in Chinese
        raise ExchangeError(f"导入失败，数据库未作任何修改：{exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise ExchangeError(f"导入失败，数据库未作任何修改：{sqlite_reason(exc)}。"
                            "请检查数据文件夹是否只读、磁盘是否已满。") from exc
    return result

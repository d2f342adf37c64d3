"""Merging a verified data package into the ledger, field by field (see ``sync_state`` for
why version vectors), row by row, in one transaction.

- Rule tables are reference data: a rule set, article, clause or duty new here is added;
  one already here (same uuid, or the same rule text, article number …) is left as it is.
- Units, leaders, terms, records and debriefs are matched by uuid, then by an alias learnt
  earlier, then by content (the same unit name and level, the same leader in the same unit,
  the same term start, the same debrief year), and merged field by field.
- Every write goes through the repositories (the same validation as the window). A row that
  fails it, has a field of the wrong JSON type, or refers to something neither here nor in
  the package (a record whose leaders are unknown) is refused and reported; the rest of the
  package goes in.
- A field both offices changed since they last shared it is a conflict: the local value
  stays in the row, both values are kept in ``merge_conflicts``, and ``conflicts.resolve``
  settles it by the clerk's choice. Nothing is discarded.

``preview=True`` runs the same merge and rolls it back, so the clerk sees what would happen.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duty_tracker.core.errors import AppError, InputError
from duty_tracker.core.exchange.package_format import (
    REFERENCE_TABLES,
    REFS,
    TABLE_LABELS,
    PackageError,
    VerifiedPackage,
    is_sha256,
)
from duty_tracker.core.exchange.sync_state import (
    FIELD_LABELS,
    RECORD_PLAIN,
    SYNC_FIELDS,
    Clock,
    SyncState,
    combined,
    dominates,
    is_blank,
    local_values,
    same,
)
from duty_tracker.core.helpers import now_iso, parse_date
from duty_tracker.core.storage.marks import sqlite_reason
from duty_tracker.core.storage.records_repo import safe_suffix
from duty_tracker.core.storage.rules_repo import add_package_rule_row

UNKNOWN = object()  # a reference the receiving database cannot resolve
_S, _I, _L, _N, _B, _D = str, int, list, type(None), bool, dict
#: The JSON types each column of a package row may have (first: required or not).
SCHEMA: dict[str, dict[str, tuple[bool, tuple[type, ...]]]] = {
    "rule_sets": {"title": (True, (_S,)), "source_text": (False, (_S, _N)), "issuer": (False, (_S, _N)),
                  "doc_number": (False, (_S, _N)), "effective_date": (False, (_S, _N))},
    "articles": {"rule_set_uuid": (True, (_S,)), "number": (True, (_I,)), "label": (True, (_S,)),
                 "chapter": (False, (_S, _N)), "text": (True, (_S,))},
    "clauses": {"article_uuid": (True, (_S,)), "number": (True, (_I,)), "label": (True, (_S,)),
                "text": (True, (_S,))},
    "duties": {"rule_set_uuid": (True, (_S,)), "article_uuid": (False, (_S, _N)), "clause_uuid": (False, (_S, _N)),
               "title": (True, (_S,)), "role": (True, (_S,)), "period": (True, (_S,)), "min_count": (True, (_I,)),
               "due": (False, (_S, _N)), "target": (False, (_S, _N)), "source_text": (False, (_S, _N)),
               "position": (False, (_I, _N)), "active": (False, (_I, _B, _N))},
    "units": {"name": (True, (_S,)), "level": (True, (_S,)), "parent_uuid": (False, (_S, _N))},
    "leaders": {"name": (True, (_S,)), "unit_uuid": (True, (_S,)), "position": (False, (_S, _N)),
                "role": (True, (_S,))},
    "terms": {"leader_uuid": (True, (_S,)), "start_date": (True, (_S,)), "end_date": (False, (_S, _N))},
    "records": {"performed_on": (True, (_S,)), "title": (True, (_S,)), "kind": (True, (_S,)),
                "place": (False, (_S, _N)), "participants": (False, (_S, _N)), "minutes_number": (False, (_S, _N)),
                "description": (False, (_S, _N)), "article_uuid": (False, (_S, _N)), "deleted_at": (False, (_S, _N)),
                "created_at": (False, (_S, _N)), "leader_uuids": (True, (_L,)), "duty_uuids": (False, (_L, _N))},
    "attachments": {"record_uuid": (True, (_S,)), "file_name": (True, (_S,)), "sha256": (True, (_S,)),
                    "size": (True, (_I,)), "added_at": (False, (_S, _N))},
    "debriefs": {"leader_uuid": (True, (_S,)), "year": (True, (_I,)), "title": (False, (_S, _N)),
                 "achievements": (False, (_S, _N)), "problems": (False, (_S, _N)), "plans": (False, (_S, _N))},
}
_TYPE_NAMES = {str: "文字", int: "整数", list: "列表", dict: "对象", bool: "是/否", float: "小数", type(None): "空"}
_COLUMN_LABELS = {"uuid": "唯一标识", "rule_set_uuid": "所属规则", "article_uuid": "条文", "clause_uuid": "款项",
                  "parent_uuid": "上级单位", "unit_uuid": "所在单位", "leader_uuid": "负责人", "record_uuid": "所属纪实",
                  "leader_uuids": "负责人", "duty_uuids": "履职事项", "deleted_at": "删除时间", "file_name": "文件名",
                  "sha256": "校验值", "size": "大小", "number": "编号", "label": "编号", "text": "正文",
                  "min_count": "最低次数", "period": "周期", "due": "截止日期", "_clock": "版本信息", "_held": "待定字段"}
#: Content keys that recognise a row entered independently in both offices.
CONTENT_KEYS = {
    "rule_sets": ("title", "source_text"), "articles": ("rule_set_id", "number"),
    "clauses": ("article_id", "number"), "duties": ("rule_set_id", "title", "period"),
    "units": ("name", "level"), "leaders": ("unit_id", "name"), "terms": ("leader_id", "start_date"),
    "debriefs": ("leader_id", "year"),
}


_REQUIRED_RULE_REFS = {"articles": ("rule_set_id",), "clauses": ("article_id",), "duties": ("rule_set_id",)}


class _Refused(InputError):
    """This row cannot go in; the message says why (Chinese)."""


@dataclass
class Conflict:
    """A field both sides changed since they last shared it; both values are kept."""

    table: str
    uuid: str
    label: str
    field: str
    local_text: str
    package_text: str
    id: int | None = None

    def __str__(self) -> str:
        return (f"{TABLE_LABELS.get(self.table, self.table)}{self.label}的“{FIELD_LABELS.get(self.field, self.field)}”："
                f"本机为“{self.local_text}”，数据包为“{self.package_text}”（两边都修改过，两边的内容都已保留，"
                "请选择保留哪一个）")


@dataclass
class MergeResult:
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    restored: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_added: int = 0
    backup: Path | None = None
    unit_name: str = ""
    created_at: str = ""

    def summary(self) -> str:
        def fmt(counter: Counter) -> str:
            parts = [f"{TABLE_LABELS[t]} {counter[t]}" for t in REFS if counter.get(t)]
            return "、".join(parts) if parts else "无"

        lines = [f"新增：{fmt(self.added)}", f"更新：{fmt(self.updated)}"]
        if self.deleted:
            lines.append(f"删除（移入回收站）：{fmt(self.deleted)}")
        if self.restored:
            lines.append(f"恢复（移出回收站）：{fmt(self.restored)}")
        lines.append(f"冲突（两边都修改过，均已保留，待选择）：{len(self.conflicts)} 处")
        if self.refused:
            lines.append(f"未导入：{len(self.refused)} 行（原因见下）")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit_name, "added": dict(self.added), "updated": dict(self.updated),
                "deleted": dict(self.deleted), "restored": dict(self.restored),
                "unchanged": dict(self.unchanged), "files_added": self.files_added,
                "conflicts": [{"id": c.id, "table": c.table, "uuid": c.uuid, "label": c.label, "field": c.field,
                               "local": c.local_text, "package": c.package_text} for c in self.conflicts],
                "refused": self.refused, "notes": self.notes,
                "backup": str(self.backup) if self.backup else None}


def type_problem(table: str, row: Any) -> str | None:
    """Why a package row has the wrong shape (Chinese), or None."""
    if not isinstance(row, dict):
        return f"一行数据不是对象（实为{_TYPE_NAMES.get(type(row), type(row).__name__)}）"
    uuid = row.get("uuid")
    try:
        if not isinstance(uuid, str) or str(uuidlib.UUID(uuid)) != uuid.lower():
            raise ValueError
    except ValueError:
        return f"唯一标识格式不正确：{str(uuid)[:40]}"
    for column, (required, types) in SCHEMA[table].items():
        value = row.get(column)
        if column not in row and not required:
            continue
        allowed = () if isinstance(value, bool) and bool not in types else types  # True is no int here
        if not isinstance(value, allowed):
            expected = "或".join(_TYPE_NAMES.get(t, t.__name__) for t in types if t is not type(None)) or "空"
            actual = _TYPE_NAMES.get(type(value), type(value).__name__) if column in row else "缺失"
            return f"字段“{_COLUMN_LABELS.get(column, FIELD_LABELS.get(column, column))}”应为{expected}，实为{actual}"
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            return f"字段“{_COLUMN_LABELS.get(column, column)}”应为文字的列表"
    if table == "attachments" and not is_sha256(row.get("sha256")):
        return "附件的校验值格式不正确"
    for extra in ("_clock", "_held"):
        if extra in row and not isinstance(row[extra], dict if extra == "_clock" else list):
            return f"字段“{_COLUMN_LABELS[extra]}”格式不正确"
    return None


def row_label(table: str, row: dict[str, Any]) -> str:
    for key in ("title", "name", "file_name"):
        if isinstance(row.get(key), str) and row[key].strip():
            extra = f"（{row['performed_on']}）" if table == "records" and isinstance(row.get("performed_on"), str) else ""
            return f"“{row[key].strip()[:60]}”{extra}"
    if table == "terms":
        return f"（{row.get('start_date')} 起的任期）"
    if table == "debriefs":
        return f"（{row.get('year')} 年）"
    return f"（{str(row.get('uuid', ''))[:36]}）"


def describe(conn: sqlite3.Connection, field_name: str, value: Any) -> str:
    """A value as the clerk reads it: names instead of uuids, 已删除 for a deletion."""
    if field_name == "deleted":
        return "已删除" if value else "未删除"
    table = {"parent": "units", "unit": "units", "leader": "leaders", "article": "articles",
             "leaders": "leaders", "duties": "duties"}.get(field_name)
    if table is None:
        return "（空）" if is_blank(value) else str(value)
    column = {"articles": "label", "duties": "title"}.get(table, "name")
    names = []
    for item in value if isinstance(value, list) else [value]:
        row = conn.execute(f"SELECT {column} FROM {table} WHERE uuid = ?", [item]).fetchone() if item else None
        names.append(row[0] if row else "（空）" if not item else "（未知）")
    return "、".join(names) or "（空）"


class Merger:
    """One merge of one package into one store (inside the caller's transaction)."""

    def __init__(self, store: Any, package: VerifiedPackage, *, preview: bool) -> None:
        self.store, self.package, self.preview = store, package, preview
        self.conn: sqlite3.Connection = store.db.conn
        self.result = MergeResult()
        self.state = SyncState(self.conn)
        self.local_uuid: dict[str, dict[str, str]] = {t: {} for t in REFS}  # package uuid -> local uuid
        source = package.source_uuid
        if source and source != self.state.self_uuid:
            self.state.seen_peer(source, package.source_name)
        self.has_clocks = package.version >= 2 and source is not None

    # -- references ------------------------------------------------------------------------------
    def id_of(self, table: str, uuid: str | None) -> int | None:
        if not uuid:
            return None
        row = self.conn.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        return int(row[0]) if row else None

    def ref(self, table: str, package_uuid: Any) -> Any:
        """The local uuid of a row the package refers to; None for no reference, UNKNOWN when
        it is neither here nor (already merged) in the package."""
        if package_uuid is None:
            return None
        if package_uuid in self.local_uuid[table]:
            return self.local_uuid[table][package_uuid]
        if self.id_of(table, package_uuid) is not None:
            return package_uuid
        alias = self.state.alias(table, package_uuid)
        return alias if alias and self.id_of(table, alias) is not None else UNKNOWN

    def required(self, table: str, package_uuid: Any, what: str) -> str:
        found = self.ref(table, package_uuid)
        if found is None or found is UNKNOWN:
            raise _Refused(f"其{what}既不在本机，也不在数据包中（或未能导入）")
        return found

    # -- running ---------------------------------------------------------------------------------
    def run(self) -> MergeResult:
        for table in REFERENCE_TABLES:
            self.each_row(table, self.merge_reference)
        for table in ("units", "leaders", "terms", "records"):
            self.each_row(table, self.merge_synced)
        self.each_row("attachments", self.merge_attachment)
        self.each_row("debriefs", self.merge_synced)
        return self.result

    def rows(self, table: str) -> list[Any]:
        rows = list(self.package.tables.get(table, []))
        return _parents_first(rows) if table == "units" else rows

    def each_row(self, table: str, merge: Any) -> None:
        for row in self.rows(table):
            label = row_label(table, row) if isinstance(row, dict) else ""
            problem = type_problem(table, row)
            if problem:
                self.refuse(table, label, problem)
                continue
            try:
                with self.store.db.atomic():  # a savepoint: a refused row leaves no trace
                    merge(table, row)
            except _Refused as exc:
                self.refuse(table, label, str(exc))
            except AppError as exc:
                self.refuse(table, label, str(exc).rstrip("。"))
            except sqlite3.IntegrityError as exc:
                self.refuse(table, label, f"与本机数据的约束冲突（{sqlite_reason(exc)}）")

    def refuse(self, table: str, label: str, why: str) -> None:
        self.result.refused.append(f"{TABLE_LABELS[table]}{label}未导入：{why}。")

    # -- reference tables ------------------------------------------------------------------------
    def merge_reference(self, table: str, row: dict[str, Any]) -> None:
        values = {k: v for k, v in row.items() if not k.endswith("_uuid") and k not in ("uuid", "id")}
        for column, target in REFS[table].items():
            ref = self.ref(target, row.get(column.removesuffix("_id") + "_uuid"))
            if ref is UNKNOWN and column in _REQUIRED_RULE_REFS.get(table, ()):
                raise _Refused(f"其所属{TABLE_LABELS[target]}未能导入")
            values[column] = None if ref is UNKNOWN else self.id_of(target, ref)
        local = self.match(table, row["uuid"], values)
        if local is not None:
            self.result.unchanged[table] += 1
        else:
            new_id = add_package_rule_row(self.store.rules, table, row["uuid"], values)
            local = self.conn.execute(f"SELECT uuid FROM {table} WHERE id = ?", [new_id]).fetchone()[0]
            self.result.added[table] += 1
        self.local_uuid[table][row["uuid"]] = local

    def match(self, table: str, package_uuid: str, key_values: dict[str, Any]) -> str | None:
        """The local uuid of the row the package row is: same uuid, a known alias, or content."""
        if self.id_of(table, package_uuid) is not None:
            return package_uuid
        alias = self.state.alias(table, package_uuid)
        if alias and self.id_of(table, alias) is not None:
            return alias
        key = CONTENT_KEYS.get(table)
        if not key or any(key_values.get(k) is None for k in key):
            return None
        where = " AND ".join(f"{k} = ?" for k in key)
        found = self.conn.execute(f"SELECT uuid FROM {table} WHERE {where} ORDER BY id LIMIT 1",
                                  [key_values[k] for k in key]).fetchone()
        if found:
            self.state.remember_alias(table, package_uuid, found[0])
            return str(found[0])
        return None

    # -- synchronised tables ---------------------------------------------------------------------
    def theirs(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """The package row's synchronised fields in local terms (dates as stored: ISO)."""
        row = _normalised_dates(table, row)
        text = {k: (row.get(k) or "") for k in ("place", "participants", "minutes_number", "description",
                                                 "position", "achievements", "problems", "plans")}
        if table == "units":
            return {"name": row["name"], "level": row["level"], "parent": self.ref("units", row.get("parent_uuid"))}
        if table == "leaders":
            return {"name": row["name"], "unit": self.required("units", row["unit_uuid"], "所在单位"),
                    "position": text["position"], "role": row["role"]}
        if table == "terms":
            return {"leader": self.required("leaders", row["leader_uuid"], "负责人"),
                    "start_date": row["start_date"], "end_date": row.get("end_date")}
        if table == "debriefs":
            return {"leader": self.required("leaders", row["leader_uuid"], "负责人"), "year": row["year"],
                    "title": row.get("title"), **{k: text[k] for k in ("achievements", "problems", "plans")}}
        if not row["leader_uuids"]:
            raise _Refused("没有任何负责人")
        plain = {k: (text[k] if k in text else row[k]) if k in row else UNKNOWN for k in RECORD_PLAIN}
        return {**plain, "article": self.ref("articles", row.get("article_uuid")), "deleted": row.get("deleted_at"),
                "leaders": sorted({self.required("leaders", u, "负责人") for u in row["leader_uuids"]}),
                "duties": sorted({self.required("duties", u, "履职事项") for u in row.get("duty_uuids") or []})}

    def key_values(self, table: str, theirs: dict[str, Any]) -> dict[str, Any]:
        ref_id = {"leaders": ("unit_id", "units", "unit"), "terms": ("leader_id", "leaders", "leader"),
                  "debriefs": ("leader_id", "leaders", "leader")}.get(table)
        values = dict(theirs)
        if ref_id:
            values[ref_id[0]] = self.id_of(ref_id[1], theirs[ref_id[2]])
        return values

    def package_clocks(self, table: str, row: dict[str, Any]) -> dict[str, Clock] | None:
        """The row's version vectors in local peer ids; None for a package that has none."""
        if not self.has_clocks or not isinstance(row.get("_clock"), dict):
            return None
        data = row["_clock"]
        if len(data) > 64 or any(not isinstance(v, dict) or len(v) > 64 for v in data.values()):
            raise _Refused("版本信息格式不正确")
        try:
            default = data.get("*", {})
            return {f: self.state.from_package(dict(data.get(f, default))) for f in SYNC_FIELDS[table]}
        except (TypeError, ValueError, AttributeError):
            raise _Refused("版本信息格式不正确") from None

    def merge_synced(self, table: str, row: dict[str, Any]) -> None:
        theirs = self.theirs(table, row)
        clocks = self.package_clocks(table, row)
        local = self.match(table, row["uuid"], self.key_values(table, theirs))
        if local is None:
            local = self.insert(table, row, theirs, clocks)
        else:
            self.update(table, row, local, theirs, clocks)
        self.local_uuid[table][row["uuid"]] = local

    def insert(self, table: str, row: dict[str, Any], theirs: dict[str, Any], clocks: dict[str, Clock] | None) -> str:
        values = {k: (None if v is UNKNOWN else v) for k, v in theirs.items()}
        if theirs.get("parent") is UNKNOWN:
            self.result.notes.append(f"单位{row_label(table, row)}的上级单位不在本机，已作为顶级单位加入。")
        row_id = self.write(table, row["uuid"], values, row)
        if table == "records" and values["deleted"]:
            self.result.deleted[table] += 1
        else:
            self.result.added[table] += 1
        final = local_values(self.conn, table, row_id)
        self.state.save(table, row["uuid"], final, clocks or {f: {} for f in SYNC_FIELDS[table]})
        return row["uuid"]

    def update(self, table: str, row: dict[str, Any], local: str, theirs: dict[str, Any],
               clocks: dict[str, Clock] | None) -> None:
        row_id = self.id_of(table, local)
        ours = local_values(self.conn, table, row_id)
        ours_clocks, history = self.state.observe(table, local, ours)
        held = set(row.get("_held") or [])
        changes: dict[str, Any] = {}
        for name in SYNC_FIELDS[table]:
            mine, other = ours[name], theirs.get(name, UNKNOWN)
            their_clock = clocks.get(name) if clocks is not None else None
            if other is UNKNOWN or (name in held and not same(name, mine, other)):
                continue
            if same(name, mine, other):
                ours_clocks[name] = combined(ours_clocks[name], their_clock or {})
                self.settle_open(table, local, name)
            elif their_clock is not None and dominates(their_clock, ours_clocks[name]) \
                    and their_clock != ours_clocks[name]:
                changes[name], ours_clocks[name] = other, combined(their_clock, ours_clocks[name])
            elif their_clock is not None and dominates(ours_clocks[name], their_clock):
                continue  # ours is newer: they have not seen our edit yet
            elif not (history and their_clock is not None) and is_blank(mine):
                changes[name] = other  # no shared history, and a blank loses nothing
                ours_clocks[name] = combined(ours_clocks[name], their_clock or {})
            elif not (history and their_clock is not None) and is_blank(other):
                continue
            else:
                self.conflict(table, local, row, name, mine, other, their_clock)
        if changes:
            self.write(table, local, {**ours, **changes}, row)
            self.count_change(table, ours, changes)
        else:
            self.result.unchanged[table] += 1
        self.state.save(table, local, local_values(self.conn, table, row_id), ours_clocks)

    def count_change(self, table: str, ours: dict[str, Any], changes: dict[str, Any]) -> None:
        if "deleted" in changes and bool(changes["deleted"]) != bool(ours["deleted"]):
            (self.result.deleted if changes["deleted"] else self.result.restored)[table] += 1
        else:
            self.result.updated[table] += 1

    def write(self, table: str, uuid: str, values: dict[str, Any], row: dict[str, Any]) -> int:
        created = row.get("created_at") if isinstance(row.get("created_at"), str) else None
        return write_row(self.store, table, uuid, values, created_at=created)

    # -- conflicts -------------------------------------------------------------------------------
    def conflict(self, table: str, local: str, row: dict[str, Any], name: str, mine: Any, other: Any,
                 their_clock: Clock | None) -> None:
        label = row_label(table, local_values_label(self.conn, table, local) or row)
        package_clock = json.dumps(self.state.to_package(their_clock or {}), sort_keys=True)
        existing = self.conn.execute(
            "SELECT id FROM merge_conflicts WHERE table_name = ? AND row_uuid = ? AND field = ? AND resolved_at IS NULL",
            [table, local, name]).fetchone()
        values = [json.dumps(mine, ensure_ascii=False), json.dumps(other, ensure_ascii=False), package_clock,
                  self.package.source_name or str(self.package.path.name), self.package.source_uuid, now_iso()]
        if existing:
            conflict_id = int(existing[0])
            self.conn.execute("UPDATE merge_conflicts SET local_value = ?, package_value = ?, package_clock = ?, "
                              "source = ?, peer_uuid = ?, detected_at = ? WHERE id = ?", [*values, conflict_id])
        else:
            conflict_id = int(self.conn.execute(
                "INSERT INTO merge_conflicts (table_name, row_uuid, field, label, local_value, package_value, "
                "package_clock, source, peer_uuid, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [table, local, name, label, *values]).lastrowid)
        self.result.conflicts.append(Conflict(table, local, label, name, describe(self.conn, name, mine),
                                              describe(self.conn, name, other), conflict_id))

    def settle_open(self, table: str, local: str, name: str) -> None:
        """Both sides hold the same value now: an open conflict about it is over."""
        self.conn.execute("UPDATE merge_conflicts SET resolved_at = ?, resolution = 'same', resolved_by = '两边已一致' "
                          "WHERE table_name = ? AND row_uuid = ? AND field = ? AND resolved_at IS NULL",
                          [now_iso(), table, local, name])

    # -- attachments -----------------------------------------------------------------------------
    def merge_attachment(self, table: str, row: dict[str, Any]) -> None:
        record = self.required("records", row["record_uuid"], "所属纪实")
        record_id = self.id_of("records", record)
        if self.id_of("attachments", row["uuid"]) is not None or self.conn.execute(
                "SELECT 1 FROM attachments WHERE record_id = ? AND sha256 = ?", [record_id, row["sha256"]]).fetchone():
            self.result.unchanged[table] += 1
            return
        stored = f"{row['sha256'][:2]}/{row['sha256']}{safe_suffix(row['file_name'])}"
        if not self.preview:
            self.store.records.link_attachment(row["uuid"], record_id=record_id, file_name=row["file_name"],
                                               stored_path=stored, sha256=row["sha256"], size=row["size"],
                                               added_at=row.get("added_at"))
        self.result.added[table] += 1


_DATE_FIELDS = {"records": ("performed_on",), "terms": ("start_date", "end_date")}


def _normalised_dates(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Dates as a clerk may have typed them in another office ("2025-5-5 10:00", full-width
    digits) read the one way every import reads them, so they compare equal to the stored form."""
    fields = _DATE_FIELDS.get(table, ())
    if not fields:
        return row
    out = dict(row)
    for name in fields:
        if out.get(name) is not None:
            try:
                out[name] = parse_date(out[name], FIELD_LABELS.get(name, name)).isoformat()
            except InputError as exc:
                raise _Refused(str(exc)) from None
    return out


def write_row(store: Any, table: str, uuid: str, v: dict[str, Any], *, created_at: str | None = None) -> int:
    """Insert or update one synchronised row, given in local terms, through its repository
    (the same validation as the window, and the audit trail). Returns the row id."""
    people, conn = store.people, store.db.conn

    def id_of(ref_table: str, ref: str | None) -> int | None:
        row = conn.execute(f"SELECT id FROM {ref_table} WHERE uuid = ?", [ref]).fetchone() if ref else None
        if ref and row is None:
            raise _Refused(f"引用的{TABLE_LABELS[ref_table]}已不存在")
        return int(row[0]) if row else None

    if table == "units":
        return people.put_unit(uuid, name=v["name"], level=v["level"], parent_id=id_of("units", v["parent"]))[0]
    if table == "leaders":
        return people.put_leader(uuid, name=v["name"], unit_id=id_of("units", v["unit"]), role=v["role"],
                                 position=v["position"])[0]
    if table == "terms":
        return people.put_term(uuid, leader_id=id_of("leaders", v["leader"]), start=v["start_date"],
                               end=v["end_date"])[0]
    if table == "debriefs":
        return store.debriefs.put(uuid, leader_id=id_of("leaders", v["leader"]), year=v["year"],
                                  **{k: v[k] for k in ("title", "achievements", "problems", "plans")})[0]
    return store.records.put_record(
        uuid, leader_ids=[id_of("leaders", u) for u in v["leaders"]],
        duty_ids=[id_of("duties", u) for u in v["duties"]], deleted_at=v["deleted"] or None,
        created_at=created_at, article_id=id_of("articles", v["article"]),
        **{k: v[k] for k in RECORD_PLAIN if k in v})[0]


def local_values_label(conn: sqlite3.Connection, table: str, uuid: str) -> dict[str, Any] | None:
    columns = {"records": "title, performed_on", "units": "name", "leaders": "name", "terms": "start_date",
               "debriefs": "year"}[table]
    cur = conn.execute(f"SELECT {columns} FROM {table} WHERE uuid = ?", [uuid])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def _parents_first(rows: list[Any]) -> list[Any]:
    """Units ordered so that a parent in the package comes before its children (a cycle in a
    hostile package is broken where it is found)."""
    by_uuid = {r.get("uuid"): r for r in rows if isinstance(r, dict)}
    done: set[Any] = set()
    out: list[Any] = [r for r in rows if not isinstance(r, dict)]

    def visit(row: dict[str, Any], path: set[Any]) -> None:
        key = row.get("uuid")
        if key in done or key in path:
            return
        parent = by_uuid.get(row.get("parent_uuid")) if isinstance(row.get("parent_uuid"), str) else None
        if parent is not None:
            visit(parent, path | {key})
        done.add(key)
        out.append(row)

    for row in rows:
        if isinstance(row, dict):
            visit(row, set())
    return out


def merge_package(store: Any, package: VerifiedPackage, *, commit: bool) -> MergeResult:
    """Run the merge in one transaction: committed, or (a preview) rolled back."""
    conn = store.db.conn
    if conn.in_transaction:
        raise PackageError("数据库正忙（另一个操作尚未完成），请稍后再导入。")
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = Merger(store, package, preview=not commit).run()
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            raise PackageError(f"数据包中的数据引用不完整（{len(fk)} 处），已拒绝，数据库未修改。")
    except BaseException as exc:
        conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise PackageError(f"导入数据包失败，数据库未作任何修改：{sqlite_reason(exc)}。"
                               "请检查数据文件夹是否只读、磁盘是否已满。") from exc
        raise
    conn.execute("COMMIT" if commit else "ROLLBACK")
    result.unit_name = str((package.manifest.get("unit") or {}).get("name", ""))
    result.created_at = str(package.manifest.get("created_at", ""))
    return result

"""Data packages (SPEC §4.9): one unit's ledger — its rows and evidence files — in one file that
another office imports and merges, offline.

The file is a zip (``.dtpkg``) holding ``manifest.json`` (format, unit, and the SHA-256 of every
other member), ``data.json`` (the rows, with every reference written as the referenced row's
uuid instead of a local id) and ``attachments/<stored path>``.

Import is verify-then-merge:

1. Everything is checked before anything is written: every member's path (no ``..``, no
   absolute or drive paths, no links, nothing outside ``attachments/``), the manifest lists
   exactly the members, every hash matches, every attachment row has its file.
2. An automatic backup of the database is made.
3. New evidence files are copied (content-addressed, verified) — harmless if the merge fails.
4. Rows are merged by uuid in one transaction: new rows are added; a row that exists is
   updated when the package's copy is newer (``updated_at``), left alone when equal, and listed
   as a conflict when the local copy is newer and different (the local copy is kept). Rows
   created independently in both offices (the same rule text, the same unit name, the same
   leader in the same unit) are recognised by content so they are not doubled.

``preview_package`` runs the same merge inside a transaction that is rolled back, so the clerk
sees what would be added, updated and in conflict before anything changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from duty_tracker.core.exchange.xlsx_common import ExchangeError

FORMAT = "duty_tracker-package"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
SUFFIX = ".dtpkg"
#: Tables in dependency order, with their references: column -> (referenced table).
REFS: dict[str, dict[str, str]] = {
    "rule_sets": {},
    "articles": {"rule_set_id": "rule_sets"},
    "clauses": {"article_id": "articles"},
    "duties": {"rule_set_id": "rule_sets", "article_id": "articles", "clause_id": "clauses"},
    "units": {"parent_id": "units"},
    "leaders": {"unit_id": "units"},
    "terms": {"leader_id": "leaders"},
    "records": {"article_id": "articles"},
    "attachments": {"record_id": "records"},
    "debriefs": {"leader_id": "leaders"},
}
TABLE_LABELS = {
    "rule_sets": "规则", "articles": "条文", "clauses": "款项", "duties": "履职事项", "units": "单位",
    "leaders": "负责人", "terms": "任期", "records": "履职纪实", "attachments": "附件",
    "debriefs": "述职报告",
}
#: Rule tables are reference data: new rows are added, existing ones never changed by a package.
REFERENCE_TABLES = {"rule_sets", "articles", "clauses", "duties"}
_TIMESTAMPS = {"created_at", "updated_at", "added_at"}


class PackageError(ExchangeError):
    """A package that is unsafe, damaged or not a package; nothing was written."""


@dataclass
class Conflict:
    table: str
    uuid: str
    label: str
    local_updated: str | None
    package_updated: str | None

    def __str__(self) -> str:
        return (f"{TABLE_LABELS.get(self.table, self.table)}“{self.label}”：本机的版本较新"
                f"（本机 {self.local_updated or '—'}，数据包 {self.package_updated or '—'}），保留本机版本")


@dataclass
class MergeResult:
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    files_added: int = 0
    backup: Path | None = None
    unit_name: str = ""
    created_at: str = ""

    def summary(self) -> str:
        def fmt(counter: Counter) -> str:
            parts = [f"{TABLE_LABELS[t]} {counter[t]}" for t in REFS if counter.get(t)]
            return "、".join(parts) if parts else "无"

        return (f"新增：{fmt(self.added)}\n更新：{fmt(self.updated)}\n"
                f"冲突（保留本机版本）：{len(self.conflicts)} 处")

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit_name, "added": dict(self.added), "updated": dict(self.updated),
                "unchanged": dict(self.unchanged), "files_added": self.files_added,
                "conflicts": [{"table": c.table, "uuid": c.uuid, "label": c.label,
                               "local_updated": c.local_updated, "package_updated": c.package_updated}
                              for c in self.conflicts],
                "backup": str(self.backup) if self.backup else None}


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_relative(name: str) -> bool:
    """A relative POSIX path that stays inside its folder (no .., no absolute/drive/UNC path)."""
    if not name or "\\" in name or ":" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return bool(parts) and all(p not in ("", ".", "..") for p in parts)


# -- export --------------------------------------------------------------------------------------
def _unit_tree(db: Any, unit_id: int) -> list[int]:
    rows = db.execute(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id) "
        "SELECT id FROM tree", [unit_id]).fetchall()
    return [r[0] for r in rows]


def _rows(db: Any, table: str, where: str, params: list[Any]) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT * FROM {table} WHERE {where}", params))


def _in(ids: list[int] | set[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def collect_unit_data(store: Any, unit_id: int) -> dict[str, list[dict[str, Any]]]:
    """The unit (and its sub-units), their leaders, terms, records (deleted ones too, so a
    deletion travels), links, attachments, debriefs, and the rules those records cite."""
    db = store.db
    store.people.unit(unit_id)  # NotFoundError with a Chinese message
    unit_ids = _unit_tree(db, unit_id)
    data: dict[str, list[dict[str, Any]]] = {}
    data["units"] = _rows(db, "units", f"id IN ({_in(unit_ids)})", [])
    data["leaders"] = _rows(db, "leaders", f"unit_id IN ({_in(unit_ids)})", [])
    leader_ids = [r["id"] for r in data["leaders"]]
    data["terms"] = _rows(db, "terms", f"leader_id IN ({_in(leader_ids)})", [])
    data["debriefs"] = _rows(db, "debriefs", f"leader_id IN ({_in(leader_ids)})", [])
    data["records"] = _rows(db, "records", f"id IN (SELECT record_id FROM record_leaders "
                                           f"WHERE leader_id IN ({_in(leader_ids)}))", [])
    record_ids = [r["id"] for r in data["records"]]
    data["attachments"] = _rows(db, "attachments", f"record_id IN ({_in(record_ids)})", [])
    links_l = db.execute(f"SELECT record_id, leader_id FROM record_leaders WHERE record_id IN ({_in(record_ids)}) "
                         f"AND leader_id IN ({_in(leader_ids)})").fetchall()
    links_d = db.execute(f"SELECT record_id, duty_id FROM record_duties WHERE record_id IN ({_in(record_ids)})").fetchall()
    duty_ids = {d for _r, d in links_d}
    data["duties"] = _rows(db, "duties", f"id IN ({_in(duty_ids)})", [])
    article_ids = {r["article_id"] for r in data["records"] if r["article_id"]}
    article_ids |= {d["article_id"] for d in data["duties"] if d["article_id"]}
    rule_set_ids = {d["rule_set_id"] for d in data["duties"]}
    rule_set_ids |= {r[0] for r in db.execute(
        f"SELECT rule_set_id FROM articles WHERE id IN ({_in(article_ids)})").fetchall()}
    data["rule_sets"] = _rows(db, "rule_sets", f"id IN ({_in(rule_set_ids)})", [])
    # Whole rule sets travel (articles, clauses, all duties): the receiving office may not have them.
    data["articles"] = _rows(db, "articles", f"rule_set_id IN ({_in(rule_set_ids)})", [])
    data["clauses"] = _rows(db, "clauses", f"article_id IN ({_in([a['id'] for a in data['articles']])})", [])
    data["duties"] = _rows(db, "duties", f"rule_set_id IN ({_in(rule_set_ids)})", [])
    # ids -> uuids
    uuid_of: dict[str, dict[int, str]] = {t: {r["id"]: r["uuid"] for r in rows} for t, rows in data.items()}
    for parent_table in ("units",):  # a parent outside the package is still named by uuid
        parents = {r["parent_id"] for r in data["units"] if r["parent_id"] and r["parent_id"] not in uuid_of["units"]}
        for pid, puuid in db.execute(f"SELECT id, uuid FROM {parent_table} WHERE id IN ({_in(parents)})").fetchall():
            uuid_of["units"][pid] = puuid
    out: dict[str, list[dict[str, Any]]] = {}
    leaders_of: dict[int, list[str]] = {}
    for rid, lid in links_l:
        leaders_of.setdefault(rid, []).append(uuid_of["leaders"][lid])
    duties_of: dict[int, list[str]] = {}
    for rid, did in links_d:
        duties_of.setdefault(rid, []).append(uuid_of["duties"][did])
    for table, refs in REFS.items():
        rows = []
        for row in data[table]:
            item = {k: v for k, v in row.items() if k != "id" and k not in refs}
            for column, target in refs.items():
                item[column.removesuffix("_id") + "_uuid"] = uuid_of[target].get(row[column]) if row[column] else None
            if table == "records":
                item["leader_uuids"] = sorted(leaders_of.get(row["id"], []))
                item["duty_uuids"] = sorted(duties_of.get(row["id"], []))
            rows.append(item)
        out[table] = rows
    return out


def export_package(store: Any, unit_id: int, path: Path | str) -> dict[str, Any]:
    """Write the unit's package to ``path``; returns its manifest. Written to a temporary name
    and re-verified before it gets its final name."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    unit = store.people.unit(unit_id)
    data = collect_unit_data(store, unit_id)
    payload = json.dumps({"tables": data}, ensure_ascii=False, indent=0).encode("utf-8")
    files = {DATA: _sha256_bytes(payload)}
    manifest = {
        "format": FORMAT, "version": VERSION,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "source": {"host": socket.gethostname(), "database": store.path.name},
        "unit": {"uuid": unit["uuid"], "name": unit["name"]},
        "counts": {t: len(rows) for t, rows in data.items()},
        "files": files,
    }
    part = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.writestr(DATA, payload)
            for att in data["attachments"]:
                stored = att["stored_path"]
                member = f"attachments/{stored}"
                if member in files:
                    continue
                source = store.attachments_dir / stored
                if not source.is_file():
                    raise PackageError(f"附件文件缺失，无法导出：{att['file_name']}（{source}）。请先运行“检查”。")
                zf.write(source, member)
                files[member] = att["sha256"]
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        verify_package(part)
        os.replace(part, path)
    except PackageError:
        part.unlink(missing_ok=True)
        raise
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise PackageError(f"无法写入数据包 {path}：{exc.strerror or exc}（磁盘已满或只读？）") from exc
    manifest["path"] = str(path)
    return manifest


# -- verify --------------------------------------------------------------------------------------
@dataclass
class VerifiedPackage:
    path: Path
    manifest: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]


def verify_package(path: Path | str) -> VerifiedPackage:
    """Every check that can be made without the database; raises :class:`PackageError`."""
    path = Path(path)
    if not path.is_file():
        raise PackageError(f"数据包不存在：{path}")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                raise PackageError("数据包中有重复的文件名，已拒绝。")
            for info in infos:
                if not safe_relative(info.filename):
                    raise PackageError(f"数据包中含有不安全的路径：{info.filename}（已拒绝，未导入任何数据）")
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise PackageError(f"数据包中含有链接文件：{info.filename}（已拒绝，未导入任何数据）")
                if info.is_dir():
                    raise PackageError(f"数据包中含有意外的文件夹：{info.filename}")
                if info.filename not in (MANIFEST, DATA) and not info.filename.startswith("attachments/"):
                    raise PackageError(f"数据包中含有意外的文件：{info.filename}")
            if MANIFEST not in names or DATA not in names:
                raise PackageError(f"{path.name} 不是履职纪实数据包（缺少清单或数据）。")
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            if manifest.get("format") != FORMAT:
                raise PackageError(f"{path.name} 不是履职纪实数据包。")
            if int(manifest.get("version", 0)) > VERSION:
                raise PackageError("数据包由较新版本的程序生成，请先升级程序。")
            files = manifest.get("files") or {}
            listed, present = set(files), set(names) - {MANIFEST}
            if listed != present:
                extra = sorted(present - listed)[:3]
                missing = sorted(listed - present)[:3]
                raise PackageError(f"数据包清单与内容不符（多出：{extra or '无'}；缺少：{missing or '无'}），已拒绝。")
            for name in names:
                if name == MANIFEST:
                    continue
                digest = hashlib.sha256()
                with zf.open(name) as fh:
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(chunk)
                if digest.hexdigest() != files[name]:
                    raise PackageError(f"数据包中的文件已损坏或被改动：{name}（校验值不符），已拒绝。")
            tables = json.loads(zf.read(DATA).decode("utf-8"))["tables"]
    except PackageError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, RuntimeError) as exc:
        raise PackageError(f"数据包 {path.name} 无法读取或已损坏：{exc}") from exc
    if not isinstance(tables, dict) or not all(isinstance(tables.get(t, []), list) for t in REFS):
        raise PackageError("数据包的数据格式不正确。")
    for att in tables.get("attachments", []):
        stored = att.get("stored_path", "")
        if not safe_relative(stored):
            raise PackageError(f"数据包中的附件路径不安全：{stored}（已拒绝，未导入任何数据）")
        if files.get(f"attachments/{stored}") != att.get("sha256"):
            raise PackageError(f"数据包缺少附件文件或校验值不符：{att.get('file_name')}")
    for table in REFS:
        for row in tables.get(table, []):
            if not isinstance(row, dict) or not isinstance(row.get("uuid"), str):
                raise PackageError(f"数据包的{TABLE_LABELS[table]}数据格式不正确。")
    return VerifiedPackage(path, manifest, tables)


# -- merge ---------------------------------------------------------------------------------------
class _Merger:
    def __init__(self, store: Any, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.db.conn
        self.tables = tables
        self.result = MergeResult()
        self.id_of: dict[str, dict[str, int]] = {t: {} for t in REFS}
        self.columns = {t: [c.name for c in store.db[t].columns] for t in REFS}
        self.synced_leaders: set[int] = set()

    def one(self, sql: str, params: list[Any]) -> Any:
        return self.conn.execute(sql, params).fetchone()

    def local_row(self, table: str, row_id: int) -> dict[str, Any]:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))

    def to_local(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """A package row with uuids resolved to local ids (unknown references become NULL)."""
        out = {k: v for k, v in row.items() if k in self.columns[table] and k != "id"}
        for column, target in REFS[table].items():
            ref = row.get(column.removesuffix("_id") + "_uuid")
            out[column] = self.resolve(target, ref) if ref else None
        if table == "rule_sets":
            out["is_default"] = 0  # the receiving office keeps its own default rules
        return out

    def resolve(self, table: str, ref_uuid: str) -> int | None:
        if ref_uuid in self.id_of[table]:
            return self.id_of[table][ref_uuid]
        found = self.one(f"SELECT id FROM {table} WHERE uuid = ?", [ref_uuid])
        return found[0] if found else None

    def match(self, table: str, row: dict[str, Any], local: dict[str, Any]) -> int | None:
        found = self.one(f"SELECT id FROM {table} WHERE uuid = ?", [row["uuid"]])
        if found:
            return found[0]
        key = {
            "rule_sets": ("title", "source_text"), "articles": ("rule_set_id", "number"),
            "clauses": ("article_id", "number"), "duties": ("rule_set_id", "title", "period"),
            "units": ("name", "level"), "leaders": ("unit_id", "name"),
            "terms": ("leader_id", "start_date"), "debriefs": ("leader_id", "year"),
        }.get(table)
        if not key or any(local.get(k) is None for k in key):
            return None
        where = " AND ".join(f"{k} = ?" for k in key)
        found = self.one(f"SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT 1", [local[k] for k in key])
        return found[0] if found else None

    def insert(self, table: str, values: dict[str, Any]) -> int:
        cols = list(values)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [values[c] for c in cols])
        return int(cur.lastrowid)

    def update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if k != "uuid"}
        if values:
            self.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                              [*values.values(), row_id])

    def label(self, table: str, row: dict[str, Any]) -> str:
        for key in ("title", "name", "file_name"):
            if row.get(key):
                return str(row[key])
        if table == "terms":
            return f"{row.get('start_date')} 起的任期"
        if table == "debriefs":
            return f"{row.get('year')} 年述职报告"
        return row.get("uuid", "")

    def merge_table(self, table: str) -> None:
        for row in self.tables.get(table, []):
            local_values = self.to_local(table, row)
            row_id = self.match(table, row, local_values)
            if row_id is None:
                if table == "attachments" and local_values.get("record_id") is None:
                    continue
                row_id = self.insert(table, local_values)
                self.result.added[table] += 1
                if table == "leaders":
                    self.synced_leaders.add(row_id)
                if table == "records":
                    self.replace_links(row_id, row)
            else:
                self.merge_existing(table, row_id, row, local_values)
            self.id_of[table][row["uuid"]] = row_id

    def merge_existing(self, table: str, row_id: int, row: dict[str, Any], values: dict[str, Any]) -> None:
        local = self.local_row(table, row_id)
        comparable = [k for k in values if k not in _TIMESTAMPS and k != "uuid"]
        same = all(local.get(k) == values[k] for k in comparable)
        if table == "records":
            same = same and self.links_same(row_id, row)
        if same or table in REFERENCE_TABLES or table == "attachments":
            self.result.unchanged[table] += 1
            return
        theirs, ours = row.get("updated_at"), local.get("updated_at")
        if table == "terms":  # terms have no timestamp: they follow their leader
            newer = local["leader_id"] in self.synced_leaders
        else:
            newer = bool(theirs and (not ours or theirs > ours))
        if newer:
            keep_uuid = {k: v for k, v in values.items() if k != "uuid"}
            if table in ("units",) and values.get("parent_id") is None:
                keep_uuid.pop("parent_id", None)  # a parent unknown here: keep the local one
            self.update(table, row_id, keep_uuid)
            self.result.updated[table] += 1
            if table == "leaders":
                self.synced_leaders.add(row_id)
            if table == "records":
                self.replace_links(row_id, row)
        else:
            self.result.conflicts.append(Conflict(table, row["uuid"], self.label(table, row), ours, theirs))

    def package_links(self, row: dict[str, Any]) -> tuple[set[int], set[int]]:
        leaders = {i for i in (self.resolve("leaders", u) for u in row.get("leader_uuids", [])) if i}
        duties = {i for i in (self.resolve("duties", u) for u in row.get("duty_uuids", [])) if i}
        return leaders, duties

    def links_same(self, record_id: int, row: dict[str, Any]) -> bool:
        leaders, duties = self.package_links(row)
        local_l = {r[0] for r in self.conn.execute(
            "SELECT leader_id FROM record_leaders WHERE record_id = ?", [record_id])}
        local_d = {r[0] for r in self.conn.execute(
            "SELECT duty_id FROM record_duties WHERE record_id = ?", [record_id])}
        return leaders <= local_l and duties == local_d

    def replace_links(self, record_id: int, row: dict[str, Any]) -> None:
        """The package decides the record's duties and its links to the package's leaders; links
        to leaders of other units (kept only here) stay."""
        leaders, duties = self.package_links(row)
        package_leaders = set(self.id_of["leaders"].values())
        for (leader_id,) in self.conn.execute(
                "SELECT leader_id FROM record_leaders WHERE record_id = ?", [record_id]).fetchall():
            if leader_id in package_leaders and leader_id not in leaders:
                self.conn.execute("DELETE FROM record_leaders WHERE record_id = ? AND leader_id = ?",
                                  [record_id, leader_id])
        for leader_id in leaders:
            self.conn.execute("INSERT OR IGNORE INTO record_leaders (record_id, leader_id) VALUES (?, ?)",
                              [record_id, leader_id])
        self.conn.execute("DELETE FROM record_duties WHERE record_id = ?", [record_id])
        for duty_id in duties:
            self.conn.execute("INSERT INTO record_duties (record_id, duty_id) VALUES (?, ?)", [record_id, duty_id])

    def run(self) -> MergeResult:
        for table in REFS:
            if table == "units":
                # Parents may come after children in the list: insert without, then link.
                self.merge_table(table)
                for row in self.tables.get("units", []):
                    parent = row.get("parent_uuid")
                    pid = self.resolve("units", parent) if parent else None
                    if pid and self.id_of["units"].get(row["uuid"]):
                        self.conn.execute("UPDATE units SET parent_id = ? WHERE id = ? AND parent_id IS NULL",
                                          [pid, self.id_of["units"][row["uuid"]]])
            else:
                self.merge_table(table)
        return self.result


def _merge(store: Any, package: VerifiedPackage, *, commit: bool) -> MergeResult:
    conn = store.db.conn
    if conn.in_transaction:
        raise PackageError("数据库正忙（另一个操作尚未完成），请稍后再导入。")
    merger = _Merger(store, package.tables)
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = merger.run()
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            raise PackageError(f"数据包中的数据引用不完整（{len(fk)} 处），已拒绝，数据库未修改。")
    except BaseException as exc:
        conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise PackageError(f"导入数据包失败，数据库未作任何修改：{exc}") from exc
        raise
    conn.execute("COMMIT" if commit else "ROLLBACK")
    result.unit_name = package.manifest.get("unit", {}).get("name", "")
    result.created_at = package.manifest.get("created_at", "")
    return result


def preview_package(store: Any, path: Path | str) -> MergeResult:
    """What importing would do (added, updated, conflicts); nothing is written."""
    return _merge(store, verify_package(path), commit=False)


def import_package(store: Any, path: Path | str, *, backup: bool = True) -> MergeResult:
    """Verify, back up, copy new evidence files, merge the rows in one transaction."""
    from duty_tracker.core.storage.backup import auto_backup

    package = verify_package(path)
    safety = auto_backup(store.path, f"导入数据包 {Path(path).name} 之前") if backup else None
    files_added = _copy_attachments(store, package)
    result = _merge(store, package, commit=True)
    result.backup = safety
    result.files_added = files_added
    return result


def _copy_attachments(store: Any, package: VerifiedPackage) -> int:
    root = Path(store.attachments_dir)
    root_resolved = root.resolve()
    added = 0
    with zipfile.ZipFile(package.path) as zf:
        for att in package.tables.get("attachments", []):
            stored = att["stored_path"]
            target = root / stored
            resolved = target.resolve()
            if root_resolved not in resolved.parents:
                raise PackageError(f"数据包中的附件路径不安全：{stored}")
            if target.exists() or target.is_symlink():
                continue
            part = target.with_name(target.name + ".part")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                data = zf.read(f"attachments/{stored}")
                if _sha256_bytes(data) != att["sha256"]:
                    raise PackageError(f"附件校验失败：{att.get('file_name')}")
                part.write_bytes(data)
                os.replace(part, target)
            except OSError as exc:
                part.unlink(missing_ok=True)
                raise PackageError(f"无法保存附件 {att.get('file_name')}：{exc.strerror or exc}"
                                   "（磁盘已满或只读？数据库未修改）") from exc
            added += 1
    return added

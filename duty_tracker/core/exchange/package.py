"""Data packages: one unit's ledger — its rows and evidence files — in one file that another
office imports and merges, offline.

The file format and its checks are in ``package_format``; the field-by-field merge in
``merge`` (and why it uses version vectors in ``sync_state``); settling the conflicts it keeps
in ``conflicts``. This module exports and imports:

- Export collects the unit (and its sub-units), their leaders, terms, records (deleted ones
  too, so a deletion travels), the leaders of those records from other units (a record never
  arrives without its leaders), attachments, debriefs and annual reports, and the rules the
  records cite (every cited article's rule set, whole). Of the year's work points it takes
  the tasks a unit of the subtree answers for and the tasks its records evidence, with their
  documents and sections; the task units and progress (with evidence files) of the subtree's
  units; and the links of its records to tasks. Deleted documents, tasks and progress travel
  too. The clerk's remembered choices of unit for a document's names stay here: they map the
  documents to *this* office's list of units, which another office does not share.
  It notices local edits first (any path: window, CLI, SQL), so each row travels with
  up-to-date version vectors. Evidence files are streamed into the zip and checked against
  the hash the database recorded; the file is written to a temporary name, re-verified,
  then renamed.
- Import is verify-then-merge: every check that needs no database (``verify_package``), the
  new evidence files (streamed, size-capped, hash-checked, renamed —
  harmless if the merge then fails), then the rows in one transaction. The automatic backup
  before it is made by the use case (``core.services.exchange.import_package``), as for every
  import.

``preview_package`` runs the same merge inside a transaction that is rolled back, so the clerk
sees what would be added, updated, deleted, left in conflict or refused before anything changes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import uuid as uuidlib
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from duty_tracker.core.exchange.merge import Conflict, MergeResult, merge_package
from duty_tracker.core.exchange.merge_rows import type_problem
from duty_tracker.core.exchange.package_format import (
    ATTACHMENT_TABLES,
    DATA,
    FORMAT,
    MANIFEST,
    REFS,
    SUFFIX,
    TABLE_LABELS,
    VERSION,
    PackageError,
    VerifiedPackage,
    attachment_member,
    safe_relative,
    verify_package,
)
from duty_tracker.core.exchange.sync_state import (
    CHUNK,
    SYNC_FIELDS,
    SyncState,
    chunks,
    local_values_many,
    open_conflicts_of,
)
from duty_tracker.core.helpers import collector_paused
from duty_tracker.core.storage import leftovers
from duty_tracker.core.storage.backup import BackupError, attachment_target, os_error_text
from duty_tracker.core.storage.records_repo import safe_suffix

__all__ = ["FORMAT", "SUFFIX", "TABLE_LABELS", "VERSION", "Conflict", "MergeResult", "PackageError",
           "collect_unit_data", "export_package", "import_package", "preview_package", "safe_relative",
           "verify_package"]


# -- export --------------------------------------------------------------------------------------
def _rows(db: Any, table: str, where: str) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT * FROM {table} WHERE {where}"))


def _in(ids: Any) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def _ids(db: Any, sql: str) -> set[int]:
    return {r[0] for r in db.execute(sql) if r[0] is not None}


def _select(db: Any, unit_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the package (the units ``unit_ids`` and what belongs to them), with local ids."""
    own_leaders = _ids(db, f"SELECT id FROM leaders WHERE unit_id IN ({_in(unit_ids)})")
    data: dict[str, list[dict[str, Any]]] = {}
    data["records"] = _rows(db, "records", f"id IN (SELECT record_id FROM record_leaders "
                                           f"WHERE leader_id IN ({_in(own_leaders)}))")
    record_ids = [r["id"] for r in data["records"]]
    linked = _ids(db, f"SELECT leader_id FROM record_leaders WHERE record_id IN ({_in(record_ids)})")
    leader_ids = sorted(own_leaders | linked)
    data["leaders"] = _rows(db, "leaders", f"id IN ({_in(leader_ids)})")
    units = sorted(set(unit_ids) | {r["unit_id"] for r in data["leaders"]})
    data["units"] = _rows(db, "units", f"id IN ({_in(units)})")
    data["terms"] = _rows(db, "terms", f"leader_id IN ({_in(leader_ids)})")
    data["debriefs"] = _rows(db, "debriefs", f"leader_id IN ({_in(own_leaders)})")
    data["attachments"] = _rows(db, "attachments", f"record_id IN ({_in(record_ids)})")
    data["annual_reports"] = _rows(db, "annual_reports", f"unit_id IN ({_in(unit_ids)})")
    _select_rules(db, data, record_ids)
    _select_work_points(db, data, unit_ids, record_ids)
    return data


def _select_rules(db: Any, data: dict[str, list[dict[str, Any]]], record_ids: list[int]) -> None:
    """The rule sets the records cite (a duty, or an article), whole: articles, clauses and all
    duties — the receiving office may not have them."""
    duty_ids = _ids(db, f"SELECT duty_id FROM record_duties WHERE record_id IN ({_in(record_ids)})")
    article_ids = {r["article_id"] for r in data["records"] if r["article_id"]}
    article_ids |= _ids(db, f"SELECT article_id FROM record_articles WHERE record_id IN ({_in(record_ids)})")
    rule_set_ids = _ids(db, f"SELECT rule_set_id FROM duties WHERE id IN ({_in(duty_ids)})")
    rule_set_ids |= _ids(db, f"SELECT rule_set_id FROM articles WHERE id IN ({_in(article_ids)})")
    data["rule_sets"] = _rows(db, "rule_sets", f"id IN ({_in(rule_set_ids)})")
    data["articles"] = _rows(db, "articles", f"rule_set_id IN ({_in(rule_set_ids)})")
    data["clauses"] = _rows(db, "clauses", f"article_id IN ({_in(a['id'] for a in data['articles'])})")
    data["duties"] = _rows(db, "duties", f"rule_set_id IN ({_in(rule_set_ids)})")


def _select_work_points(db: Any, data: dict[str, list[dict[str, Any]]], unit_ids: list[int],
                        record_ids: list[int]) -> None:
    """The tasks the subtree's units answer for and those its records evidence, their documents
    and sections; the subtree's task units and progress with its files; the records' task links."""
    units = _in(unit_ids)
    data["task_records"] = _rows(db, "task_records", f"record_id IN ({_in(record_ids)})")
    task_ids = _ids(db, f"SELECT task_id FROM task_units WHERE unit_id IN ({units})")
    task_ids |= {r["task_id"] for r in data["task_records"]}
    data["tasks"] = _rows(db, "tasks", f"id IN ({_in(task_ids)})")
    plan_ids = {r["plan_id"] for r in data["tasks"]}
    data["work_plans"] = _rows(db, "work_plans", f"id IN ({_in(plan_ids)})")
    data["work_sections"] = _rows(db, "work_sections", f"plan_id IN ({_in(plan_ids)})")
    data["task_units"] = _rows(db, "task_units", f"unit_id IN ({units}) AND task_id IN ({_in(task_ids)})")
    data["task_progress"] = _rows(db, "task_progress", f"unit_id IN ({units}) AND task_id IN ({_in(task_ids)})")
    data["task_attachments"] = _rows(db, "task_attachments",
                                     f"progress_id IN ({_in(r['id'] for r in data['task_progress'])})")


def _uuids_of(db: Any, data: dict[str, list[dict[str, Any]]]) -> dict[str, dict[int, str]]:
    """local id → uuid of every row the package rows refer to (those outside the package too:
    a unit's parent, the unit a record evidences a task for)."""
    uuid_of: dict[str, dict[int, str]] = {t: {r["id"]: r["uuid"] for r in rows} for t, rows in data.items()}
    for table, refs in REFS.items():
        for column, target in refs.items():
            missing = {r[column] for r in data[table] if r[column] and r[column] not in uuid_of[target]}
            for part in chunks(sorted(missing)):
                uuid_of[target].update(dict(db.execute(
                    f"SELECT id, uuid FROM {target} WHERE id IN ({_in(part)})").fetchall()))
    return uuid_of


def _record_links(db: Any, record_ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """record id → the uuids of its leaders, duties and cited articles."""
    out: dict[str, dict[int, list[str]]] = {}
    for key, link, column, target in (("leader_uuids", "record_leaders", "leader_id", "leaders"),
                                      ("duty_uuids", "record_duties", "duty_id", "duties"),
                                      ("article_uuids", "record_articles", "article_id", "articles")):
        found: dict[int, list[str]] = {}
        for part in chunks(record_ids):
            for rid, uuid in db.execute(f"SELECT l.record_id, t.uuid FROM {link} l JOIN {target} t "
                                        f"ON t.id = l.{column} WHERE l.record_id IN ({_in(part)})"):
                found.setdefault(rid, []).append(uuid)
        out[key] = found
    return out


def collect_unit_data(store: Any, unit_id: int, state: SyncState | None = None) -> dict[str, list[dict[str, Any]]]:
    """The package rows of a unit, every local id replaced by the referenced row's uuid; with
    ``state``, each synchronised row carries its version vectors (``_clock``) and the fields
    it has an open conflict about (``_held``). Rows are turned into package rows 500 at a
    time, in place, so that a district's hundred thousand records are not held twice."""
    db = store.db
    store.people.unit(unit_id)  # NotFoundError with a Chinese message
    data = _select(db, sorted(store.people.unit_subtree(unit_id)))
    uuid_of = _uuids_of(db, data)
    links = _record_links(db, [r["id"] for r in data["records"]])
    for table, refs in REFS.items():
        rows = data[table]
        held_here = open_conflicts_of(db.conn, table) if state is not None and table in SYNC_FIELDS else None
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            items = [_package_row(table, refs, row, uuid_of, links) for row in part]
            if held_here is not None and state is not None:
                _stamp_clocks(store, state, table, part, items, held_here)
            rows[start:start + CHUNK] = items
    return data


def _package_row(table: str, refs: dict[str, str], row: dict[str, Any], uuid_of: dict[str, dict[int, str]],
                 links: dict[str, dict[int, list[str]]]) -> dict[str, Any]:
    item = {k: v for k, v in row.items() if k != "id" and k not in refs}
    for column, target in refs.items():
        item[column.removesuffix("_id") + "_uuid"] = uuid_of[target].get(row[column]) if row[column] else None
    if table in ATTACHMENT_TABLES:
        item.pop("stored_path", None)  # a local detail: the receiver stores by hash
    if table == "records":
        for key, found in links.items():
            item[key] = sorted(found.get(row["id"], []))
    return item


def _stamp_clocks(store: Any, state: SyncState, table: str, rows: list[dict[str, Any]],
                  items: list[dict[str, Any]], held_here: dict[str, set[str]]) -> None:
    """Notice the local edits of these rows and give each package row its vectors."""
    state.prefetch(table, [r["uuid"] for r in rows])
    values_of = local_values_many(store.db.conn, table, [r["id"] for r in rows])
    for row, item in zip(rows, items, strict=True):
        values = values_of[row["id"]]
        clocks, _history = state.observe(table, row["uuid"], values)
        item["_clock"] = state.package_form(state.save(table, row["uuid"], values, clocks))
        held = held_here.get(row["uuid"])
        if held:
            item["_held"] = sorted(held)
    state.flush()


def export_package(store: Any, unit_id: int, path: Path | str) -> dict[str, Any]:
    """Write the unit's package to ``path``; returns its manifest. Written to a temporary name
    and re-verified before it gets its final name."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    unit = store.people.unit(unit_id)
    with store.db.atomic():  # noticing local edits writes the sync bookkeeping
        state = SyncState(store.db.conn)
        data = collect_unit_data(store, unit_id, state)
    manifest = {
        "format": FORMAT, "version": VERSION, "created_at": datetime.now().isoformat(timespec="seconds"),
        "source": {"host": socket.gethostname(), "database": store.path.name, "database_uuid": state.self_uuid},
        "unit": {"uuid": unit["uuid"], "name": unit["name"]},
        "counts": {t: len(rows) for t, rows in data.items()},
        "files": {},
    }
    part = path.with_name(f".{path.name}.{uuidlib.uuid4().hex[:8]}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        leftovers.sweep(path.parent, prefix=f".{path.name}.")  # what a killed earlier export left
        with leftovers.claimed(part) as claim:
            _write_package(claim.path, store, data, manifest)
            verify_package(claim.path)
            claim.replace(path)
    except OSError as exc:
        raise PackageError(f"无法写入数据包 {path}：{os_error_text(exc)}（磁盘已满或只读？）") from exc
    manifest["path"] = str(path)
    return manifest


def _write_data(zf: zipfile.ZipFile, data: dict[str, list[dict[str, Any]]]) -> str:
    """``data.json`` written row by row into the zip (a district's rows are tens of MB of
    text: never built as one string); returns its SHA-256."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    digest = hashlib.sha256()
    info = zipfile.ZipInfo(DATA, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        pending: list[str] = []

        def emit(text: str, *, flush: bool = False) -> None:
            pending.append(text)
            if flush or len(pending) >= 2000:
                chunk = "".join(pending).encode("utf-8")
                digest.update(chunk)
                fh.write(chunk)
                pending.clear()

        emit('{"tables": {')
        for index, (table, rows) in enumerate(data.items()):
            emit(f'{", " if index else ""}{encode(table)}: [')
            for number, row in enumerate(rows):
                emit(f"{',' if number else ''}\n{encode(row)}")
            emit("]")
        emit("}}\n", flush=True)
    return digest.hexdigest()


def _write_package(part: Path, store: Any, data: dict[str, Any], manifest: dict[str, Any]) -> None:
    files = manifest["files"]
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        files[DATA] = _write_data(zf, data)
        for table, att in ((t, row) for t in ATTACHMENT_TABLES for row in data[t]):
            member = attachment_member(att, VERSION)
            if member in files:
                continue  # the same evidence file attached twice travels once
            source = store.attachments_dir / store.db.execute(
                f"SELECT stored_path FROM {table} WHERE uuid = ?", [att["uuid"]]).fetchone()[0]
            if not source.is_file():
                raise PackageError(f"附件文件缺失，无法导出：{att['file_name']}（{source}）。请先运行“检查”。")
            info = zipfile.ZipInfo(member, date_time=datetime.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            digest = hashlib.sha256()
            with source.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != att["sha256"]:
                raise PackageError(f"附件 {att['file_name']} 的内容与数据库记录的校验值不符（文件已被改动或损坏），"
                                   "未导出。请先运行“检查”。")
            files[member] = att["sha256"]
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))


# -- import --------------------------------------------------------------------------------------
def preview_package(store: Any, path: Path | str) -> MergeResult:
    """What importing would do (added, updated, deleted, conflicts, refused); nothing is written."""
    with collector_paused():
        return merge_package(store, verify_package(path), commit=False)


def import_package(store: Any, path: Path | str) -> MergeResult:
    """Verify, copy new evidence files, merge the rows in one transaction. The backup first is
    the caller's: the use case ``core.services.exchange.import_package`` makes it."""
    with collector_paused():
        package = verify_package(path)
        files_added = _copy_attachments(store, package)
        result = merge_package(store, package, commit=True)
    result.files_added = files_added
    return result


def _copy_attachments(store: Any, package: VerifiedPackage) -> int:
    """Every new evidence file of the package into the data folder: streamed to a claimed
    temporary name (never beyond its declared size), hash-checked, renamed. Files already
    there with the right content are kept as they are."""
    root = Path(store.attachments_dir)
    wanted: dict[str, tuple[str, dict[str, Any]]] = {}
    for table, att in ((t, row) for t in ATTACHMENT_TABLES for row in package.tables.get(t, [])):
        if type_problem(table, att) is None and attachment_member(att, package.version):
            wanted.setdefault(f"{att['sha256'][:2]}/{att['sha256']}{safe_suffix(att['file_name'])}",
                              (attachment_member(att, package.version), att))
    todo = {stored: item for stored, item in wanted.items() if not _present(root / stored, item[1]["sha256"])}
    if not todo:
        return 0
    try:
        root.mkdir(parents=True, exist_ok=True)
        needed = sum(int(att["size"]) for _m, att in todo.values())
        free = shutil.disk_usage(root).free
        if needed > free:
            raise PackageError(f"磁盘空间不足：数据包的附件共需 {needed / 1e6:.1f} MB，只剩 {free / 1e6:.1f} MB。"
                               "未导入任何数据。")
        with zipfile.ZipFile(package.path) as zf:
            for stored, (member, att) in todo.items():
                try:
                    target = attachment_target(root, stored)  # never through a link out of the folder
                except BackupError as exc:
                    raise PackageError(f"附件 {att['file_name']} 的保存位置不安全（附件文件夹中有指向别处的链接？），"
                                       "未导入任何数据。") from exc
                _copy_one(zf, zf.getinfo(member), target, att)
    except OSError as exc:
        raise PackageError(f"无法保存附件：{os_error_text(exc)}（磁盘已满或只读？数据库未修改）") from exc
    return len(todo)


def _present(target: Path, sha: str) -> bool:
    from duty_tracker.core.helpers import sha256_of

    try:
        return target.is_file() and not target.is_symlink() and sha256_of(target) == sha
    except OSError:
        return False


def _copy_one(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, att: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with leftovers.claimed(target.with_name(f"{target.name}.{uuidlib.uuid4().hex[:8]}.part")) as claim:
        digest, total = hashlib.sha256(), 0
        with zf.open(info) as src, claim.path.open("wb") as dst:
            while chunk := src.read(1 << 20):
                total += len(chunk)
                if total > info.file_size:
                    raise PackageError(f"附件 {att['file_name']} 比清单记录的大，已拒绝。")
                digest.update(chunk)
                dst.write(chunk)
        if digest.hexdigest() != att["sha256"]:
            raise PackageError(f"附件校验失败：{att['file_name']}，未导入任何数据。")
        claim.replace(target)

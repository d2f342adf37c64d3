"""The data package file (``.dtpkg``) and everything that can be checked without a database.

The file is a zip holding ``manifest.json`` (format, version, the sending database's identity,
the unit, and the SHA-256 of every other member), ``data.json`` (the rows, every reference
written as the referenced row's uuid, every synchronised row with its version vectors) and
the evidence files. Version 2 stores each evidence file once under its hash
(``attachments/<sha256>``), whatever the sender's file name — an extension such as ``.p:df``
can no longer make a member name unsafe. Version 3 adds the year's work points (documents,
sections, tasks, their units, progress with its evidence files, records that evidence tasks),
the annual reports and a record's several cited articles; a task's evidence is stored like a
record's, once under its hash. Version 1 (``attachments/<stored path>``, no version vectors)
and version 2 packages are still read: what they do not carry is left as it is here.

:func:`verify_package` refuses, before anything is written:

- a member that would inflate beyond a sane limit (checked on the declared sizes before
  reading: Python never inflates past them), a manifest or data part of absurd size, more
  members than a package can need;
- unsafe member paths (``..``, absolute, drive or UNC paths, backslashes, NUL), links,
  folders, members not listed in the manifest or listed but missing, any hash mismatch;
- a package from a newer version of the program, or that is not a package at all.

Rows are checked one by one later, in the merge: a row with a wrong type is refused (and
reported) without refusing the rest.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from duty_tracker.core.exchange.xlsx_common import ExchangeError

FORMAT = "duty_tracker-package"
VERSION = 3
MANIFEST = "manifest.json"
DATA = "data.json"
SUFFIX = ".dtpkg"
#: Sane limits (declared, uncompressed sizes): the rows of a large district are a few tens of MB.
MAX_MANIFEST = 16 << 20
MAX_DATA = 256 << 20
MAX_ATTACHMENT = 4 << 30
MAX_MEMBERS = 200_000
MAX_RATIO, RATIO_FROM = 1000, 64 << 20
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
    "annual_reports": {"unit_id": "units"},
    "work_plans": {},
    "work_sections": {"plan_id": "work_plans"},
    "tasks": {"plan_id": "work_plans", "section_id": "work_sections"},
    "task_units": {"task_id": "tasks", "unit_id": "units"},
    "task_progress": {"task_id": "tasks", "unit_id": "units"},
    "task_attachments": {"progress_id": "task_progress"},
    "task_records": {"task_id": "tasks", "record_id": "records", "unit_id": "units"},
}
TABLE_LABELS = {
    "rule_sets": "规则", "articles": "条文", "clauses": "款项", "duties": "履职事项", "units": "单位",
    "leaders": "负责人", "terms": "任期", "records": "履职纪实", "attachments": "附件",
    "debriefs": "述职报告", "annual_reports": "法治政府建设年度报告", "work_plans": "工作要点",
    "work_sections": "工作要点的部分", "tasks": "工作任务", "task_units": "任务责任单位",
    "task_progress": "任务进展", "task_attachments": "进展佐证材料", "task_records": "任务佐证纪实",
}
#: Tables whose rows are evidence files travelling in the package (stored under their hash).
ATTACHMENT_TABLES = ("attachments", "task_attachments")
#: Rule tables are reference data: new rows are added, existing ones never changed by a package.
REFERENCE_TABLES = ("rule_sets", "articles", "clauses", "duties")


class PackageError(ExchangeError):
    """A package that is unsafe, damaged or not a package; nothing was written."""


def safe_relative(name: str) -> bool:
    """A relative POSIX path that stays inside its folder (no .., no absolute/drive/UNC path)."""
    if not name or "\\" in name or ":" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return bool(parts) and all(p not in ("", ".", "..") for p in parts)


def attachment_member(row: dict[str, Any], version: int) -> str | None:
    """The zip member holding the file of an attachment row (None: the row is malformed)."""
    if version >= 2:
        sha = row.get("sha256")
        return f"attachments/{sha}" if is_sha256(sha) else None
    stored = row.get("stored_path")
    return f"attachments/{stored}" if isinstance(stored, str) and safe_relative(stored) else None


def is_sha256(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


@dataclass
class VerifiedPackage:
    path: Path
    manifest: dict[str, Any]
    tables: dict[str, list[Any]]

    @property
    def version(self) -> int:
        return int(self.manifest.get("version", 1))

    @property
    def source_uuid(self) -> str | None:
        value = (self.manifest.get("source") or {}).get("database_uuid")
        return value if isinstance(value, str) and value else None

    @property
    def source_name(self) -> str:
        unit = (self.manifest.get("unit") or {}).get("name") or ""
        host = (self.manifest.get("source") or {}).get("host") or ""
        return f"{unit}（{host}）" if host else str(unit)


def _check_infos(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"数据包中的文件多达 {len(infos)} 个，不是正常的数据包，已拒绝。")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise PackageError("数据包中有重复的文件名，已拒绝。")
    for info in infos:
        if not safe_relative(info.filename):
            raise PackageError(f"数据包中含有不安全的路径：{info.filename[:200]!r}（已拒绝，未导入任何数据）")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"数据包中含有链接文件：{info.filename}（已拒绝，未导入任何数据）")
        if info.is_dir():
            raise PackageError(f"数据包中含有意外的文件夹：{info.filename}")
        if info.filename not in (MANIFEST, DATA) and not info.filename.startswith("attachments/"):
            raise PackageError(f"数据包中含有意外的文件：{info.filename}")
        limit = {MANIFEST: MAX_MANIFEST, DATA: MAX_DATA}.get(info.filename, MAX_ATTACHMENT)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limit or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            raise PackageError(f"数据包中的“{info.filename}”解压后达 {info.file_size / 1e6:.0f} MB，超出正常"
                               "大小（可能是恶意构造的文件），已拒绝，未读取。")
    if MANIFEST not in names or DATA not in names:
        raise PackageError("不是履职纪实数据包（缺少清单或数据）。")


def _read_manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError(f"{path.name} 不是履职纪实数据包。")
    version = manifest.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PackageError(f"{path.name} 的格式版本不正确，无法导入。")
    if version > VERSION:
        raise PackageError(f"数据包由较新版本的程序生成（格式版本 {version}，本程序支持到 {VERSION}），"
                           "请先升级程序再导入。")
    if not isinstance(manifest.get("files"), dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in manifest["files"].items()):
        raise PackageError("数据包清单的格式不正确，已拒绝。")
    return manifest


def verify_package(path: Path | str) -> VerifiedPackage:
    """Every check that can be made without the database; raises :class:`PackageError`."""
    path = Path(path)
    if not path.is_file():
        raise PackageError(f"数据包不存在：{path}")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_infos(infos)
            manifest = _read_manifest(zf, path)
            files = manifest["files"]
            present = {i.filename for i in infos} - {MANIFEST}
            if set(files) != present:
                extra, missing = sorted(present - set(files))[:3], sorted(set(files) - present)[:3]
                raise PackageError(f"数据包清单与内容不符（多出：{extra or '无'}；缺少：{missing or '无'}），已拒绝。")
            for info in infos:
                if info.filename != MANIFEST and _sha256_member(zf, info) != files[info.filename]:
                    raise PackageError(f"数据包中的文件已损坏或被改动：{info.filename}（校验值不符），已拒绝。")
            tables = json.loads(zf.read(DATA).decode("utf-8")).get("tables")
            sizes = {i.filename: i.file_size for i in infos}
    except PackageError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, OSError, RuntimeError,
            NotImplementedError, EOFError, RecursionError) as exc:
        raise PackageError(f"数据包 {path.name} 无法读取或已损坏（{type(exc).__name__}），未导入任何数据。") from exc
    if not isinstance(tables, dict) or not all(isinstance(tables.get(t, []), list) for t in REFS):
        raise PackageError("数据包的数据格式不正确，未导入任何数据。")
    package = VerifiedPackage(path, manifest, tables)
    _check_attachment_rows(package, files, sizes)
    return package


def _sha256_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_attachment_rows(package: VerifiedPackage, files: dict[str, str], sizes: dict[str, int]) -> None:
    """Every well-formed attachment row has its file, with the hash and size it claims (a
    malformed row is left to the merge, which refuses it alone)."""
    for att in (row for table in ATTACHMENT_TABLES for row in package.tables.get(table, [])):
        if not isinstance(att, dict):
            continue
        stored = att.get("stored_path")
        if stored is not None and not (isinstance(stored, str) and safe_relative(stored)):
            raise PackageError(f"数据包中的附件路径不安全：{stored[:200]!r}（已拒绝，未导入任何数据）")
        member = attachment_member(att, package.version)
        if member is None:
            continue
        if files.get(member) != att.get("sha256") or (
                isinstance(att.get("size"), int) and sizes.get(member) != att.get("size")):
            raise PackageError(f"数据包缺少附件文件或校验值不符：{str(att.get('file_name'))[:100]}")

"""Backups that are proven good before they count, and restores that lose nothing.

- Automatic backups (start-up, before a migration, restore or package import) are plain
  database copies made with ``VACUUM INTO`` in ``<db>_backups/``, verified with
  ``PRAGMA integrity_check`` and rotated (30 kept by default). Attachments need no rotating
  copy: they are stored under their hash and never deleted.
- A full backup (``duty-tracker backup``, the window's 备份 button) is one .zip with the
  database, every attachment file and a manifest of SHA-256 hashes; it is re-read and checked
  after writing.
- Restoring first makes an automatic backup of the current data, checks the backup's database
  and hashes, then swaps the database file in with one ``os.replace``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from duty_tracker.core.helpers import sha256_bytes, sha256_of
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.paths import attachments_dir_for, backups_dir_for

AUTO_KEEP = 30
AUTO_PREFIX = "auto-"
FULL_PREFIX = "履职纪实备份-"
MANIFEST = "manifest.json"
DB_IN_ZIP = "duty_tracker.db"


class BackupError(StorageError):
    """A backup could not be made or is not valid; the message is Chinese."""


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]


def integrity_problems(db_file: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a file, opened read-only; empty list when healthy.

    A process killed mid-transaction leaves a hot journal that a read-only connection may not
    roll back ("attempt to write a readonly database"); then the check opens the file normally,
    which lets SQLite finish its own crash recovery (undoing only the unfinished transaction).
    """
    problems = _integrity_problems(db_file, read_only=True)
    journal = Path(str(db_file) + "-journal")
    if problems and "readonly" in problems[0] and journal.exists():
        problems = _integrity_problems(db_file, read_only=False)
    return problems


def _integrity_problems(db_file: Path, *, read_only: bool) -> list[str]:
    try:
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}{'?mode=ro' if read_only else ''}", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"无法读取数据库：{exc}"]
    problems = [] if rows == ["ok"] else rows
    if fk:
        problems.append(f"外键不一致的行：{len(fk)} 条")
    return problems


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (VACUUM INTO), verified before it is renamed into
    place — a half-written or corrupt copy never carries the final name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("VACUUM INTO ?", [str(tmp)])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"无法备份数据库 {source}：{exc}") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"无法写入备份 {target}：{exc.strerror or exc}") from exc
    problems = integrity_problems(tmp)
    if problems:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"备份校验失败，未保存：{'；'.join(problems[:3])}")
    os.replace(tmp, target)


def auto_backup(db_path: Path, reason: str = "", keep: int = AUTO_KEEP) -> Path | None:
    """Rotating database copy in ``<db>_backups``; ``None`` when there is nothing to back up."""
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backups_dir_for(db_path)
    target = folder / f"{AUTO_PREFIX}{_stamp()}.db"
    copy_database(db_path, target)
    if reason:
        try:
            target.with_suffix(".txt").write_text(reason, encoding="utf-8")
        except OSError:
            pass  # the verified copy counts; the note is only for the list of backups
    rotate(folder, keep)
    return target


def backup_before_migration(db_path: Path, reason: str) -> Path | None:
    return auto_backup(db_path, reason)


STARTUP_REASON = "启动时的每日自动备份"


def startup_backup(db_path: Path, keep: int = AUTO_KEEP, today: datetime | None = None) -> Path | None:
    """The start-up backup, at most one per day: ``None`` when today's already exists (or the
    database is empty). Safe to call from a worker thread (it opens its own connection)."""
    db_path = Path(db_path)
    day = (today or datetime.now()).strftime("%Y%m%d")
    for reason_file in backups_dir_for(db_path).glob(f"{AUTO_PREFIX}{day}-*.txt"):
        try:
            if reason_file.read_text(encoding="utf-8").startswith(STARTUP_REASON) and \
                    reason_file.with_suffix(".db").exists():
                return None
        except OSError:
            continue
    return auto_backup(db_path, STARTUP_REASON, keep)


def rotate(folder: Path, keep: int = AUTO_KEEP) -> None:
    backups = sorted(folder.glob(f"{AUTO_PREFIX}*.db"))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)
        old.with_suffix(".txt").unlink(missing_ok=True)
    for leftover in folder.glob("*.part"):  # an interrupted earlier backup
        leftover.unlink(missing_ok=True)


@dataclass
class BackupInfo:
    """What a backup holds, shown before a restore."""

    path: Path
    created_at: str
    kind: str  # "自动备份" | "完整备份"
    reason: str
    record_count: int | None
    attachment_count: int
    size: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def describe_backup(path: Path, *, verify: bool = True) -> BackupInfo:
    """Date, record count and attachments of a backup; ``verify`` checks it fully."""
    path = Path(path)
    size = path.stat().st_size if path.exists() else 0
    if path.suffix.lower() == ".zip":
        try:
            manifest = verify_full_backup(path)
        except BackupError as exc:
            return BackupInfo(path, "", "完整备份", "", None, 0, size, [str(exc)])
        return BackupInfo(path, str(manifest.get("created_at", "")).replace("T", " "), "完整备份",
                          "手动备份（含附件）", manifest.get("record_count"),
                          len(manifest.get("attachments", {})), size, [])
    reason_file = path.with_suffix(".txt")
    reason = reason_file.read_text(encoding="utf-8") if reason_file.exists() else ""
    stamp = path.stem.removeprefix(AUTO_PREFIX)[:15]
    try:
        created = datetime.strptime(stamp, "%Y%m%d-%H%M%S").isoformat(sep=" ")
    except ValueError:
        created = datetime.fromtimestamp(path.stat().st_mtime).isoformat(sep=" ", timespec="seconds") \
            if path.exists() else ""
    problems = integrity_problems(path) if verify else []
    count = None if problems else _count_records(path)
    return BackupInfo(path, created, "自动备份", reason, count, 0, size, problems)


def list_auto_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    return sorted(backups_dir_for(Path(db_path)).glob(f"{AUTO_PREFIX}*.db"), reverse=True)


def full_backup(
    db_path: Path,
    out_dir: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Path:
    """Zip of database + attachments + manifest, written to a temporary name, re-read and
    verified, then renamed. Returns the final path. ``progress(done, total, text)`` is called
    between files (it may raise to cancel: the partial file is removed)."""
    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    db_path = Path(db_path)
    if not db_path.exists():
        raise BackupError(f"数据库不存在：{db_path}")
    out_dir = Path(out_dir) if out_dir else backups_dir_for(db_path)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份文件夹 {out_dir}：{exc.strerror or exc}") from exc
    target = out_dir / f"{FULL_PREFIX}{_stamp()}.zip"
    part = target.with_name(target.name + ".part")
    attachments = attachments_dir_for(db_path)
    files = [f for f in sorted(attachments.rglob("*")) if f.is_file() and not f.name.endswith(".part")] \
        if attachments.is_dir() else []
    total = len(files) + 2
    report(0, total, "正在复制数据库…")
    with tempfile.TemporaryDirectory() as tmp:
        db_copy = Path(tmp) / DB_IN_ZIP
        copy_database(db_path, db_copy)
        manifest = {"created_at": datetime.now().isoformat(timespec="seconds"),
                    "database": {"name": DB_IN_ZIP, "sha256": sha256_of(db_copy)},
                    "attachments": {}}
        try:
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                zf.write(db_copy, DB_IN_ZIP)
                for index, file in enumerate(files, start=1):
                    report(index, total, f"正在复制附件 {index}/{len(files)}…")
                    rel = file.relative_to(attachments).as_posix()
                    manifest["attachments"][rel] = sha256_of(file)
                    zf.write(file, f"attachments/{rel}")
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise BackupError(f"无法写入备份 {target}：{exc.strerror or exc}（磁盘已满或只读？）") from exc
        except BaseException:  # cancelled: no partial file stays behind
            part.unlink(missing_ok=True)
            raise
    report(total - 1, total, "正在校验备份…")
    try:
        verify_full_backup(part)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    return target


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and ":" not in name


def verify_full_backup(zip_path: Path) -> dict:
    """Check a full backup: readable zip, manifest hashes, database integrity. Returns the
    manifest (with ``record_count`` added) for showing the clerk what the backup holds."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            names = set(zf.namelist())
            if MANIFEST not in names or DB_IN_ZIP not in names:
                raise BackupError(f"{zip_path.name} 不是履职纪实的备份文件（缺少清单或数据库）。")
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            for name in names:
                if not _safe_member(name):
                    raise BackupError(f"备份文件中含有不安全的路径：{name}")
            with tempfile.TemporaryDirectory() as tmp:
                db_file = Path(tmp) / DB_IN_ZIP
                db_file.write_bytes(zf.read(DB_IN_ZIP))
                if sha256_of(db_file) != manifest["database"]["sha256"]:
                    raise BackupError("备份中的数据库与清单不符（文件已损坏）。")
                problems = integrity_problems(db_file)
                if problems:
                    raise BackupError(f"备份中的数据库已损坏：{'；'.join(problems[:3])}")
                manifest["record_count"] = _count_records(db_file)
            for rel, digest in manifest.get("attachments", {}).items():
                member = f"attachments/{rel}"
                if member not in names:
                    raise BackupError(f"备份缺少附件：{rel}")
                if sha256_bytes(zf.read(member)) != digest:
                    raise BackupError(f"备份中的附件已损坏：{rel}")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BackupError(f"备份文件 {zip_path.name} 无法读取或已损坏：{exc}") from exc
    return manifest


def _count_records(db_file: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute(
                "SELECT count(*) FROM records WHERE deleted_at IS NULL").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def restore(backup_file: Path, db_path: Path) -> Path | None:
    """Restore a full backup (.zip) or an automatic one (.db) over ``db_path``.

    The current database is first copied to an automatic backup (returned), so a restore can
    itself be undone. Attachments from the backup are added; none are deleted.
    """
    backup_file, db_path = Path(backup_file), Path(db_path)
    if not backup_file.is_file():
        raise BackupError(f"备份文件不存在：{backup_file}")
    if backup_file.suffix.lower() == ".zip":
        verify_full_backup(backup_file)  # before anything is touched
    else:
        problems = integrity_problems(backup_file)
        if problems:
            raise BackupError(f"备份数据库已损坏，未恢复：{'；'.join(problems[:3])}")
    safety = None
    if db_path.exists() and db_path.stat().st_size > 0:
        if integrity_problems(db_path):
            safety = move_aside(db_path)  # a damaged file is kept, never overwritten
        else:
            safety = auto_backup(db_path, f"恢复 {backup_file.name} 之前的数据")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    incoming = db_path.with_name(db_path.name + ".restore")
    if backup_file.suffix.lower() == ".zip":
        attachments = attachments_dir_for(db_path)
        with zipfile.ZipFile(backup_file) as zf:
            incoming.write_bytes(zf.read(DB_IN_ZIP))
            for name in zf.namelist():
                if name.startswith("attachments/") and not name.endswith("/"):
                    target = attachments / name[len("attachments/"):]
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(zf.read(name))
    else:
        copy_database(backup_file, incoming)
    for suffix in ("-journal", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(incoming, db_path)
    return safety


def move_aside(db_path: Path) -> Path:
    """Keep a damaged database under a timestamped name (never delete or overwrite it)."""
    db_path = Path(db_path)
    target = db_path.with_name(f"{db_path.stem}.损坏-{_stamp()}{db_path.suffix}")
    os.replace(db_path, target)
    for suffix in ("-journal", "-wal"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            os.replace(side, Path(str(target) + suffix))
    return target


def newest_good_backup(db_path: Path) -> Path | None:
    for candidate in list_auto_backups(db_path):
        if not integrity_problems(candidate):
            return candidate
    return None


def recover_from_newest_backup(db_path: Path) -> tuple[Path, Path]:
    """Move the damaged file aside and restore the newest automatic backup that passes the
    integrity check. Returns (where the damaged file went, which backup was restored)."""
    backup = newest_good_backup(db_path)
    if backup is None:
        raise BackupError("没有可用的自动备份。损坏的数据库未被修改；请联系管理员或从U盘上的备份恢复。")
    aside = move_aside(db_path)
    copy_database(backup, db_path)
    return aside, backup

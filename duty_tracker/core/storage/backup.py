"""Backups that are proven good before they count, and restores that lose nothing.

- Automatic backups (start-up, before a migration, restore or package import) are plain
  database copies in ``<db>_backups/``, made page for page with SQLite's online backup API
  (one consistent moment of the database), verified with ``PRAGMA integrity_check`` and
  rotated (30 kept by default). Attachments need no rotating copy: they are stored under
  their hash and never deleted.
- A full backup (``duty-tracker backup``, the window's 备份 button) is one .zip with the
  database, every attachment file and a manifest of SHA-256 hashes. Every file is streamed
  (memory stays flat whatever the size of the database) and every evidence file is compared
  with the hash the database recorded for it when it was added: a file that changed since is
  reported, never "verified". The database copy passes ``integrity_check`` and the zip is
  re-read and checked (every member against the hash written) before it gets its name.
- Restore accepts only the program's own files (``marks``: the application mark, a schema
  this program knows, not empty), checks everything before touching anything, makes an
  automatic backup of the current data, then writes each evidence file to a temporary name,
  verifies its hash and renames it, and swaps the database in last with one ``os.replace``.
  A restore killed half way leaves the old database in place and, at worst, temporary files
  (removed later by ``leftovers.sweep``); running it again repairs whatever is missing or
  damaged. It never reports success while ``check`` would fail. Backups of every earlier
  version (deflated members, copies made by ``VACUUM INTO``) restore as before."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid as uuidlib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from duty_tracker.core.helpers import sha256_of
from duty_tracker.core.storage import hot_journal, leftovers
from duty_tracker.core.storage.database import latest_schema_version, sweep_leftovers
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.identity import fork_identity
from duty_tracker.core.storage.marks import foreign_problem, sqlite_problems, sqlite_reason
from duty_tracker.paths import attachments_dir_for, backups_dir_for

AUTO_KEEP = 30
AUTO_PREFIX = "auto-"
FULL_PREFIX = "履职纪实备份-"
MANIFEST = "manifest.json"
DB_IN_ZIP = "duty_tracker.db"
CHUNK = 1 << 20
#: A manifest larger than this is not one the program wrote (it lists hashes, not contents).
MAX_MANIFEST = 64 << 20


class BackupError(StorageError):
    """A backup could not be made or is not valid; the message is Chinese."""


class BackupProblemsError(BackupError):
    """The full backup was written, but it is not a complete proof of the data: some evidence
    files differ from what the database recorded (or are missing). ``path`` is the zip."""

    def __init__(self, message: str, path: Path, problems: list[str]) -> None:
        super().__init__(message)
        self.path = path
        self.problems = problems


class RestoreProblemsError(BackupError):
    """The restore was carried out (on request, with damaged evidence), but ``check`` finds
    problems; ``safety`` is the automatic backup of the data from before the restore."""

    def __init__(self, message: str, safety: Path | None, problems: list[str]) -> None:
        super().__init__(message)
        self.safety = safety
        self.problems = problems


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]


_ERRNO_TEXT = {
    errno.EROFS: "文件夹是只读的", errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已用完",
    errno.EACCES: "没有写入权限（文件夹只读或被保护）", errno.EPERM: "没有操作权限（文件夹只读或被保护）",
    errno.ENOENT: "文件或文件夹不存在", errno.EISDIR: "目标是一个文件夹", errno.EIO: "磁盘读写错误",
    errno.ENAMETOOLONG: "文件名过长",
}


def os_error_text(exc: OSError) -> str:
    """The reason of an OSError in Chinese (the system's own text only for rare errors)."""
    return _ERRNO_TEXT.get(exc.errno or -1) or exc.strerror or str(exc)


_os_text = os_error_text


def integrity_problems(db_file: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a file, opened read-only; empty list when healthy.

    A process killed mid-transaction leaves a hot journal; it is handled first by
    ``hot_journal.recover`` (copy, roll back, check, and put the original back when the
    journal was not this file's), never by an unguarded connection."""
    db_file = Path(db_file)
    outcome = hot_journal.recover(db_file, backups_dir_for(db_file), sqlite_problems)
    problems = sqlite_problems(db_file)
    if outcome is not None and outcome.problem and problems:
        problems.insert(0, outcome.message)
    return problems


# -- database copies ---------------------------------------------------------------------------
#: Pages SQLite's backup API copies per step (16 MB of 4 KB pages): progress and a cancel are
#: seen between steps.
COPY_STEP_PAGES = 4096
CopyProgress = Callable[[int, int], None]


@contextmanager
def snapshot(source: Path, folder: Path, progress: CopyProgress | None = None) -> Iterator[Path]:
    """A consistent page copy of a live database under a claimed temporary name in ``folder``,
    deleted when the block ends (a kill leaves it to the next sweep). It is not checked yet:
    the caller checks it (the full backup does so while it streams it into the zip)."""
    tmp = Path(folder) / f".快照-{_stamp()}-{uuidlib.uuid4().hex[:8]}.db.part"
    try:
        with leftovers.claimed(tmp) as claim:
            _page_copy(source, claim.path, progress=progress)
            yield claim.path
    except OSError as exc:
        raise BackupError(f"无法在 {folder} 中复制数据库：{_os_text(exc)}（磁盘已满或只读？）") from exc


def _page_copy(source: Path, target: Path, *, durable: bool = False,
               progress: CopyProgress | None = None) -> None:
    """Copy ``source`` page for page with SQLite's online backup API, inside one read
    transaction of the source: the copy is the database as it was at one moment, whatever
    other processes write meanwhile, and its bytes are exactly the source's pages — a check of
    the copy is a check of the source at that moment. ``progress(copied, total)`` gets pages
    between steps and may raise to cancel.

    Not ``VACUUM INTO``, which rebuilds every table and index row by row: 16 s for a city's
    680 MB against under 3 s for the pages, with the read lock held (and writers waiting) all
    along. ``durable`` syncs the copy to disk before it returns (a copy that is kept); a
    temporary copy, read at once and deleted, is not synced."""
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True,
                              isolation_level=None)
        try:
            dst = sqlite3.connect(str(target), isolation_level=None)
            try:
                dst.execute("PRAGMA journal_mode = OFF")  # a copy that fails is deleted whole
                dst.execute(f"PRAGMA synchronous = {'FULL' if durable else 'OFF'}")
                src.execute("BEGIN")
                src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the moment
                src.backup(dst, pages=COPY_STEP_PAGES, progress=step)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法备份数据库 {source}：{sqlite_reason(exc)}") from exc


def _copy_verified(source: Path, target: Path, *, quick: bool = False) -> None:
    """A durable page copy, then SQLite's check of the copy (``quick``: ``quick_check``, for a
    source that was fully checked just before and that nothing writes to)."""
    _page_copy(source, target, durable=True)
    problems = sqlite_problems(target, quick=quick)
    if problems:
        raise BackupError(f"备份校验失败，未保存：{'；'.join(problems[:3])}")


def copy_database(source: Path, target: Path, *, quick: bool = False) -> None:
    """A consistent copy of a live database, checked with ``PRAGMA integrity_check`` (``quick``:
    ``quick_check``) before it is renamed into place — a half-written or corrupt copy never
    carries the final name."""
    target = Path(target)
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with leftovers.claimed(tmp) as claim:
            _copy_verified(source, claim.path, quick=quick)
            claim.replace(target)
    except OSError as exc:
        raise BackupError(f"无法写入备份 {target}：{_os_text(exc)}（磁盘已满或只读？）") from exc


def auto_backup(db_path: Path, reason: str = "", keep: int = AUTO_KEEP, *,
                quick: bool = False) -> Path | None:
    """Rotating database copy in ``<db>_backups``; ``None`` when there is nothing to back up.
    ``quick``: the copy is checked with ``quick_check`` (see :func:`copy_database`)."""
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backups_dir_for(db_path)
    leftovers.sweep(folder)
    target = folder / f"{AUTO_PREFIX}{_stamp()}.db"
    copy_database(db_path, target, quick=quick)
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


def startup_backup_due(db_path: Path, today: datetime | None = None) -> bool:
    """Whether today's start-up backup is still to be made (none kept yet today)."""
    db_path = Path(db_path)
    day = (today or datetime.now()).strftime("%Y%m%d")
    for reason_file in backups_dir_for(db_path).glob(f"{AUTO_PREFIX}{day}-*.txt"):
        try:
            if reason_file.read_text(encoding="utf-8").startswith(STARTUP_REASON) and \
                    reason_file.with_suffix(".db").exists():
                return False
        except OSError:
            continue
    return True


def startup_backup(db_path: Path, keep: int = AUTO_KEEP, today: datetime | None = None) -> Path | None:
    """The start-up backup, at most one per day: ``None`` when today's already exists (or the
    database is empty). Safe to call from a worker thread (it opens its own connection)."""
    if not startup_backup_due(db_path, today):
        return None
    return auto_backup(Path(db_path), STARTUP_REASON, keep)


def rotate(folder: Path, keep: int = AUTO_KEEP) -> None:
    backups = sorted(folder.glob(f"{AUTO_PREFIX}*.db"))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)
        old.with_suffix(".txt").unlink(missing_ok=True)
    leftovers.sweep(folder)  # an interrupted earlier backup, if nobody is still writing it


def check_backup_database(path: Path, *, what: str = "备份",
                          stop: Callable[[], bool] | None = None) -> list[str]:
    """Why a database file cannot be restored (Chinese sentences); empty when it can.
    ``stop``: see :func:`~duty_tracker.core.storage.marks.sqlite_problems`."""
    problem = foreign_problem(Path(path), latest_schema_version(), what=what)
    if problem:
        return [problem]
    problems = sqlite_problems(Path(path), stop=stop)
    return [f"{what}中的数据库已损坏：{p}" for p in problems[:3]]


# -- describing backups ------------------------------------------------------------------------
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
                          len(manifest.get("attachments", {})), size, list(manifest["problems"]))
    reason_file = path.with_suffix(".txt")
    reason = reason_file.read_text(encoding="utf-8") if reason_file.exists() else ""
    stamp = path.stem.removeprefix(AUTO_PREFIX)[:15]
    try:
        created = datetime.strptime(stamp, "%Y%m%d-%H%M%S").isoformat(sep=" ")
    except ValueError:
        created = datetime.fromtimestamp(path.stat().st_mtime).isoformat(sep=" ", timespec="seconds") \
            if path.exists() else ""
    problems = check_backup_database(path) if verify else []
    count = None if problems else _count_records(path)
    return BackupInfo(path, created, "自动备份", reason, count, 0, size, problems)


def list_auto_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    return sorted(backups_dir_for(Path(db_path)).glob(f"{AUTO_PREFIX}*.db"), reverse=True)


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


def _attachment_rows(db_file: Path) -> dict[str, tuple[str, int, str]]:
    """stored path -> (sha256, size, the clerk's file name) of every attachment row."""
    try:
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT stored_path, sha256, size, file_name FROM attachments").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}
    return {r[0]: (r[1], int(r[2] or 0), r[3]) for r in rows}


# -- zip members -------------------------------------------------------------------------------
def member_name(rel: str) -> str:
    """The zip member of an attachment: its stored path, with every character that is not
    plainly safe in a zip on any system (``:``, ``\\``, ``%``, non-ASCII …) percent-encoded.
    An extension such as ``.p:df`` never blocks a backup."""
    return "attachments/" + quote(rel, safe="/-._~")


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and ":" not in name


def _stream(src: IO[bytes], dst: IO[bytes], limit: int,
            step: Callable[[int], None] | None = None) -> str:
    """Copy at most ``limit`` bytes in chunks, returning the SHA-256; more raises BackupError.
    ``step(bytes so far)`` is called every 64 chunks (it may raise to cancel)."""
    digest, total = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise BackupError("备份中的文件比清单记录的大，已拒绝（文件可能被篡改）。")
        digest.update(chunk)
        dst.write(chunk)
        if step is not None and total % (64 * CHUNK) == 0:
            step(total)
    return digest.hexdigest()


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """SHA-256 of a member as read back (zipfile also checks its CRC at the end)."""
    digest = hashlib.sha256()
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _add_stream(zf: zipfile.ZipFile, source: Path, arcname: str,
                step: Callable[[int], None] | None = None) -> str:
    """Write a file into the zip in chunks, stored as it is, and return its SHA-256 (read once).

    Stored, not deflated: the fastest deflate level takes 14 s for a city's 680 MB database
    (which it halves), four times the rest of the backup; evidence files are mostly scans and
    photos, compressed already. The backup's budget is its time, not its size."""
    info = zipfile.ZipInfo(arcname, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with source.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        return _stream(src, dst, 1 << 62, step)


# -- full backup -------------------------------------------------------------------------------
def full_backup(
    db_path: Path,
    out_dir: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Path:
    """Zip of database + attachments + manifest, written to a temporary name, re-read and
    verified, synced to disk, then renamed. Returns the final path. ``progress(done, total,
    text)`` is called between steps (it may raise to cancel: the partial file is removed).

    The database is a page copy (one moment of it), checked with ``integrity_check`` on a
    thread of its own while the main thread streams the same copy into the zip; reading the zip
    back proves its bytes are those of the checked copy. Memory stays flat: every file goes
    through in 1 MB chunks.

    Raises :class:`BackupProblemsError` (after saving the zip) when an evidence file differs
    from the hash the database recorded for it, or is missing."""
    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    db_path = Path(db_path)
    if not db_path.exists():
        raise BackupError(f"数据库不存在：{db_path}")
    out_dir = Path(out_dir) if out_dir else backups_dir_for(db_path)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        backups_dir_for(db_path).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份文件夹 {out_dir}：{_os_text(exc)}") from exc
    leftovers.sweep(out_dir)
    sweep_leftovers(db_path)
    target = out_dir / f"{FULL_PREFIX}{_stamp()}.zip"
    report(0, 0, "正在复制数据库…")
    copying = lambda done, total: report(done, total, "正在复制数据库…")  # noqa: E731
    with snapshot(db_path, backups_dir_for(db_path), copying) as db_copy, \
            _checked_aside(db_copy) as copy_problems:
        try:
            with leftovers.claimed(target.with_name(target.name + ".part")) as claim:
                manifest, problems = _write_zip(claim.path, db_copy, attachments_dir_for(db_path),
                                                report)
                report(1, 1, "正在校验备份…")
                _verify_written(claim.path, manifest)
                found = copy_problems()
                if found:
                    raise BackupError(f"备份校验失败，未保存：{'；'.join(found)}")
                claim.replace(target)
        except OSError as exc:
            raise BackupError(f"无法写入备份 {target}：{_os_text(exc)}（磁盘已满或只读？）") from exc
    if problems:
        raise BackupProblemsError(
            f"备份已保存到 {target}，但其中 {len(problems)} 个附件与数据库记录的校验值不符或缺失，"
            f"这份备份不能证明这些附件完好：{'；'.join(problems[:5])}。请运行“检查”并找回原文件。",
            target, problems)
    return target


@contextmanager
def _checked_aside(db_copy: Path) -> Iterator[Callable[[], list[str]]]:
    """:func:`check_backup_database` of ``db_copy`` on a thread of its own; the block gets a
    function that waits for its problems. SQLite lets go of Python's lock while it checks, so
    on two cores the full check (6 s for a city's 680 MB) costs no time beside the zip. A block
    that fails stops the check at once and waits for the thread, before the copy is deleted."""
    stop = threading.Event()
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(check_backup_database(db_copy, stop=stop.is_set))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(exc)

    thread = threading.Thread(target=run, name="备份校验", daemon=True)
    thread.start()

    def problems() -> list[str]:
        thread.join()
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    try:
        yield problems
    finally:
        stop.set()  # after problems() has returned this changes nothing
        thread.join()


def _write_zip(part: Path, db_copy: Path, attachments: Path,
               report: Callable[[int, int, str], None]) -> tuple[dict[str, Any], list[str]]:
    """The zip's contents, synced to disk; returns the manifest and the evidence files that do
    not match the database."""
    rows = _attachment_rows(db_copy)
    files = sorted(f for f in attachments.rglob("*") if f.is_file() and not f.is_symlink()
                   and not f.name.endswith(leftovers.TEMP_SUFFIXES)) if attachments.is_dir() else []
    manifest: dict[str, Any] = {"created_at": datetime.now().isoformat(timespec="seconds"),
                                "format": 2, "attachments": {}, "problems": []}
    problems: list[str] = []
    megabytes = max(1, db_copy.stat().st_size >> 20)
    with part.open("wb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            digest = _add_stream(zf, db_copy, DB_IN_ZIP, lambda done: report(
                done >> 20, megabytes, "正在写入数据库…"))
            manifest["database"] = {"name": DB_IN_ZIP, "sha256": digest}
            for index, file in enumerate(files, start=1):
                report(index, len(files), f"正在复制附件 {index}/{len(files)}…")
                rel = file.relative_to(attachments).as_posix()
                digest = _add_stream(zf, file, member_name(rel))
                manifest["attachments"][rel] = digest
                expected = rows.get(rel, (None, 0, ""))[0] or _hash_in_name(rel)
                if expected and digest != expected:
                    problems.append(f"附件 {rows.get(rel, ('', 0, rel))[2] or rel} 的内容与记录的校验值不符")
            present = set(manifest["attachments"])
            problems += [f"附件 {name} 缺失（{rel}）" for rel, (_s, _n, name) in rows.items()
                         if rel not in present]
            manifest["problems"] = problems
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1),
                        compress_type=zipfile.ZIP_DEFLATED)
        fh.flush()
        os.fsync(fh.fileno())
    return manifest, problems


def _verify_written(part: Path, manifest: dict[str, Any]) -> None:
    """Read the zip just written back: its manifest must be the one written and every member
    must hash to what was written (zipfile checks each member's CRC as well). The database
    member's bytes are then exactly those of the copy the integrity check passed."""
    failed = "备份写入后读回校验失败（磁盘可能有问题），未保存"
    try:
        with zipfile.ZipFile(part) as zf:
            opened = _open_checked(zf, part)
            written = opened.manifest
            if written.get("database") != manifest["database"] \
                    or written.get("attachments") != manifest["attachments"] \
                    or _hash_member(zf, opened.members[DB_IN_ZIP]) != manifest["database"]["sha256"]:
                raise BackupError(f"{failed}：数据库与清单不符。")
            for rel, info in opened.attachment_members.items():
                if _hash_member(zf, info) != manifest["attachments"][rel]:
                    raise BackupError(f"{failed}：附件 {rel} 与写入的内容不符。")
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise BackupError(f"{failed}：{exc}。") from exc


def _hash_in_name(rel: str) -> str | None:
    """Evidence files are stored under their SHA-256: the name itself says what they hold."""
    stem = PurePosixPath(rel).name.split(".", 1)[0]
    return stem if len(stem) == 64 and all(c in "0123456789abcdef" for c in stem) else None


# -- verifying a full backup -------------------------------------------------------------------
@dataclass
class _Opened:
    manifest: dict[str, Any]
    members: dict[str, zipfile.ZipInfo]
    attachment_members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)


def _open_checked(zf: zipfile.ZipFile, zip_path: Path) -> _Opened:
    """The manifest and members of a full backup, with the checks that need no extraction."""
    infos = zf.infolist()
    members = {i.filename: i for i in infos}
    if len(members) != len(infos):
        raise BackupError(f"{zip_path.name} 中有重复的文件名，已拒绝。")
    for name in members:
        if not _safe_member(name):
            raise BackupError(f"备份文件中含有不安全的路径：{name}")
    if MANIFEST not in members or DB_IN_ZIP not in members:
        raise BackupError(f"{zip_path.name} 不是履职纪实的备份文件（缺少清单或数据库）。")
    if members[MANIFEST].file_size > MAX_MANIFEST:
        raise BackupError(f"{zip_path.name} 的清单大得不正常，已拒绝。")
    manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("attachments", {}), dict) \
            or not isinstance(manifest.get("database"), dict):
        raise BackupError(f"{zip_path.name} 的清单格式不正确。")
    opened = _Opened(manifest, members)
    for rel in manifest.get("attachments", {}):
        info = members.get(member_name(rel)) or members.get(f"attachments/{rel}")
        if info is None:
            raise BackupError(f"备份缺少附件：{rel}")
        opened.attachment_members[rel] = info
    return opened


def _extract_db(zf: zipfile.ZipFile, opened: _Opened, target: Path) -> None:
    info = opened.members[DB_IN_ZIP]
    with zf.open(info) as src, target.open("wb") as dst:
        digest = _stream(src, dst, info.file_size)
        dst.flush()
        os.fsync(dst.fileno())
    if digest != opened.manifest["database"].get("sha256"):
        raise BackupError("备份中的数据库与清单不符（文件已损坏）。")


def _attachment_problems(zf: zipfile.ZipFile, opened: _Opened, db_file: Path) -> list[str]:
    """Members whose hash differs from the manifest raise; evidence the database references
    but the backup does not hold intact is returned (the backup is then not a full proof)."""
    listed = opened.manifest.get("attachments", {})
    for rel, info in opened.attachment_members.items():
        if _hash_member(zf, info) != listed[rel]:
            raise BackupError(f"备份中的附件已损坏：{rel}")
    problems = []
    for rel, (sha, _size, name) in _attachment_rows(db_file).items():
        if rel not in listed:
            problems.append(f"备份中没有附件 {name}（{rel}）")
        elif listed[rel] != sha:
            problems.append(f"备份中的附件 {name} 与数据库记录的校验值不符（备份时已被改动或损坏）")
    return problems


def verify_full_backup(zip_path: Path, *, work_dir: Path | None = None) -> dict:
    """Check a full backup: readable zip, manifest hashes, database integrity and origin.
    Returns the manifest (with ``record_count`` and the evidence ``problems`` added) for
    showing the clerk what the backup holds; raises :class:`BackupError` when it is unusable."""
    zip_path = Path(zip_path)
    try:
        with zipfile.ZipFile(zip_path) as zf:
            opened = _open_checked(zf, zip_path)
            _need_space(Path(work_dir or tempfile.gettempdir()), opened.members[DB_IN_ZIP].file_size,
                        what="检查这份备份")
            with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
                db_file = Path(tmp) / DB_IN_ZIP
                _extract_db(zf, opened, db_file)
                problems = check_backup_database(db_file)
                if problems:
                    raise BackupError("；".join(problems))
                opened.manifest["record_count"] = _count_records(db_file)
                opened.manifest["problems"] = _attachment_problems(zf, opened, db_file)
    except BackupError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError,
            NotImplementedError, RuntimeError, EOFError) as exc:
        raise BackupError(f"备份文件 {zip_path.name} 无法读取或已损坏。") from exc
    except OSError as exc:
        raise BackupError(f"备份文件 {zip_path.name} 无法读取：{_os_text(exc)}") from exc
    return opened.manifest


# -- restore -----------------------------------------------------------------------------------
def restore(backup_file: Path, db_path: Path, *, accept_damaged: bool = False) -> Path | None:
    """Restore a full backup (.zip) or an automatic one (.db) over ``db_path``.

    The current database is first copied to an automatic backup (returned), so a restore can
    itself be undone. Attachments from the backup are added or repaired; none are deleted.
    A backup whose evidence does not match its database is refused unless ``accept_damaged``;
    then the restore is done and :class:`RestoreProblemsError` names what ``check`` finds.
    """
    backup_file, db_path = Path(backup_file), Path(db_path)
    if not backup_file.is_file():
        raise BackupError(f"备份文件不存在：{backup_file}")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建数据文件夹 {db_path.parent}：{_os_text(exc)}") from exc
    sweep_leftovers(db_path)
    try:
        if backup_file.suffix.lower() == ".zip":
            safety = _restore_zip(backup_file, db_path, accept_damaged)
        else:
            safety = _restore_db(backup_file, db_path)
    except OSError as exc:
        raise BackupError(f"恢复未完成，当前数据没有被替换：{_os_text(exc)}（磁盘已满或只读？）"
                          "腾出空间后可以重新恢复。") from exc
    return _checked_after_restore(db_path, safety)


def _checked_after_restore(db_path: Path, safety: Path | None) -> Path | None:
    from duty_tracker.core.storage.integrity import check_database

    report = check_database(db_path)
    if not report.ok:
        where = f"恢复前的数据备份在 {safety}。" if safety else ""
        raise RestoreProblemsError(
            f"备份中的数据库已换入，但恢复后的检查发现 {len(report.problems)} 个问题："
            f"{'；'.join(report.problems[:5])}。{where}", safety, report.problems)
    return safety


def _safety_copy(db_path: Path, backup_file: Path) -> Path | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if integrity_problems(db_path):
        return move_aside(db_path)  # a damaged file is kept, never overwritten
    return auto_backup(db_path, f"恢复 {backup_file.name} 之前的数据")


def _restore_db(backup_file: Path, db_path: Path) -> Path | None:
    problems = check_backup_database(backup_file)
    if problems:
        raise BackupError(f"{'；'.join(problems)}未恢复，当前数据没有改变。")
    _need_space(db_path.parent, backup_file.stat().st_size)
    safety = _safety_copy(db_path, backup_file)
    incoming = db_path.with_name(f"{db_path.name}.{uuidlib.uuid4().hex[:8]}.restore")
    with leftovers.claimed(incoming) as claim:
        _copy_verified(backup_file, claim.path, quick=True)  # checked in full just above
        _swap_in(claim, db_path)
    return safety


def _restore_zip(backup_file: Path, db_path: Path, accept_damaged: bool) -> Path | None:
    root = attachments_dir_for(db_path)
    incoming = db_path.with_name(f"{db_path.name}.{uuidlib.uuid4().hex[:8]}.restore")
    try:
        with zipfile.ZipFile(backup_file) as zf, leftovers.claimed(incoming) as claim:
            opened = _open_checked(zf, backup_file)
            _need_space(db_path.parent, opened.members[DB_IN_ZIP].file_size + _missing_bytes(opened, root))
            _extract_db(zf, opened, claim.path)  # checked before anything of ours is touched
            problems = check_backup_database(claim.path)
            if problems:
                raise BackupError(f"{'；'.join(problems)}未恢复，当前数据没有改变。")
            damaged = _attachment_problems(zf, opened, claim.path)
            if damaged and not accept_damaged:
                raise BackupError(f"这份备份中有 {len(damaged)} 个附件与其数据库记录不符：{'；'.join(damaged[:5])}。"
                                  "未恢复，当前数据没有改变。")
            safety = _safety_copy(db_path, backup_file)
            for rel, info in opened.attachment_members.items():
                _restore_attachment(zf, info, root, rel, opened.manifest["attachments"][rel])
            _swap_in(claim, db_path)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, EOFError) as exc:
        raise BackupError(f"备份文件 {backup_file.name} 无法读取或已损坏，未恢复。") from exc
    return safety


def _missing_bytes(opened: _Opened, root: Path) -> int:
    total = 0
    for rel, info in opened.attachment_members.items():
        target = root / rel
        if not (target.is_file() and target.stat().st_size == info.file_size):
            total += info.file_size
    return total


def _need_space(folder: Path, needed: int, *, what: str = "恢复") -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if needed > free:
        raise BackupError(f"磁盘空间不足：{what}需要约 {needed / 1e6:.1f} MB，{folder} 所在磁盘只剩 "
                          f"{free / 1e6:.1f} MB。当前数据没有改变；请腾出空间后重试。")


def attachment_target(root: Path, rel: str) -> Path:
    """Where an evidence file goes: inside the attachments folder, never through a link out of
    it, with a name this system can hold (``:`` and ``\\`` mean something else on Windows)."""
    parts = PurePosixPath(rel).parts
    bad = (not rel or rel.startswith("/") or "\x00" in rel or any(p in ("", ".", "..") for p in parts)
           or (os.name == "nt" and any(c in rel for c in ':\\')))
    target = Path(root).joinpath(*parts) if parts else Path(root)
    if not bad:
        base = Path(root).resolve()
        bad = base != target.parent.resolve() and base not in target.parent.resolve().parents
    if bad:
        raise BackupError(f"附件路径不安全或在本系统上无效：{rel}，未恢复。")
    return target


def _restore_attachment(zf: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path, rel: str, sha: str) -> None:
    """Temporary name, hash check, rename. A file already there with the right content stays;
    one with the wrong content (a truncated leftover of a killed restore) is replaced."""
    target = attachment_target(root, rel)
    if target.is_file() and not target.is_symlink() and target.stat().st_size == info.file_size \
            and sha256_of(target) == sha:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{uuidlib.uuid4().hex[:8]}.part")
    with leftovers.claimed(tmp) as claim:
        with zf.open(info) as src, claim.path.open("wb") as dst:
            digest = _stream(src, dst, info.file_size)
            dst.flush()
            os.fsync(dst.fileno())
        if digest != sha:
            raise BackupError(f"备份中的附件已损坏：{rel}，未恢复。")
        claim.replace(target)


def _swap_in(claim: leftovers.Claim, db_path: Path) -> None:
    """The restored file gets a new exchange identity, the current file's journals are set
    aside (a journal left beside the restored file would be rolled into it), then one rename."""
    fork_identity(claim.path)
    folder = backups_dir_for(db_path)
    for suffix in ("-journal", "-wal", "-shm"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            folder.mkdir(parents=True, exist_ok=True)
            os.replace(side, folder / f"恢复时移走-{_stamp()}-{side.name}")
    claim.replace(db_path)


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
        if not check_backup_database(candidate):
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
    fork_identity(db_path)
    return aside, backup

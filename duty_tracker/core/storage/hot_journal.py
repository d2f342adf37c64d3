"""Crash recovery that cannot make things worse: the hot rollback journal, handled with care.

A process killed in the middle of a transaction leaves ``<db>-journal`` beside the database
("hot": nobody holds the write lock). The next connection that reads rolls it back into the
file — SQLite's own crash recovery, right for a journal of *this* database. A journal that
belongs to another database (copied along with the wrong folder, left from a file of the same
name) would be rolled back just as willingly and write foreign pages into ours.

So before any roll-back, :func:`recover` (called by ``open_database`` and by the integrity
check, never behind their back by SQLite):

1. asks SQLite, read-only, whether the journal is hot (a live writer's journal is left alone);
2. compares the journal with the file: the page size, and — when the journal holds the old
   image of page 1 — the application mark and the change counter (a genuine journal's page 1
   is the file's page 1 at the start of the unfinished transaction: same mark, counter equal
   or one behind). A mismatch: the journal is moved aside and the file is not touched;
3. keeps a copy of the file and of the journal in the backups folder (no copy, no roll-back);
4. lets SQLite roll back, then checks the result (integrity, our mark and tables). If the
   check fails, the original file is put back and the journal moved aside.

Every outcome is a Chinese sentence for the clerk. Only one process at a time recovers a file
(a lock in the backups folder).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from duty_tracker.core.storage.marks import Header, parse_header, read_header

JOURNAL_MAGIC = bytes([0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7])
KEPT_PREFIX = "回滚前-"
ASIDE_PREFIX = "未回滚的日志-"


class Outcome(NamedTuple):
    """What :func:`recover` did. ``problem``: the journal was set aside (the file kept as it was)."""

    message: str
    problem: bool = False
    rolled_back: bool = False


class JournalInfo(NamedTuple):
    page_size: int
    page_one: Header | None  # the old image of page 1, when the journal holds it


def journal_path(db_path: Path) -> Path:
    return Path(str(db_path) + "-journal")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]


def read_journal(path: Path) -> JournalInfo | None:
    """Page size and the page-1 image of a rollback journal; None when it has no valid header
    (an empty or zeroed journal is not hot)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(28)
            if len(head) < 28 or head[:8] != JOURNAL_MAGIC:
                return None
            sector, page_size = struct.unpack(">II", head[20:28])
            if not 512 <= sector <= 65536 or not 512 <= page_size <= 65536:
                return JournalInfo(page_size, None)
            return JournalInfo(page_size, _page_one(fh, size, sector, page_size))
    except OSError:
        return None


def _page_one(fh, size: int, sector: int, page_size: int) -> Header | None:  # noqa: ANN001
    """Walk the journal's segments (a new header follows each sync) looking for page 1."""
    offset, record = 0, page_size + 8
    for _segment in range(10_000):
        fh.seek(offset)
        head = fh.read(28)
        if len(head) < 28 or head[:8] != JOURNAL_MAGIC:
            return None
        count = struct.unpack(">I", head[8:12])[0]
        start = offset + sector
        if count == 0xFFFFFFFF:
            count = max(0, (size - start) // record)
        for index in range(min(count, (size - start) // record if size > start else 0)):
            fh.seek(start + index * record)
            if struct.unpack(">I", fh.read(4))[0] == 1:
                return parse_header(fh.read(100))
        end = start + count * record
        offset = (end + sector - 1) // sector * sector
        if count == 0 or offset >= size:
            return None
    return None


def mismatch(db: Header | None, journal: JournalInfo) -> str | None:
    """Why the journal cannot be this file's, or None when nothing speaks against it."""
    if db is None:
        return None
    if journal.page_size != db.page_size:
        return f"日志的页面大小（{journal.page_size}）与数据库（{db.page_size}）不同"
    old = journal.page_one
    if old is None:
        return None
    if old.page_size != db.page_size or old.application_id != db.application_id:
        return "日志中保存的文件头与数据库不符"
    if (db.change_counter - old.change_counter) % (1 << 32) not in (0, 1):
        return (f"日志记录的修改计数（{old.change_counter}）与数据库（{db.change_counter}）对不上，"
                "它属于另一个数据库文件")
    return None


def is_hot(db_path: Path) -> bool:
    """True when SQLite would roll the journal back on the next read (read-only probe)."""
    journal = journal_path(db_path)
    try:
        if not journal.is_file() or journal.stat().st_size == 0:
            return False
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return "readonly" in str(exc) or "read-only" in str(exc)
    except OSError:
        return False
    return False


@contextmanager
def _recovery_lock(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".journal-recovery.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)  # another process recovering the same file: wait
        yield
    finally:
        os.close(fd)


def recover(db_path: Path, backups_dir: Path, healthy: callable) -> Outcome | None:  # type: ignore[valid-type]
    """Handle a hot journal beside ``db_path`` as described above; None when there is none.

    ``healthy(path) -> list[str]`` is the integrity check applied after the roll-back."""
    db_path = Path(db_path)
    if not is_hot(db_path):
        return None
    try:
        with _recovery_lock(backups_dir):
            if not is_hot(db_path):  # another process recovered it while we waited
                return None
            return _recover_locked(db_path, backups_dir, healthy)
    except OSError as exc:
        return Outcome(f"数据库上次未正常关闭，需要回滚未完成的修改，但无法在数据文件夹中保留副本"
                       f"（{exc.strerror or exc}）。为安全起见未作回滚；请检查磁盘空间和文件夹权限。",
                       problem=True)


def _recover_locked(db_path: Path, backups_dir: Path, healthy) -> Outcome:  # noqa: ANN001
    journal = journal_path(db_path)
    info = read_journal(journal)
    reason = mismatch(read_header(db_path), info) if info else None
    stamp = _stamp()
    aside = backups_dir / f"{ASIDE_PREFIX}{stamp}-{journal.name}"
    if reason:
        os.replace(journal, aside)
        return Outcome(f"数据库旁的回滚日志不属于这个数据库（{reason}），未回滚，已移到 {aside}。"
                       "数据库文件未被改动。", problem=True)
    kept_db = backups_dir / f"{KEPT_PREFIX}{stamp}-{db_path.name}"
    kept_journal = Path(str(kept_db) + "-journal.copy")
    try:
        shutil.copyfile(db_path, kept_db)
        shutil.copyfile(journal, kept_journal)
    except OSError:
        kept_db.unlink(missing_ok=True)
        kept_journal.unlink(missing_ok=True)
        raise
    problems = _roll_back(db_path)
    problems = problems or healthy(db_path)
    if problems:
        os.replace(kept_db, db_path)
        if journal.exists():
            os.replace(journal, aside)
            kept_journal.unlink(missing_ok=True)
        else:
            os.replace(kept_journal, aside)
        return Outcome(f"数据库旁的回滚日志与数据库不符（回滚后检查失败：{problems[0]}），已放回原来的"
                       f"数据库文件，日志移到 {aside}。", problem=True)
    for old in backups_dir.glob(f"{KEPT_PREFIX}*"):
        if old not in (kept_db, kept_journal):
            old.unlink(missing_ok=True)
    return Outcome(f"数据库上次未正常关闭，已撤销未完成的修改（回滚前的副本保存在 {kept_db}）。",
                   rolled_back=True)


def _roll_back(db_path: Path) -> list[str]:
    """Let SQLite roll the hot journal back (a read on a read-write connection does it)."""
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"回滚失败：{exc}"]
    return []

"""How the program recognises its own database files without trusting their names.

Every database the program creates or migrates carries ``PRAGMA application_id`` =
:data:`APPLICATION_ID` (0x4C5A4A53, the ASCII letters "LZJS" of 履职纪实 *lǚ zhí jì shí*) in the
SQLite header, beside ``user_version`` (the schema version). The header is read directly from
the first 100 bytes — no SQLite connection, so nothing is rolled back or written while looking.

A file is ours when it carries the mark, or — written by a version of the program from before
the mark — when it has no mark, a schema version and the program's own tables. Anything else
(another program's SQLite file, an empty file, a file of a newer schema) is refused by restore
and by open with a Chinese message, before anything is written.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

SQLITE_HEADER = b"SQLite format 3\x00"
#: The mark in every database of the program: "LZJS" (履职纪实).
APPLICATION_ID = 0x4C5A4A53
#: Tables only the program's schema has; an unmarked file must hold all of them to count as ours.
OUR_TABLES = frozenset({"rule_sets", "duties", "units", "leaders", "records", "audit_log", "settings"})


class Header(NamedTuple):
    """The fields of the SQLite file header the program looks at."""

    page_size: int
    change_counter: int
    user_version: int
    application_id: int
    #: 1: rollback journal (every commit raises ``change_counter``); 2: write-ahead log (not).
    write_version: int = 1
    page_count: int = 0
    #: The ``change_counter`` at which ``page_count`` was last right (older SQLite left it behind).
    valid_for: int = 0


def parse_header(data: bytes) -> Header | None:
    """The header of a database image (the first 100 bytes); None when it is not SQLite's."""
    if len(data) < 100 or data[:16] != SQLITE_HEADER:
        return None
    page_size = struct.unpack(">H", data[16:18])[0]
    return Header(
        page_size=65536 if page_size == 1 else page_size,
        change_counter=struct.unpack(">I", data[24:28])[0],
        user_version=struct.unpack(">i", data[60:64])[0],
        application_id=struct.unpack(">i", data[68:72])[0] & 0xFFFFFFFF,
        write_version=data[18],
        page_count=struct.unpack(">I", data[28:32])[0],
        valid_for=struct.unpack(">I", data[92:96])[0],
    )


def read_header(path: Path) -> Header | None:
    try:
        with Path(path).open("rb") as fh:
            return parse_header(fh.read(100))
    except OSError:
        return None


def table_names(path: Path) -> set[str] | None:
    """The tables of a database file, read-only; None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def foreign_problem(
    path: Path, latest_version: int, *, what: str = "该文件", empty_ok: bool = False
) -> str | None:
    """Why ``path`` is not a database of this program (a Chinese sentence), or None.

    An empty file (0 bytes, or a database without tables) is reported too — as a *backup* it
    holds nothing — unless ``empty_ok`` (opening: an empty file is a new database)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"{what}无法读取：{exc.strerror or exc}。"
    if size == 0:
        return None if empty_ok else f"{what}是空的（0 字节），不含任何数据。"
    header = read_header(path)
    if header is None:
        return f"{what}不是数据库文件（文件头不符，可能已损坏或被截断）。"
    if header.application_id not in (0, APPLICATION_ID):
        return (f"{what}是其他程序的数据库文件（标识 0x{header.application_id:08X}），"
                "不是履职纪实的数据。")
    if header.application_id == 0:
        tables = table_names(path)
        if tables is None:
            return f"{what}无法读取（数据库已损坏）。"
        if header.user_version == 0 and not tables:
            return None if empty_ok else f"{what}是一个空数据库，不含任何数据。"
        if header.user_version == 0 or not OUR_TABLES <= tables:
            return f"{what}是其他程序的数据库文件，不是履职纪实的数据。"
    if header.user_version > latest_version:
        return (f"{what}来自较新版本的程序（数据结构版本 {header.user_version}，本程序支持到 "
                f"{latest_version}），请先升级程序。")
    if header.user_version <= 0:
        return f"{what}没有数据结构版本，不是完整的履职纪实数据库。"
    return None


def sqlite_problems(path: Path, *, quick: bool = False,
                    stop: Callable[[], bool] | None = None) -> list[str]:
    """SQLite's ``integrity_check`` and ``foreign_key_check`` of a file opened read-only (a hot
    journal is not rolled back here: see ``hot_journal``). Empty when healthy.

    ``quick`` runs ``quick_check`` instead: it still reads every page and proves the structure
    of every table and index (page links, cell and record format, free list, NOT NULL), but
    does not look up each row in each index — that its indexes hold exactly the table's rows
    and that UNIQUE holds — which is most of the full check's time on a big file.
    ``stop`` is polled while the check runs; when it says True the check ends at once (it is
    being abandoned, and its answer then means nothing)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            if stop is not None:
                conn.set_progress_handler(lambda: int(stop()), 10_000)
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"无法读取数据库：{sqlite_reason(exc)}"]
    problems = [] if rows == ["ok"] else rows
    if fk:
        problems.append(f"外键不一致的行：{len(fk)} 条")
    return problems


def sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    """SQLite's reason in Chinese where it is a known one (the English text otherwise)."""
    text = str(exc)
    known = {
        "file is not a database": "文件不是数据库或已损坏",
        "database disk image is malformed": "数据库文件已损坏",
        "attempt to write a readonly database": "有未完成的修改需要回滚，但文件只能以只读方式打开",
        "unable to open database file": "无法打开数据库文件",
        "disk I/O error": "磁盘读写错误",
        "database or disk is full": "磁盘已满",
        "database is locked": "数据库正被另一个程序使用",
    }
    for english, chinese in known.items():
        if english in text:
            return chinese
    return text

"""The integrity check behind ``duty-tracker check``: the database file (SQLite's own check,
foreign keys, the program's mark, the search index) and every attachment (present, same size,
same SHA-256).

Two depths, because the deep one takes half a minute on a city's million records:

- the default (``check``, the 检查 button, the check after a restore) runs SQLite's
  ``quick_check`` — every page is read and the structure of every table and index proven — and
  the search index's quick check (row counts, a sample of records looked up; see
  ``search_index.index_is_consistent``). It gives up two things: that every index of a table
  holds exactly the table's rows (and UNIQUE holds), and FTS5's reading of every index
  segment. Both can only be lost by damage inside pages that still look sound;
- ``full`` (``check --full``) runs ``integrity_check`` and FTS5's own integrity checks, which
  find that too. The window's start-up check runs ``integrity_check`` at every start as well
  (on the day's backup copy at the first), and every backup's copy passes it before it is kept.

``check`` never changes a healthy file: it reads through read-only connections. It writes only
to repair what it finds broken, and says so in ``notes``: a hot journal left by a killed
process (handled by ``hot_journal.recover`` — copy first, and the original put back when the
journal was not this file's), and a search-index trigger that was dropped (recreated, and the
index rebuilt from the records).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from duty_tracker.core.helpers import sha256_of
from duty_tracker.core.storage import hot_journal, search_index
from duty_tracker.core.storage.database import (
    LedgerDatabase,
    check_file_is_sqlite,
    latest_schema_version,
    read_user_version,
)
from duty_tracker.core.storage.errors import DatabaseOpenError
from duty_tracker.core.storage.marks import foreign_problem, sqlite_problems
from duty_tracker.paths import attachments_dir_for, backups_dir_for


@dataclass
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    #: What the check found and repaired (the database is fine now); shown to the clerk.
    notes: list[str] = field(default_factory=list)
    attachments_checked: int = 0
    schema_version: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _healthy(path: Path) -> list[str]:
    problems = sqlite_problems(path)
    if not problems:
        problem = foreign_problem(path, latest_schema_version())
        problems = [problem] if problem else []
    return problems


def check_database(db_path: Path, *, hash_attachments: bool = True,
                   full: bool = False) -> IntegrityReport:
    """The check of the database and its attachments; ``full`` is the deep check (above)."""
    report = IntegrityReport()
    db_path = Path(db_path)
    if not db_path.exists():
        report.problems.append(f"数据库文件不存在：{db_path}")
        return report
    try:
        check_file_is_sqlite(db_path)
    except DatabaseOpenError as exc:
        report.problems.append(str(exc))
        return report
    outcome = hot_journal.recover(db_path, backups_dir_for(db_path), _healthy)
    if outcome is not None:
        (report.problems if outcome.problem else report.notes).append(outcome.message)
    problems = sqlite_problems(db_path, quick=not full)
    if problems:
        report.problems += [f"数据库完整性检查失败：{p}" for p in problems[:20]]
        return report
    problem = foreign_problem(db_path, latest_schema_version(), what="数据库文件")
    if problem:
        report.problems.append(problem)
        return report
    try:
        report.schema_version = read_user_version(db_path)
    except DatabaseOpenError as exc:
        report.problems.append(str(exc))
        return report
    _check_search_index(db_path, report, full)
    _check_attachments(db_path, report, hash_attachments)
    return report


def _check_search_index(db_path: Path, report: IntegrityReport, full: bool) -> None:
    """A dropped or altered search index, view or trigger, or an index that disagrees with the
    records, is repaired (the indexes are derived data) and reported in ``notes``."""
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=30)
        try:
            broken = search_index.damaged_objects(conn)
            stale = not broken and not search_index.index_is_consistent(conn, full=full)
            db = LedgerDatabase(conn)
            if broken:
                search_index.ensure_triggers(db)  # recreates them and rebuilds both indexes
            elif stale:
                with db.atomic():
                    search_index.rebuild(db)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"无法检查或重建搜索索引（{exc}）。请关闭其他正在使用数据库的程序后重试。")
        return
    tables = [n for n in broken if n in (search_index.TRIGRAM_TABLE, search_index.BIGRAM_TABLE,
                                          search_index.TEXT_VIEW)]
    triggers = [n for n in broken if n not in tables]
    if tables:
        report.notes.append(f"搜索索引（{'、'.join(tables)}）缺失或被改动（可能被外部工具修改），"
                            "已重新建立，并已按全部纪实重建。")
    if triggers:
        report.notes.append(f"搜索索引的触发器 {'、'.join(triggers)} 缺失或被改动（可能被外部工具修改），"
                            "已重新建立，并已按全部纪实重建搜索索引。")
    if stale:
        report.notes.append("搜索索引与纪实内容不一致，已按全部纪实重建。")


def _check_attachments(db_path: Path, report: IntegrityReport, hash_attachments: bool) -> None:
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            rows = conn.execute(
                "SELECT a.file_name, a.stored_path, a.sha256, a.size, r.title, r.performed_on "
                "FROM attachments a JOIN records r ON r.id = a.record_id").fetchall()
        except sqlite3.DatabaseError:
            rows = []  # an empty or pre-schema database has no attachments table yet
    finally:
        conn.close()
    folder = attachments_dir_for(db_path)
    for name, stored, digest, size, title, day in rows:
        report.attachments_checked += 1
        path = folder / stored
        where = f"“{title}”（{day}）的附件 {name}"
        try:
            if not path.is_file():
                report.problems.append(f"{where} 缺失：{path}")
            elif path.stat().st_size != size:
                report.problems.append(f"{where} 大小已改变（文件可能被修改或损坏）")
            elif hash_attachments and sha256_of(path) != digest:
                report.problems.append(f"{where} 内容已改变（校验值不符）")
        except OSError as exc:
            report.problems.append(f"{where} 无法读取：{exc.strerror or exc}")

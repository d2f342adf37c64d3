"""The integrity check behind ``duty-tracker check`` and the start-up check: the database file
(SQLite's own check, foreign keys) and every attachment (present, same size, same SHA-256)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from duty_tracker.core.helpers import sha256_of
from duty_tracker.core.storage.backup import integrity_problems
from duty_tracker.core.storage.database import check_file_is_sqlite, read_user_version
from duty_tracker.core.storage.errors import DatabaseOpenError
from duty_tracker.paths import attachments_dir_for


@dataclass
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    attachments_checked: int = 0
    schema_version: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db_path: Path, *, hash_attachments: bool = True) -> IntegrityReport:
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
    problems = integrity_problems(db_path)  # first: it also completes a crash's rollback
    if problems:
        report.problems += [f"数据库完整性检查失败：{p}" for p in problems[:20]]
        return report
    try:
        report.schema_version = read_user_version(db_path)
    except DatabaseOpenError as exc:
        report.problems.append(str(exc))
        return report
    import sqlite3

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
        if not path.is_file():
            report.problems.append(f"{where} 缺失：{path}")
        elif path.stat().st_size != size:
            report.problems.append(f"{where} 大小已改变（文件可能被修改或损坏）")
        elif hash_attachments and sha256_of(path) != digest:
            report.problems.append(f"{where} 内容已改变（校验值不符）")
    return report

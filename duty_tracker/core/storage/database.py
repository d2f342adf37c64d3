"""Opening the SQLite file: sanity checks, schema migrations, connection settings.

What happens at open, in order, and why:

1. A file that exists but is not a SQLite database (truncated, garbage, a renamed .xlsx) is
   refused with :class:`CorruptDatabaseError`; it is never written to. A SQLite file of another
   program (another ``application_id``, or unmarked without the program's tables) is refused
   with :class:`ForeignDatabaseError` — migrating it would write our tables into it.
2. ``PRAGMA user_version`` is the schema version. A version newer than this program knows is
   refused with :class:`NewerDatabaseError` (the file is not touched: a newer program wrote it).
3. A hot rollback journal left by a killed process is handled by ``hot_journal.recover``: copy
   first, roll back, check, put the original back when the journal was not this file's.
4. Temporary files a killed backup, restore or evidence copy left behind are removed — only
   those no live process holds (``leftovers``).
5. Pending migrations (``db/migrations/NNNN_*.sql``) run in one transaction each, after a
   verified backup of the file when it already held data.
6. The file gets the program's mark (``PRAGMA application_id``, see ``marks``), the audit
   triggers are regenerated from the live schema (``audit.py``) and the search index's
   triggers are checked (``search_index.py``). Each writes only when something is missing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from duty_tracker.core.helpers import os_user
from duty_tracker.core.storage import audit, hot_journal, leftovers, search_index
from duty_tracker.core.storage.connection import LedgerDatabase
from duty_tracker.core.storage.errors import (
    CorruptDatabaseError,
    DatabaseOpenError,
    ForeignDatabaseError,
    NewerDatabaseError,
)
from duty_tracker.core.storage.marks import (
    APPLICATION_ID,
    OUR_TABLES,
    SQLITE_HEADER,
    foreign_problem,
    read_header,
    sqlite_problems,
    table_names,
)
from duty_tracker.paths import attachments_dir_for, backups_dir_for, migrations_dir

__all__ = ["APPLICATION_ID", "SQLITE_HEADER", "LedgerDatabase", "connect", "open_database"]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


def available_migrations(folder: Path | None = None) -> list[tuple[int, Path]]:
    folder = folder or migrations_dir()
    found = []
    for path in folder.iterdir():
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    found.sort()
    versions = [v for v, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"迁移脚本编号不连续：{versions}")
    return found


def latest_schema_version() -> int:
    return len(available_migrations())


def check_file_is_sqlite(path: Path) -> None:
    """Refuse, without writing, a file that is not an SQLite database."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseOpenError(f"数据库路径是一个文件夹，不是数据库文件：{path}")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseOpenError(f"无法读取数据库文件 {path}：{exc.strerror or exc}") from exc
    if path.stat().st_size == 0:
        return  # an empty file is a new database (sqlite3 treats it so)
    if header != SQLITE_HEADER:
        raise CorruptDatabaseError(
            f"文件 {path} 不是有效的数据库文件（文件头损坏或文件被截断）。"
            "程序不会修改它；请从备份恢复。"
        )


def read_user_version(path: Path) -> int:
    """Schema version of an existing file, read without changing anything."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(
            f"数据库文件 {path} 已损坏，无法读取（{exc}）。程序不会修改它；请从备份恢复。"
        ) from exc


#: How long a writer waits for another process's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000


def connect(path: Path | str, *, actor: str | None = None) -> LedgerDatabase:
    """A configured connection to an already migrated database.

    Each thread or process opens its own (an sqlite connection belongs to its thread).
    """
    # Autocommit: a statement outside ``db.atomic()`` commits at once; ``atomic()`` blocks
    # (savepoints when nested) are the only transactions, so nothing is left half-open.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db = LedgerDatabase(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    audit.set_actor(db, actor or os_user())
    return db


def open_database(
    path: Path | str,
    *,
    backup: Callable[[Path, str], Path | None] | None = None,
    actor: str | None = None,
    migrations_folder: Path | None = None,
    notices: list[str] | None = None,
) -> LedgerDatabase:
    """Open (creating if needed) and migrate the database at ``path``.

    ``backup(path, reason)`` is called before migrating a file that already holds data; it must
    make a verified copy or raise. Raises :class:`DatabaseOpenError` subclasses with Chinese text.
    What the clerk should hear about (a crash recovered, a foreign journal set aside) is
    appended to ``notices`` when given.
    """
    path = Path(path)
    migrations = available_migrations(migrations_folder)
    latest = len(migrations)
    if path.exists():
        version = _checked_existing(path, latest, notices, own_schema=migrations_folder is None)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(f"无法创建数据文件夹 {path.parent}：{exc.strerror or exc}") from exc
        version = 0
    sweep_leftovers(path)
    if 0 < version < latest and backup is not None:
        backup(path, f"迁移前备份（版本 {version} → {latest}）")
    try:
        db = connect(path, actor=actor)
        _apply_migrations(db, version, migrations)
        audit.set_actor(db, actor or os_user())
        mark(db)
        audit.install_triggers(db)
        search_index.ensure_triggers(db)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise CorruptDatabaseError(
                f"数据库文件 {path} 已损坏（{exc}）。程序不会修改它；请从备份恢复。"
            ) from exc
        if "readonly" in str(exc) or "unable to open" in str(exc) or "disk" in str(exc):
            raise DatabaseOpenError(
                f"无法写入数据库 {path}。请检查文件夹是否只读或磁盘是否已满。"
            ) from exc
        raise
    return db


def _checked_existing(path: Path, latest: int, notices: list[str] | None, *, own_schema: bool) -> int:
    """The schema version of an existing file, after refusing what must not be opened and
    recovering a hot journal safely. (``own_schema`` False: a test's own migrations, whose
    tables are not the program's, so only the mark is looked at.)"""
    check_file_is_sqlite(path)
    if path.stat().st_size == 0:
        return 0
    header = read_header(path)
    if header is not None and header.application_id not in (0, APPLICATION_ID):
        if table_names(path) is None:
            raise CorruptDatabaseError(
                f"数据库文件 {path} 已损坏，无法读取。程序不会修改它；请从备份恢复。")
        raise ForeignDatabaseError(
            f"文件 {path} 是其他程序的数据库文件，不是履职纪实的数据库。程序不会修改它。")
    if header is not None and header.user_version > latest:
        _refuse_newer(path, header.user_version, latest)
    outcome = hot_journal.recover(path, backups_dir_for(path), _healthy_after_rollback)
    if outcome is not None and notices is not None:
        notices.append(outcome.message)
    version = read_user_version(path)
    if own_schema and (header is None or header.application_id == 0):
        tables = table_names(path) or set()
        if (version > 0 or tables) and not OUR_TABLES <= tables:
            raise ForeignDatabaseError(
                f"文件 {path} 是其他程序的数据库文件，不是履职纪实的数据库。程序不会修改它。")
    if version > latest:
        _refuse_newer(path, version, latest)
    return version


def _refuse_newer(path: Path, version: int, latest: int) -> None:
    raise NewerDatabaseError(
        f"数据库 {path} 由较新版本的程序创建（数据结构版本 {version}，本程序支持到 {latest}）。"
        "为保护数据，本程序不会打开或修改它，请升级程序。"
    )


def _healthy_after_rollback(path: Path) -> list[str]:
    """What must hold after a journal was rolled back: SQLite's check and our own mark."""
    problems = sqlite_problems(path)
    if problems:
        return problems
    problem = foreign_problem(path, latest_schema_version())
    return [problem] if problem else []


def mark(db: LedgerDatabase) -> None:
    """Put the program's mark in the file header (once; a marked file is not written)."""
    if int(db.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def sweep_leftovers(db_path: Path) -> list[Path]:
    """Remove the temporary files a killed backup, restore or evidence copy left beside the
    database, in its backups folder and in its attachments folder (never a live one)."""
    db_path = Path(db_path)
    removed = leftovers.sweep(db_path.parent, prefix=db_path.name)
    removed += leftovers.sweep(backups_dir_for(db_path))
    removed += leftovers.sweep(attachments_dir_for(db_path), recursive=True)
    return removed


def _apply_migrations(
    db: LedgerDatabase, version: int, migrations: list[tuple[int, Path]]
) -> None:
    for number, script_path in migrations:
        if number <= version:
            continue
        _apply_one(db, number, script_path.read_text(encoding="utf-8"))


#: A migration starting with this line rebuilds a table: foreign keys are off while it runs.
FOREIGN_KEYS_OFF = "-- foreign_keys: off"


def _apply_one(db: LedgerDatabase, number: int, script: str) -> None:
    """One migration in one transaction (executescript() would commit first), so a failing
    migration leaves the previous version intact.

    A migration that rebuilds a table (SQLite cannot alter a CHECK) says so on its first line;
    foreign keys are then off for it — dropping the old table must not cascade into the rows
    that reference it — and ``foreign_key_check`` must pass before it commits.
    """
    conn = db.conn
    rebuild = script.lstrip().startswith(FOREIGN_KEYS_OFF)
    if rebuild:
        conn.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
    try:
        with db.atomic():
            for statement in _split_sql(script):
                conn.execute(statement)
            if rebuild and conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError(f"迁移 {number} 之后存在无效的外键引用")
            conn.execute(f"PRAGMA user_version = {number}")
    finally:
        if rebuild:
            conn.execute("PRAGMA foreign_keys = ON")


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (complete_statement knows about quotes and triggers)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements


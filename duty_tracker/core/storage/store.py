"""The store: one open database with its repositories, the single entry point of the core's
data access. The window, the CLI, the reports and the workers all go through it.

A ``Store`` belongs to the thread that opened it (sqlite connections do); a worker thread or
process opens its own with :meth:`Store.open` on the same path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duty_tracker.core.storage import audit
from duty_tracker.core.storage.database import connect, open_database
from duty_tracker.core.storage.marks import read_header
from duty_tracker.core.storage.people_repo import PeopleRepo
from duty_tracker.core.storage.records_repo import RecordsRepo
from duty_tracker.core.storage.rules_repo import RulesRepo
from duty_tracker.paths import attachments_dir_for, backups_dir_for

if TYPE_CHECKING:
    from duty_tracker.core.storage.annual_reports_repo import AnnualReportsRepo
    from duty_tracker.core.storage.audit_queries import AuditLog
    from duty_tracker.core.storage.connection import LedgerDatabase
    from duty_tracker.core.storage.debriefs_repo import DebriefsRepo
    from duty_tracker.core.storage.tasks_repo import TasksRepo


class Store:
    """The rules, people and records repositories are made with the store; the others on
    first use (the window's first paint reads none of them, and their modules cost its start
    some milliseconds to load)."""

    def __init__(self, db: LedgerDatabase, path: Path) -> None:
        self.db = db
        self.path = path
        self.attachments_dir = attachments_dir_for(path)
        self.backups_dir = backups_dir_for(path)
        self.rules = RulesRepo(db)
        self.people = PeopleRepo(db)
        self.records = RecordsRepo(db, self.attachments_dir)

    @cached_property
    def debriefs(self) -> DebriefsRepo:
        from duty_tracker.core.storage.debriefs_repo import DebriefsRepo

        return DebriefsRepo(self.db)

    @cached_property
    def tasks(self) -> TasksRepo:
        from duty_tracker.core.storage.tasks_repo import TasksRepo

        return TasksRepo(self.db, self.records)

    @cached_property
    def annual_reports(self) -> AnnualReportsRepo:
        from duty_tracker.core.storage.annual_reports_repo import AnnualReportsRepo

        return AnnualReportsRepo(self.db)

    @cached_property
    def audit_log(self) -> AuditLog:
        from duty_tracker.core.storage.audit_queries import AuditLog

        return AuditLog(self)

    @classmethod
    def open(cls, path: Path | str, *, actor: str | None = None, migrate: bool = True) -> Store:
        """Open (create, migrate) the database at ``path``.

        ``migrate=False`` is for a second connection on a database that its process already
        opened (worker threads and processes). Seeding the default rules and the locks belong
        to the use-case layer (``core.services.ledger``), which is how the program opens a
        ledger; storage itself knows nothing of rules texts.
        """
        path = Path(path)
        if migrate:
            db = open_database(path, backup=_backup_before_migration, actor=actor)
        else:
            db = connect(path, actor=actor)
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @contextmanager
    def read_snapshot(self) -> Iterator[str | None]:
        """A read transaction, and what tells this committed state of the file from every other:
        the header's change counter (SQLite raises it on every commit in rollback-journal mode,
        as other connections rely on to drop their caches) with the page count and the file's
        size, modification time and identity (a file put back from a copy, or replaced, differs
        there). While the block runs no other connection can commit, so what it reads belongs
        to that state. ``None`` when no such token can be trusted: in write-ahead-log mode
        (commits go to the log, the counter stays), inside a transaction of this connection
        (its own uncommitted changes), for a file SQLite has not finished writing."""
        conn = self.db.conn
        if conn.in_transaction:
            yield None
            return
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the read lock
            yield self._state_token()
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def _state_token(self) -> str | None:
        try:
            header = read_header(self.path)
            stat = self.path.stat()
        except OSError:
            return None
        if (header is None or header.write_version != 1 or header.valid_for != header.change_counter
                or self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"):
            return None
        return (f"{header.change_counter}:{header.page_count}:{stat.st_size}:{stat.st_mtime_ns}:"
                f"{stat.st_ino}")

    def audit_suspended(self):  # noqa: ANN201 - a context manager
        return audit.suspended(self.db)

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def _backup_before_migration(path: Path, reason: str) -> Path | None:
    """The verified copy made before a migration (the backup module is loaded only then)."""
    from duty_tracker.core.storage.backup import backup_before_migration

    return backup_before_migration(path, reason)

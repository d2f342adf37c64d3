"""The store: one open database with its repositories, the single entry point of the core's
data access. The window, the CLI, the reports and the workers all go through it.

A ``Store`` belongs to the thread that opened it (sqlite connections do); a worker thread or
process opens its own with :meth:`Store.open` on the same path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils

from duty_tracker.core.storage import audit
from duty_tracker.core.storage.annual_reports_repo import AnnualReportsRepo
from duty_tracker.core.storage.audit_queries import AuditLog
from duty_tracker.core.storage.database import connect, open_database
from duty_tracker.core.storage.debriefs_repo import DebriefsRepo
from duty_tracker.core.storage.people_repo import PeopleRepo
from duty_tracker.core.storage.records_repo import RecordsRepo
from duty_tracker.core.storage.rules_repo import RulesRepo
from duty_tracker.core.storage.tasks_repo import TasksRepo
from duty_tracker.paths import attachments_dir_for, backups_dir_for


class Store:
    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.attachments_dir = attachments_dir_for(path)
        self.backups_dir = backups_dir_for(path)
        self.rules = RulesRepo(db)
        self.people = PeopleRepo(db)
        self.records = RecordsRepo(db, self.attachments_dir)
        self.debriefs = DebriefsRepo(db)
        self.tasks = TasksRepo(db, self.records)
        self.annual_reports = AnnualReportsRepo(db)
        self.audit_log = AuditLog(self)

    @classmethod
    def open(cls, path: Path | str, *, actor: str | None = None, migrate: bool = True) -> Store:
        """Open (create, migrate) the database at ``path``.

        ``migrate=False`` is for a second connection on a database that its process already
        opened (worker threads and processes). Seeding the default rules and the locks belong
        to the use-case layer (``core.services.ledger``), which is how the program opens a
        ledger; storage itself knows nothing of rules texts.
        """
        from duty_tracker.core.storage.backup import backup_before_migration

        path = Path(path)
        if migrate:
            db = open_database(path, backup=backup_before_migration, actor=actor)
        else:
            db = connect(path, actor=actor)
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def audit_suspended(self):  # noqa: ANN201 - a context manager
        return audit.suspended(self.db)

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

"""Keeping the data safe: backups, restore, the integrity check and the start-up check.

A restore replaces the database file, so it needs the database to itself: it takes
:class:`~duty_tracker.core.storage.writer_lock.ExclusiveAccess` (no other writing process may
be running; new ones wait) for the whole swap. The current data is backed up first by the
storage layer, so a restore can itself be undone. In the window the open ledger is closed for
the swap and always reopened — on the restored file, or on the original when the restore failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from duty_tracker.core.errors import AppError
from duty_tracker.core.helpers import os_reason
from duty_tracker.core.services.ledger import Ledger
from duty_tracker.core.storage import backup as backups
from duty_tracker.core.storage.backup import BackupError, BackupInfo
from duty_tracker.core.storage.hot_journal import journal_path
from duty_tracker.core.storage.integrity import IntegrityReport, check_database
from duty_tracker.core.storage.writer_lock import ExclusiveAccess

ProgressFn = Callable[[int, int, str], None]


def backup_now(db_path: Path, reason: str = "手动备份") -> Path | None:
    """A verified automatic backup in the data folder (rotated); None for an empty database."""
    return backups.auto_backup(Path(db_path), reason)


def backup_to_folder(db_path: Path, folder: Path | None = None,
                     progress: ProgressFn | None = None) -> Path:
    """Database and every attachment in one verified .zip (e.g. on a USB stick)."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise BackupError(f"数据库不存在：{db_path}")
    return backups.full_backup(db_path, Path(folder) if folder else None, progress=progress)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The automatic backups, newest first, as the restore list shows them (not verified)."""
    return [backups.describe_backup(path, verify=False)
            for path in backups.list_auto_backups(Path(db_path))]


def describe_backup(path: Path) -> BackupInfo:
    """What a backup holds and whether it passes verification (shown before a restore)."""
    return backups.describe_backup(Path(path))


@dataclass(frozen=True, slots=True)
class RestoreResult:
    source: Path
    safety_backup: Path | None  # the data as it was before the restore


def restore_file(db_path: Path, backup_file: Path) -> RestoreResult:
    """Restore ``backup_file`` over ``db_path`` when no other process writes to it.

    The database need not be openable (restoring is how a damaged one is repaired)."""
    db_path, backup_file = Path(db_path), Path(backup_file)
    with ExclusiveAccess(db_path):
        try:
            safety = backups.restore(backup_file, db_path)
        except OSError as exc:
            raise BackupError(f"恢复失败，当前数据没有改变：{os_reason(exc)}") from exc
    return RestoreResult(backup_file, safety)


def restore_backup(ledger: Ledger, backup_file: Path) -> RestoreResult:
    """Restore into the ledger the window has open; ``ledger.store`` is a fresh store afterwards.

    When the restored file cannot be opened, the data from before the restore is put back, so
    the window never ends up without a usable store."""
    ledger.store.close()
    try:
        result = restore_file(ledger.path, backup_file)
    except BaseException:
        ledger.reopen()  # nothing was swapped: the original file is still there
        raise
    try:
        ledger.reopen()
    except AppError as exc:
        if result.safety_backup is None:
            raise
        restore_file(ledger.path, result.safety_backup)
        ledger.reopen()
        raise BackupError(f"恢复的数据库无法打开（{exc}），已还原为恢复前的数据。") from exc
    return result


def check(db_path: Path, *, full: bool = False) -> IntegrityReport:
    """Integrity of the database and of every attachment (missing, size or content changed).
    ``full`` is the deep check (SQLite's and FTS5's whole integrity checks, half a minute at a
    million records); the default takes seconds and gives up only what damage inside sound-
    looking pages could hide (see ``storage.integrity``)."""
    return check_database(Path(db_path), full=full)


@dataclass(slots=True)
class StartupReport:
    """What the start-up check found: problems (the database is damaged), the day's backup."""

    problems: list[str] = field(default_factory=list)
    backup: Path | None = None
    newest_good_backup: Path | None = None
    backup_error: str | None = None

    @property
    def damaged(self) -> bool:
        return bool(self.problems)


def startup_check(db_path: Path, *, now: datetime | None = None) -> StartupReport:
    """``PRAGMA integrity_check`` and, on a healthy database, the day's first backup.

    On the day's first start the two are one job: the backup is a page copy of the database at
    one moment, kept only when the copy passes ``integrity_check`` — which proves the database
    as it was at that moment. The file itself is checked only when no such copy was made (a
    backup already made today, a hot journal to recover first, a copy that failed: damage is
    then told from a failed copy), which saves a whole check (6 s at a million records).
    A failing backup is reported, never raised: it must not stop the clerk from working."""
    db_path = Path(db_path)
    report = StartupReport()
    if backups.startup_backup_due(db_path, now) and not journal_path(db_path).exists():
        _day_backup(db_path, report, now)
        if report.backup is not None:
            return report
    report.problems = backups.integrity_problems(db_path)
    if report.damaged:
        report.backup_error = None  # the damage is the reason, and it is what the clerk is told
        report.newest_good_backup = backups.newest_good_backup(db_path)
        return report
    if report.backup_error is None:
        _day_backup(db_path, report, now)
    return report


def _day_backup(db_path: Path, report: StartupReport, now: datetime | None) -> None:
    try:
        report.backup = backups.startup_backup(db_path, today=now)
    except (AppError, OSError) as exc:
        report.backup_error = str(exc)

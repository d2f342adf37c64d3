"""Opening a ledger: the one way a process gets a database it may write to.

Opening migrates the schema (after a verified backup), seeds the shipped default rule set into
a new database, and registers the process as a writer, so that a restore elsewhere waits for
it or refuses (``storage.writer_lock``). The window additionally takes the one-window lock
(``storage.instance_lock``): two windows on one ledger would overwrite each other's edits.

Work on another thread of the same process opens a *worker store* instead: a second connection
(a connection belongs to the thread that made it) that neither migrates nor registers, because
the process that started the work holds the ledger open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from duty_tracker.core.seeding import seed_default_rule_set
from duty_tracker.core.storage.instance_lock import InstanceLock
from duty_tracker.core.storage.store import Store
from duty_tracker.core.storage.writer_lock import WriterLock


class Ledger:
    """An open database with the locks of the process that writes to it.

    ``store`` is replaced when a restore swaps the file (``safety.restore_backup``); callers
    keep the ledger and read ``ledger.store`` when they need it.
    """

    def __init__(self, path: Path, store: Store, writer: WriterLock,
                 window_lock: InstanceLock | None = None, actor: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.path = path
        self.store = store
        self.writer = writer
        self.window_lock = window_lock
        self.actor = actor
        self.extra: dict[str, Any] = {} if extra is None else extra

    def reopen(self) -> Store:
        """Open the file at ``path`` again (after a restore replaced it) as ``store``."""
        self.store = _open_store(self.path, self.actor)
        return self.store

    def close(self) -> None:
        try:
            self.store.close()
        finally:
            self.writer.release()
            if self.window_lock is not None:
                self.window_lock.release()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_store(path: Path, actor: str | None) -> Store:
    store = Store.open(path, actor=actor)
    try:
        if not store.rules.has_rule_sets():
            seed_default_rule_set(store)
    except BaseException:
        store.close()
        raise
    return store


def open_ledger(
    path: Path | str,
    *,
    actor: str | None = None,
    purpose: str = "履职纪实命令行",
    window: bool = False,
) -> Ledger:
    """Open ``path`` for writing: locks first (nothing is touched when another window has it),
    then migrate and seed. Raises :class:`~duty_tracker.core.storage.errors.StorageError`
    subclasses with Chinese messages; no lock outlives a failure."""
    path = Path(path)
    window_lock = InstanceLock(path).acquire() if window else None
    try:
        writer = WriterLock(path, purpose).acquire()
        try:
            store = _open_store(path, actor)
        except BaseException:
            writer.release()
            raise
    except BaseException:
        if window_lock is not None:
            window_lock.release()
        raise
    return Ledger(path, store, writer, window_lock, actor)


def open_worker_store(path: Path | str, *, actor: str | None = None) -> Store:
    """A second connection for a worker thread or process of a process that holds the ledger."""
    return Store.open(path, actor=actor, migrate=False)

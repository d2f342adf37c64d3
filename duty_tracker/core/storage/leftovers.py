"""Temporary files that announce they are being written, and the safe removal of the ones a
killed process left behind.

Backups, restores and evidence copies are written to a temporary name (``….part``,
``….restore``) and renamed when verified. A process killed with ``kill -9`` or a power cut
leaves the temporary file (and SQLite's ``….part-journal`` beside a half-made copy) for ever.
Deleting every such file at the next start would be wrong: another process — a second CLI
command, the window's start-up backup — may be writing one right now.

So a writer *claims* its temporary file: it creates it and holds an operating-system lock on
it (``flock`` on Linux; on Windows the open handle itself, which forbids deleting the file)
until it has renamed it. The lock ends with the process, however it ends. A leftover is a
temporary file nobody holds: :func:`sweep` takes the lock itself and only then deletes it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Name endings of temporary files that the program writes and may leave behind.
TEMP_SUFFIXES = (".part", ".restore")
#: A temporary name that is a link is never followed (it is nobody's file to write or delete).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: SQLite's own companions of a temporary database.
JOURNAL_SUFFIXES = ("-journal", "-wal", "-shm")


class Claim:
    """A temporary file held by this process until :meth:`replace` or :meth:`release`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd: int | None = fd

    def replace(self, target: Path) -> None:
        """Rename the finished file onto ``target``. On Linux the lock is held through the
        rename (it follows the file); Windows cannot rename a file that is open, so the handle
        is closed first."""
        if sys.platform == "win32":
            self.release()
            os.replace(self.path, target)
            return
        os.replace(self.path, target)
        self.release()

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def _lock(fd: int) -> bool:
    if sys.platform == "win32":
        return True  # the open handle is the claim
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def claimed(path: Path) -> Iterator[Claim]:
    """Create ``path`` empty (replacing an abandoned file of that name) and hold it.

    On leaving the block a file still under the temporary name is deleted, so a failure or a
    cancel leaves nothing behind; a kill leaves the file to :func:`sweep`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        _remove_if_abandoned(path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_BINARY", 0), 0o644)
    if not _lock(fd):
        os.close(fd)
        raise FileExistsError(f"临时文件 {path} 正被另一个进程使用")
    claim = Claim(path, fd)
    try:
        yield claim
    finally:
        if claim.fd is not None:
            claim.release()
            for leftover in (path, *(Path(str(path) + s) for s in JOURNAL_SUFFIXES)):
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    pass


def _remove_if_abandoned(path: Path) -> bool:
    """Delete ``path`` (and its SQLite journal) when no process holds it; True when removed."""
    try:
        fd = os.open(path, os.O_RDWR | _NOFOLLOW | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return False  # cannot even open it (Windows: in use): leave it
    try:
        if not _lock(fd):
            return False  # a live writer holds it
        if sys.platform == "win32":
            os.close(fd)
            fd = -1
        try:
            path.unlink()
        except OSError:
            return False  # Windows: still open in another process
        for suffix in JOURNAL_SUFFIXES:
            try:
                Path(str(path) + suffix).unlink(missing_ok=True)
            except OSError:
                pass
        return True
    finally:
        if fd >= 0:
            os.close(fd)


def sweep(folder: Path, *, recursive: bool = False, prefix: str = "") -> list[Path]:
    """Remove the abandoned temporary files in ``folder`` (whose names start with ``prefix``);
    returns what was removed.

    A ``….part-journal`` is removed with its ``….part``, or alone when its ``….part`` is gone
    (SQLite deletes the journal before the copy is renamed, so it cannot be live then)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed: list[Path] = []
    pattern = "**/*" if recursive else "*"
    for path in sorted(folder.glob(pattern)):
        name = path.name
        if not name.startswith(prefix):
            continue
        try:
            if name.endswith(TEMP_SUFFIXES) and path.is_file() and not path.is_symlink():
                if _remove_if_abandoned(path):
                    removed.append(path)
            elif any(name.endswith(t + j) for t in TEMP_SUFFIXES for j in JOURNAL_SUFFIXES):
                owner = Path(str(path)[: str(path).rindex("-")])
                if not owner.exists() and path.is_file():
                    path.unlink(missing_ok=True)
                    removed.append(path)
        except OSError:
            continue
    return removed

"""One window per database: a lock file beside the database (``duty_tracker.db.lock``).

The file holds who holds the lock (PID, computer, OS user, since when) so the second window can
say *who* has it open. Liveness is not guessed from the PID: the holder keeps an operating
system lock on the file (``fcntl.flock`` / ``msvcrt.locking``) for as long as it runs, and the
OS drops that lock when the process ends, however it ends (crash, power cut, kill -9). A lock
file left behind by a dead process is therefore simply taken over — no stale-lock timeouts.

Only the window takes this lock. Every writing process, the window included, also registers
as a writer (``writer_lock``), so that a restore can wait for or refuse live writers.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from duty_tracker.core.helpers import host_name, now_iso, os_user
from duty_tracker.core.storage.errors import DatabaseOpenError

#: The OS lock sits on a byte far past the JSON text, so the text stays readable on Windows
#: (msvcrt locks are mandatory for the locked range).
_LOCK_OFFSET = 1 << 16


class InstanceLockedError(DatabaseOpenError):
    """The database is open in another window; the message names the user and the computer."""

    def __init__(self, message: str, info: dict) -> None:
        super().__init__(message)
        self.info = info


def lock_path_for(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def _who() -> dict:
    return {"pid": os.getpid(), "host": host_name(), "user": os_user(), "since": now_iso()}


def os_lock(fd: int) -> bool:
    """Take an exclusive OS lock on ``fd`` without waiting; False when another holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def os_unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def read_lock_info(db_path: Path) -> dict | None:
    try:
        text = lock_path_for(db_path).read_text(encoding="utf-8").strip("\x00 \n")
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


def describe_holder(info: dict | None) -> str:
    if not info:
        return "该数据库已在另一个窗口中打开。"
    return (f"该数据库已在另一个窗口中打开（用户 {info.get('user', '未知')}，计算机 "
            f"{info.get('host', '未知')}，自 {str(info.get('since', '')).replace('T', ' ')} 起）。"
            "请先关闭那个窗口再打开；同时在两个窗口中修改同一台账可能互相覆盖。")


class InstanceLock:
    """The one-window lock on ``db_path`` (see the module docstring), held while ``fd`` is set."""

    def __init__(self, db_path: Path, fd: int | None = None) -> None:
        self.db_path = db_path
        self.fd = fd

    @property
    def held(self) -> bool:
        return self.fd is not None

    def acquire(self) -> InstanceLock:
        """Take the lock or raise :class:`InstanceLockedError` (Chinese, naming the holder)."""
        path = lock_path_for(self.db_path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (13, 30):  # EACCES, EROFS: a read-only folder cannot hold the lock
                raise DatabaseOpenError(
                    f"数据文件夹 {path.parent} 是只读的，无法打开数据库进行修改。请检查文件夹权限。") from exc
            raise DatabaseOpenError(f"无法创建锁文件 {path}：{exc.strerror or exc}") from exc
        if not os_lock(fd):
            os.close(fd)
            info = read_lock_info(self.db_path) or {}
            raise InstanceLockedError(describe_holder(info), info)
        data = json.dumps(_who(), ensure_ascii=False).encode("utf-8")
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
            os.fsync(fd)
        except OSError:
            pass  # the OS lock is what counts; the text is only for the message
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        try:
            os_unlock(fd)
        finally:
            os.close(fd)
        # The (now empty) file stays: deleting it could race with a window opening right now,
        # leaving two holders of two different files.

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(db_path: Path | str) -> InstanceLock:
    return InstanceLock(Path(db_path)).acquire()

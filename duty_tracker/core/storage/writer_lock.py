"""Who is writing to a database, so that a restore never swaps the file under a live writer.

Every process that may write — the window, each CLI command, an administrator's script going
through the program — *registers* while it has the database open: a small file in the folder
``duty_tracker.db.writers/`` holding who it is (program, user, computer, process, since when),
on which the process keeps an operating-system lock for as long as it runs. Several writers may
be registered at once (their transactions take turns, see ``LedgerDatabase``); only a restore
needs the database to itself.

A restore takes :class:`ExclusiveAccess`: it closes the *gate* (an OS lock on
``duty_tracker.db.gate``) so that no new writer registers, then looks at the registered writers.
A registration whose OS lock can be taken belongs to a process that has ended (crash, kill -9,
power cut: the OS dropped its lock) and is removed; a locked one is a live writer. The restore
waits a little for live writers to finish and otherwise refuses with a Chinese message that
names them. Only exclusive, non-blocking OS locks are used (``fcntl.flock`` / ``msvcrt``), the
same primitive as the one-window lock, so the scheme works alike on Windows and Linux.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from duty_tracker.core.helpers import host_name, now_iso, os_user
from duty_tracker.core.storage.errors import DatabaseOpenError
from duty_tracker.core.storage.instance_lock import (
    lock_path_for,
    os_lock,
    os_unlock,
    read_lock_info,
)

#: How long a new writer waits for a restore in progress, and a restore for live writers.
GATE_WAIT_SECONDS = 20.0
WRITERS_WAIT_SECONDS = 5.0
_POLL = 0.1


class DatabaseBusyError(DatabaseOpenError):
    """Another process writes to the database, or a restore is replacing it right now."""

    def __init__(self, message: str, holders: list[dict] | None = None) -> None:
        super().__init__(message)
        self.holders = holders or []


def writers_dir_for(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".writers")


def gate_path_for(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".gate")


def _open_lock_file(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno in (13, 30):  # EACCES, EROFS
            raise DatabaseOpenError(
                f"数据文件夹 {path.parent} 是只读的，无法打开数据库进行修改。请检查文件夹权限。") from exc
        raise DatabaseOpenError(f"无法创建锁文件 {path}：{exc.strerror or exc}") from exc


class _Gate:
    """The OS lock that a restore holds for its whole duration and a writer only to register."""

    def __init__(self, db_path: Path, fd: int | None = None) -> None:
        self.db_path = db_path
        self.fd = fd

    def close(self, wait: float, busy_message: str) -> None:
        fd = _open_lock_file(gate_path_for(self.db_path))
        deadline = time.monotonic() + wait
        while not os_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise DatabaseBusyError(busy_message)
            time.sleep(_POLL)
        self.fd = fd

    def open(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            try:
                os_unlock(fd)
            finally:
                os.close(fd)


def _who(purpose: str) -> dict:
    return {"pid": os.getpid(), "host": host_name(), "user": os_user(),
            "since": now_iso(), "program": purpose}


class WriterLock:
    """This process's registration as a writer of ``db_path`` (see the module docstring)."""

    def __init__(self, db_path: Path, purpose: str = "履职纪实", fd: int | None = None,
                 path: Path | None = None) -> None:
        self.db_path = db_path
        self.purpose = purpose
        self.fd = fd
        self.path = path

    @property
    def held(self) -> bool:
        return self.fd is not None

    def acquire(self) -> WriterLock:
        gate = _Gate(self.db_path)
        gate.close(GATE_WAIT_SECONDS, "正在从备份恢复该数据库，请稍候片刻再试。")
        try:
            # pid and 8 random hex digits: unique among the folder's files (uuid's module, with
            # platform, is not worth loading for it at every start)
            path = writers_dir_for(self.db_path) / f"{os.getpid()}-{os.urandom(4).hex()}.lock"
            fd = _open_lock_file(path)
            if not os_lock(fd):  # a fresh, unique file: only a broken file system refuses
                os.close(fd)
                raise DatabaseOpenError(f"无法锁定文件 {path}。")
            try:
                os.write(fd, json.dumps(_who(self.purpose), ensure_ascii=False).encode("utf-8"))
            except OSError:
                pass  # the OS lock is what counts; the text only names the writer
            self.fd, self.path = fd, path
        finally:
            gate.open()
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os_unlock(fd)
        finally:
            os.close(fd)
        if self.path is not None:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass  # a leftover registration is unlocked, hence recognised as stale

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_info(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def live_writers(db_path: Path, *, ignore_pid: int | None = None) -> list[dict]:
    """Registrations of processes that still run; stale ones are removed on the way."""
    folder = writers_dir_for(db_path)
    if not folder.is_dir():
        return []
    live = []
    for path in sorted(folder.glob("*.lock")):
        info = _read_info(path)
        if ignore_pid is not None and info.get("pid") == ignore_pid and \
                info.get("host") == host_name():
            continue
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue  # removed by its owner meanwhile
        try:
            if os_lock(fd):
                os_unlock(fd)
                os.close(fd)
                fd = -1
                path.unlink(missing_ok=True)  # its process has ended
            else:
                live.append(info)
        finally:
            if fd >= 0:
                os.close(fd)
    return live


def describe_writers(holders: list[dict]) -> str:
    parts = []
    for info in holders[:3]:
        since = str(info.get("since", "")).replace("T", " ")
        parts.append(f"{info.get('program') or '履职纪实'}（用户 {info.get('user', '未知')}，计算机 "
                     f"{info.get('host', '未知')}，进程 {info.get('pid', '?')}，自 {since} 起）")
    more = f"等 {len(holders)} 个程序" if len(holders) > 3 else ""
    return "、".join(parts) + more


def _window_holder(db_path: Path) -> list[dict]:
    """The window of another process that has the database open, if any (it writes too)."""
    path = lock_path_for(db_path)
    if not path.exists():
        return []
    info = read_lock_info(db_path) or {}
    if info.get("pid") == os.getpid() and info.get("host") == host_name():
        return []  # our own window: the restore is its own action
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return []
    try:
        if os_lock(fd):
            os_unlock(fd)
            return []
        return [{**info, "program": "另一个履职纪实窗口"}]
    finally:
        os.close(fd)


class ExclusiveAccess:
    """The database to oneself (a restore): no live writer but this process, none can start."""

    def __init__(self, db_path: Path, wait: float = WRITERS_WAIT_SECONDS) -> None:
        self.db_path = db_path
        self.wait = wait
        self._gate: _Gate | None = None

    def acquire(self) -> ExclusiveAccess:
        gate = _Gate(self.db_path)
        gate.close(self.wait, "另一个程序正在恢复该数据库，请稍后再试。")
        deadline = time.monotonic() + self.wait
        while True:
            holders = live_writers(self.db_path, ignore_pid=os.getpid()) + _window_holder(self.db_path)
            if not holders:
                break
            if time.monotonic() >= deadline:
                gate.open()
                raise DatabaseBusyError(
                    f"{describe_writers(holders)}正在使用该数据库。为避免刚保存的数据丢失，"
                    "请先关闭这些程序（或等待其完成），再从备份恢复。", holders)
            time.sleep(_POLL)
        self._gate = gate
        return self

    def release(self) -> None:
        if self._gate is not None:
            self._gate.open()
            self._gate = None

    def __enter__(self) -> ExclusiveAccess:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

"""Small helpers every layer of the core needs, written once: identifiers and timestamps, the
OS user recorded in the audit log, file hashes, atomic file writes, reading a date as a
clerk types it, and pausing Python's garbage collector for a bulk job.

It sits beside ``errors`` and ``domain`` at the bottom of the core: it imports nothing of the
program but the error root, so storage, exchange and reports may all use it.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from duty_tracker.core.errors import AppError, InputError


class FileWriteError(AppError):
    """A file could not be written (folder read-only, disk full, file open in another program)."""


# -- memory ----------------------------------------------------------------------------------------
#: Bulk jobs running now with the collector paused (any thread), and whether it was on before
#: the first of them.
_paused = {"jobs": 0, "was_on": False}
_paused_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk job that builds millions of objects
    and frees them at the end: a district's package is two million once read, and every
    collection of the oldest generation walks all of them again (4 s of a 27 s import,
    measured with ``gc.callbacks``). The job's objects are freed by reference counting as
    usual; only cycles wait for the next collection after the job. The window's own collector
    (``ui.gc_guard``, automatic collection being off there) holds back meanwhile too:
    :func:`collector_held`."""
    with _paused_lock:
        if _paused["jobs"] == 0:
            _paused["was_on"] = gc.isenabled()
            gc.disable()
        _paused["jobs"] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused["jobs"] -= 1
            if _paused["jobs"] == 0 and _paused["was_on"]:
                gc.enable()


def collector_held() -> bool:
    """Whether a bulk job asked for no garbage collection (:func:`collector_paused`)."""
    return _paused["jobs"] > 0


# -- identifiers, time, user -------------------------------------------------------------------
def new_uuid() -> str:
    """The stable identity of a row across databases (data packages merge by it)."""
    import uuid  # here: uuid (with platform) is only wanted once something is written

    return str(uuid.uuid4())


def now_iso() -> str:
    """Local wall-clock time to the second, as stored in created_at/updated_at columns."""
    return datetime.now().isoformat(timespec="seconds")


#: Where ``getpass.getuser`` looks first, in its order.
_LOGIN_VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")


def os_user() -> str:
    """The Windows/Linux login name, recorded in the audit log as who made a change.

    The variables ``getpass`` reads first are read here; ``getpass`` itself (with ``termios``
    and ``pwd``, ~0.4 ms of the window's start) only loads when none is set."""
    for variable in _LOGIN_VARIABLES:
        user = os.environ.get(variable)
        if user:
            return user
    try:
        import getpass

        return getpass.getuser() or "未知用户"
    except Exception:  # noqa: BLE001 - getpass raises various errors without a login
        return "未知用户"


def host_name() -> str:
    """This computer's network name (the locks say who holds a database: user, computer).

    Every start registers as a writer and names the computer: read where the system keeps it
    (uname on Linux/macOS, COMPUTERNAME on Windows), which is what ``socket.gethostname`` says
    there too, without loading the network modules (~4 ms of the window's start)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    name = os.environ.get("COMPUTERNAME")
    if name:
        return name
    import socket

    return socket.gethostname()


# -- hashes --------------------------------------------------------------------------------------
def sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 1 MB chunks (evidence scans can be large)."""
    import hashlib

    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- atomic writes -------------------------------------------------------------------------------
_REPLACE_RETRIES = 3  # antivirus and indexers hold fresh files for a moment on Windows
_RETRY_DELAY = 0.15


def locked_message(target: Path) -> str:
    return f"无法写入文件“{target}”，可能已在其他程序中打开，请关闭后重试。"


def write_atomically(
    target: str | os.PathLike[str],
    write: Callable[[BinaryIO], None],
    *,
    error_type: type[AppError] = FileWriteError,
) -> Path:
    """Call ``write`` with a binary file in ``target``'s folder, then move it onto ``target``.

    Why: a clerk re-exports a file that is still open in a viewer (Windows locks it) or the disk
    fills up half way; writing beside the target and ``os.replace``-ing it keeps the old file
    intact. Every file-system failure raises ``error_type`` with a Chinese message; any other
    exception from ``write`` propagates. The temporary file never outlives the call.
    """
    path = Path(target).expanduser()
    if path.is_dir():
        raise error_type(f"“{path}”是一个文件夹，请指定要保存的文件名。")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error_type(f"无法创建文件夹“{folder}”：{os_reason(exc)}") from exc
    try:
        import tempfile

        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise error_type(
            f"无法在文件夹“{folder}”中写入文件，请检查是否有写入权限：{os_reason(exc)}") from exc
    tmp = Path(tmp_name)
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise error_type(f"写入文件“{path}”失败：{os_reason(exc)}") from exc
        _replace(tmp, path, error_type)
        os.chmod(path, 0o666 & ~_umask())
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - nothing more we can do about a stray temp file
            pass
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _replace(tmp: Path, path: Path, error_type: type[AppError]) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(tmp, path)
            return
        except PermissionError as exc:
            if sys.platform == "win32" and attempt + 1 < _REPLACE_RETRIES:
                time.sleep(_RETRY_DELAY)  # pragma: no cover - Windows only
                continue
            raise error_type(locked_message(path)) from exc
        except OSError as exc:
            raise error_type(f"无法保存文件“{path}”：{os_reason(exc)}") from exc


def os_reason(exc: OSError) -> str:
    """The readable part of an OSError (no errno tuple, no traceback)."""
    return exc.strerror or str(exc)


# -- dates as clerks type them -------------------------------------------------------------------
_DATE_PATTERNS = (
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$",
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$",
    r"^(\d{4})(\d{2})(\d{2})$",
)
#: A time of day after the date ("2025-5-5 10:00", "2025-05-05T10:00:00") is ignored.
_TIME_SUFFIX = r"(?:[T\s]+|(?<=日))\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?$"
_EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST_YEAR, LATEST_YEAR = 1949, 2100


def parse_date(value: Any, what: str = "日期") -> date:
    """A date as a clerk or a spreadsheet gives it: a real date, an Excel serial number, or text
    such as 2025-07-01, 2025/7/1, 2025.7.1, 2025年7月1日, 20250701 — full-width digits and a
    trailing time of day accepted. Raises :class:`InputError` with a Chinese message."""
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466 or value != value:
            raise InputError(f"{what}不正确：{value}")
        result = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        result = _parse_date_text(value, what)
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise InputError(f"{what}超出范围：{result.isoformat()}")
    return result


def _parse_date_text(value: Any, what: str) -> date:
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:  # the stored form (every export writes it): no normalising needed
            return date.fromisoformat(value)
        except ValueError:
            pass
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    # the patterns are compiled (and kept) by re on first use, not at every program start
    text = re.sub(_TIME_SUFFIX, "", text).replace(" ", "")
    if not text:
        raise InputError(f"{what}为空")
    for pattern in _DATE_PATTERNS:
        match = re.match(pattern, text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                raise InputError(f"{what}不存在：{text}") from None
    raise InputError(f"{what}格式不正确：{text}（应为 年-月-日，如 2025-07-01）")


def optional_date(value: date | str | None, what: str = "日期") -> date | None:
    """``parse_date`` for optional fields: None or an empty string mean "no date"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, what)

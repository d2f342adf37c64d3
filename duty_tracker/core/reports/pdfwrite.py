"""Writing a PDF so that the target is replaced only when the new file is complete.

Why: a clerk re-prints a report that is still open in the PDF viewer; on Windows the viewer
locks the file. Writing in place would leave a truncated PDF (or crash half way); writing to a
temporary file in the same folder and ``os.replace``-ing it keeps the old file intact and lets
us tell the clerk exactly what to do.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from duty_tracker.core.reports.errors import ReportWriteError

_REPLACE_RETRIES = 3  # antivirus and indexers hold fresh files for a moment on Windows
_RETRY_DELAY = 0.15


def locked_message(target: Path) -> str:
    return f"无法写入文件“{target}”，可能已在其他程序中打开，请关闭后重试。"


def write_atomically(target: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write`` with a binary file in ``target``'s folder, then move it onto ``target``.

    Raises :class:`ReportWriteError` with a Chinese message for every file-system failure;
    any other exception from ``write`` propagates (it is a bug, not the clerk's problem). The
    temporary file never outlives the call.
    """
    path = Path(target).expanduser()
    if path.is_dir():
        raise ReportWriteError(f"“{path}”是一个文件夹，请指定要保存的PDF文件名。")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportWriteError(f"无法创建文件夹“{folder}”：{_reason(exc)}") from exc
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReportWriteError(
            f"无法在文件夹“{folder}”中写入文件，请检查是否有写入权限：{_reason(exc)}"
        ) from exc
    tmp = Path(tmp_name)
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
        except OSError as exc:
            raise ReportWriteError(f"写入文件“{path}”失败：{_reason(exc)}") from exc
        _replace(tmp, path)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - nothing more we can do about a stray temp file
            pass
    return path


def _replace(tmp: Path, path: Path) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(tmp, path)
            return
        except PermissionError as exc:
            if sys.platform == "win32" and attempt + 1 < _REPLACE_RETRIES:
                time.sleep(_RETRY_DELAY)  # pragma: no cover - Windows only
                continue
            raise ReportWriteError(locked_message(path)) from exc
        except OSError as exc:
            raise ReportWriteError(f"无法保存文件“{path}”：{_reason(exc)}") from exc


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)

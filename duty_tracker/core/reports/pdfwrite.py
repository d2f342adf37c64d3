"""Writing a PDF so that the target is replaced only when the new file is complete.

Why: a clerk re-prints a report that is still open in the PDF viewer; on Windows the viewer
locks the file. Writing in place would leave a truncated PDF; the shared atomic write keeps the
old file intact and tells the clerk exactly what to do, as a :class:`ReportWriteError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from duty_tracker.core import helpers
from duty_tracker.core.reports.errors import ReportWriteError

locked_message = helpers.locked_message


def write_atomically(target: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write`` with a binary file beside ``target``, then move it onto ``target``."""
    return helpers.write_atomically(target, write, error_type=ReportWriteError)

"""Errors of the report layer; their messages are Chinese because they reach the clerk as is."""

from __future__ import annotations

from duty_tracker.core.errors import AppError


class ReportError(AppError):
    """A report could not be produced; ``str(exc)`` is a Chinese message for the clerk."""


class ReportWriteError(ReportError):
    """The PDF could not be written (file open in a viewer, folder read-only, disk full …)."""


class FontError(ReportError):
    """No usable Chinese font was found (neither system fonts nor the bundled ones)."""

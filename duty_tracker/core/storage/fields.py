"""Validation of field values shared by the repositories: dates as stored (ISO), raised as the
storage layer's :class:`ValidationError` so that a form can show which field is wrong."""

from __future__ import annotations

from datetime import date

from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import optional_date
from duty_tracker.core.storage.errors import ValidationError


def as_date(value: date | str | None, what: str = "日期") -> date | None:
    """A date field: a ``date``, text a clerk typed (2025-07-01, 2025年7月1日 …) or empty."""
    try:
        return optional_date(value, what)
    except InputError as exc:
        raise ValidationError(str(exc)) from None


def iso_or_none(value: date | str | None, what: str = "日期") -> str | None:
    parsed = as_date(value, what)
    return parsed.isoformat() if parsed else None

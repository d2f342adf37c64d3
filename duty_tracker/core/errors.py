"""The one root of every error the program raises on purpose.

``str(exc)`` of an :class:`AppError` is a complete Chinese sentence for the clerk: what happened
and, where it helps, what to do. The window's task runner and the CLI catch this root and show
the message as it is; nothing re-wraps it. Each layer derives its own family from it
(``StorageError``, ``ExchangeError``, ``ReportError``, ``RulesTextError``, …) so that callers
that care can tell them apart, and everybody else catches ``AppError``.
"""

from __future__ import annotations


class AppError(Exception):
    """An error meant for the clerk; ``str(exc)`` is a Chinese message."""


class InputError(AppError, ValueError):
    """Input the clerk can correct (a bad date, an empty title, an unknown leader …)."""

"""A bare store for tests: the schema without the default rule set (storage never seeds rules;
the use case ``core.services.ledger.open_ledger`` does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from duty_tracker.core.storage.store import Store


def bare_store(path: Path | str, **kwargs: Any) -> Store:
    """``Store.open``: migrated, no rule set."""
    return Store.open(path, **kwargs)

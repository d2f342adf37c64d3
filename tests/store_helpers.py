"""Opening a bare store in the tests of the safety work, whichever way the program seeds rules.

The storage layer seeded the default rule set itself until the use-case layer took that over;
``bare_store`` opens a store without seeding in either case, so these tests do not depend on
where that rule lives.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from duty_tracker.core.storage.store import Store

_SEEDS = "seed_default_rules" in inspect.signature(Store.open).parameters


def bare_store(path: Path | str, **kwargs: Any) -> Store:
    """``Store.open`` without the default rule set."""
    if _SEEDS:
        kwargs.setdefault("seed_default_rules", False)
    return Store.open(path, **kwargs)

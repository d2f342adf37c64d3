"""The record list's full-text index (``records_fts``, migration 0002), kept in step with
``records`` by triggers. Bulk loads defer it: tokenising row by row in a trigger costs about
9 s for 250,000 demo records, one ``rebuild`` at the end about 1.5 s."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

INSERT_TRIGGER = "fts_records_insert"


@contextmanager
def deferred_search_index(db: sqlite_utils.Database) -> Iterator[None]:
    """Inside one transaction: drop the insert trigger, let the caller insert, then rebuild the
    index and restore the trigger. A failure rolls the whole transaction back, trigger included."""
    if not db.conn.in_transaction:
        raise RuntimeError("deferred_search_index() must run inside a transaction")
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [INSERT_TRIGGER]).fetchone()
    if row is None:  # a database without the index (older schema in a test): nothing to defer
        yield
        return
    db.execute(f'DROP TRIGGER "{INSERT_TRIGGER}"')
    yield
    db.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
    db.execute(row[0])


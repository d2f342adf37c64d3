"""The search's view, indexes and triggers exist twice in the source — in the migration that
made them and in ``search_index.schema_objects()``, which repairs them for the life of the file.
The two must say the same thing, or every open would "repair" a healthy file (or leave a
broken one)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from duty_tracker.core.storage import database, search_index


def test_the_migrations_make_exactly_the_objects_the_repair_would_make(tmp_path: Path,
                                                                        monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(database.search_index, "ensure_triggers", lambda db, **kw: calls.append(1) or [])
    db = database.open_database(tmp_path / "fresh.db")
    assert calls, "open_database no longer checks the search objects"
    assert search_index.damaged_objects(db.conn) == []
    db.close()


@pytest.mark.parametrize("victim", ["fts_records_insert", "records_grams", "records_search_text"])
def test_a_dropped_search_object_is_rebuilt_at_the_next_open(tmp_path: Path, victim: str) -> None:
    path = tmp_path / "ledger.db"
    database.open_database(path).close()
    conn = sqlite3.connect(path)
    kind = {"records_grams": "TABLE", "records_search_text": "VIEW"}.get(victim, "TRIGGER")
    conn.execute(f"DROP {kind} {victim}")
    conn.commit()
    assert search_index.damaged_objects(conn) == [victim]
    conn.close()
    db = database.open_database(path)
    assert search_index.damaged_objects(db.conn) == []
    db.close()

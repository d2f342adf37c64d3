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


def test_the_search_schemas_layout_blind_comparison_is_unchanged() -> None:
    """The start compares the search's objects with what they should be, layout aside: spaces
    around brackets dropped by plain deletion give what the old template replacement gave."""
    import random
    import re

    from duty_tracker.core.storage.search_index import _normal, schema_objects

    def by_template(sql: str) -> str:
        sql = re.sub(r"\s+", " ", sql or "").strip().rstrip(";").strip()
        return re.sub(r"\s*([(),;])\s*", r"\1", sql).lower()

    rng = random.Random(7)
    texts = [*schema_objects().values(), "", None,
             *("".join(rng.choice(" \t\n(),;aB1") for _ in range(rng.randint(0, 40)))
               for _ in range(3000))]
    assert [_normal(t) for t in texts] == [by_template(t) for t in texts]

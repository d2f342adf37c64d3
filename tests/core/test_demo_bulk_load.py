"""The demo's bulk load: the same data for a seed, the schema exactly as before (triggers and
indexes back), the search indexes complete, uuids valid and unique."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from duty_tracker.core.demo import build_demo
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.core.storage.records_repo import RecordFilter

TODAY = date(2025, 11, 20)
CONTENT = ("SELECT id, performed_on, title, kind, place, participants, minutes_number, description "
           "FROM records ORDER BY id", "SELECT * FROM record_leaders ORDER BY 1, 2",
           "SELECT * FROM record_duties ORDER BY 1, 2",
           "SELECT id, name, unit_id, position, role FROM leaders ORDER BY id",
           "SELECT leader_id, start_date, end_date FROM terms ORDER BY leader_id, start_date")


def _schema(db) -> set[tuple[str, str]]:  # noqa: ANN001
    return {(row[0], row[1]) for row in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table', 'view') "
        "AND name NOT LIKE 'sqlite%'")}  # ANALYZE adds its statistics table


def _built(tmp_path: Path, name: str, **size: int) -> list[list[tuple]]:
    with open_ledger(tmp_path / name) as ledger:
        build_demo(ledger.store, today=TODAY, **size)
        return [ledger.store.db.execute(sql).fetchall() for sql in CONTENT]


def test_a_seed_always_gives_the_same_records(tmp_path: Path) -> None:
    size = {"leaders": 30, "years": 2, "records": 12}
    assert _built(tmp_path, "a.db", **size) == _built(tmp_path, "b.db", **size)


def test_bulk_load_leaves_the_schema_as_it_found_it(tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    with open_ledger(tmp_path / "demo.db") as ledger:
        db = ledger.store.db
        before = _schema(db)
        summary = build_demo(ledger.store, leaders=80, years=3, records=6, today=TODAY,
                             progress=lambda done, total: steps.append((done, total)))
        assert _schema(db) - before == set() and before - _schema(db) == set()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
        uuids = [row[0] for row in db.execute("SELECT uuid FROM records ORDER BY id")]
        latest = db.execute("SELECT max(performed_on) FROM records").fetchone()[0]
        assert ledger.store.records.count() == summary.records
        assert ledger.store.records.count(RecordFilter(text="法")) == db.execute(
            "SELECT count(*) FROM records WHERE title LIKE '%法%' OR place LIKE '%法%' "
            "OR minutes_number LIKE '%法%'").fetchone()[0]
    assert len(set(uuids)) == len(uuids) == summary.records
    assert all(uuid.UUID(u).version == 4 and str(uuid.UUID(u)) == u for u in uuids)
    assert latest <= TODAY.isoformat()
    assert steps and steps[-1][1] == summary.leaders * 3


def test_demo_records_after_the_load_are_indexed_by_the_triggers(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "demo.db") as ledger:
        store = ledger.store
        build_demo(store, leaders=6, years=1, records=5, today=TODAY)
        leader = store.people.leaders()[0]["id"]
        rid = store.records.add_record(performed_on="2025-05-05", title="甲乙丙", kind="其他",
                                       leader_ids=[leader])
        assert [r["id"] for r in store.records.search(RecordFilter(text="乙"))] == [rid]
        audit = store.db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'records'")
        assert audit.fetchone()[0] == 1  # the clerk's record only: the demo is not audited

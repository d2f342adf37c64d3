"""The demo's bulk load: the same data for a seed, the schema exactly as before (triggers and
indexes back), the search indexes complete, uuids valid and unique; a large build in two
processes makes the same database, and one that fails writes nothing and leaves nothing."""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import tempfile
import uuid
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core import demo
from duty_tracker.core.demo import build_demo
from duty_tracker.core.errors import AppError
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.core.storage import search_index
from duty_tracker.core.storage.records_repo import RecordFilter

TODAY = date(2025, 11, 20)
CONTENT = ("SELECT id, performed_on, title, kind, place, participants, minutes_number, description "
           "FROM records ORDER BY id", "SELECT * FROM record_leaders ORDER BY 1, 2",
           "SELECT * FROM record_duties ORDER BY 1, 2",
           "SELECT id, name, unit_id, position, role FROM leaders ORDER BY id",
           "SELECT leader_id, start_date, end_date FROM terms ORDER BY leader_id, start_date")


#: sha256 (first 16 digits) of CONTENT for 30 leaders × 2 years × 12 records on TODAY.
GOLDEN = "24298702d2c503d0"


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


def test_a_seed_gives_the_records_it_always_gave(tmp_path: Path) -> None:
    """The demo's draws come in a fixed order; a faster build must not change a single record
    (this digest is of the records, links, leaders and terms as the demo made them before it
    was split over two processes). Change it only when the demo is meant to change."""
    content = _built(tmp_path, "a.db", leaders=30, years=2, records=12)
    digest = hashlib.sha256(repr(content).encode()).hexdigest()
    assert digest[:16] == GOLDEN, digest


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
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # checked again after the load
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


def test_the_load_keeps_only_the_partial_indexes_it_gives_no_row(tmp_path: Path) -> None:
    """Kept in place (SQLite keeps any index right row by row; these get nothing from the
    load): the partial indexes of records over the columns the load leaves NULL."""
    with open_ledger(tmp_path / "demo.db") as ledger:
        db = ledger.store.db
        unwritten = demo._unwritten_record_columns(db)
        assert {"deleted_at", "article_id"} <= unwritten
        assert not unwritten & {"id", "uuid", "performed_on", "title", "kind", "minutes_number"}
        kept = [name for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' "
            "AND sql IS NOT NULL") if demo._only_rows_with(sql) in unwritten]
        assert sorted(kept) == ["idx_records_article", "idx_records_deleted"]


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


# -- a large build in two processes ----------------------------------------------------------
#: FTS5's own tables behind both search indexes, whole.
INDEX_TABLES = tuple(f"SELECT * FROM {t}_{part} ORDER BY 1, 2" for t in ("records_fts", "records_grams")
                     for part in ("data", "idx", "config"))


def _whole(tmp_path: Path, name: str, **size: object) -> tuple[list[list[tuple]], set]:
    with open_ledger(tmp_path / name) as ledger:
        build_demo(ledger.store, today=TODAY, **size)
        db = ledger.store.db
        return [db.execute(sql).fetchall() for sql in CONTENT + INDEX_TABLES], _schema(db)


def test_two_processes_build_the_very_database_one_builds(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Same records, links, leaders and terms, and both search indexes the same to the byte
    (the bigram index built by the other process and adopted here), the same schema."""
    monkeypatch.setattr(demo, "BATCH", 150)  # several batches through the pipe
    size = {"leaders": 40, "years": 2, "records": 12}
    one = _whole(tmp_path, "one.db", parallel=False, **size)
    two = _whole(tmp_path, "two.db", parallel=True, **size)
    assert one == two
    assert len(one[0][0]) > 3 * 150 and all(one[0])  # several batches, every table filled


def test_a_parallel_build_is_complete_and_the_ledger_works_on(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "demo.db") as ledger:
        store, db = ledger.store, ledger.store.db
        before = _schema(db)
        summary = build_demo(store, leaders=60, years=2, records=8, today=TODAY, parallel=True)
        assert _schema(db) == before  # indexes, audit and search triggers all back
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert search_index.index_is_consistent(db.conn, full=True)
        assert search_index.indexed_rows(db.conn, "records_grams") == summary.records
        for text in ("法", "学习", "纪〔", "会议室"):
            assert store.records.count(RecordFilter(text=text)) == db.execute(
                "SELECT count(*) FROM records WHERE title LIKE ?1 OR place LIKE ?1 "
                "OR minutes_number LIKE ?1", [f"%{text}%"]).fetchone()[0], text
        leader = store.people.leaders()[0]["id"]
        rid = store.records.add_record(performed_on="2025-05-05", title="甲乙丙", kind="其他",
                                       leader_ids=[leader])
        assert [r["id"] for r in store.records.search(RecordFilter(text="乙"))] == [rid]
        store.records.delete_records([rid])
        assert store.records.search(RecordFilter(text="乙")) == []
        audit = db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'records'")
        assert audit.fetchone()[0] >= 1  # the clerk's record is audited, the demo is not
        assert search_index.index_is_consistent(db.conn, full=True)


def test_a_parallel_build_into_a_ledger_with_records_indexes_them_all(tmp_path: Path) -> None:
    """The other process's bigram file only replaces an empty index: here the index is caught
    up in this process, old record and new ones."""
    with open_ledger(tmp_path / "demo.db") as ledger:
        store = ledger.store
        unit = store.people.add_unit("某单位", "部门")
        leader = store.people.add_leader("王某", unit, "party", term_start="2020-01-01")
        rid = store.records.add_record(performed_on="2024-05-05", title="甲乙丙", kind="其他",
                                       leader_ids=[leader])
        summary = build_demo(store, leaders=20, years=1, records=10, today=TODAY, parallel=True)
        assert store.records.count() == summary.records + 1
        assert search_index.index_is_consistent(store.db.conn, full=True)
        assert [r["id"] for r in store.records.search(RecordFilter(text="乙"))] == [rid]


def _exit_at_once(pipe, *args) -> None:  # noqa: ANN001 - runs in the other process
    os._exit(3)


def _draw_without_a_day(pipe, plan, *args) -> None:  # noqa: ANN001 - runs in the other process
    demo._draw_elsewhere(pipe, dataclasses.replace(plan, today=None), *args)


def _cancel(done: int, total: int) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(("target", "progress", "error"), [
    (_exit_at_once, None, AppError), (_draw_without_a_day, None, RuntimeError),
    (None, _cancel, KeyboardInterrupt)], ids=["dies", "fails", "cancelled"])
def test_a_failed_parallel_build_writes_nothing_and_leaves_nothing(  # noqa: ANN001
        tmp_path: Path, monkeypatch, target, progress, error) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    if target is not None:
        monkeypatch.setattr(demo, "_draw_elsewhere", target)
    with open_ledger(tmp_path / "demo.db") as ledger:
        store = ledger.store
        with pytest.raises(error):
            build_demo(store, leaders=120, years=2, records=2, today=TODAY, parallel=True,
                       progress=progress)
        assert store.records.count() == 0 and store.people.leaders() == []
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert search_index.damaged_objects(store.db.conn) == []
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [p for p in multiprocessing.active_children() if p.name == "duty-tracker-demo"] == []
    assert list(scratch.iterdir()) == []

"""The ledger's connection (``LedgerDatabase``): plain SQL without sqlite-utils, sqlite-utils'
table API on demand, and one kind of transaction for both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from duty_tracker.core.storage.database import connect, open_database

ROOT = Path(__file__).resolve().parents[2]

OPEN_AND_READ = r"""
import sys
from datetime import date
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.core.status import year_status
ledger = open_ledger(sys.argv[1], purpose="测试", window=False)
year_status(ledger.store, 2025, today=date(2025, 6, 1))
ledger.close()
print(sorted(m for m in ("sqlite_utils", "click", "pluggy") if m in sys.modules))
"""


def test_opening_a_ledger_and_reading_a_years_status_needs_no_sqlite_utils(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    from duty_tracker.core.services.ledger import open_ledger

    open_ledger(path, purpose="测试", window=False).close()  # created, migrated, rules seeded
    run = subprocess.run([sys.executable, "-c", OPEN_AND_READ, str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True)
    assert run.stdout.strip() == "[]"


def test_the_table_api_is_sqlite_utils_on_the_same_connection(tmp_path: Path) -> None:
    db = open_database(tmp_path / "ledger.db")
    db["settings"].insert({"key": "k", "value": "v"})
    assert db.execute("SELECT value FROM settings WHERE key = 'k'").fetchone() == ("v",)
    assert "settings" in db.table_names()
    assert "value" in db.column_names("settings")
    db.close()


def test_a_table_method_inside_atomic_is_rolled_back_with_it(tmp_path: Path) -> None:
    db = open_database(tmp_path / "ledger.db")
    with pytest.raises(RuntimeError), db.atomic():
        db["settings"].insert({"key": "gone", "value": "1"})
        with db.atomic():  # nested: a savepoint
            db.execute("INSERT INTO settings (key, value) VALUES ('also', '1')")
        raise RuntimeError("boom")
    assert db.execute("SELECT count(*) FROM settings WHERE key IN ('gone', 'also')").fetchone() == (0,)
    assert not db.conn.in_transaction
    db.close()


def test_atomic_takes_the_write_lock_at_once(tmp_path: Path) -> None:
    """A second connection cannot start writing while a block is open, even before the block
    wrote anything (BEGIN IMMEDIATE, not a deferred BEGIN)."""
    path = tmp_path / "ledger.db"
    open_database(path).close()
    first, second = connect(path), connect(path)
    second.execute("PRAGMA busy_timeout = 0")
    with first.atomic():
        first.execute("SELECT count(*) FROM settings").fetchone()
        with pytest.raises(Exception, match="locked"):
            second.execute("BEGIN IMMEDIATE")
    first.close()
    second.close()


def test_query_gives_dicts_with_repeated_columns_told_apart(tmp_path: Path) -> None:
    db = open_database(tmp_path / "ledger.db")
    rows = list(db.query("SELECT 1 AS id, 2 AS id, 3 AS id_2"))
    assert rows == [{"id": 1, "id_3": 2, "id_2": 3}]
    with pytest.raises(ValueError):
        list(db.query("CREATE TABLE t (x)"))
    db.close()


def test_a_replace_fires_delete_triggers(tmp_path: Path) -> None:
    """sqlite-utils turned recursive triggers on; the audit log and the search index rely on a
    REPLACE firing the delete triggers of the row it replaces."""
    db = open_database(tmp_path / "ledger.db")
    assert db.execute("PRAGMA recursive_triggers").fetchone() == (1,)
    db.close()


def test_columns_by_table_is_each_tables_columns_in_order(tmp_path) -> None:  # noqa: ANN001
    """One statement for every table's columns (the audit triggers are checked at each start),
    the same names and order as asking table by table, virtual tables included."""
    import sqlite3

    from duty_tracker.core.storage.connection import LedgerDatabase

    db = LedgerDatabase(sqlite3.connect(tmp_path / "x.db", isolation_level=None))
    db.execute("CREATE TABLE b (z INTEGER, a TEXT)")
    db.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, note TEXT)")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(body)")
    found = db.columns_by_table()
    assert found == {table: db.column_names(table) for table in db.table_names()}
    assert list(found)[:2] == ["b", "a"] and found["b"] == ["z", "a"] and found["f"] == ["body"]

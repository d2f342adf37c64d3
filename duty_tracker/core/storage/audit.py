"""The audit log: every insert, update and delete of every table, with who, when, before/after.

It is written by SQLite triggers, not by Python code, so no code path (the window, the CLI, an
import, a future feature, even an administrator's sqlite3 shell) can forget it. The triggers
use only SQLite itself: the actor is the ``audit_actor`` setting, which every connection of the
program sets to the OS user when it opens (one office PC, one clerk); the time is SQLite's local
time. Bulk loads of generated demo data set ``audit_off`` *inside their own transaction*, so the
flag can never outlive them (a crash rolls it back). The triggers are generated from the live
schema after every migration, so a new column is audited without anybody remembering to.
One bulk path writes the same log rows itself: the new records of a data package and their
links (``inserts_logged_at_once``: one statement per table, from the same live columns, with the
triggers held off inside that transaction), because a trigger run per row cost three times the
writes; everything else, that import's updates included, is logged by the triggers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase


#: Tables that are not audited: the log itself, per-machine settings, and the bookkeeping of
#: data-package exchanges (fingerprints and version vectors; the merged rows themselves are).
UNAUDITED = {"audit_log", "settings", "sync_peers", "sync_rows", "sync_aliases"}
TRIGGER_PREFIX = "audit_"
ACTOR_KEY = "audit_actor"
OFF_KEY = "audit_off"

_ACTOR_SQL = f"coalesce((SELECT value FROM settings WHERE key = '{ACTOR_KEY}'), '未知用户')"
_WHEN_SQL = f"NOT EXISTS (SELECT 1 FROM settings WHERE key = '{OFF_KEY}')"
_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')"


def set_actor(db: LedgerDatabase, actor: str) -> None:
    """Record who works on this database (written only when it changes: opening stays a read)."""
    try:
        row = db.execute("SELECT value FROM settings WHERE key = ?", [ACTOR_KEY]).fetchone()
    except Exception:  # noqa: BLE001 - before the first migration there is no settings table
        return
    if row is None or row[0] != actor:
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [ACTOR_KEY, actor])


@contextmanager
def suspended(db: LedgerDatabase) -> Iterator[None]:
    """Skip the log for a bulk load of generated sample data (it would only double the file).

    Must be used inside a transaction (``db.atomic()``), so the flag is rolled back with it.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("audit.suspended() must run inside a transaction")
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')", [OFF_KEY])
    try:
        yield
    finally:
        db.execute("DELETE FROM settings WHERE key = ?", [OFF_KEY])


@contextmanager
def inserts_logged_at_once(db: LedgerDatabase, tables: dict[str, str], first: int) -> Iterator[None]:
    """Log the rows a bulk insert adds with one statement per table instead of one trigger
    run per row: for a district's package (400,000 rows with the links) the triggers cost
    three times what storing the rows does, mostly SQLite setting up each trigger run and
    working out the actor and the local time again for every row, which one statement does
    once. The log rows are the triggers' own, column for column (made from the same live
    columns); only their time is the statement's.

    ``tables`` maps each table the block inserts into to its key column; every row whose key
    is ``first`` or more is taken to be new (the caller inserts rows with fresh keys from
    ``first`` on, and writes nothing else inside the block). Inside a transaction only, like
    :func:`suspended`; within a suspended bulk load nothing is logged, as there."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.inserts_logged_at_once() must run inside a transaction")
    if db.execute("SELECT 1 FROM settings WHERE key = ?", [OFF_KEY]).fetchone():
        yield
        return
    with db.set_aside(_insert_triggers(db, list(tables))):
        yield
    columns = db.columns_by_table()
    for table, key in tables.items():
        db.execute(f"{_LOG_INSERT} SELECT {_log_values(table, columns[table], 'insert', 'r')} "
                   f'FROM "{table}" AS r WHERE r."{key}" >= ? ORDER BY r."{key}"', [first])


def _insert_triggers(db: LedgerDatabase, tables: list[str]) -> list[tuple[str, str, str]]:
    """The audit insert triggers of ``tables``, as :meth:`LedgerDatabase.set_aside` takes them.
    Setting them aside for a batch costs less than the ``audit_off`` flag, whose test each
    trigger still makes row by row: at a district's 400,000 rows that test alone is a third of
    the time spent storing them."""
    marks = ", ".join("?" * len(tables))
    return db.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks}) "
        f"AND name = '{TRIGGER_PREFIX}' || tbl_name || '_insert'", tables).fetchall()


#: The head of every statement writing a log row (the triggers' and the bulk one).
_LOG_INSERT = "INSERT INTO audit_log (at, actor, table_name, row_id, row_uuid, action, before_json, after_json)"


def _json_object(alias: str, columns: list[str]) -> str:
    parts = ", ".join(f"'{c}', {alias}.\"{c}\"" for c in columns)
    return f"json_object({parts})"


def _log_values(table: str, columns: list[str], action: str, ref: str) -> str:
    """What a log row holds, as SQL over the row ``ref`` (``NEW``/``OLD`` in a trigger, an
    alias in the bulk statement): when, who, which row, the action, before and after."""
    row_id = "id" if "id" in columns else ("record_id" if "record_id" in columns else None)
    rid = f"{ref}.\"{row_id}\"" if row_id else "NULL"
    ruuid = f"{ref}.uuid" if "uuid" in columns else "NULL"
    before = _json_object("OLD", columns) if action != "insert" else "NULL"
    after = _json_object(ref, columns) if action != "delete" else "NULL"
    return f"{_NOW_SQL}, {_ACTOR_SQL}, '{table}', {rid}, {ruuid}, '{action}', {before}, {after}"


def trigger_sql(table: str, columns: list[str]) -> dict[str, str]:
    """The three trigger statements for ``table``, keyed by trigger name."""
    statements = {}
    for action, when in (("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")):
        ref = "OLD" if action == "delete" else "NEW"
        name = f"{TRIGGER_PREFIX}{table}_{action}"
        condition = _WHEN_SQL
        if action == "update":  # a save that changed nothing but the timestamp is not a change
            changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns if c != "updated_at")
            condition += f" AND ({changed or '0'})"
        statements[name] = (
            f'CREATE TRIGGER "{name}" AFTER {when} ON "{table}" WHEN {condition}\n'
            "BEGIN\n"
            f"  {_LOG_INSERT}\n"
            f"  VALUES ({_log_values(table, columns, action, ref)});\n"
            "END"
        )
    return statements


def install_triggers(db: LedgerDatabase) -> None:
    """Create or refresh the audit triggers; writes nothing when they are already current."""
    wanted: dict[str, str] = {}
    virtual = [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    for table, columns in db.columns_by_table().items():
        if table in UNAUDITED or table.startswith("sqlite_"):
            continue
        if any(table == v or table.startswith(f"{v}_") for v in virtual):
            continue  # a search index and its shadow tables are derived data, not changes
        wanted.update(trigger_sql(table, columns))
    existing = {
        name: sql
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            [f"{TRIGGER_PREFIX}%"],
        ).fetchall()
    }
    if existing == wanted:
        return
    with db.atomic():
        for name in existing:
            db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        for sql in wanted.values():
            db.execute(sql)

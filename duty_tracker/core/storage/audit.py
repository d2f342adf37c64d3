"""The audit log: every insert, update and delete of every table, with who, when, before/after.

It is written by SQLite triggers, not by Python code, so no code path (the window, the CLI, an
import, a future feature) can forget it. The triggers call two functions that each connection
registers: ``dt_actor()`` (the OS user; NULL while auditing is suspended for a bulk demo load)
and ``dt_now()`` (local time). The triggers are generated from the live schema after every
migration, so a new column is audited without anybody remembering to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlite_utils

#: Tables that are not audited: the log itself, and per-machine settings.
UNAUDITED = {"audit_log", "settings"}
TRIGGER_PREFIX = "audit_"


class _ActorState:
    """Per-connection state behind ``dt_actor()``; kept on the connection wrapper."""

    def __init__(self, actor: str) -> None:
        self.actor: str | None = actor


_STATES: dict[int, _ActorState] = {}


def register_functions(conn: sqlite3.Connection, actor: str) -> None:
    state = _ActorState(actor)
    _STATES[id(conn)] = state
    conn.create_function("dt_actor", 0, lambda: state.actor)
    conn.create_function("dt_now", 0, lambda: datetime.now().isoformat(timespec="seconds"))


@contextmanager
def suspended(db: sqlite_utils.Database) -> Iterator[None]:
    """Bulk loads of generated sample data skip the log (it would only double the file)."""
    state = _STATES.get(id(db.conn))
    if state is None:
        yield
        return
    previous, state.actor = state.actor, None
    try:
        yield
    finally:
        state.actor = previous


def _json_object(alias: str, columns: list[str]) -> str:
    parts = ", ".join(f"'{c}', {alias}.\"{c}\"" for c in columns)
    return f"json_object({parts})"


def trigger_sql(table: str, columns: list[str]) -> dict[str, str]:
    """The three trigger statements for ``table``, keyed by trigger name."""
    row_id = "id" if "id" in columns else ("record_id" if "record_id" in columns else None)
    has_uuid = "uuid" in columns
    statements = {}
    for action, when in (("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")):
        ref = "OLD" if action == "delete" else "NEW"
        before = _json_object("OLD", columns) if action != "insert" else "NULL"
        after = _json_object("NEW", columns) if action != "delete" else "NULL"
        rid = f"{ref}.\"{row_id}\"" if row_id else "NULL"
        ruuid = f"{ref}.uuid" if has_uuid else "NULL"
        name = f"{TRIGGER_PREFIX}{table}_{action}"
        statements[name] = (
            f'CREATE TRIGGER "{name}" AFTER {when} ON "{table}" WHEN dt_actor() IS NOT NULL\n'
            "BEGIN\n"
            "  INSERT INTO audit_log (at, actor, table_name, row_id, row_uuid, action, "
            "before_json, after_json)\n"
            f"  VALUES (dt_now(), dt_actor(), '{table}', {rid}, {ruuid}, '{action}', "
            f"{before}, {after});\n"
            "END"
        )
    return statements


def install_triggers(db: sqlite_utils.Database) -> None:
    """Create or refresh the audit triggers; writes nothing when they are already current."""
    wanted: dict[str, str] = {}
    for table in db.table_names():
        if table in UNAUDITED or table.startswith("sqlite_"):
            continue
        columns = [c.name for c in db[table].columns]
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

"""The record list's full-text index (``records_fts``, migration 0002), kept in step with
``records`` by triggers. Bulk loads defer it: tokenising row by row in a trigger costs about
9 s for 250,000 demo records, one ``rebuild`` at the end about 1.5 s.

The triggers are defined here, not only in the migration, because they must stay correct for
the life of the file: an administrator's tool or a careless script can drop one, and then
every record saved afterwards is missing from (or stale in) the search results — silently,
since SQLite's ``integrity_check`` does not look inside an FTS index. :func:`trigger_problems`
finds a missing or altered trigger; :func:`ensure_triggers` (run at every open, and by
``check``) recreates them and rebuilds the index, which is derived data and can always be
rebuilt from ``records``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

INDEX_TABLE = "records_fts"
INSERT_TRIGGER = "fts_records_insert"
_COLUMNS = "title, description, minutes_number, place, participants"
_NEW = "NEW.title, NEW.description, NEW.minutes_number, NEW.place, NEW.participants"
_OLD = "OLD.title, OLD.description, OLD.minutes_number, OLD.place, OLD.participants"
INDEX_SQL = (f"CREATE VIRTUAL TABLE {INDEX_TABLE} USING fts5({_COLUMNS}, content = 'records', "
             "content_rowid = 'id', tokenize = 'trigram')")
#: The triggers that keep the index in step with ``records`` (as migration 0002 made them).
TRIGGERS: dict[str, str] = {
    INSERT_TRIGGER: (
        f"CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON records BEGIN\n"
        f"    INSERT INTO records_fts (rowid, {_COLUMNS})\n"
        f"    VALUES (NEW.id, {_NEW});\nEND"),
    "fts_records_delete": (
        "CREATE TRIGGER fts_records_delete AFTER DELETE ON records BEGIN\n"
        f"    INSERT INTO records_fts (records_fts, rowid, {_COLUMNS})\n"
        f"    VALUES ('delete', OLD.id, {_OLD});\nEND"),
    "fts_records_update": (
        f"CREATE TRIGGER fts_records_update AFTER UPDATE OF {_COLUMNS} ON records BEGIN\n"
        f"    INSERT INTO records_fts (records_fts, rowid, {_COLUMNS})\n"
        f"    VALUES ('delete', OLD.id, {_OLD});\n"
        f"    INSERT INTO records_fts (rowid, {_COLUMNS})\n"
        f"    VALUES (NEW.id, {_NEW});\nEND"),
}


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql or "").strip().rstrip(";").lower()


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [INDEX_TABLE]).fetchone() is not None


def trigger_problems(conn: sqlite3.Connection) -> list[str]:
    """Names of the index triggers that are missing or not what they should be (read only)."""
    if not has_index(conn):
        return []
    present = dict(conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'records' "
        "AND name LIKE 'fts_%'").fetchall())
    return [name for name, sql in TRIGGERS.items() if _normal(present.get(name, "")) != _normal(sql)]


def index_is_consistent(conn: sqlite3.Connection) -> bool:
    """FTS5's own check of the index against ``records``, inside a transaction that is rolled
    back (the check is an INSERT, and needs a read-write connection; it writes nothing).
    False only when the index disagrees; a file that cannot be checked (read-only) passes."""
    if not has_index(conn):
        return True
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        conn.execute(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rank) VALUES ('integrity-check', 1)")
        return True
    except sqlite3.DatabaseError as exc:
        return "malformed" not in str(exc) and "corrupt" not in str(exc)
    finally:
        if began:
            conn.execute("ROLLBACK")


def index_missing(conn: sqlite3.Connection) -> bool:
    """The index table itself is gone (dropped) from a schema that had it (version 2 on)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return version >= 2 and not has_index(conn) and conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'").fetchone() is not None


def ensure_triggers(db: sqlite_utils.Database, *, rebuild_if_stale: bool = False) -> list[str]:
    """Recreate a missing index, missing or altered index triggers, and rebuild the index;
    returns the names of what was repaired. Writes nothing when all is well. With
    ``rebuild_if_stale`` the index is also checked and rebuilt when it disagrees with ``records``."""
    conn = db.conn
    if index_missing(conn):
        with db.atomic():
            conn.execute(INDEX_SQL)
        broken = [INDEX_TABLE, *TRIGGERS]
    else:
        broken = trigger_problems(conn)
    stale = rebuild_if_stale and not broken and not index_is_consistent(conn)
    if not broken and not stale:
        return []
    with db.atomic():
        for name in broken:
            if name in TRIGGERS:
                conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                conn.execute(TRIGGERS[name])
        conn.execute(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}) VALUES ('rebuild')")
    return broken or [INDEX_TABLE]


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

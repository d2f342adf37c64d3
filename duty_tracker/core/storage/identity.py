"""The identity of one database file among the offices that exchange data packages.

Packages merge field by field with version vectors keyed by database identity (see
``core/exchange/sync_state.py``). The identity is a random uuid in ``sync_peers`` (the row with
``is_self = 1``), made the first time this database exchanges a package.

A restored backup is a fork: the file goes back in time while the offices it exchanged with
remember its later edits. If it kept its identity, its next edits would count from a number the
others have already seen and would be taken for old news. So a restore gives the restored file
a fresh identity (:func:`fork_identity`); the old one stays as an ordinary peer, so the version
vectors it signed remain meaningful.
"""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from pathlib import Path

from duty_tracker.core.helpers import now_iso


def _has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_peers'").fetchone() is not None


def self_peer(conn: sqlite3.Connection) -> tuple[int, str]:
    """(local peer id, database uuid) of this database, creating the identity if needed.

    Must run inside the caller's transaction (the first exchange creates the row)."""
    row = conn.execute("SELECT id, db_uuid FROM sync_peers WHERE is_self = 1").fetchone()
    if row:
        return int(row[0]), str(row[1])
    db_uuid = str(uuidlib.uuid4())
    cur = conn.execute("INSERT INTO sync_peers (db_uuid, name, is_self, last_seen) VALUES (?, '本机', 1, ?)",
                       [db_uuid, now_iso()])
    return int(cur.lastrowid), db_uuid


def fork_identity(db_file: Path) -> None:
    """Give a restored database file a new identity (the old one becomes a peer).

    Writes only when the file already has one; a file that never exchanged packages needs none.
    """
    conn = sqlite3.connect(str(db_file), isolation_level=None)
    try:
        if not _has_table(conn):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT id FROM sync_peers WHERE is_self = 1").fetchone()
            if row:
                conn.execute("UPDATE sync_peers SET is_self = 0, name = '本机（恢复前）' WHERE id = ?", [row[0]])
                conn.execute("INSERT INTO sync_peers (db_uuid, name, is_self, last_seen) VALUES (?, '本机', 1, ?)",
                             [str(uuidlib.uuid4()), now_iso()])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()

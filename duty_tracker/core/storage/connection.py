"""The ledger's connection: SQL straight through ``sqlite3``, sqlite-utils' table API on demand.

It imports nothing else of the program, so every module of the storage can name it.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any


class LedgerDatabase:
    """The ledger's connection: SQL straight through ``sqlite3``, sqlite-utils' table API
    (``db["records"]``, ``insert``, ``upsert`` …) on first use.

    Why not sqlite-utils' ``Database`` itself: importing sqlite-utils (with click, dateutil and
    pluggy) costs about 90 ms, as much again as a bare Qt window takes to appear, and the
    window's start only reads. ``execute``, ``query``, ``atomic`` and ``table_names`` behave as
    sqlite-utils' do on an autocommit connection; anything else is sqlite-utils' own, on the
    same connection (``utils``), made the first time it is asked for.

    ``atomic()`` takes the write lock when it begins (``BEGIN IMMEDIATE``), for sqlite-utils'
    table methods too: a deferred transaction that read first and then writes cannot wait for
    another process's writer (SQLite refuses at once with "database is locked", ignoring the
    busy timeout), while an immediate one waits its turn. Nested blocks are savepoints.

    It runs no sqlite-utils plugins: a plugin installed beside the program could change every
    connection to the ledger, and finding plugins reads the metadata of every installed
    package (about 20 ms of each start of the window).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # What sqlite-utils sets on its connections: a REPLACE fires the delete triggers
        # (the audit log and the search index depend on it).
        conn.execute("PRAGMA recursive_triggers = on")
        self._utils: Any = None

    @property
    def utils(self) -> Any:
        """sqlite-utils' ``Database`` on this connection (its transactions are ours)."""
        if self._utils is None:
            self._utils = _sqlite_utils_database(self)
        return self._utils

    def __getitem__(self, table_name: str) -> Any:
        return self.utils[table_name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.utils, name)

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
                ) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
              ) -> Iterator[dict[str, Any]]:
        """The rows of a statement that returns rows, as dicts (a repeated column name gets
        ``_2``, ``_3`` … as in sqlite-utils)."""
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() 只能用于返回行的语句")
        keys = _unique_keys([d[0] for d in cursor.description])
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def table_names(self) -> list[str]:
        return [name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]

    def column_names(self, table: str) -> list[str]:
        return [row[1] for row in self.conn.execute(
            "SELECT * FROM pragma_table_info(?)", [table])]

    def columns_by_table(self) -> dict[str, list[str]]:
        """Every table's column names in one statement (one per table cost every start a
        statement for each of the ledger's two dozen tables)."""
        columns: dict[str, list[str]] = {}
        for table, column in self.conn.execute(
                "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
                "WHERE m.type = 'table' ORDER BY m.rowid, p.cid"):
            columns.setdefault(table, []).append(column)
        return columns

    @contextlib.contextmanager
    def set_aside(self, objects: Sequence[tuple[str, str, str]]) -> Iterator[None]:
        """(kind, name, sql) of schema objects (``index``, ``trigger``) dropped for the block and
        created again after it, indexes first, inside the caller's transaction: a bulk write
        then neither fires a trigger nor updates an index row by row. A failure rolls the drop
        back with everything else, so they are created again only after a block that ends
        well; no other connection can write meanwhile, so none ever writes without them."""
        for kind, name, _sql in objects:
            self.conn.execute(f'DROP {kind.upper()} "{name}"')
        yield
        for kind in ("index", "trigger"):
            for saved_kind, _name, sql in objects:
                if saved_kind == kind:
                    self.conn.execute(sql)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[LedgerDatabase]:
        with _transaction(self.conn):
            yield self

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


#: Names for nested blocks' savepoints (unique within a process, hence within a connection).
_SAVEPOINTS = itertools.count(1)


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or a savepoint inside an open transaction; rolled back
    on any error (unless the error already ended the transaction)."""
    if conn.in_transaction:
        savepoint = f"ledger_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _unique_keys(keys: list[str]) -> list[str]:
    if len(set(keys)) == len(keys):
        return keys
    taken, seen, out = set(keys), set(), []
    for key in keys:
        new, suffix = key, 2
        while new in seen or (new != key and new in taken):
            new, suffix = f"{key}_{suffix}", suffix + 1
        seen.add(new)
        out.append(new)
    return out


def _sqlite_utils_database(ledger: LedgerDatabase) -> Any:
    """sqlite-utils' Database on the ledger's connection whose ``atomic()`` is the ledger's
    (imported here, on first use of the table API)."""
    import sqlite_utils

    class _TableApi(sqlite_utils.Database):
        @contextlib.contextmanager
        def atomic(self) -> Iterator[sqlite_utils.Database]:
            with _transaction(self.conn):
                yield self

    return _TableApi(ledger.conn, execute_plugins=False)

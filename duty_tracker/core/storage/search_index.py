"""The record list's text search: two full-text indexes (migration 0010) that find exactly the
rows ``LIKE '%text%'`` finds in the five searchable columns, at a million records.

Why two indexes, and why these:

- A clerk types Chinese without spaces, so the search is a substring search. SQLite's trigram
  tokenizer (``records_fts``) answers any substring of three or more characters as a phrase.
  It cannot answer one or two characters — and the search box filters after every keystroke,
  so the first character typed is the most common query of all.
- ``records_grams`` holds every bigram of the text as a token (the last character of a column
  alone), with FTS5's index of one-character prefixes. Two characters are then one token and
  one character one prefix lookup: a single posting list either way, in milliseconds even for
  a character found in 600,000 records. An index of single characters queried as a phrase
  would also be exact, but a two-character phrase must walk and compare the position lists of
  two very common characters (法, 治 …) — tens of times slower — and store positions too
  (``detail=none`` here: no positions). Tokens are made by Python in bulk loads and by the
  triggers' SQL otherwise (SQLite has no tokenizer that cuts text into character pairs);
  both make the same tokens, which the tests check.
- Neither index may differ from ``LIKE``: LIKE ignores the case of ASCII letters only. The
  trigram index therefore stores ``lower()`` of the text with ``case_sensitive 1`` (its default
  folds Greek, Cyrillic, accented letters … which LIKE does not), and the query is lowered by
  SQLite's own ``lower()``. The bigram index uses the ``ascii`` tokenizer, which folds A–Z only,
  with every ASCII punctuation character declared part of a token. Only spaces and control
  characters separate tokens; a one- or two-character search never contains a space (the text
  is stripped), and a search with a control character goes to LIKE.
- Both indexes hold only records that are not deleted (the recycle bin is small and uses LIKE),
  and each row's key is ``(days since 1900-01-01 of performed_on) << 40 | record id``. A date
  range is then a range of keys inside the index, and the list's own order (newest first, then
  by id) is the key order: the first screen of "本年 + 法" is read straight off the index, and
  its count never builds a list of 600,000 ids. The price: keys far apart cost more bytes in
  FTS5's posting lists than consecutive ids — about 210 and 190 bytes a record for the two
  indexes, some 40 % more than with ids — and rows written out of key order (see below).

The indexes are kept in step by triggers in pure SQL (an administrator's sqlite3 shell keeps
them right too). Every bulk write runs inside :func:`deferred_search_index`, which sets the
triggers aside and catches the indexes up in key order at the end. A bulk load into a ledger
without records may instead hand over a bigram index that another process built meanwhile
(:func:`bulk_search_index`, :func:`build_bigram_file`): FTS5's work is most of a large load,
and the two indexes can be built at once on two cores.

The triggers and tables are also defined here (:func:`schema_objects`, the same SQL as the
migration that made them — a test compares the two), because they must stay correct for the
life of the file: an administrator's tool or a careless script can drop one, and then every
record saved afterwards is missing from (or stale in) the search results — silently, since
SQLite's ``integrity_check`` does not look inside an FTS index. :func:`damaged_objects` finds
a missing or altered one; :func:`ensure_triggers` (run at every open, and by ``check``)
recreates it and rebuilds both indexes, which are derived data and can always be rebuilt.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase


TEXT_COLUMNS = ("title", "description", "minutes_number", "place", "participants")
#: The trigram index's text of a record: the columns lowered, joined by U+001F (a control
#: character: a search containing one goes to LIKE, so no match can span two columns). The
#: joined text is lowered once, the same text as the schema's view, which lowers each column:
#: SQLite's ``lower()`` maps the bytes A-Z and nothing else, and one call instead of five
#: (each a copy of its text) is a third less of a bulk load's trigram pass (1.2 s in 3.7 s
#: at a million records).
TRIGRAM_TEXT_SQL = f"lower({' || char(31) || '.join(TEXT_COLUMNS)})"
#: Shorter search text is answered by the bigram index, this long and longer by the trigram one.
TRIGRAM_MIN_CHARS = 3
TRIGRAM_TABLE = "records_fts"
BIGRAM_TABLE = "records_grams"
INSERT_TRIGGER = "fts_records_insert"
#: Bits of the record id inside an index key (ids up to about 10^12).
KEY_SHIFT = 40
ID_MASK = (1 << KEY_SHIFT) - 1
_EPOCH = date(1900, 1, 1).toordinal()


def record_key(day: date, record_id: int) -> int:
    """The index key of a record: the same number the migration's SQL computes."""
    return ((day.toordinal() - _EPOCH) << KEY_SHIFT) | record_id


def key_range(date_from: date | None, date_to: date | None) -> tuple[int, int] | None:
    """Keys of the records performed in [date_from, date_to], or None when not limited."""
    if date_from is None and date_to is None:
        return None
    low = record_key(date_from, 0) if date_from else -(1 << 62)
    high = record_key(date_to, ID_MASK) if date_to else 1 << 62
    return low, high


def bigrams(text: str) -> str:
    """The tokens of one column for ``records_grams``: each character with the next one, and
    the last alone ("学习宪法" → "学习 习宪 宪法 法"). The same token set as the SQL triggers make."""
    return " ".join([text[i:i + 2] for i in range(len(text))])


def indexable(text: str) -> bool:
    """Whether the indexes can answer ``text`` exactly: no control characters (they separate
    tokens, and NUL ends a text in SQLite)."""
    return bool(text) and not any(unicodedata.category(ch) == "Cc" for ch in text)


def _quoted(text: str) -> str:
    """An FTS5 string: inside double quotes no character is query syntax."""
    return '"' + text.replace('"', '""') + '"'


def index_condition(text: str, date_from: date | None = None,
                    date_to: date | None = None) -> tuple[str, str, list[Any]]:
    """(index table, condition on that table, parameters) selecting the live records whose text
    contains ``text`` (indexable, see :func:`indexable`) and whose date is in the range.

    The trigram query is lowered by SQLite's own ``lower()``, the function that lowered the
    indexed text, so the two can never disagree."""
    if len(text) >= TRIGRAM_MIN_CHARS:
        table = TRIGRAM_TABLE
        sql = f"{table} MATCH ('\"' || replace(lower(?), '\"', '\"\"') || '\"')"
        params: list[Any] = [text]
    else:
        table = BIGRAM_TABLE
        sql = f"{table} MATCH ?"
        params = [_quoted(text) + ("*" if len(text) == 1 else "")]
    keys = key_range(date_from, date_to)
    if keys is not None:
        sql += " AND rowid BETWEEN ? AND ?"
        params += list(keys)
    return table, sql, params


# -- bulk writes -------------------------------------------------------------------------------
#: The triggers that keep both indexes in step, one row at a time.
TRIGGERS = (INSERT_TRIGGER, "fts_records_update", "fts_records_delete")
#: What the index held for a record changed or deleted during a bulk write (its first state).
_MOVED = "temp.search_index_moved"


@contextmanager
def deferred_search_index(db: LedgerDatabase) -> Iterator[None]:
    """Every bulk write of records (the demo, an import, deleting many at once) runs inside this,
    inside its transaction: the index triggers are set aside, the caller writes, and the index
    catches up in one pass at the end; a failure rolls everything back, triggers included.

    Why: FTS5 buffers new rows in memory only while their keys ascend and writes a segment as
    soon as one is lower than the last; the keys follow the dates, not the order records are
    written in, so a trigger-kept index writes a segment per row — an import of 93,000 records
    spends 50 s on that alone. Here the records changed or deleted are noted (with what the
    index held for them), and at the end their old entries go out and the new state of every
    record written comes in, each in key order."""
    with bulk_search_index(db):
        yield


class BulkIndex:
    """What a bulk write inside :func:`bulk_search_index` may hand over: ``bigram_file``, a
    function returning the path of a file made by :func:`build_bigram_file` from exactly the
    records the write adds (or None when it has none after all). It is called once, after the
    trigram index is built, so whatever makes the file (a second process) works meanwhile."""

    def __init__(self) -> None:
        self.bigram_file: Callable[[], Path | None] | None = None


@contextmanager
def bulk_search_index(db: LedgerDatabase) -> Iterator[BulkIndex]:
    """:func:`deferred_search_index`, for a bulk write that can have the bigram index built
    elsewhere (the demo: by the process that draws the records, on the other core). The file
    is adopted only into a ledger that had no records before (its index is empty, so the file's
    index is the whole of it) and only when it holds a row for each record written; otherwise
    the bigram index is built here as usual."""
    if not db.conn.in_transaction:
        raise RuntimeError("deferred_search_index() must run inside a transaction")
    handle = BulkIndex()
    saved = db.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        f"({', '.join('?' * len(TRIGGERS))})", list(TRIGGERS)).fetchall()
    if len(saved) != len(TRIGGERS):  # a database without the indexes (older schema in a test)
        yield handle
        return
    since = db.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0]
    with db.set_aside(saved):
        _note_moves(db, since)
        try:
            yield handle
            _remove_moved(db)
            _catch_up(db, since, moved=True, bigram_file=handle.bigram_file if since == 0 else None)
        finally:
            for action in ("update", "delete"):
                db.execute(f"DROP TRIGGER IF EXISTS temp.search_index_{action}")
            db.execute(f"DROP TABLE IF EXISTS {_MOVED}")


def _note_moves(db: LedgerDatabase, since: int) -> None:
    """Temporary triggers (this connection only) keep the first indexed state of each existing
    record the bulk write changes or deletes."""
    columns = ", ".join(TEXT_COLUMNS)
    old = ", ".join(f"OLD.{c}" for c in TEXT_COLUMNS)
    table = _MOVED.split(".")[1]  # a trigger names its target unqualified (temp comes first)
    db.execute(f"CREATE TEMP TABLE {table} (id INTEGER PRIMARY KEY, key INTEGER, {columns})")
    for action, when in (("update", "UPDATE OF id, performed_on, title, description, "
                                    "minutes_number, place, participants, deleted_at"),
                         ("delete", "DELETE")):
        db.execute(f"CREATE TEMP TRIGGER search_index_{action} AFTER {when} ON main.records "
                   f"WHEN OLD.id <= {int(since)} BEGIN INSERT OR IGNORE INTO {table} "
                   f"(id, key, {columns}) SELECT OLD.id, {key_sql('OLD.')}, {old} "
                   "WHERE OLD.deleted_at IS NULL; "
                   f"INSERT OR IGNORE INTO {table} (id, key) VALUES (OLD.id, NULL); END")


def _remove_moved(db: LedgerDatabase) -> None:
    """Take out of both indexes what they held for the records changed or deleted (those that
    were live: ``key`` is NULL for one that was in the recycle bin)."""
    conn = db.conn
    joined = TRIGRAM_TEXT_SQL
    conn.execute(f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, text) SELECT 'delete', "
                 f"key, {joined} FROM {_MOVED} WHERE key IS NOT NULL ORDER BY key")
    rows = conn.execute(f"SELECT key, {', '.join(TEXT_COLUMNS)} FROM {_MOVED} "
                        "WHERE key IS NOT NULL ORDER BY key").fetchall()
    conn.executemany(f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}, rowid, tokens) "
                     "VALUES ('delete', ?, ?)",
                     [(row[0], " ".join(map(bigrams, row[1:]))) for row in rows])


def key_sql(alias: str = "") -> str:
    """The SQL of a record's index key (as the migration's triggers compute it); a date SQLite
    cannot read counts as 1900-01-01, so that every row still has one stable key."""
    return (f"(coalesce(CAST(julianday({alias}performed_on) - 2415020.5 AS INTEGER), 0) "
            f"<< {KEY_SHIFT}) | {alias}id")


def index_records_after(db: LedgerDatabase, since: int, *, moved: bool = False) -> int:
    """Add the live records with ``id > since`` (and, with ``moved``, those noted by a bulk
    write as changed) to both indexes; returns how many.

    Rows go in in key order: FTS5 writes a new segment whenever a rowid is lower than the one
    before, and a million out-of-order rows would make a million segments. The trigram index
    tokenises inside SQLite; the bigram tokens are made here, once per distinct column value
    (titles, places and 文号 repeat a lot)."""
    return _catch_up(db, since, moved=moved, bigram_file=None)


def _catch_up(db: LedgerDatabase, since: int, *, moved: bool,
              bigram_file: Callable[[], Path | None] | None) -> int:
    """:func:`index_records_after`, taking the bigram index from ``bigram_file`` (see
    :class:`BulkIndex`) when it gives one that fits. The trigram index is built first: it runs
    inside SQLite without Python's lock, while the file is still being made elsewhere."""
    conn = db.conn
    written = f"(id > ? OR id IN (SELECT id FROM {_MOVED}))" if moved else "id > ?"
    live = f"FROM records WHERE {written} AND deleted_at IS NULL"
    _merge_policy(conn, TRIGRAM_TABLE, bulk=True)
    conn.execute(f"INSERT INTO {TRIGRAM_TABLE} (rowid, text) "
                 f"SELECT {key_sql()} AS key, {TRIGRAM_TEXT_SQL} {live} ORDER BY key", [since])
    _settle(conn, TRIGRAM_TABLE, whole=since == 0)
    path = bigram_file() if bigram_file is not None else None
    if path is not None and _adopt_bigrams(conn, Path(path)):
        expected = conn.execute(f"SELECT count(*) {live}", [since]).fetchone()[0]
        if indexed_rows(conn, BIGRAM_TABLE) == expected:
            return expected
        conn.execute(f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}) VALUES ('delete-all')")
    rows = conn.execute(f"SELECT {key_sql()} AS key, {', '.join(TEXT_COLUMNS)} {live} ORDER BY key",
                        [since])
    return _add_bigram_rows(conn, rows, whole=since == 0)


def add_bigram_rows(db: LedgerDatabase, rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert (index key, the five texts) rows, in ascending key order, into ``records_grams``
    (the bigrams of each text in turn, as the triggers make them), merging its segments once
    at the end instead of after every flush of a bulk load."""
    return _add_bigram_rows(db.conn, rows)


class _Tokens(dict):
    """Text → its bigram tokens, made on the first lookup: a bulk load's texts repeat a lot,
    and a subscript that finds them costs no Python call (a fifth of the Python time of a
    million records' tokens)."""

    def __missing__(self, text: str) -> str:
        found = self[text] = bigrams(text)
        return found


def _add_bigram_rows(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]], *,
                     whole: bool = True) -> int:
    tokens = _Tokens()
    _merge_policy(conn, BIGRAM_TABLE, bulk=True)
    cursor = conn.executemany(  # the five texts' tokens in turn, as the triggers join them
        f"INSERT INTO {BIGRAM_TABLE} (rowid, tokens) VALUES (?, ?)",
        ((key, f"{tokens[a]} {tokens[b]} {tokens[c]} {tokens[d]} {tokens[e]}")
         for key, a, b, c, d, e in rows))
    _settle(conn, BIGRAM_TABLE, whole=whole)
    return max(cursor.rowcount, 0)


def build_bigram_file(path: Path, rows: Iterable[tuple[Any, ...]]) -> int:
    """Make a new file at ``path`` holding only a bigram index of ``rows`` (index key, the five
    texts, keys ascending), built exactly as :func:`add_bigram_rows` builds it in a ledger, for
    :func:`bulk_search_index` to adopt; returns how many rows. Scratch: no journal, no syncs
    (whoever asked for it deletes it, and adopts nothing from a file that is not complete)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(schema_objects()[BIGRAM_TABLE])
        conn.execute("BEGIN")
        count = _add_bigram_rows(conn, rows)
        conn.execute("COMMIT")
        conn.execute(f"CREATE TABLE {_COMPLETE} AS SELECT {int(count)} AS rows")  # last of all
    finally:
        conn.close()
    return count


#: The table of a bigram file that says it is complete (written after everything else).
_COMPLETE = "bigram_file_complete"
#: FTS5's own tables behind the bigram index (no content table: it is contentless).
_SHADOWS = ("data", "idx", "config")


def _adopt_bigrams(conn: sqlite3.Connection, path: Path) -> bool:
    """Put the bigram index of a file made by :func:`build_bigram_file` in place of this
    ledger's (empty) one, inside the caller's transaction; False (nothing changed) when the
    file is not complete or its index is not defined exactly as this ledger's.

    The virtual table is dropped and created again before its tables are filled: FTS5 keeps
    what it last read of an index in memory, and a fresh table has read nothing yet."""
    sql = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"
    mine = conn.execute(sql, [BIGRAM_TABLE]).fetchone()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        theirs = source.execute(sql, [BIGRAM_TABLE]).fetchone()
        done = source.execute(sql, [_COMPLETE]).fetchone()
        if mine is None or theirs is None or done is None or _normal(mine[0]) != _normal(theirs[0]):
            return False
        conn.execute(f'DROP TABLE "{BIGRAM_TABLE}"')
        conn.execute(mine[0])
        for shadow in _SHADOWS:
            table = f"{BIGRAM_TABLE}_{shadow}"
            cursor = source.execute(f'SELECT * FROM "{table}"')
            marks = ", ".join("?" * len(cursor.description))
            conn.execute(f'DELETE FROM "{table}"')
            conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', cursor)
    finally:
        source.close()
    return True


#: FTS5's defaults, restored after a bulk load (they are stored in the index's config table).
_AUTOMERGE, _HASHSIZE = 4, 1 << 20
#: Pending tokens FTS5 may hold in memory during a bulk load before it writes a segment: a
#: city's million records then make one segment per index, and no merge is left to do.
BULK_HASHSIZE = 256 << 20


def _merge_policy(conn: Any, table: str, *, bulk: bool) -> None:
    """During a bulk load FTS5 should neither merge segments as it flushes nor flush every
    megabyte: the load's rows make one segment, and :func:`_settle` decides what follows."""
    for option, value in (("automerge", 0 if bulk else _AUTOMERGE),
                          ("hashsize", BULK_HASHSIZE if bulk else _HASHSIZE)):
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", [option, value])


def _settle(conn: Any, table: str, *, whole: bool) -> None:
    """The index after a bulk load: merged into one segment when the load wrote all of it;
    otherwise the load's rows are one more segment beside the index there was, and FTS5's own
    merging takes it from there (rewriting a whole 250,000-record index after an import of
    one district's records cost seconds, and a city's index more)."""
    if whole:
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    _merge_policy(conn, table, bulk=False)


# -- the schema objects, and repairing them ------------------------------------------------------
#: The view the trigram index reads its text from (external content).
TEXT_VIEW = "records_search_text"
#: Schema version from which these objects exist.
SINCE_VERSION = 10


def _grams_sql(alias: str) -> str:
    """SQL making a record's bigram tokens (the same tokens as :func:`bigrams`)."""
    return "\n        || ' ' || ".join(
        f"(SELECT group_concat(substr({alias}{c}, key + 1, 2), ' ') FROM json_each('[0' || "
        f"replace(printf('%.*c', length({alias}{c}) - 1, '0'), '0', ',0') || ']'))"
        for c in TEXT_COLUMNS)


def _trigram_sql(alias: str) -> str:
    return " || char(31) || ".join(f"lower({alias}{c})" for c in TEXT_COLUMNS)


def _key(alias: str) -> str:
    return f"(coalesce(CAST(julianday({alias}performed_on) - 2415020.5 AS INTEGER), 0) << 40) | {alias}id"


def _triggers() -> dict[str, str]:
    add = (f"INSERT INTO {TRIGRAM_TABLE} (rowid, text) SELECT {_key('NEW.')}, {_trigram_sql('NEW.')} "
           "WHERE NEW.deleted_at IS NULL;\n"
           f"INSERT INTO {BIGRAM_TABLE} (rowid, tokens) SELECT {_key('NEW.')}, {_grams_sql('NEW.')} "
           "WHERE NEW.deleted_at IS NULL;")
    remove = (f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, text) SELECT 'delete', "
              f"{_key('OLD.')}, {_trigram_sql('OLD.')} WHERE OLD.deleted_at IS NULL;\n"
              f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}, rowid, tokens) SELECT 'delete', "
              f"{_key('OLD.')}, {_grams_sql('OLD.')} WHERE OLD.deleted_at IS NULL;")
    watched = "id, performed_on, " + ", ".join(TEXT_COLUMNS) + ", deleted_at"
    return {
        INSERT_TRIGGER: f"CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON records BEGIN\n{add}\nEND",
        "fts_records_delete": f"CREATE TRIGGER fts_records_delete AFTER DELETE ON records BEGIN\n{remove}\nEND",
        "fts_records_update": (f"CREATE TRIGGER fts_records_update AFTER UPDATE OF {watched} ON records "
                               f"BEGIN\n{remove}\n{add}\nEND"),
    }


def schema_objects() -> dict[str, str]:
    """Name → SQL of every object of the search (view, two indexes, three triggers), in the
    order they must be created."""
    return {
        TEXT_VIEW: (f"CREATE VIEW {TEXT_VIEW} AS SELECT {_key('')} AS key, {_trigram_sql('')} AS text "
                    "FROM records WHERE deleted_at IS NULL"),
        TRIGRAM_TABLE: (f"CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5(text, content = '{TEXT_VIEW}', "
                        "content_rowid = 'key', columnsize = 0, tokenize = 'trigram case_sensitive 1')"),
        BIGRAM_TABLE: (f"CREATE VIRTUAL TABLE {BIGRAM_TABLE} USING fts5(tokens, content = '', "
                       "detail = 'none', prefix = '1', columnsize = 0, tokenize = \"ascii tokenchars "
                       "'!\"\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~'\")"),
        **_triggers(),
    }


def _normal(sql: str) -> str:
    """SQL compared without its layout: whitespace runs are one space, none around brackets.
    (Spaces are dropped by plain deletion: a ``\\1`` template costs a Python call per bracket,
    and every start compares the search's dozen objects.)"""
    sql = re.sub(r"\s+", " ", sql or "").strip().rstrip(";").strip()
    return re.sub(r"\s+(?=[(),;])|(?<=[(),;])\s+", "", sql).lower()


@lru_cache(maxsize=1)
def _normal_schema() -> dict[str, str]:
    """:func:`schema_objects` as :func:`_normal` compares them (worked out once)."""
    return {name: _normal(sql) for name, sql in schema_objects().items()}


def damaged_objects(conn: sqlite3.Connection) -> list[str]:
    """Names of the search's objects that are missing or not what they should be (read only);
    empty for a schema older than the one that has them."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) < SINCE_VERSION:
        return []
    present = dict(conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE name IN "
        f"({', '.join('?' * len(schema_objects()))})", list(schema_objects())).fetchall())
    return [name for name, sql in _normal_schema().items()
            if _normal(present.get(name, "")) != sql]


#: Records looked up in both indexes by the quick consistency check (all of a smaller ledger).
SAMPLE_RECORDS = 200


def index_is_consistent(conn: sqlite3.Connection, *, full: bool = False) -> bool:
    """Whether both indexes agree with the records. False only when an index disagrees (or
    is corrupt); a file that cannot be checked (read-only, for the full check) passes.

    The quick check (a fraction of a second at a million records) compares the number of rows
    each index holds with the live records, and looks up a sample of records — every record of
    a ledger of up to :data:`SAMPLE_RECORDS`, a fresh random sample of a bigger one — by the
    beginning of each of their texts, as the search box does: a live record must be found
    under its key, one in the recycle bin must not. It finds an index that missed or kept
    rows, and stale or damaged entries where the sample meets them; it does not read every
    segment. ``full`` runs FTS5's own checks of both indexes instead (every segment, and the
    trigram index against the text of every record: about 12 s at a million records), inside
    a transaction that is rolled back (the check is an INSERT; it writes nothing)."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) < SINCE_VERSION:
        return True
    try:
        return _full_check(conn) if full else _sample_agrees(conn)
    except sqlite3.DatabaseError as exc:
        return "malformed" not in str(exc) and "corrupt" not in str(exc)


def _full_check(conn: sqlite3.Connection) -> bool:
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        conn.execute(f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rank) VALUES ('integrity-check', 1)")
        conn.execute(f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}) VALUES ('integrity-check')")
        return True
    finally:
        if began:
            conn.execute("ROLLBACK")


def indexed_rows(conn: sqlite3.Connection, table: str) -> int:
    """How many rows an FTS5 index holds: the first number of its "averages" record (row 1 of
    its ``_data`` table, a SQLite varint), which FTS5 keeps up to date on every insert and
    delete; no row there means an empty index."""
    row = conn.execute(f'SELECT block FROM "{table}_data" WHERE id = 1').fetchone()
    data = bytes(row[0]) if row and row[0] else b""
    value = 0
    for index, byte in enumerate(data[:9]):
        if index == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return value


def _sample_agrees(conn: sqlite3.Connection) -> bool:
    live, top = conn.execute("SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
                             "coalesce(max(id), 0) FROM records").fetchone()
    if any(indexed_rows(conn, table) != live for table in (TRIGRAM_TABLE, BIGRAM_TABLE)):
        return False
    wanted = range(1, top + 1)
    if top > SAMPLE_RECORDS:
        wanted = sorted(random.Random().sample(wanted, SAMPLE_RECORDS))
    rows = conn.execute(
        f"SELECT {key_sql()}, deleted_at IS NULL, {', '.join(TEXT_COLUMNS)} FROM records "
        f"WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(wanted))]).fetchall()
    for key, alive, *texts in rows:
        for text in texts:
            for piece in {str(text or "")[:TRIGRAM_MIN_CHARS], str(text or "")[:2]}:
                if len(piece) < 2 or not indexable(piece) or any(c.isspace() for c in piece):
                    continue
                table, sql, params = index_condition(piece)
                found = conn.execute(f"SELECT count(*) FROM {table} WHERE {sql} AND rowid = ?",
                                     [*params, key]).fetchone()[0]
                if found != int(bool(alive)):
                    return False
    return True


def rebuild(db: LedgerDatabase) -> int:
    """Both indexes from the records, in key order (inside the caller's transaction)."""
    for table in (TRIGRAM_TABLE, BIGRAM_TABLE):
        db.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    return index_records_after(db, 0)


def ensure_triggers(db: LedgerDatabase, *, rebuild_if_stale: bool = False) -> list[str]:
    """Recreate missing or altered search objects and rebuild the indexes; returns the names of
    what was repaired. Writes nothing when all is well. With ``rebuild_if_stale`` the indexes
    are also checked and rebuilt when they disagree with the records."""
    conn = db.conn
    broken = damaged_objects(conn)
    stale = rebuild_if_stale and not broken and not index_is_consistent(conn)
    if not broken and not stale:
        return []
    objects = schema_objects()
    with db.atomic():
        for name in broken:  # dependants first out, then everything back in creation order
            kind = "VIEW" if name == TEXT_VIEW else "TABLE" if name in (TRIGRAM_TABLE, BIGRAM_TABLE) \
                else "TRIGGER"
            conn.execute(f'DROP {kind} IF EXISTS "{name}"')
        for name in objects:
            if name in broken:
                conn.execute(objects[name])
        rebuild(db)
    return broken or [TRIGRAM_TABLE, BIGRAM_TABLE]


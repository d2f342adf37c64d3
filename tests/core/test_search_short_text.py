"""The record list's text search finds exactly what ``LIKE '%text%'`` finds — one, two or more
characters, Latin letters in either case, digits, punctuation, LIKE's own wildcards — through
the full-text indexes, after inserts, edits, moves in time, deletes and restores, with a date
range, in the recycle bin, and on the first page in the list's order."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_tracker.core.storage import search_index
from duty_tracker.core.storage.records_repo import RecordFilter

#: Characters that make the cases: common Chinese characters (so that texts share them), ASCII
#: letters in both cases, digits, LIKE's wildcards and escape, quotes (FTS5 syntax), Chinese
#: punctuation, spaces, letters whose case LIKE does not fold, a character beyond the BMP.
ALPHABET = ("法治宪学习会议纪号年" "aAbBxX" "0123" "%_\\\"'*-,.()" "〔〕《》、（）：" " \u3000\t\n"
            "éÉßΣσ" "\U0001F600")
texts = st.text(alphabet=ALPHABET + "\x1f\x01", max_size=12)  # stored text may hold anything
queries = st.one_of(st.text(alphabet=ALPHABET, min_size=1, max_size=4),
                    st.sampled_from(["法", "宪法", "a", "A", "3", "%", "_", "\\", "\"", "〔2",
                                     "aB", "Σ", "é", "学习会", "X\"x"]))
COLUMNS = ("title", "description", "minutes_number", "place", "participants")
FIRST_DAY = date(2024, 12, 20)


def like_ids(db, text: str, *, deleted: bool = False, first: date | None = None,
             last: date | None = None) -> list[int]:
    """The ids LIKE finds, newest first (the list's own order)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = ["deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL",
             "(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in COLUMNS) + ")"]
    params: list = [pattern] * len(COLUMNS)
    if first:
        where.append("performed_on >= ?")
        params.append(first.isoformat())
    if last:
        where.append("performed_on <= ?")
        params.append(last.isoformat())
    return [row[0] for row in db.execute(
        f"SELECT id FROM records WHERE {' AND '.join(where)} ORDER BY performed_on DESC, id DESC",
        params)]


def add(store, leader: int, day: int, fields: list[str]) -> int:
    title = fields[0].strip() or "无题"
    return store.records.add_record(
        performed_on=FIRST_DAY + timedelta(days=day), title=title, kind="会议", leader_ids=[leader],
        description=fields[1], minutes_number=fields[2], place=fields[3], participants=fields[4])


@pytest.fixture
def ledger(store, unit_id):
    leader = store.people.add_leader("测试负责人", unit_id, "party", term_start="2020-01-01")
    return store, leader


def check_all(store, query: str, first: date, last: date) -> None:
    text = query.strip()
    if not text:
        return
    for flt, deleted, span in ((RecordFilter(text=query), False, {}),
                               (RecordFilter(text=query, date_from=first, date_to=last), False,
                                {"first": first, "last": last}),
                               (RecordFilter(text=query, deleted=True), True, {})):
        expected = like_ids(store.db, text, deleted=deleted, **span)
        assert store.records.count(flt) == len(expected), (query, flt)
        assert [r["id"] for r in store.records.search(flt, limit=5)] == expected[:5], (query, flt)
        assert [r["id"] for r in store.records.search(flt, limit=5, offset=2)] == expected[2:7]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(0, 40), st.lists(texts, min_size=5, max_size=5)),
                     min_size=1, max_size=8),
       edits=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40), texts), max_size=3),
       gone=st.lists(st.integers(0, 7), max_size=2),
       back=st.lists(st.integers(0, 7), max_size=1),
       query=queries, window=st.tuples(st.integers(0, 40), st.integers(0, 40)))
def test_search_finds_exactly_what_like_finds(ledger, rows, edits, gone, back, query, window) -> None:
    store, leader = ledger
    ids = [add(store, leader, day, fields) for day, fields in rows]
    try:
        for index, day, text in edits:  # new text and a new date: the index row moves
            store.records.update_record(ids[index % len(ids)], title=text.strip() or "改",
                                        place=text, performed_on=FIRST_DAY + timedelta(days=day))
        store.records.delete_records([ids[i % len(ids)] for i in gone])
        store.records.restore_records([ids[i % len(ids)] for i in back])
        first, last = sorted(FIRST_DAY + timedelta(days=d) for d in window)
        check_all(store, query, first, last)
        for _day, fields in rows[:2]:  # and substrings that are certainly there
            for piece in (fields[0][:1], fields[0][1:3], fields[3][:4]):
                check_all(store, piece, first, last)
    finally:
        store.db.execute(f"DELETE FROM records WHERE id IN ({','.join(map(str, ids))})")
    assert store.db.execute("SELECT count(*) FROM records_grams WHERE records_grams MATCH ?",
                            ['"法"*']).fetchone()[0] == 0  # the delete triggers emptied it


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(texts, min_size=5, max_size=5), min_size=1, max_size=6),
       query=queries)
def test_a_bulk_load_indexes_like_the_triggers(ledger, rows, query) -> None:
    """Rows indexed in one pass at the end of a bulk load (tokens made in Python) are found
    like rows indexed by the triggers, and the triggers can later edit and delete them."""
    store, leader = ledger
    with store.db.atomic(), search_index.deferred_search_index(store.db):
        ids = [add(store, leader, i, fields) for i, fields in enumerate(rows)]
    try:
        check_all(store, query, FIRST_DAY, FIRST_DAY + timedelta(days=3))
        store.records.update_record(ids[0], title="学习会议", description=rows[0][0])
        store.records.delete_records(ids[1:2])
        check_all(store, query, FIRST_DAY, FIRST_DAY + timedelta(days=3))
        check_all(store, "学习", FIRST_DAY, FIRST_DAY + timedelta(days=3))
    finally:
        store.db.execute(f"DELETE FROM records WHERE id IN ({','.join(map(str, ids))})")


def _tokens(text: str) -> list[str]:
    """Tokens as the bigram index's tokenizer splits them (spaces and control characters)."""
    return [t for t in re.split(r"[\x00-\x20\x7f]+", text) if t]


@given(st.text(alphabet=ALPHABET + "\x01\x1f", max_size=30))
def test_python_bigrams_are_the_triggers_bigrams(text: str) -> None:
    """A bulk load makes the tokens in Python; a later edit deletes them with the tokens the
    SQL trigger makes: the two must be the same, or the index would keep stale rows."""
    conn = sqlite3.connect(":memory:")
    sql = conn.execute(
        "SELECT (SELECT group_concat(substr(?1, key + 1, 2), ' ') FROM json_each('[0' || "
        "replace(printf('%.*c', length(?1) - 1, '0'), '0', ',0') || ']'))", [text]).fetchone()[0]
    assert _tokens(search_index.bigrams(text)) == _tokens(sql or "")


@given(st.lists(texts, min_size=5, max_size=5))
def test_the_bulk_trigram_text_is_the_views_text(fields: list[str]) -> None:
    """A bulk load lowers the joined columns once; the view (which the index is checked
    against) lowers each column: the two must give the same text for any text."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE TABLE records ({', '.join(COLUMNS)})")
    conn.execute(f"INSERT INTO records VALUES ({', '.join('?' * 5)})", fields)
    bulk = conn.execute(f"SELECT {search_index.TRIGRAM_TEXT_SQL} FROM records").fetchone()[0]
    view = conn.execute(f"SELECT {search_index._trigram_sql('')} FROM records").fetchone()[0]
    assert bulk == view == "\x1f".join(f.translate(_ASCII_LOWER) for f in fields)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def test_the_migration_uses_the_same_token_sql_as_this_test() -> None:
    migration = Path(__file__).parents[2] / "db" / "migrations"
    sql = "".join(p.read_text(encoding="utf-8") for p in migration.glob("*.sql"))
    assert "group_concat(substr(NEW.title, key + 1, 2), ' ') FROM json_each('[0' || " \
           "replace(printf('%.*c', length(NEW.title) - 1, '0'), '0', ',0') || ']')" in sql


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
       st.integers(1, 2**40 - 1))
def test_the_index_key_is_the_one_sqlite_computes(day: date, record_id: int) -> None:
    conn = sqlite3.connect(":memory:")
    expected = conn.execute(f"SELECT {search_index.key_sql()} FROM (SELECT ? AS performed_on, "
                            "? AS id)", [day.isoformat(), record_id]).fetchone()[0]
    assert search_index.record_key(day, record_id) == expected
    low, high = search_index.key_range(day, day)
    assert low <= expected <= high


@pytest.mark.parametrize("one_pass_from", [20_000, 0])  # 0: the one-pass count of a big article
def test_filters_without_text_count_like_the_plain_query(store, unit_id, duty_ids, monkeypatch,
                                                         one_pass_from) -> None:
    """Counts taken from the link tables (a duty, an article) leave deleted records out, and
    the recycle bin counts only them; an article counts a record citing it once; a page of a
    filter matching many records (link lookups row by row) is the page of the plain query."""
    from duty_tracker.core.storage import records_repo

    monkeypatch.setattr(records_repo, "_ONE_PASS_FROM", one_pass_from)
    leader = store.people.add_leader("测试负责人", unit_id, "party", term_start="2020-01-01")
    article = store.db.execute("SELECT article_id FROM duties WHERE id = ?",
                               [duty_ids["党委理论学习中心组学法"]]).fetchone()[0]
    ids = [store.records.add_record(performed_on=FIRST_DAY + timedelta(days=i), title=f"学法{i}",
                                    kind="学法", leader_ids=[leader], article_id=article if i % 2 else None,
                                    duty_ids=[duty_ids["党委理论学习中心组学法"]] if i % 3 else [])
           for i in range(9)]
    # a record performing two duties of one article counts once
    store.records.update_record(ids[4], duty_ids=[duty_ids["党委理论学习中心组学法"], duty_ids["年终述职"]])
    store.db.execute("UPDATE duties SET article_id = ? WHERE id = ?", [article, duty_ids["年终述职"]])
    store.records.delete_records(ids[:2])
    for flt in (RecordFilter(duty_id=duty_ids["党委理论学习中心组学法"]), RecordFilter(article_id=article),
                RecordFilter(leader_id=leader), RecordFilter(unit_id=unit_id),
                RecordFilter(kind="学法", date_from=FIRST_DAY, date_to=FIRST_DAY + timedelta(days=4))):
        for deleted in (False, True):
            flt.deleted = deleted
            where, params = flt.where()
            plain = store.db.execute(f"SELECT count(*) FROM records r WHERE {where}", params).fetchone()[0]
            assert store.records.count(flt) == plain, flt
            page = [r[0] for r in store.db.execute(
                f"SELECT r.id FROM records r WHERE {where} ORDER BY r.performed_on DESC, r.id DESC "
                "LIMIT 3", params)]
            for selective in (True, False, None):
                assert [r["id"] for r in store.records.search(flt, limit=3, selective=selective)] == page
    # live 2..8: cites it (3, 5, 7) or performs its duty (2, 4, 5, 7, 8): 5 and 7 once each
    assert store.records.count(RecordFilter(article_id=article)) == 6


def test_the_migration_indexes_the_records_already_there(tmp_path: Path) -> None:
    """A ledger of the previous schema, with records, comes out of the migration searchable:
    both indexes filled from the rows already stored, and kept in step afterwards."""
    from duty_tracker.core.storage.database import available_migrations, open_database
    from duty_tracker.core.storage.store import Store

    earlier = tmp_path / "earlier"
    earlier.mkdir()
    mine = next(n for n, p in available_migrations() if p.name.endswith("_city_scale_search.sql"))
    for number, path in available_migrations():
        if number < mine:
            (earlier / path.name).write_bytes(path.read_bytes())
    db = open_database(tmp_path / "old.db", migrations_folder=earlier)
    db.execute("INSERT INTO units (uuid, name, level, created_at, updated_at) "
               "VALUES ('u', '西湖区', '区县', 'x', 'x')")
    db.execute("INSERT INTO leaders (uuid, name, unit_id, role, created_at, updated_at) "
               "VALUES ('l', '甲', 1, 'party', 'x', 'x')")
    texts = ["学习宪法", "Ab 法治", "〔2025〕3号", "", "宪"]
    for i, text in enumerate(texts):
        db.execute("INSERT INTO records (uuid, performed_on, title, kind, place, created_at, "
                   "updated_at, deleted_at) VALUES (?, ?, ?, '会议', ?, 'x', 'x', ?)",
                   [f"r{i}", f"2025-0{i + 1}-01", text or "无题", text, "x" if i == 4 else None])
    db.close()
    with Store.open(tmp_path / "old.db") as store:
        store.db.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
        for query in ("宪", "宪法", "法", "a", "AB", "3号", "〔2025〕", "学习宪法"):
            expected = like_ids(store.db, query)
            assert store.records.count(RecordFilter(text=query)) == len(expected), query
            assert [r["id"] for r in store.records.search(RecordFilter(text=query))] == expected
        assert store.records.count(RecordFilter(text="宪", deleted=True)) == 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(st.lists(texts, min_size=5, max_size=5), min_size=2, max_size=5),
       during=st.lists(st.lists(texts, min_size=5, max_size=5), min_size=1, max_size=4),
       edit=texts, moved_by=st.integers(-3, 3), query=queries)
def test_a_bulk_write_of_any_kind_catches_the_index_up(ledger, before, during, edit, moved_by,
                                                       query) -> None:
    """Inside one deferred bulk write: new records, existing ones edited (text and date),
    deleted, restored and removed, new ones edited too — afterwards the indexes are exactly
    what the triggers would have made, and the triggers are back."""
    store, leader = ledger
    old = [add(store, leader, i, fields) for i, fields in enumerate(before)]
    store.records.delete_records([old[-1]])  # in the recycle bin before the bulk write
    triggers = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    with store.db.atomic(), search_index.deferred_search_index(store.db):
        new = [add(store, leader, 2 + i, fields) for i, fields in enumerate(during)]
        store.records.update_record(old[0], title=edit.strip() or "改", place=edit,
                                    performed_on=FIRST_DAY + timedelta(days=5 + moved_by))
        store.records.update_record(old[0], description=edit)  # twice: the first state counts
        store.records.delete_records([old[1]])
        store.records.restore_records([old[-1]])
        store.records.update_record(new[0], title="学习会议", minutes_number=edit)
        store.db.execute("DELETE FROM records WHERE id = ?", [new[-1]] if len(new) > 1 else [-1])
    ids = old + new
    try:
        assert {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} == triggers
        assert store.db.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0
        store.db.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
        check_all(store, query, FIRST_DAY, FIRST_DAY + timedelta(days=4))
        check_all(store, edit[:2], FIRST_DAY, FIRST_DAY + timedelta(days=6))
        check_all(store, "学", FIRST_DAY, FIRST_DAY + timedelta(days=6))
    finally:
        store.db.execute(f"DELETE FROM records WHERE id IN ({','.join(map(str, ids))})")
    assert store.db.execute("SELECT count(*) FROM records_grams WHERE records_grams MATCH ?",
                            ['"学"*']).fetchone()[0] == 0  # nothing stale was left behind


# -- a bigram index built elsewhere (the demo's other process) and adopted --------------------
def _bulk_with_bigram_file(store, leader: int, rows: list[list[str]], path: Path,
                           spoil=None) -> list[int]:  # noqa: ANN001
    """A bulk write of ``rows`` into a ledger without records that hands over a bigram file
    built from exactly the records written (``spoil`` changes the file first)."""
    path.unlink(missing_ok=True)
    with store.db.atomic(), search_index.bulk_search_index(store.db) as index:
        ids = [add(store, leader, i, fields) for i, fields in enumerate(rows)]
        written = store.db.execute(f"SELECT {search_index.key_sql()} AS key, {', '.join(COLUMNS)} "
                                   "FROM records ORDER BY key").fetchall()
        search_index.build_bigram_file(path, written)
        if spoil is not None:
            spoil(path, written)
        index.bigram_file = lambda: path
    return ids


@pytest.fixture
def adoptions(monkeypatch) -> list[bool]:  # noqa: ANN001
    """What each adoption of a bigram file returned (True: the file's index was taken)."""
    seen: list[bool] = []
    real = search_index._adopt_bigrams
    monkeypatch.setattr(search_index, "_adopt_bigrams",
                        lambda conn, path: seen.append(real(conn, path)) or seen[-1])
    return seen


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(texts, min_size=5, max_size=5), min_size=1, max_size=6),
       query=queries)
def test_a_bigram_index_built_elsewhere_is_found_like_the_triggers(ledger, adoptions, tmp_path,
                                                                   rows, query) -> None:
    store, leader = ledger
    taken = len(adoptions)
    ids = _bulk_with_bigram_file(store, leader, rows, tmp_path / "bigrams.db")
    try:
        assert adoptions[taken:] == [True]
        assert search_index.index_is_consistent(store.db.conn, full=True)
        check_all(store, query, FIRST_DAY, FIRST_DAY + timedelta(days=3))
        store.records.update_record(ids[0], title="学习会议", description=rows[0][0])
        store.records.delete_records(ids[1:2])
        check_all(store, query, FIRST_DAY, FIRST_DAY + timedelta(days=3))
        check_all(store, "学习", FIRST_DAY, FIRST_DAY + timedelta(days=3))
        store.db.execute("INSERT INTO records_grams (records_grams) VALUES ('integrity-check')")
    finally:
        store.db.execute(f"DELETE FROM records WHERE id IN ({','.join(map(str, ids))})")


def _unfinished(path: Path, written: list) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE bigram_file_complete")


def _defined_otherwise(path: Path, written: list) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE VIRTUAL TABLE records_grams USING fts5(tokens, content = '')")
        conn.execute("CREATE TABLE bigram_file_complete (rows)")


def _short_of_a_row(path: Path, written: list) -> None:
    path.unlink()
    search_index.build_bigram_file(path, written[1:])


@pytest.mark.parametrize(("spoil", "taken"), [(_unfinished, False), (_defined_otherwise, False),
                                              (_short_of_a_row, True)],
                         ids=["unfinished", "defined otherwise", "short of a row"])
def test_a_bigram_file_that_does_not_fit_leaves_a_complete_index(ledger, adoptions, tmp_path,
                                                                 spoil, taken) -> None:
    """Not adopted, or adopted and found short: the index is built here as usual."""
    store, leader = ledger
    rows = [["学习宪法", "", "杭纪〔2024〕3号", "第一会议室", ""],
            ["法治培训", "说明 aB", "", "党校", "张三"], ["会议", "", "", "", ""]]
    _bulk_with_bigram_file(store, leader, rows, tmp_path / "bigrams.db", spoil)
    assert adoptions == [taken]
    assert search_index.indexed_rows(store.db.conn, "records_grams") == len(rows)
    assert search_index.index_is_consistent(store.db.conn, full=True)
    assert search_index.damaged_objects(store.db.conn) == []
    for query in ("学", "法治", "纪〔", "a", "张三", "会"):
        check_all(store, query, FIRST_DAY, FIRST_DAY + timedelta(days=3))

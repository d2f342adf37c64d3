"""How a large package is merged: new records checked and written by batches with the same
validation as one by one, the search index brought up to date once, the connection left as it
was; and what the field-by-field history does with fields that older versions did not
exchange, or that an administrator changed in SQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from duty_tracker.core.exchange import merge
from duty_tracker.core.exchange.package import export_package, import_package, preview_package
from duty_tracker.core.storage import search_index
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.records_repo import RecordFilter, RecordPut
from tests.package_helpers import DEPARTMENT, DISTRICT, office, send, task, unit

UUID = "00000000-0000-4000-8000-{:012d}".format


@pytest.fixture
def pair(tmp_path: Path):
    dept = office(tmp_path / "dept.db", (DISTRICT, DEPARTMENT))
    district = office(tmp_path / "district.db", (DISTRICT, DEPARTMENT))
    yield dept, district
    dept.close()
    district.close()


def test_new_records_of_a_batch_are_checked_one_by_one(store, unit_id, duty_ids) -> None:
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    taken = store.db.execute("SELECT uuid FROM records WHERE id = ?", [store.records.add_record(
        performed_on="2025-01-02", title="已有的", kind="会议", leader_ids=[leader])]).fetchone()[0]
    good = {"performed_on": "2025-03-02", "title": " 中心组学法 ", "kind": "学法", "hours": "2"}
    items = [RecordPut(UUID(1), good, [leader], [duty_ids["党委理论学习中心组学法"]]),
             RecordPut(UUID(2), good, [999], []), RecordPut(UUID(3), good, [], []),
             RecordPut(UUID(4), {**good, "kind": "吃饭"}, [leader], []), RecordPut(taken, good, [leader], []),
             RecordPut(UUID(5), good, [leader], [], deleted_at="昨天"), RecordPut(UUID(6), good, [leader], [])]
    results = store.records.put_new_records(items)
    assert [type(r).__name__ for r in results] == ["int", *["ValidationError"] * 5, "int"]
    assert ["负责人不存在" in str(results[1]), "至少选择一名负责人" in str(results[2]), "类型不正确" in str(results[3]),
            "重复" in str(results[4]), "删除时间格式不正确" in str(results[5])] == [True] * 5
    saved = store.records.record(results[0])
    assert (saved["uuid"], saved["title"], saved["hours"], saved["leader_ids"]) == (UUID(1), "中心组学法", 2.0, [leader])
    assert saved["duty_ids"] == [duty_ids["党委理论学习中心组学法"]]
    assert store.records.count() == 3
    logged = store.db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'records' AND action = 'insert' "
                              "AND row_uuid IN (?, ?)", [UUID(1), UUID(6)]).fetchone()[0]
    assert logged == 2, "written through the audit trail like any save"
    with pytest.raises(ValidationError):
        raise results[1]


def _log_after(store, last: int) -> list[tuple]:
    return store.db.execute("SELECT actor, table_name, row_id, row_uuid, action, before_json, after_json, "
                            "length(at) FROM audit_log WHERE id > ? ORDER BY id", [last]).fetchall()


def test_new_records_of_a_batch_are_logged_as_the_row_triggers_log_them(store, unit_id, duty_ids) -> None:
    """The batch's log rows, written with one statement per table, are the per-row triggers'
    own, field for field: the same rows inserted again one by one log exactly the same."""
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    other = store.people.add_leader("李明", unit_id, "government", "区长", "2020-01-01")
    article = store.db.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    duty = duty_ids["党委理论学习中心组学法"]
    last = store.db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    items = [RecordPut(UUID(i), {"performed_on": f"2025-03-{i:02d}", "title": f"学法 <{i}> & \"引号\"", "kind": "学法",
                                 "hours": "1.5", "article_id": article}, [leader, other][: 1 + i % 2], [duty],
                       article_ids=[article], deleted_at="2025-04-01T08:00:00" if i == 3 else None)
             for i in range(1, 6)]
    ids = store.records.put_new_records(items)
    batch = _log_after(store, last)
    assert len(batch) == 5 + 8 + 5 + 5, "every record and every link logged"
    assert {row[0] for row in batch} == {"测试员"} and {row[7] for row in batch} == {19}
    assert store.db.execute("SELECT count(*) FROM settings WHERE key = 'audit_off'").fetchone()[0] == 0
    with store.db.atomic():  # the same rows again, inserted one by one through the triggers
        for table in ("records", "record_leaders", "record_duties", "record_articles"):
            key = "id" if table == "records" else "record_id"
            store.db.execute(f"CREATE TEMP TABLE copy_{table} AS SELECT * FROM {table} WHERE {key} >= ?", [ids[0]])
        store.db.execute("DELETE FROM records WHERE id >= ?", [ids[0]])
        again = store.db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        for table in ("records", "record_leaders", "record_duties", "record_articles"):
            key = "id" if table == "records" else "record_id"
            for (rowid,) in store.db.execute(f"SELECT rowid FROM copy_{table} ORDER BY {key}, rowid").fetchall():
                store.db.execute(f"INSERT INTO {table} SELECT * FROM copy_{table} WHERE rowid = ?", [rowid])
    assert _log_after(store, again) == batch
    later = store.records.add_record(performed_on="2025-05-02", title="之后的", kind="会议", leader_ids=[leader])
    assert ("records", later, "insert") in [(row[1], row[2], row[4]) for row in _log_after(store, again)[len(batch):]]


def test_a_large_import_is_searchable_and_the_index_triggers_are_back(pair, tmp_path: Path, monkeypatch) -> None:
    dept, district = pair
    monkeypatch.setattr(merge, "DEFER_INDEX_FROM", 2)
    head = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    for day in (2, 3, 4):
        dept.records.add_record(performed_on=f"2025-03-0{day}", title=f"局党组理论学习中心组第{day}次学法",
                                kind="学法", leader_ids=[head], place="三楼会议室")
    pkg = Path(export_package(dept, unit(dept, DEPARTMENT), tmp_path / "up.dtpkg")["path"])
    before = [district.db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("temp_store", "cache_size")]
    assert preview_package(district, pkg).added["records"] == 3
    assert district.records.count(RecordFilter(text="中心组")) == 0  # the preview left nothing behind
    result = import_package(district, pkg)
    assert result.added["records"] == 3
    assert district.records.count(RecordFilter(text="理论学习中心组")) == 3
    assert search_index.damaged_objects(district.db.conn) == [] and search_index.index_is_consistent(district.db.conn)
    later = district.records.add_record(performed_on="2025-04-01", title="理论学习中心组扩大学习", kind="学法",
                                        leader_ids=[district.people.leaders()[0]["id"]])
    assert later in [r["id"] for r in district.records.search(RecordFilter(text="中心组扩大"))]
    after = [district.db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("temp_store", "cache_size")]
    assert after == before, "the connection is as it was"


def _forget(store, table: str, fields: tuple[str, ...]) -> None:
    """Make the rows' history look as an older version left it: without these fields."""
    for uuid, seen in store.db.execute("SELECT row_uuid, seen FROM sync_rows WHERE table_name = ?", [table]).fetchall():
        kept = {k: v for k, v in json.loads(seen).items() if k not in fields}
        store.db.execute("UPDATE sync_rows SET seen = ? WHERE table_name = ? AND row_uuid = ?",
                         [json.dumps(kept), table, uuid])


def test_fields_an_older_version_did_not_exchange_cause_no_false_conflicts(pair, tmp_path: Path) -> None:
    dept, district = pair
    head = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    first = dept.db.execute("SELECT id FROM articles ORDER BY number").fetchone()[0]
    record = dept.records.add_record(performed_on="2025-03-02", title="专题学法", kind="学法", leader_ids=[head],
                                     article_id=first)
    dept.debriefs.save(head, 2025, achievements="带头学法。")
    send(dept, DEPARTMENT, district, tmp_path, "first")
    for store in (dept, district):
        _forget(store, "records", ("articles",))
        _forget(store, "debriefs", ("byline", "study", "decisions", "publicity", "leadership", "signature",
                                    "report_date"))
    # The department, on the newer version, cites a second article and writes the byline; the
    # district changed neither: it takes both, as an edit of one side only.
    second = dept.db.execute("SELECT id FROM articles ORDER BY number LIMIT 1 OFFSET 1").fetchone()[0]
    dept.records.update_record(record, article_ids=[first, second])
    dept.debriefs.save(head, 2025, byline="区司法局局长 王建国")
    up = send(dept, DEPARTMENT, district, tmp_path, "edit")
    assert up.updated == {"records": 1, "debriefs": 1} and not up.conflicts, up.to_json()
    here = district.db.execute("SELECT id FROM records WHERE title = '专题学法'").fetchone()[0]
    assert len(district.records.record(here)["article_ids"]) == 2
    both = [send(dept, DEPARTMENT, district, tmp_path, "up"), send(district, DEPARTMENT, dept, tmp_path, "down")]
    assert [(r.updated, r.conflicts) for r in both] == [({}, []), ({}, [])]


def test_progress_changed_by_direct_sql_is_seen(pair, tmp_path: Path) -> None:
    dept, district = pair
    review = task(dept, "完善合法性审核机制")["id"]
    dept.tasks.add_progress(review, unit(dept, DEPARTMENT), "2025-05-10", "已起草合法性审核办法")
    send(dept, DEPARTMENT, district, tmp_path, "first")
    conn = sqlite3.connect(dept.path)  # an administrator's sqlite3 shell: updated_at untouched
    conn.execute("UPDATE task_progress SET note = '已印发合法性审核办法', done = 1")
    conn.commit()
    conn.close()
    up = send(dept, DEPARTMENT, district, tmp_path, "sql")
    assert up.updated == {"task_progress": 1} and not up.conflicts
    [entry] = district.tasks.progress([task(district, "完善合法性审核机制")["id"]])
    assert (entry["note"], entry["done"]) == ("已印发合法性审核办法", True)


def test_the_search_index_is_brought_up_to_date_at_the_end_only_for_a_large_share() -> None:
    assert merge.defer_index(93_000, 220_000) and merge.defer_index(5_000, 0)
    assert not merge.defer_index(500, 0), "a few records: the triggers are cheaper"
    assert not merge.defer_index(5_000, 1_000_000), "one pass over a city's index would cost more"


def test_the_first_cited_article_and_the_set_are_written_together() -> None:
    from duty_tracker.core.exchange.merge_rows import cited_articles

    ours = {"article": "a", "articles": ["a", "b"]}
    assert cited_articles({}, {"article": "b", "articles": ["a", "b"]}) == ["b", "a"]
    assert cited_articles(ours, {"article": "c", "articles": ["a", "b"]}) == ["c", "b"], "an older package: a → c"
    assert cited_articles(ours, {"article": None, "articles": ["a", "b"]}) == ["b"], "it removed a"
    assert cited_articles(ours, {"article": "a", "articles": ["a", "c"]}) == ["a", "c"]
    assert cited_articles(ours, {"article": "a", "articles": ["c"]}) == ["a", "c"], "the first kept here stays"
    assert cited_articles({}, {"article": None, "articles": None}) == []


def test_a_package_is_read_and_merged_with_the_collector_paused(pair, tmp_path: Path, monkeypatch) -> None:
    import gc

    from duty_tracker.core.exchange import package as package_module

    dept, district = pair
    seen = []
    real = package_module.merge_package
    monkeypatch.setattr(package_module, "merge_package",
                        lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    path = tmp_path / "dept.dtpkg"
    export_package(dept, unit(dept, DEPARTMENT), path)
    preview_package(district, path)
    import_package(district, path)
    assert seen == [False, False] and gc.isenabled()



def test_the_insert_triggers_set_aside_for_a_batch_come_back_even_after_a_failure(store, unit_id) -> None:
    """The batch drops the insert triggers of its tables for its rows only: afterwards (or
    after a failure, rolled back) the schema's triggers are exactly as before, and rows of other
    tables written meanwhile are logged by their own triggers."""
    from duty_tracker.core.storage import audit

    def triggers() -> list[tuple]:
        return store.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "ORDER BY name").fetchall()

    def insert(record_id: int, uuid: str) -> None:
        store.db.execute("INSERT INTO records (id, uuid, performed_on, title, kind, created_at, "
                         "updated_at) VALUES (?, ?, '2025-01-02', '学法', '会议', 'x', 'x')",
                         [record_id, uuid])

    before = triggers()
    first = 1 + store.db.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), store.db.atomic(), \
            audit.inserts_logged_at_once(store.db, {"records": "id"}, first):
        assert len(triggers()) == len(before) - 1, "the records' insert trigger is set aside"
        insert(first, UUID(7))
        insert(first + 1, UUID(7))
    assert triggers() == before
    last = store.db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    with store.db.atomic(), audit.inserts_logged_at_once(store.db, {"records": "id"}, first):
        insert(first, UUID(8))
        store.db.execute("UPDATE units SET name = '改名' WHERE id = ?", [unit_id])
    assert triggers() == before
    assert [(row[1], row[4]) for row in _log_after(store, last)] == [("units", "update"), ("records", "insert")]

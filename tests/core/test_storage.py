"""Storage: migrations, refusal of newer/corrupt files, links, audit log, soft delete."""

from __future__ import annotations

import json
import sqlite3
from datetime import date as D
from pathlib import Path

import pytest

from duty_tracker.core.status import year_status
from duty_tracker.core.storage.database import latest_schema_version, open_database
from duty_tracker.core.storage.errors import (
    CorruptDatabaseError,
    NewerDatabaseError,
    ValidationError,
)
from duty_tracker.core.storage.store import Store


def test_migrates_an_empty_file_from_version_0(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    db = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
    assert {"records", "record_leaders", "record_duties", "audit_log", "terms"} <= set(db.table_names())
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_migrating_an_existing_database_backs_it_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE keep_me (x)")
    conn.execute("INSERT INTO keep_me VALUES (42)")
    conn.commit()
    conn.close()
    # Pretend it is at version 1 of a future schema with a second migration.
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text("CREATE TABLE a (x);", encoding="utf-8")
    (folder / "0002_more.sql").write_text("CREATE TABLE b (y);", encoding="utf-8")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE a (x)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    backups: list[Path] = []

    def fake_backup(p: Path, reason: str) -> None:
        copy = tmp_path / "backup.db"
        copy.write_bytes(p.read_bytes())
        backups.append(copy)

    db = open_database(path, backup=fake_backup, migrations_folder=folder)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "b" in db.table_names()
    db.close()
    assert backups, "no backup before migration"
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT x FROM keep_me").fetchone()[0] == 42


def test_failed_migration_leaves_previous_version(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text("CREATE TABLE a (x);\nCREATE TABLE a (x);\n", encoding="utf-8")
    path = tmp_path / "x.db"
    with pytest.raises(sqlite3.OperationalError):
        open_database(path, migrations_folder=folder)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'a'").fetchone()[0] == 0


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="较新版本"):
        Store.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"garbage" * 100, b"SQLite format 3\x00" + b"\x00" * 50])
def test_corrupt_database_is_reported_not_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    with pytest.raises(CorruptDatabaseError, match="损坏|不是有效"):
        Store.open(path)
    assert path.read_bytes() == content


def test_record_for_two_leaders_and_two_duties_counts_four_times(store, duty_ids, unit_id) -> None:
    party = store.people.add_leader("李堃", unit_id, "party", "区委书记", "2020-01-01")
    gov = store.people.add_leader("王珺", unit_id, "government", "区长", "2020-01-01")
    all_duties = [duty_ids["年终述职"], duty_ids["季度法治工作例会"]]
    store.records.add_record(performed_on="2025-02-10", title="常委会扩大会议", kind="会议",
                             leader_ids=[party, gov], duty_ids=all_duties)
    dates = store.records.done_dates(2025)
    for leader in (party, gov):
        for duty in all_duties:
            assert dates[(leader, duty)] == [D(2025, 2, 10)]
    status = year_status(store, 2025, today=D(2025, 3, 1))
    done = {(p.leader_id, p.duty_id, p.period.label): p.done for p in status.periods}
    assert done[(party, duty_ids["年终述职"], "全年")] == 1
    assert done[(gov, duty_ids["季度法治工作例会"], "第一季度")] == 1
    assert done[(gov, duty_ids["季度法治工作例会"], "第二季度")] == 0


def test_record_validation_messages_are_chinese(store, duty_ids, unit_id) -> None:
    with pytest.raises(ValidationError, match="负责人"):
        store.records.add_record(performed_on="2025-01-01", title="x", kind="会议", leader_ids=[])
    leader = store.people.add_leader("张三", unit_id, "party")
    with pytest.raises(ValidationError, match="日期"):
        store.records.add_record(performed_on="2025-13-01", title="x", kind="会议", leader_ids=[leader])
    with pytest.raises(ValidationError, match="标题"):
        store.records.add_record(performed_on="2025-01-01", title="  ", kind="会议", leader_ids=[leader])
    with pytest.raises(ValidationError, match="事项不存在"):
        store.records.add_record(performed_on="2025-01-01", title="x", kind="会议",
                                 leader_ids=[leader], duty_ids=[9999])
    assert store.records.count() == 0


def test_audit_log_records_who_and_before_after(store, unit_id) -> None:
    leader = store.people.add_leader("赵昇", unit_id, "party", "区委书记")
    store.people.update_leader(leader, name="赵昇", unit_id=unit_id, role="party", position="市委书记")
    rows = list(store.db.query(
        "SELECT * FROM audit_log WHERE table_name = 'leaders' AND row_id = ? ORDER BY id", [leader]))
    assert [r["action"] for r in rows] == ["insert", "update"]
    assert rows[1]["actor"] == "测试员"
    assert json.loads(rows[1]["before_json"])["position"] == "区委书记"
    assert json.loads(rows[1]["after_json"])["position"] == "市委书记"
    assert rows[1]["row_uuid"]


def test_audit_log_captures_link_rows_and_deletes(store, duty_ids, unit_id) -> None:
    leader = store.people.add_leader("钱镕", unit_id, "party")
    rid = store.records.add_record(performed_on="2025-03-03", title="学法", kind="学法",
                                   leader_ids=[leader], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    store.records.update_record(rid, duty_ids=[])
    actions = [(r[0], r[1]) for r in store.db.execute(
        "SELECT table_name, action FROM audit_log WHERE table_name = 'record_duties' ORDER BY id")]
    assert actions == [("record_duties", "insert"), ("record_duties", "delete")]


def test_soft_delete_and_restore(store, duty_ids, unit_id) -> None:
    leader = store.people.add_leader("孙喆", unit_id, "party", term_start="2020-01-01")
    rid = store.records.add_record(performed_on="2025-04-01", title="学法", kind="学法",
                                   leader_ids=[leader], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    store.records.delete_records([rid])
    assert store.records.count() == 0
    assert store.records.done_dates(2025) == {}
    from duty_tracker.core.storage.records_repo import RecordFilter

    assert store.records.count(RecordFilter(deleted=True)) == 1
    store.records.restore_records([rid])
    assert store.records.count() == 1


def test_handover_ends_and_starts_terms_in_one_step(store, unit_id) -> None:
    old = store.people.add_leader("周建国", unit_id, "government", term_start="2021-03-01")
    new = store.people.add_leader("吴玥", unit_id, "government")
    store.people.handover(old, new, "2025-07-01")
    assert store.people.terms(old)[0]["end_date"] == "2025-06-30"
    assert store.people.terms(new)[0]["start_date"] == "2025-07-01"
    with pytest.raises(ValidationError, match="重叠"):
        store.people.add_term(new, "2025-01-01", "2025-08-01")


def test_search_filters_and_pages(store, duty_ids, unit_id) -> None:
    leader = store.people.add_leader("陈赟", unit_id, "party", term_start="2020-01-01")
    other = store.people.add_leader("林立新", unit_id, "government", term_start="2020-01-01")
    for i in range(30):
        store.records.add_record(
            performed_on=D(2025, 1 + i % 12, 1 + i), title=f"会议{i} 100%_达标" if i == 7 else f"会议{i}",
            kind="学法" if i % 2 else "会议", leader_ids=[leader if i < 20 else other],
            duty_ids=[duty_ids["年终述职"]])
    from duty_tracker.core.storage.records_repo import RecordFilter

    assert store.records.count(RecordFilter(leader_id=leader)) == 20
    assert store.records.count(RecordFilter(kind="学法", leader_id=other)) == 5
    assert store.records.count(RecordFilter(text="100%_")) == 1  # LIKE wildcards are literal
    assert store.records.count(RecordFilter(text="%")) == 1
    page = store.records.search(RecordFilter(), order_by="performed_on", descending=False, limit=10, offset=10)
    assert len(page) == 10
    assert page[0]["performed_on"] <= page[-1]["performed_on"]
    assert page[0]["leaders"] in ("陈赟", "林立新")
    assert page[0]["duties"] == "年终述职"


def test_duplicate_warning_same_leader_duty_day(store, duty_ids, unit_id) -> None:
    leader = store.people.add_leader("郑〇", unit_id, "party")
    duty = duty_ids["党委理论学习中心组学法"]
    rid = store.records.add_record(performed_on="2025-05-05", title="学法", kind="学法",
                                   leader_ids=[leader], duty_ids=[duty])
    assert [r["id"] for r in store.records.find_duplicates("2025-05-05", [leader], [duty])] == [rid]
    assert store.records.find_duplicates("2025-05-06", [leader], [duty]) == []
    assert store.records.find_duplicates("2025-05-05", [leader], [duty], exclude_id=rid) == []


def test_attachment_is_copied_and_hashed(store, duty_ids, unit_id, tmp_path: Path) -> None:
    leader = store.people.add_leader("郭玥", unit_id, "party")
    rid = store.records.add_record(performed_on="2025-05-05", title="学法", kind="学法", leader_ids=[leader])
    scan = tmp_path / "会议纪要.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes")
    att = store.records.add_attachment(rid, scan)
    scan.unlink()
    (row,) = store.records.attachments(rid)
    assert row["id"] == att and row["file_name"] == "会议纪要.pdf" and row["size"] == 16
    assert store.records.attachment_path(row).read_bytes() == b"%PDF-1.4 minutes"
    with pytest.raises(ValidationError, match="不存在"):
        store.records.add_attachment(rid, tmp_path / "missing.jpg")


def test_rule_set_in_force_per_year(store) -> None:
    """A newer rule set counts for a year only once the clerk chose it there."""
    from tests.conftest import small_rules

    default = store.rules.rule_set_for_year(2025)
    rules = small_rules()
    rules.title = "新细则"
    rules.effective_date = "2026-03-01"
    newer = store.rules.import_parsed(rules, "text")
    assert store.rules.rule_set_for_year(2025) == default
    assert store.rules.rule_set_for_year(2026) == default
    store.rules.set_rule_set_for_year(2026, newer)
    assert store.rules.rule_set_for_year(2026) == newer
    store.rules.set_rule_set_for_year(2026, default)
    assert store.rules.rule_set_for_year(2026) == default


def test_duty_edit_is_validated(store, duty_ids) -> None:
    duty = duty_ids["年终述职"]
    store.rules.update_duty(duty, min_count=3, period="quarter")
    assert store.rules.duty(duty)["min_count"] == 3
    with pytest.raises(ValidationError):
        store.rules.update_duty(duty, min_count=0)
    with pytest.raises(ValidationError, match="截止日期"):
        store.rules.update_duty(duty, period="once", due=None)


def test_writes_from_outside_the_program_are_audited_too(store, unit_id) -> None:
    """An administrator's sqlite3 shell needs no program functions, and is still logged."""
    store.people.add_leader("冯立新", unit_id, "other")
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE leaders SET position = '主任' WHERE name = '冯立新'")
    conn.commit()
    conn.close()
    row = store.db.execute(
        "SELECT actor, action, after_json FROM audit_log WHERE table_name = 'leaders' "
        "ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "测试员" and row[1] == "update" and "主任" in row[2]


def test_demo_load_skips_the_audit_log_and_leaves_it_on(store) -> None:
    from duty_tracker.core.demo import build_demo

    before = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    build_demo(store, leaders=4, years=1, records=3, today=D(2025, 6, 1))
    assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    store.people.add_unit("新单位", "部门")
    assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before + 1


def test_saving_without_changes_leaves_no_audit_entry(store, unit_id) -> None:
    leader = store.people.add_leader("许立新", unit_id, "party", "区委书记")
    count = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    store.people.update_leader(leader, name="许立新", unit_id=unit_id, role="party", position="区委书记")
    assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count
    store.people.update_leader(leader, name="许立新", unit_id=unit_id, role="party", position="书记")
    assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count + 1


def test_text_search_uses_the_index_and_follows_edits(store, duty_ids, unit_id) -> None:
    from duty_tracker.core.storage.records_repo import RecordFilter

    leader = store.people.add_leader("秦玥", unit_id, "party", term_start="2020-01-01")
    rid = store.records.add_record(performed_on="2025-03-01", title="学习《中华人民共和国民法典》",
                                   kind="学法", leader_ids=[leader], place="常委会议室")
    store.records.add_record(performed_on="2025-03-02", title="专题会议", kind="会议",
                             leader_ids=[leader], minutes_number="西纪〔2025〕7号")
    assert [r["id"] for r in store.records.search(RecordFilter(text="民法典"))] == [rid]
    assert store.records.count(RecordFilter(text="〔2025〕7")) == 1  # 纪要文号, through the index
    assert store.records.count(RecordFilter(text="会议室")) == 1  # place
    assert store.records.count(RecordFilter(text='"民法')) == 0  # quotes are text, not syntax
    store.records.update_record(rid, title="学习《宪法》")
    assert store.records.count(RecordFilter(text="民法典")) == 0
    assert store.records.count(RecordFilter(text="宪法")) == 1  # two characters: LIKE
    store.records.delete_records([rid])
    assert store.records.count(RecordFilter(text="《宪法》")) == 0


def test_demo_bulk_load_indexes_its_records_and_keeps_the_trigger(store) -> None:
    from duty_tracker.core.demo import build_demo
    from duty_tracker.core.storage.records_repo import RecordFilter

    build_demo(store, leaders=4, years=1, records=5, today=D(2025, 6, 1))
    total = store.records.count()
    assert store.records.count(RecordFilter(text="述法述职")) + store.records.count(
        RecordFilter(text="学习")) > 0
    triggers = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert "fts_records_insert" in triggers
    assert not any(t.startswith("audit_records_fts") for t in triggers)
    leader = store.people.leaders()[0]["id"]
    store.records.add_record(performed_on="2025-05-05", title="独一无二的标题", kind="其他", leader_ids=[leader])
    assert store.records.count(RecordFilter(text="独一无二")) == 1
    assert store.records.count() == total + 1

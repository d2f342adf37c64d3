"""Storage of hour quotas and duties of other heads: the rebuild of the duties table keeps every
record's links, a rules text with such duties imports, records carry study hours."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from duty_tracker.core.rules import parse_rules_text
from duty_tracker.core.storage.database import latest_schema_version, open_database
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.store import Store
from duty_tracker.paths import migrations_dir

DEPARTMENT_TEXT = """某市司法局关于部门主要负责人履行推进法治建设第一责任人职责的通知
一、部门主要负责人每年至少主持召开2次党组（党委）会议，专题研究法治建设工作。
二、领导干部年度学法不少于40学时，每年集中学法不少于2天。
"""


def test_rebuilding_the_duties_table_keeps_every_records_links(tmp_path: Path) -> None:
    old_migrations = tmp_path / "old"
    old_migrations.mkdir()
    for path in sorted(migrations_dir().glob("*.sql"))[:3]:
        shutil.copy(path, old_migrations / path.name)
    db_path = tmp_path / "v3.db"
    db = open_database(db_path, migrations_folder=old_migrations)
    now = "2025-01-01T00:00:00"
    for sql in (  # the rows as the schema of version 3 holds them
        f"INSERT INTO rule_sets VALUES (1, 'rs', '细则', NULL, NULL, NULL, '全文', 1, '{now}', '{now}')",
        f"INSERT INTO duties (id, uuid, rule_set_id, title, role, period, min_count, created_at,"
        f" updated_at) VALUES (7, 'd7', 1, '中心组学法', 'party', 'year', 2, '{now}', '{now}')",
        f"INSERT INTO units VALUES (1, 'u1', '西湖区', '区县', NULL, '{now}', '{now}')",
        f"INSERT INTO leaders VALUES (1, 'l1', '王建国', 1, '区委书记', 'party', '{now}', '{now}')",
        f"INSERT INTO records (id, uuid, performed_on, title, kind, created_at, updated_at)"
        f" VALUES (5, 'r5', '2025-03-01', '学法', '学法', '{now}', '{now}')",
        "INSERT INTO record_leaders VALUES (5, 1)", "INSERT INTO record_duties VALUES (5, 7)",
    ):
        db.execute(sql)
    db.close()
    record, duty = 5, 7
    with Store.open(db_path) as migrated:
        assert migrated.db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
        assert migrated.records.record(record)["duty_ids"] == [duty]
        assert migrated.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert migrated.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert migrated.rules.duty(duty)["unit"] == "times"
        migrated.rules.add_duty(migrated.rules.rule_sets()[0]["id"], title="部门负责人述法",
                                role="other", period="year", min_count=1, unit="times")
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE duties SET unit = 'days' WHERE id = ?", [duty])
    finally:
        conn.close()


def test_a_text_with_hour_quotas_and_other_heads_imports(store: Store) -> None:
    parsed = parse_rules_text(DEPARTMENT_TEXT)
    rule_set = store.rules.import_parsed(parsed, DEPARTMENT_TEXT)
    duties = store.rules.duties(rule_set)
    assert {d["role"] for d in duties} >= {"other"}
    hours = [d for d in duties if d["unit"] == "hours"]
    assert hours and max(d["min_count"] for d in hours) == 40
    assert {a["kind"] for a in store.rules.articles(rule_set)} == {"item"}


@pytest.mark.parametrize("value, stored", [(None, None), ("", None), (2, 2.0), ("1.5", 1.5),
                                           ("3学时", 3.0), (0, 0.0)])
def test_records_carry_study_hours(store: Store, unit_id: int, value, stored) -> None:
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    rid = store.records.add_record(performed_on="2025-03-01", title="专题学法", kind="学法",
                                   leader_ids=[leader], hours=value)
    assert store.records.record(rid)["hours"] == stored


@pytest.mark.parametrize("value", ["两小时", -1, 5000])
def test_impossible_hours_are_refused_in_chinese(store: Store, unit_id: int, value) -> None:
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    with pytest.raises(ValidationError, match="学时"):
        store.records.add_record(performed_on="2025-03-01", title="专题学法", kind="学法",
                                 leader_ids=[leader], hours=value)

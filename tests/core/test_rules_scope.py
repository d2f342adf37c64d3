"""Which rules count in a year: the clerk's choice or the 默认 set — never a set that was merely
imported later — plus the supplements (a district's or department's own duties) of that year."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.status import year_status
from duty_tracker.core.storage.database import latest_schema_version, open_database
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.store import Store
from duty_tracker.paths import migrations_dir
from tests.conftest import FakeArticle, FakeDuty, FakeRules, small_rules


def _newer_city_rules() -> FakeRules:
    rules = small_rules()
    rules.title = "新细则"
    rules.effective_date = "2024-01-01"
    return rules


def _district_list() -> FakeRules:
    article = FakeArticle(1, "第一条", None, "区委每季度至少听取1次基层法治工作汇报。")
    return FakeRules(title="西湖区补充清单", articles=[article],
                     duties=[FakeDuty(1, None, "party", "quarter", 1, "听取基层法治工作汇报")])


def test_importing_a_newer_rule_set_changes_no_year(store) -> None:
    default = store.rules.rule_set_for_year(2025)
    duties = [d["id"] for d in store.rules.duties_for_year(2025)]
    newer = store.rules.import_parsed(_newer_city_rules(), "text")
    for year in (2023, 2025, 2030):
        assert store.rules.rule_set_for_year(year) == default
    assert [d["id"] for d in store.rules.duties_for_year(2025)] == duties
    store.rules.set_rule_set_for_year(2025, newer)  # the clerk's choice, for that year only
    assert store.rules.rule_set_for_year(2025) == newer
    assert store.rules.rule_set_for_year(2026) == default
    store.rules.set_rule_set_for_year(2025, None)
    assert store.rules.rule_set_for_year(2025) == default


def test_marking_another_set_default_moves_every_year_without_a_choice(store) -> None:
    old = store.rules.default_rule_set()
    newer = store.rules.import_parsed(_newer_city_rules(), "text")
    store.rules.set_rule_set_for_year(2024, old)
    store.rules.set_default_rule_set(newer)
    assert [r["is_default"] for r in store.rules.rule_sets()] == [0, 1]
    assert store.rules.rule_set_for_year(2025) == newer
    assert store.rules.rule_set_for_year(2024) == old  # the explicit choice stays


def test_supplement_duties_count_alongside_the_main_set(store, unit_id) -> None:
    main = store.rules.rule_set_for_year(2025)
    extra = store.rules.import_parsed(_district_list(), "text", scope="supplement", from_year=2025)
    assert store.rules.rule_set_for_year(2025) == main
    assert store.rules.rule_sets_for_year(2025) == [main, extra]
    assert store.rules.supplements_for_year(2024) == []
    titles = [d["title"] for d in store.rules.duties_for_year(2025)]
    assert titles[-1] == "听取基层法治工作汇报" and len(titles) == len(small_rules().duties) + 1
    assert "听取基层法治工作汇报" not in [d["title"] for d in store.rules.duties_for_year(2024)]
    assert [a["label"] for a in store.rules.articles_for_year(2025)][-1] == "第一条"
    spec = next(s for s in store.rules.duty_specs(2025) if s.title == "听取基层法治工作汇报")

    leader = store.people.add_leader("王明", unit_id, "party", "区委书记", term_start="2020-01-01")
    store.records.add_record(performed_on="2025-02-10", title="听取街道法治工作汇报", kind="听取汇报",
                             leader_ids=[leader], duty_ids=[spec.id])
    status = year_status(store, 2025, today=date(2025, 11, 20))
    first_quarter = next(p for p in status.periods if p.duty_id == spec.id and p.period.start.month == 1)
    assert first_quarter.done == 1 and first_quarter.status.value == "达标"


def test_supplement_years_and_scope_rules(store) -> None:
    extra = store.rules.import_parsed(_district_list(), "text", scope="supplement",
                                      from_year=2024, to_year=2025)
    assert store.rules.supplements_for_year(2023) == []
    assert store.rules.supplements_for_year(2025) == [extra]
    assert store.rules.supplements_for_year(2026) == []
    with pytest.raises(ValidationError, match="补充规则"):
        store.rules.set_rule_set_for_year(2025, extra)
    with pytest.raises(ValidationError, match="补充规则"):
        store.rules.set_default_rule_set(extra)
    with pytest.raises(ValidationError, match="适用年度"):
        store.rules.set_scope(extra, "supplement", 2026, 2025)
    default = store.rules.default_rule_set()
    with pytest.raises(ValidationError, match="默认规则"):
        store.rules.set_scope(default, "supplement", 2025)
    store.rules.set_scope(extra, "main")
    assert store.rules.supplements_for_year(2025) == []
    store.rules.set_rule_set_for_year(2025, extra)
    with pytest.raises(ValidationError, match="2025"):
        store.rules.set_scope(extra, "supplement", 2025)


def test_an_older_database_migrates_its_rule_sets_and_cited_articles(tmp_path: Path, store) -> None:
    old_migrations = tmp_path / "old_migrations"
    old_migrations.mkdir()
    for path in sorted(migrations_dir().glob("*.sql"))[:2]:
        shutil.copy(path, old_migrations / path.name)
    path = tmp_path / "old.db"
    db = open_database(path, migrations_folder=old_migrations)
    db.execute("INSERT INTO rule_sets (uuid, title, source_text, is_default, created_at, updated_at) "
               "VALUES ('u1', '旧规则', '', 1, 'now', 'now')")
    db.execute("INSERT INTO articles (uuid, rule_set_id, number, label, text) VALUES ('a1', 1, 1, '第一条', '…')")
    db.execute("INSERT INTO records (uuid, performed_on, title, kind, article_id, created_at, updated_at) "
               "VALUES ('r1', '2025-01-02', '学习', '学法', 1, 'now', 'now')")
    db.conn.close()
    migrated = Store.open(path)
    try:
        assert migrated.db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
        assert [r["scope"] for r in migrated.rules.rule_sets()] == ["main"]
        assert migrated.rules.rule_set_for_year(2025) == 1
        cited = migrated.db.execute("SELECT record_id, article_id FROM record_articles").fetchall()
        assert [tuple(r) for r in cited] == [(1, 1)]
    finally:
        migrated.close()

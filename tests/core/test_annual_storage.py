"""Storage of the unit's annual report (``store.annual_reports``): the migration, saving the
clerk's text and own fields per unit and year, the submission day, validation in Chinese and
the audit log."""

from __future__ import annotations

import pytest

from duty_tracker.core.storage.annual_reports_repo import ANNUAL_FIELDS, TEXT_FIELDS
from duty_tracker.core.storage.database import latest_schema_version
from duty_tracker.core.storage.errors import ValidationError


@pytest.fixture
def unit(store) -> int:
    return store.people.add_unit("杭州市司法局", "部门")


def test_the_migration_creates_the_table_with_uuid_and_timestamps(store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
    columns = {c.name for c in store.db["annual_reports"].columns}
    assert {"id", "uuid", "unit_id", "year", "created_at", "updated_at", "submitted_on"} <= columns
    assert set(ANNUAL_FIELDS) <= columns


def test_save_inserts_then_changes_only_the_given_fields(store, unit):
    assert store.annual_reports.get(unit, 2025) is None
    first = store.annual_reports.save(unit, 2025, measures="（一）深化改革。", title=" ")
    row = store.annual_reports.get(unit, 2025)
    assert row["measures"] == "（一）深化改革。" and row["title"] is None  # blank: the default
    assert all(row[k] == "" for k in TEXT_FIELDS if k != "measures")
    again = store.annual_reports.save(unit, 2025, problems="一是……", report_date="2026年2月20日")
    row = store.annual_reports.get(unit, 2025)
    assert again == first and row["measures"] == "（一）深化改革。" and row["problems"] == "一是……"
    assert row["report_date"] == "2026-02-20" and row["uuid"]
    assert store.annual_reports.for_year(2025)[unit]["id"] == first
    assert store.annual_reports.for_year(2024) == {}


def test_the_submission_day_is_kept_apart_from_the_text(store, unit):
    store.annual_reports.mark_submitted(unit, 2025, "2026-02-27")
    store.annual_reports.save(unit, 2025, opening="现将……报告如下。")
    row = store.annual_reports.get(unit, 2025)
    assert row["submitted_on"] == "2026-02-27" and row["opening"] == "现将……报告如下。"
    store.annual_reports.mark_submitted(unit, 2025, None)
    assert store.annual_reports.get(unit, 2025)["submitted_on"] is None


@pytest.mark.parametrize(("call", "message"), [
    (lambda repo, u: repo.save(u, 2025, author="某"), "未知字段：author"),
    (lambda repo, u: repo.save(u, 2025, report_date="明年"), "成文日期"),
    (lambda repo, u: repo.save(999, 2025, plans="……"), "单位（编号 999）不存在"),
    (lambda repo, u: repo.save(u, 25, plans="……"), "年度不正确"),
    (lambda repo, u: repo.mark_submitted(u, 2025, "2026-13-40"), "报送日期"),
    (lambda repo, u: repo.save(u, 2025, plans="字" * 50_001), "超过 50000 字"),
])
def test_bad_values_are_refused_in_chinese(store, unit, call, message):
    with pytest.raises(ValidationError, match=message):
        call(store.annual_reports, unit)
    assert store.annual_reports.get(unit, 2025) is None


def test_the_table_is_audited_and_a_unit_takes_its_reports_along(store, unit):
    store.annual_reports.save(unit, 2025, plans="（一）……")
    store.annual_reports.save(unit, 2025, plans="（一）改。")
    actions = [r[0] for r in store.db.execute(
        "SELECT action FROM audit_log WHERE table_name = 'annual_reports' ORDER BY id")]
    assert actions == ["insert", "update"]
    store.people.delete_unit(unit)
    assert store.db.execute("SELECT count(*) FROM annual_reports").fetchone()[0] == 0

"""A debrief's own fields (title, byline, signature, 成文日期) and its body by section: defaults,
saving per leader and year, and rows saved before the sections existed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.errors import InputError
from duty_tracker.core.reports.debrief_builder import build_debrief
from duty_tracker.core.reports.debrief_defaults import (
    default_report_date,
    default_title,
    institutional_title,
)
from duty_tracker.core.storage.database import latest_schema_version, open_database
from duty_tracker.core.storage.store import Store
from duty_tracker.paths import migrations_dir

TODAY = date(2025, 11, 20)


@pytest.mark.parametrize(("unit", "position", "role", "expected"), [
    ("杭州市", "市委书记", "party", "中共杭州市委书记"),
    ("杭州市", "市长", "government", "杭州市市长"),
    ("杭州市西湖区", "区委书记", "party", "中共杭州市西湖区委书记"),
    ("杭州市西湖区委", "区委书记", "party", "中共杭州市西湖区委书记"),
    ("蒋村街道党工委", "党工委书记", "other", "中共蒋村街道党工委书记"),
    ("杭州市司法局", "党组书记", "other", "中共杭州市司法局党组书记"),
    ("杭州市司法局", "局长", "other", "杭州市司法局局长"),
    ("西湖区人民政府", "区长", "government", "西湖区区长"),
    ("中共杭州市委", "市委书记", "party", "中共杭州市委书记"),
    ("杭州市", "杭州市市长", "government", "杭州市市长"),
])
def test_the_post_in_institutional_form(unit: str, position: str, role: str,
                                        expected: str) -> None:
    assert institutional_title(unit, position, role) == expected


def test_the_default_title_is_in_the_first_person() -> None:
    assert default_title(2025) == "2025年度履行推进法治建设第一责任人职责情况的述职述法报告"
    assert "同志" not in default_title(2025)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 12, 1), date(2025, 12, 31)),  # printed a year later: still the year's date
    (date(2026, 1, 10), date(2025, 12, 31)),
    (date(2025, 11, 20), date(2025, 11, 20)),  # the year is not over: today
    (date(2025, 12, 31), date(2025, 12, 31)),
    (date(2024, 6, 1), date(2025, 1, 1)),  # a clock before the year: never before it
])
def test_report_date_default(today: date, expected: date) -> None:
    assert default_report_date(2025, today) == expected


@pytest.fixture
def leader(store, unit_id) -> int:
    return store.people.add_leader("陶跃进", unit_id, "party", "区委书记", "2020-01-01")


def test_defaults_when_nothing_is_saved(store, leader) -> None:
    r = build_debrief(store, leader, 2025, today=date(2026, 12, 1))
    assert r.effective_title == "2025年度履行推进法治建设第一责任人职责情况的述职述法报告"
    assert r.effective_byline == "中共西湖区委书记\u3000陶跃进"
    assert r.effective_signature == "陶跃进"
    assert r.effective_report_date == date(2025, 12, 31)  # not the print day in 2026


def test_fields_are_saved_per_leader_and_year_and_win_over_the_defaults(store, leader) -> None:
    store.debriefs.save(leader, 2025, title="述法报告", byline="区委书记　陶跃进",
                        signature="中共西湖区委书记　陶跃进", report_date="2026-01-15")
    r = build_debrief(store, leader, 2025, today=TODAY)
    assert (r.effective_title, r.effective_byline, r.effective_signature) == (
        "述法报告", "区委书记　陶跃进", "中共西湖区委书记　陶跃进")
    assert r.effective_report_date == date(2026, 1, 15)
    assert build_debrief(store, leader, 2024, today=TODAY).effective_title.startswith("2024年度")
    # the date given for this print wins over the saved one
    printed = build_debrief(store, leader, 2025, today=TODAY, report_date=date(2025, 12, 28))
    assert printed.effective_report_date == date(2025, 12, 28)
    # blank fields go back to the default
    store.debriefs.save(leader, 2025, title="", byline="  ", report_date=None)
    again = build_debrief(store, leader, 2025, today=TODAY)
    assert again.effective_title.endswith("述职述法报告") and again.report_date == TODAY


def test_a_bad_date_is_refused_in_chinese(store, leader) -> None:
    with pytest.raises(InputError, match="成文日期“2025-13-01”不是有效日期"):
        store.debriefs.save(leader, 2025, report_date="2025-13-01")
    with pytest.raises(InputError, match="与报告年度2025年不符"):
        build_debrief(store, leader, 2025, today=TODAY, report_date=date(2023, 1, 1))
    with pytest.raises(InputError, match="未知字段"):
        store.debriefs.save(leader, 2025, colour="red")


def test_sections_are_saved_and_read_back(store, leader) -> None:
    store.debriefs.save(leader, 2025, study="主持中心组学法3次。", plans="继续学法。")
    r = build_debrief(store, leader, 2025, today=TODAY)
    assert r.narrative.study == "主持中心组学法3次。" and r.narrative.plans == "继续学法。"
    assert "带头尊法学法守法用法" not in r.empty_sections
    assert "存在的问题和不足" in r.empty_sections


def test_a_row_saved_before_the_sections_keeps_printing(tmp_path: Path) -> None:
    """A database of the earlier schema, with a debrief the clerk wrote in the three old
    boxes: after the migration its text is still there, 主要做法和成效 standing for the work
    sections (the draft does not add to them), problems and plans where they were."""
    old = tmp_path / "old-migrations"
    old.mkdir()
    for f in sorted(migrations_dir().glob("*.sql"))[: latest_schema_version() - 1]:
        shutil.copy(f, old / f.name)
    db_path = tmp_path / "old.db"
    db = open_database(db_path, migrations_folder=old)
    db.execute("INSERT INTO units (id, uuid, name, level, created_at, updated_at) "
               "VALUES (1, 'u1', '西湖区', '区县', 'now', 'now')")
    db.execute("INSERT INTO leaders (id, uuid, name, unit_id, role, position, created_at, "
               "updated_at) VALUES (1, 'l1', '王堃', 1, 'party', '区委书记', 'now', 'now')")
    db.execute("INSERT INTO terms (uuid, leader_id, start_date) VALUES ('t1', 1, '2020-01-01')")
    db.execute("INSERT INTO debriefs (uuid, leader_id, year, title, achievements, problems, "
               "plans, updated_at) VALUES ('d1', 1, 2025, NULL, '（一）带头学法。全年学法3次。', "
               "'学法不够经常。', '坚持学法。', 'now')")
    db.conn.close()
    with Store.open(db_path) as store:
        r = build_debrief(store, 1, 2025, today=TODAY, use_draft=True)
    sections = {s.key: s for s in r.sections()}
    assert sections["achievements"].title == "主要做法和成效"
    assert sections["achievements"].text.startswith("（一）带头学法")
    assert not any(sections[k].text for k in ("leadership", "study", "decisions", "publicity"))
    assert (r.narrative.problems, r.narrative.plans) == ("学法不够经常。", "坚持学法。")

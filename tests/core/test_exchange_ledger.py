"""Ledger .xlsx: export (headers, dates, frozen row), round trip into a fresh database, row-by-row
errors, all-or-nothing import, and 1,000 random malformed rows (hypothesis)."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from duty_tracker.core.exchange.ledger_xlsx import (
    LEDGER_COLUMNS,
    apply_records,
    export_ledger,
    preview_records,
)
from duty_tracker.core.exchange.roster_xlsx import apply_roster, export_roster, preview_roster
from duty_tracker.core.exchange.xlsx_common import ExchangeError
from duty_tracker.core.storage.backup import integrity_problems
from duty_tracker.core.storage.store import Store
from tests.conftest import small_rules

HEADERS = [c.header for c in LEDGER_COLUMNS]


@pytest.fixture
def filled(store, unit_id, duty_ids):
    party = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    gov = store.people.add_leader("李清", unit_id, "government", "区长", "2020-01-01")
    store.records.add_record(performed_on="2025-03-02", title="区委理论学习中心组（扩大）学法", kind="学法",
                             leader_ids=[party], duty_ids=[duty_ids["党委理论学习中心组学法"]],
                             place="区委大楼", participants="区委常委", minutes_number="西委纪〔2025〕3号",
                             description="学习《行政复议法》\n第二行")
    store.records.add_record(performed_on="2025-06-30", title="常务会议听取法治政府建设汇报", kind="听取汇报",
                             leader_ids=[party, gov],
                             duty_ids=[duty_ids["常务会议听取法治政府建设情况汇报"], duty_ids["年终述职"]])
    gone = store.records.add_record(performed_on="2025-07-01", title="已删除", kind="其他", leader_ids=[gov])
    store.records.delete_records([gone])
    store.records.add_record(performed_on="2024-12-31", title="去年的", kind="其他", leader_ids=[gov])
    return store


def _fresh_copy_of_setup(store, tmp_path: Path) -> Store:
    """A second database with the same leaders and the same rule set (independently created)."""
    roster = tmp_path / "roster.xlsx"
    export_roster(store, roster)
    fresh = Store.open(tmp_path / "fresh.db")
    fresh.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    apply_roster(fresh, preview_roster(fresh, roster))
    return fresh


def _records(store) -> list[tuple]:
    out = []
    for r in store.db.query("SELECT * FROM records WHERE deleted_at IS NULL ORDER BY uuid"):
        leaders = sorted(n for (n,) in store.db.execute(
            "SELECT l.name FROM record_leaders rl JOIN leaders l ON l.id = rl.leader_id WHERE record_id = ?", [r["id"]]))
        duties = sorted(t for (t,) in store.db.execute(
            "SELECT d.title FROM record_duties rd JOIN duties d ON d.id = rd.duty_id WHERE record_id = ?", [r["id"]]))
        out.append((r["uuid"], r["performed_on"], r["title"], r["kind"], r["place"], r["participants"],
                    r["minutes_number"], r["description"], leaders, duties))
    return out


def test_export_has_chinese_headers_real_dates_and_a_frozen_header(filled, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    counts = export_ledger(filled, out, 2025, status=True, today=date(2025, 11, 20))
    assert counts["履职纪实台账"] == 2
    wb = load_workbook(out)
    ws = wb["履职纪实台账"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert isinstance(ws["B2"].value, datetime) and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["H"].width >= 30
    assert ws["D3"].value == "王建国、李清"
    status = wb["完成情况"]
    assert status["K1"].value == "状态" and status.max_row > 1
    assert {c.value for c in status["K"][1:]} <= {"达标", "进行中", "预警", "未达标", "不适用"}


def test_round_trip_into_a_fresh_database_gives_the_same_records(filled, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    export_ledger(filled, out, 2025)
    fresh = _fresh_copy_of_setup(filled, tmp_path)
    preview = preview_records(fresh, out)
    assert preview.ok, preview.error_lines()
    assert apply_records(fresh, preview).added == 2
    expected = [r for r in _records(filled) if r[1].startswith("2025")]
    assert _records(fresh) == expected
    # The same file again: every row is reported as already there, nothing is added twice.
    again = preview_records(fresh, out)
    assert again.valid_count == 0 and all("已在数据库中" in e for e in again.error_lines())
    fresh.close()


def _ledger_workbook(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "履职纪实台账"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_row_errors_name_the_row_and_the_problem(filled, tmp_path: Path) -> None:
    path = _ledger_workbook(tmp_path / "in.xlsx", [
        [1, "2025-13-01", "", "王建国", "", "", "学法", "坏日期"],
        [2, "2025-04-01", "", "张无忌", "", "", "学法", "未知负责人"],
        [3, "2025-04-01", "", "王建国", "不存在的事项", "", "学法", "未知事项"],
        [4, "2025年4月2日", "", "王建国", "党委理论学习中心组学法", "", "学法", "好的一行"],
        [5, "2025/4/3", "", "王建国", "", "", "吃饭", "坏类型"],
        [6, 45000, "", "王建国、李清", "", "", "会议", ""],
    ])
    preview = preview_records(filled, path)
    lines = preview.error_lines()
    assert lines[0].startswith("第 2 行（履职日期）") and "日期" in lines[0]
    assert any(line.startswith("第 3 行（负责人）：未知负责人：张无忌") for line in lines)
    assert any(line.startswith("第 4 行（履职事项）：未知履职事项") for line in lines)
    assert any(line.startswith("第 6 行（类型）") for line in lines)
    assert any(line.startswith("第 7 行（标题）") for line in lines)
    assert [r.title for r in preview.rows] == ["好的一行"]
    before = filled.records.count()
    apply_records(filled, preview)
    assert filled.records.count() == before + 1


def test_a_failure_while_applying_leaves_nothing_half_imported(filled, tmp_path: Path, monkeypatch) -> None:
    rows = [[i, "2025-05-01", "", "王建国", "", "", "学法", f"第{i}条"] for i in range(1, 21)]
    preview = preview_records(filled, _ledger_workbook(tmp_path / "in.xlsx", rows))
    assert preview.valid_count == 20
    before = filled.records.count()
    real_insert_all = type(filled.db["record_duties"]).insert_all
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 15:
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert_all(self, *args, **kwargs)

    monkeypatch.setattr(type(filled.db["record_duties"]), "insert_all", failing)
    with pytest.raises(ExchangeError, match="未作任何修改"):
        apply_records(filled, preview)
    monkeypatch.undo()
    assert filled.records.count() == before
    assert not integrity_problems(filled.path)


_WORDS = ["2025-02-30", "2025/1/1", "2025-05-01", "王建国", "李清", "李清、张三", "学法", "会议", "其他",
          "年终述职", "党委理论学习中心组学法", "not-a-uuid", "00000000-0000-0000-0000-000000000001",
          "=1+1", "", " ", "标题" * 300, None, 0, -1, 45000, 3.5, True, date(1900, 1, 1), date(2025, 3, 3)]
_cell = st.one_of(
    st.none(), st.text(max_size=8), st.integers(min_value=-10**6, max_value=10**7),
    st.floats(allow_nan=True, allow_infinity=False), st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)), st.sampled_from(_WORDS),
)
_row = st.lists(_cell, min_size=0, max_size=len(HEADERS))


def _clean(value):
    if isinstance(value, str):  # openpyxl itself refuses control characters in a cell
        return "".join(ch for ch in value if ch >= " " or ch in "\n\t")
    return value


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed_rows=st.lists(_row, min_size=1, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_a_thousand_random_malformed_rows_never_crash_and_never_half_import(
        filled, tmp_path_factory, seed_rows, seed) -> None:
    """Hypothesis draws a few dozen rows; the rest of the 1,000 are random mixes of the
    vocabulary (near misses of valid rows) from a Random seeded by hypothesis (drawing each of
    them through hypothesis would exceed its data budget)."""
    rng = random.Random(seed)
    rows = list(seed_rows)
    while len(rows) < 1000:
        rows.append([rng.choice(_WORDS) if rng.random() < 0.8 else rng.randint(-5, 50000)
                     for _ in range(rng.randint(0, len(HEADERS) + 1))])
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "履职纪实台账"
    ws.append(HEADERS)
    for row in rows:
        ws.append([_clean(v) for v in row])
    wb.save(path)
    before = filled.records.count()
    preview = preview_records(filled, path)
    bad_rows = {e.row for e in preview.errors}
    good_rows = {r.row for r in preview.rows}
    skipped_rows = {e.row for e in preview.skipped}
    assert not bad_rows & good_rows and not skipped_rows & (bad_rows | good_rows)
    assert preview.total_rows == len(bad_rows | good_rows | skipped_rows)
    assert all(str(e).startswith(("第 ", "文件")) for e in preview.errors)
    result = apply_records(filled, preview)
    assert filled.records.count() == before + result.added == before + len(good_rows)
    assert not integrity_problems(filled.path)
    # Leave the fixture's database as it was for the next example.
    with filled.db.atomic():
        filled.db.execute(f"DELETE FROM records WHERE id IN ({','.join(map(str, result.record_ids)) or 'NULL'})")

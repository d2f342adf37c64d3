"""导出当前列表: the records a filter matches, in the list's order and columns, as .xlsx."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duty_tracker.core.exchange.xlsx_common import ExchangeError
from duty_tracker.core.services import exchange
from duty_tracker.core.storage.records_repo import RecordFilter


@pytest.fixture
def ledger(store, unit_id, duty_ids) -> int:
    leader = store.people.add_leader("王明", unit_id, "party", "区委书记", term_start="2020-01-01")
    for day, title, kind in (("2025-03-02", "中心组学法", "学法"), ("2025-05-06", "常委会研究法治", "会议"),
                             ("2025-09-10", "中心组第二次学法", "学法")):
        store.records.add_record(performed_on=day, title=title, kind=kind, leader_ids=[leader],
                                 duty_ids=[duty_ids["党委理论学习中心组学法"]], place="区委大楼")
    return leader


def test_the_filtered_list_is_written_in_its_order_and_columns(store, ledger, tmp_path: Path) -> None:
    options = exchange.RecordListExport(
        path=tmp_path / "当前列表", filter=RecordFilter(kind="学法"),
        columns=("title", "performed_on", "leaders", "attachment_count"), descending=True)
    assert exchange.export_record_list(store, options) == 2
    sheet = load_workbook(options.target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("标题", "日期", "负责人", "附件")
    assert [r[0] for r in rows[1:]] == ["中心组第二次学法", "中心组学法"]
    assert rows[1][1].date() == date(2025, 9, 10) and rows[1][2] == "王明" and rows[1][3] == 0


def test_the_recycle_bin_names_its_time_column(store, ledger, tmp_path: Path) -> None:
    first = store.records.search(RecordFilter(), limit=1)[0]["id"]
    store.records.delete_records([first])
    options = exchange.RecordListExport(path=tmp_path / "回收站.xlsx", filter=RecordFilter(deleted=True),
                                        columns=("title", "created_at"))
    assert exchange.export_record_list(store, options) == 1
    rows = list(load_workbook(options.target).active.iter_rows(values_only=True))
    assert rows[0] == ("标题", "删除时间") and rows[1][1]


def test_an_unknown_column_is_refused_in_chinese(store, tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="列"):
        exchange.export_record_list(store, exchange.RecordListExport(
            path=tmp_path / "x.xlsx", filter=RecordFilter(), columns=("secret",)))


def test_study_hours_are_exported_as_numbers(store, ledger, duty_ids, tmp_path: Path) -> None:
    store.records.add_record(performed_on="2025-10-01", title="法治专题培训", kind="学法",
                             leader_ids=[ledger], duty_ids=[duty_ids["党委理论学习中心组学法"]], hours=1.5)
    options = exchange.RecordListExport(path=tmp_path / "学时.xlsx", filter=RecordFilter(kind="学法"),
                                        columns=("title", "hours"))
    assert exchange.export_record_list(store, options) == 3
    rows = list(load_workbook(options.target).active.iter_rows(values_only=True))
    assert rows[0] == ("标题", "学时")
    assert rows[1] == ("法治专题培训", 1.5) and rows[2][1] in ("", None)

"""The 任务分解表 to and from .xlsx: the columns offices exchange, text never a formula, and the
round trip — export, a unit fills in its progress, import back — with row errors and nothing
half-imported."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duty_tracker.core.exchange import tasks_xlsx
from duty_tracker.core.exchange.xlsx_common import ExchangeError
from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.storage.tasks_repo import PlanDraft, SectionDraft, TaskDraft
from duty_tracker.core.workpoints.status import TaskStatus

TODAY = date(2018, 5, 10)
HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "进展情况", "状态", "填报单位", "填报日期", "唯一标识"]


@pytest.fixture
def city(store) -> dict[str, int]:
    top = store.people.add_unit("某市", "市")
    units = {name: store.people.add_unit(name, "部门", top) for name in ("市司法局", "市编委办", "市财政局")}
    store.tasks.add_plan(PlanDraft("某市2018年法治政府建设工作要点", 2018, sections=[
        SectionDraft("深化改革", "一、"), SectionDraft("严格执法", "二、")], tasks=[
        TaskDraft("完成复议体制改革", "完成相对集中行政复议权改革。", "2018-06-30", "6月底前", section=0,
                  named_units=[("市司法局", "lead"), ("市编委办", "assist")],
                  units=[(units["市司法局"], "lead"), (units["市编委办"], "assist")]),
        TaskDraft("=HYPERLINK(\"http://example.com\",\"点击\")", "=HYPERLINK(\"http://example.com\",\"点击\")",
                  section=1, named_units=[("市法制办", "responsible")], units=[(units["市司法局"], "responsible")]),
        TaskDraft("推行执法公示", "推行行政执法公示制度。", "2018-09-30", "第三季度", section=1,
                  named_units=[("市政府各部门", "responsible")],
                  units=[(u, "responsible") for u in units.values()]),
    ]))
    return units


def _tasks(store) -> list[dict]:
    return store.tasks.tasks(2018)


def _rows(path: Path) -> list[tuple]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def _export(store, path: Path, unit_id: int | None = None) -> Path:
    wp.export_task_sheet(store, wp.TaskSheetExport(path, 2018, TODAY, unit_id))
    return path


def _fill(path: Path, target: Path, changes: dict[int, dict[str, object]]) -> Path:
    """Change cells by 序号 and header name, as a unit filling in the sheet would."""
    wb = load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        for column, value in changes.get(row[0].value, {}).items():
            row[HEADER.index(column)].value = value
    wb.save(target)
    return target


def test_the_sheet_has_the_columns_offices_exchange_and_a_heading_per_section(store, city, tmp_path):
    rows = _rows(_export(store, tmp_path / "表.xlsx"))
    assert list(rows[0]) == HEADER
    assert rows[1][1] == "一、深化改革" and rows[1][0] is None and rows[1][-1] is None
    first = rows[2]
    assert first[:7] == (1, "完成相对集中行政复议权改革。", "市司法局", "配合：市编委办", "6月底前", None, "未开始")
    assert first[-1] == _tasks(store)[0]["uuid"]
    assert rows[3][1] == "二、严格执法"
    assert rows[5][3] == "市政府各部门" and rows[5][4] == "第三季度"
    ws = load_workbook(tmp_path / "表.xlsx").active
    assert ws.oddHeader.center.text == "某市2018年法治政府建设工作要点任务分解表"
    store.tasks.update_task(_tasks(store)[0]["id"], text="推进综合行政执法改革" * 12)
    ws = load_workbook(_export(store, tmp_path / "长.xlsx")).active
    assert ws.row_dimensions[3].height > 4 * ws.row_dimensions[4].height  # a wrapped task gets room


def test_text_that_looks_like_a_formula_is_written_as_text(store, city, tmp_path):
    path = _export(store, tmp_path / "表.xlsx")
    cell = load_workbook(path).active.cell(row=5, column=2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml
    assert load_workbook(path, data_only=True).active.cell(row=5, column=2).value.startswith("=HYPERLINK")


def test_round_trip_a_unit_fills_in_its_sheet(store, city, tmp_path):
    justice = city["市司法局"]
    first, second, third = _tasks(store)
    wp.save_progress(store, wp.ProgressDraft(first["id"], justice, "2018-03-01", "起草实施方案"))
    sheet = _export(store, tmp_path / "司法局.xlsx", justice)
    rows = _rows(sheet)
    assert {r[7] for r in rows[1:] if r[0]} == {"市司法局"}
    assert rows[2][5] == "2018-03-01 起草实施方案" and rows[2][6] == "推进中"
    filled = _fill(sheet, tmp_path / "司法局-填报.xlsx", {
        1: {"进展情况": "2018-03-01 起草实施方案\n2018-05-08 方案经市政府常务会议通过", "状态": "已完成"},
        3: {"进展情况": "2018年5月9日 梳理公示事项清单"},
    })
    preview = wp.preview_task_sheet(store, filled, TODAY)
    assert preview.errors == [] and preview.unchanged == 1
    assert [(r.task_id, r.reported_on, r.note, r.done) for r in preview.rows] == [
        (first["id"], date(2018, 5, 8), "方案经市政府常务会议通过", True),
        (third["id"], date(2018, 5, 9), "梳理公示事项清单", False)]
    outcome = wp.apply_task_sheet(store, preview)
    assert outcome.result.added == 2 and outcome.backup is not None
    views = {v.id: v for v in wp.list_tasks(store, wp.TaskFilter(2018), TODAY)}
    assert views[first["id"]].status is TaskStatus.DONE
    assert views[third["id"]].unit(justice).status is TaskStatus.IN_PROGRESS
    assert store.tasks.progress([third["id"]])[0]["source"] == "表格 司法局-填报.xlsx 第 6 行"
    again = wp.preview_task_sheet(store, filled, TODAY)
    assert again.rows == [] and again.errors == [] and again.unchanged == 3


def test_the_whole_sheet_needs_the_reporting_unit_where_a_task_has_several(store, city, tmp_path):
    sheet = _export(store, tmp_path / "全部.xlsx")
    filled = _fill(sheet, tmp_path / "填.xlsx", {
        1: {"进展情况": "方案已起草"},
        2: {"进展情况": "已完成合同审查", "状态": "完成"},
        3: {"进展情况": "已公示", "填报单位": "市财政局"},
    })
    preview = wp.preview_task_sheet(store, filled, TODAY)
    assert [str(e) for e in preview.errors] == [
        "第 3 行（填报单位）：请填写填报进展的单位（本任务的责任单位：市司法局、市编委办）"]
    assert [(r.unit_name, r.note, r.done, r.reported_on) for r in preview.rows] == [
        ("市司法局", "已完成合同审查", True, TODAY), ("市财政局", "已公示", False, TODAY)]


@pytest.mark.parametrize(("changes", "message"), [
    ({3: {"填报单位": "市公安局", "进展情况": "x"}}, "第 6 行（填报单位）：“市公安局”不是这项任务的责任单位"),
    ({3: {"填报单位": "市财政局", "进展情况": "x", "填报日期": "2018-02-30"}}, "第 6 行（填报日期）：填报日期不存在"),
    ({3: {"唯一标识": "00000000-0000-0000-0000-000000000000", "进展情况": "x", "填报单位": "市财政局"}},
     "第 6 行（唯一标识）：唯一标识对应的任务不存在"),
])
def test_row_errors_say_where_and_what(store, city, tmp_path, changes, message):
    filled = _fill(_export(store, tmp_path / "表.xlsx"), tmp_path / "填.xlsx", changes)
    preview = wp.preview_task_sheet(store, filled, TODAY)
    assert [str(e) for e in preview.errors][0].startswith(message)


def test_a_completed_task_cannot_be_reopened_from_a_sheet(store, city, tmp_path):
    second = _tasks(store)[1]
    wp.save_progress(store, wp.ProgressDraft(second["id"], city["市司法局"], "2018-04-01", "已完成", True))
    filled = _fill(_export(store, tmp_path / "表.xlsx"), tmp_path / "填.xlsx", {2: {"状态": "推进中"}})
    preview = wp.preview_task_sheet(store, filled, TODAY)
    assert [e.column for e in preview.errors] == ["状态"] and "不能通过表格改回未完成" in preview.errors[0].message


def test_a_row_without_uuid_is_found_by_its_task_text(store, city, tmp_path):
    filled = _fill(_export(store, tmp_path / "表.xlsx"), tmp_path / "填.xlsx",
                   {3: {"唯一标识": None, "填报单位": "市编委办", "进展情况": "已公示"}})
    preview = wp.preview_task_sheet(store, filled, TODAY)
    assert preview.errors == [] and [r.task_id for r in preview.rows] == [_tasks(store)[2]["id"]]


def test_nothing_is_half_imported_when_a_write_fails(store, city, tmp_path):
    filled = _fill(_export(store, tmp_path / "表.xlsx"), tmp_path / "填.xlsx", {
        2: {"进展情况": "已审查"}, 3: {"填报单位": "市财政局", "进展情况": "已公示"}})
    preview = wp.preview_task_sheet(store, filled, TODAY)
    assert len(preview.rows) == 2
    store.tasks.delete_tasks([_tasks(store)[2]["id"]])  # gone between the preview and the write
    with pytest.raises(ExchangeError, match="数据库未作任何修改"):
        tasks_xlsx.apply_task_sheet(store, preview)
    assert store.tasks.progress() == []


def test_a_sheet_without_the_progress_column_is_refused_as_a_whole(store, city, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["序号", "工作任务"])
    wb.active.append([1, "完成相对集中行政复议权改革。"])
    wb.save(tmp_path / "旧表.xlsx")
    preview = wp.preview_task_sheet(store, tmp_path / "旧表.xlsx", TODAY)
    assert [str(e) for e in preview.errors] == ["第 1 行：缺少列：进展情况（请使用程序导出的模板）"]


def test_an_unknown_unit_is_refused_before_a_file_is_written(store, city, tmp_path):
    with pytest.raises(LookupError, match="单位"):
        _export(store, tmp_path / "x.xlsx", 999)
    assert not (tmp_path / "x.xlsx").exists()


# -- property: a sheet imported back unchanged adds nothing ---------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NOTE = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.lists(_NOTE, min_size=1, max_size=3), done=st.booleans())
def test_an_unchanged_sheet_adds_nothing_whatever_the_notes_say(store, city, tmp_path, notes, done):
    first = _tasks(store)[0]
    entries = [wp.save_progress(store, wp.ProgressDraft(first["id"], city["市司法局"], "2018-03-01", note,
                                                        done)).progress_id for note in notes]
    try:
        for unit_id in (None, city["市司法局"]):
            sheet = _export(store, tmp_path / f"表{unit_id}.xlsx", unit_id)
            preview = wp.preview_task_sheet(store, sheet, TODAY)
            assert preview.errors == [] and preview.rows == [], (notes, preview.error_lines())
    finally:
        store.db.execute(f"DELETE FROM task_progress WHERE id IN ({','.join(map(str, entries))})")

"""The 年度报告 page's models without a window: what is still to write (empty parts, 【…】
notes), the part states, the unit list's states, colours, counts and filters, and the facts
tree the clerk checks the draft against."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.annual_builder import build_annual_report
from duty_tracker.core.services import annual_due
from duty_tracker.core.services import workpoints as wp
from duty_tracker.ui.models import annual_models as am
from duty_tracker.ui.widgets.status_style import STATUS_COLOURS
from tests.workpoints_helpers import add_city_units

D = date
TODAY = D(2026, 2, 20)
TEXT = """某市2025年法治政府建设工作要点

一、深化改革
（一）完成相对集中行政复议权改革。6月底前完成。（责任单位：市司法局牵头，市编委办配合）
（二）建立政府法律顾问队伍，年底前实现全覆盖。（责任单位：市法制办）
二、严格执法
（三）推行行政执法公示制度。第三季度完成。（责任单位：市编委办牵头，市司法局配合）
（四）加强行政复议规范化建设。（责任单位：市财政局）
"""


@pytest.fixture
def city(store) -> dict[str, int]:
    units = add_city_units(store)
    wp.import_workpoints(store, wp.preview_import(store, text=TEXT))
    return units


def _due(status: str, days_left: int, **kwargs) -> annual_due.AnnualReportDue:
    name = kwargs.pop("name", "市司法局")
    return annual_due.AnnualReportDue(kwargs.pop("unit_id", 1), name, "杭州" + name, 2025,
                                     D(2026, 3, 1), status, days_left, **kwargs)


def test_open_items_are_the_empty_parts_and_every_note_in_print_order() -> None:
    texts = {"opening": "", "measures": "一是……【请补充具体成效】。二是【数字】项。",
             "leadership": "  \n", "problems": "写完了。", "plans": "尚有【未闭合的说明"}
    items = am.open_items(texts)
    assert [(i.key, i.empty, i.note) for i in items] == [
        ("opening", True, ""), ("measures", False, "【请补充具体成效】"),
        ("measures", False, "【数字】"), ("leadership", True, ""),
        ("plans", False, "【未闭合的说明")]
    note = items[1]
    assert texts["measures"][note.start:note.end] == "【请补充具体成效】"
    assert items[0].text == "开头：尚未撰写（导出时略去）"
    assert items[1].text == "一、主要举措和成效：【请补充具体成效】"
    assert am.open_summary(items) == "待完善：2 个部分尚未撰写，3 处【】待填写"
    assert am.open_summary(am.open_items(dict.fromkeys(am.ANNUAL_KEYS, "全文"))) == ""


def test_part_headings_and_states() -> None:
    assert [am.part_heading(k) for k in am.ANNUAL_KEYS] == [
        "开头", "一、主要举措和成效", "二、党政主要负责人履行推进法治建设第一责任人职责情况",
        "三、存在的不足和原因", "四、下一年度工作安排"]
    assert am.part_state(" \n ") == "空白 · 导出时略去"
    assert am.part_state("十个字的内容一二三四") == "已撰写 10 字"
    assert am.part_state("共【】二处【待填】") == "已撰写 9 字 · 【】待填写 2 处"


def test_unit_list_shows_deadline_and_state_coloured_by_state(qapp) -> None:
    model = am.AnnualUnitModel()
    model.set_rows(am.due_rows([
        _due("临期", 9), _due("逾期", -3, unit_id=2, name="西湖区"), _due("未到期", 40, unit_id=3),
        _due("已报送", 5, unit_id=4, submitted_on=D(2026, 2, 18), written=True),
        _due("临期", 0, unit_id=5)]))
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert cells[0] == ["市司法局", "3月1日", "临期 9天", "未撰写"]
    assert [row[2] for row in cells] == ["临期 9天", "逾期 3天", "未到期", "已报送", "今日到期"]
    assert cells[3][3] == "已撰写"
    background = Qt.ItemDataRole.BackgroundRole
    assert model.index(0, am.STATE_COLUMN).data(background).name() == STATUS_COLOURS[Status.WARNING][0]
    assert model.index(1, am.STATE_COLUMN).data(background).name() == STATUS_COLOURS[Status.FAILED][0]
    assert model.index(3, am.STATE_COLUMN).data(background).name() == STATUS_COLOURS[Status.DONE][0]
    assert model.index(2, am.STATE_COLUMN).data(background) is None  # 未到期: the plain look
    assert model.index(0, 0).data(background) is None  # only the state cell is coloured
    assert "2026年3月1日前报送" in model.index(0, am.STATE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "2026年2月18日报送" in model.index(3, am.STATE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert model.counts() == {"逾期": 1, "临期": 2, "未到期": 1, "已报送": 1}


def test_unit_filter_by_state_and_by_name(qapp) -> None:
    model = am.AnnualUnitModel()
    model.set_rows(am.due_rows([_due("临期", 9), _due("逾期", -3, unit_id=2, name="西湖区"),
                                _due("已报送", 5, unit_id=4, name="上城区", submitted_on=D(2026, 2, 1))]))
    proxy = am.AnnualUnitFilter()
    proxy.setSourceModel(model)
    shown = lambda: [proxy.index(r, 0).data() for r in range(proxy.rowCount())]  # noqa: E731
    assert not proxy.active() and len(shown()) == 3
    proxy.set_states(dict(am.STATE_FILTERS)["临期和逾期"])
    assert shown() == ["市司法局", "西湖区"] and proxy.active()
    proxy.set_text("西湖")
    assert shown() == ["西湖区"]
    proxy.set_states(dict(am.STATE_FILTERS)["已报送"])
    assert shown() == []
    proxy.set_states(None)
    proxy.set_text("杭州市司法")  # the institution's name counts too
    assert shown() == ["市司法局"]


def test_facts_tree_has_the_units_tasks_by_section_and_its_heads(store, city, qapp) -> None:
    sfj = city["市司法局"]
    first = store.tasks.tasks(2025)[0]["id"]
    store.tasks.add_progress(first, sfj, "2025-05-10", "起草改革方案")
    store.tasks.add_progress(first, sfj, "2025-07-20", "完成机构设置", done=True)
    store.people.add_leader("王堃", sfj, "government", "局长", term_start="2020-01-01")
    report = build_annual_report(store, sfj, 2025, today=TODAY)
    model = am.facts_model(report)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == list(am.FACT_HEADERS)
    tasks, heads = model.item(0), model.item(1)
    assert tasks.text() == "本单位的工作任务 3 项（截至12月31日已完成 1 项）"
    assert [tasks.child(r).text() for r in range(tasks.rowCount())] == ["一、深化改革", "二、严格执法"]
    assert tasks.child(0, 2).text() == "已完成 1/2"
    reform = tasks.child(0)
    row = [reform.child(0, c).text() for c in range(5)]
    assert row[1:4] == ["牵头", "逾期完成", "2025-06-30"]
    assert row[4] == "进展 2 条"
    assert "2025-07-20 完成机构设置（已完成）" in reform.child(0, 4).toolTip()
    assert reform.child(1, 2).text() == "逾期未完成"
    assert reform.child(0, 2).background().color().name() == STATUS_COLOURS[Status.DONE][0]
    assert heads.text() == "党政主要负责人 1 名（履职事项达标情况）"
    head = heads.child(0)
    assert head.text().startswith("王堃") and "局长" in head.text()
    assert heads.child(0, 2).text().startswith("达标 ")
    assert head.rowCount() > 0  # the duties that apply, each with its status
    assert "草稿只写这里列出的事实" in am.facts_intro(report)


def test_facts_tree_says_when_there_are_no_heads(store, city, qapp) -> None:
    report = build_annual_report(store, city["市财政局"], 2025, today=TODAY)
    model = am.facts_model(report)
    assert model.item(1).text().startswith("尚未登记本单位的党政主要负责人")
    assert model.item(1).rowCount() == 0

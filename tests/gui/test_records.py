"""The record list and the record form."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from duty_tracker.core.demo import build_demo
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.records_repo import RecordFilter
from duty_tracker.ui.models.record_table_model import PAGE_SIZE, RecordTableModel
from duty_tracker.ui.pages.records_page import RecordsPage
from tests.gui.conftest import TODAY
from tests.gui.helpers import Answers, duty_id


@pytest.fixture
def page(demo_ctx, qtbot):
    p = RecordsPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


@pytest.fixture
def head(ctx):
    unit = ctx.store.people.add_unit("滨江区", "区县")
    return ctx.store.people.add_leader("赵宇", unit, "party", "区委书记", term_start="2020-01-01")


def test_lists_and_counts_everything(page, demo_ctx):
    total = demo_ctx.store.records.count()
    assert page.model.total == total
    assert page.count_label.text() == f"共 {total:,} 条"
    dates = [page.model.row_dict(r)["performed_on"] for r in range(page.model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_filters_narrow_the_list(page, demo_ctx, qtbot):
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("学法"))
    expected = demo_ctx.store.records.count(RecordFilter(kind="学法"))
    assert 0 < page.model.total == expected < demo_ctx.store.records.count()
    assert {page.model.row_dict(r)["kind"] for r in range(page.model.rowCount())} == {"学法"}

    leader = page.leader_combo.itemData(1)
    page.leader_combo.setCurrentIndex(1)
    assert page.model.total == demo_ctx.store.records.count(RecordFilter(kind="学法", leader_id=leader))

    page.clear_filters()
    page.search_edit.setText("民法典")
    qtbot.waitUntil(lambda: page.model.record_filter.text == "民法典")
    assert page.model.total == demo_ctx.store.records.count(RecordFilter(text="民法典"))
    assert all("民法典" in page.model.row_dict(r)["title"] for r in range(page.model.rowCount()))

    page.search_edit.setText("不存在的词")
    page.apply_filter()
    assert page.model.rowCount() == 0 and page.count_label.text() == "共 0 条"
    # remembered for the next start
    again = RecordsPage(demo_ctx)
    qtbot.addWidget(again)
    assert again.search_edit.text() == "不存在的词"


def test_sorting_by_title_is_sql_order(page):
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    titles = [page.model.row_dict(r)["title"] for r in range(page.model.rowCount())]
    assert titles == sorted(titles) or titles[0] <= titles[-1]
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # 负责人: cannot sort, keeps title
    assert page.table.horizontalHeader().sortIndicatorSection() == 1


def test_lazy_loading_fetches_more_on_scroll(ctx, qtbot):
    build_demo(ctx.store, leaders=30, years=2, records=40, today=TODAY)
    total = ctx.store.records.count()
    assert total > 4 * PAGE_SIZE
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    assert page.model.rowCount() == PAGE_SIZE and page.model.canFetchMore()
    bar = page.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE_SIZE)
    assert page.model.rowCount() < total
    ids = [page.model.record_id(r) for r in range(page.model.rowCount())]
    assert len(set(ids)) == len(ids)  # pages do not overlap
    assert page.model.total == total


def test_model_pages_in_sql(ctx, head):
    for day in range(1, 29):
        ctx.store.records.add_record(performed_on=f"2025-02-{day:02d}", title=f"第{day}次", kind="会议",
                                     leader_ids=[head])
    model = RecordTableModel(ctx.store)
    model.reload()
    assert model.rowCount() == 28 and not model.canFetchMore()


def test_delete_is_undoable_and_recycle_bin_restores(page, demo_ctx, monkeypatch, qtbot):
    answers = Answers(monkeypatch)
    before = page.model.total
    page.table.selectRow(0)
    record_id = page.selected_ids()[0]
    assert page.delete_selected()
    assert "回收站" in answers.questions[0]
    assert page.model.total == before - 1
    assert demo_ctx.store.records.record(record_id)["deleted_at"] is not None

    page.bin_button.setChecked(True)
    assert page.model.total == 1 and page.model.record_id(0) == record_id
    assert page.model.headerData(8, Qt.Orientation.Horizontal) == "删除时间"
    page.bin_button.setChecked(False)

    demo_ctx.undo_stack.undo()
    assert demo_ctx.store.records.record(record_id)["deleted_at"] is None
    assert page.model.total == before
    demo_ctx.undo_stack.redo()
    assert page.model.total == before - 1

    page.bin_button.setChecked(True)
    page.table.selectRow(0)
    assert page.restore_selected()
    assert page.model.total == 0
    assert demo_ctx.store.records.record(record_id)["deleted_at"] is None


def test_delete_asks_first(page, demo_ctx, monkeypatch):
    Answers(monkeypatch, QMessageBox.StandardButton.No)
    page.table.selectRow(0)
    assert not page.delete_selected()
    assert page.model.total == demo_ctx.store.records.count()


def _fill(dialog, leader, duty, title="中心组学法"):  # noqa: ANN001, ANN202
    dialog.date_edit.setDate(QDate(2025, 5, 6))
    dialog.title_edit.setText(title)
    dialog.kind_combo.setCurrentText("学法")
    dialog.leaders.set_item_checked(leader)
    dialog.duties.set_item_checked(duty)


def test_duplicate_warning_lets_the_clerk_decide(ctx, head, monkeypatch, qtbot):
    duty = duty_id(ctx.store, "党委理论学习中心组学法")
    ctx.store.records.add_record(performed_on="2025-05-06", title="已有记录", kind="学法",
                                 leader_ids=[head], duty_ids=[duty])
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    answers = Answers(monkeypatch, QMessageBox.StandardButton.No)
    dialog = page.new_record()
    _fill(dialog, head, duty)
    assert not dialog.save()
    assert answers.questions and "可能重复" in answers.questions[0] and "已有记录" in answers.questions[0]
    assert dialog.isVisible() and ctx.store.records.count() == 1
    answers.answer = QMessageBox.StandardButton.Yes
    assert dialog.save()
    assert ctx.store.records.count() == 2 and not dialog.isVisible()


def test_failed_save_keeps_the_text(ctx, head, monkeypatch, qtbot):
    duty = duty_id(ctx.store, "党委理论学习中心组学法")
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    answers = Answers(monkeypatch)
    dialog = page.new_record()
    _fill(dialog, head, duty, title="不能丢的标题")
    dialog.description_edit.setPlainText("很长的一段说明")

    def broken(**_kwargs):  # noqa: ANN202
        raise StorageError("数据库被锁定")

    monkeypatch.setattr(ctx.store.records, "add_record", broken)
    assert not dialog.save()
    assert "数据库被锁定" in answers.warnings[0]
    assert dialog.isVisible()
    assert dialog.title_edit.text() == "不能丢的标题"
    assert dialog.description_edit.toPlainText() == "很长的一段说明"


def test_missing_title_is_refused(ctx, head, monkeypatch, qtbot):
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    answers = Answers(monkeypatch)
    dialog = page.new_record()
    dialog.leaders.set_item_checked(head)
    assert not dialog.save()
    # said below the form, the field framed in red — no message box to click away
    assert "标题" in dialog.problems_label.text() and ctx.store.records.count() == 0
    assert dialog.title_edit.property("invalid") and answers.warnings == []


def test_escape_asks_before_discarding(ctx, head, monkeypatch, qtbot):
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    answers = Answers(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = page.new_record()
    qtbot.waitUntil(dialog.isVisible)
    dialog.title_edit.setText("写了一半")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.questions and dialog.isVisible()
    answers.answer = QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_leaders_offered_are_those_in_office(ctx, head, qtbot):
    unit = ctx.store.people.add_unit("临安区", "区县")
    later = ctx.store.people.add_leader("钱镕", unit, "government", "区长", term_start="2025-07-01")
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    dialog = page.new_record()
    dialog.date_edit.setDate(QDate(2025, 3, 1))
    assert dialog.leaders.offered_ids() == [head]
    dialog.date_edit.setDate(QDate(2025, 8, 1))
    assert set(dialog.leaders.offered_ids()) == {head, later}
    dialog.leaders.set_item_checked(later)
    titles = {dialog.duties.text_of(i) for i in dialog.duties.offered_ids()}
    assert any("政府常务会议集体学法" in t for t in titles)
    assert not any("党委理论学习中心组学法" in t for t in titles)  # party duty, government head
    dialog._initial = dialog.values()
    dialog.reject()


def test_edit_with_attachment_and_undo(ctx, head, monkeypatch, qtbot, tmp_path: Path):
    Answers(monkeypatch)
    duty = duty_id(ctx.store, "党委理论学习中心组学法")
    record_id = ctx.store.records.add_record(performed_on="2025-04-01", title="原标题", kind="学法",
                                             leader_ids=[head], duty_ids=[duty])
    scan = tmp_path / "纪要扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(scan)], ""))
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.table.selectRow(0)
    dialog = page.open_selected()
    assert dialog.title_edit.text() == "原标题"
    dialog.title_edit.setText("新标题")
    dialog.choose_files()
    assert dialog.pending_files() == [scan]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record = ctx.store.records.record(record_id)
    assert record["title"] == "新标题"
    assert [a["file_name"] for a in record["attachments"]] == ["纪要扫描件.pdf"]
    assert ctx.store.records.attachment_path(record["attachments"][0]).read_bytes() == b"%PDF-1.4 test"
    assert page.model.row_dict(0)["attachment_count"] == 1
    ctx.undo_stack.undo()
    assert ctx.store.records.record(record_id)["title"] == "原标题"
    assert page.model.row_dict(0)["title"] == "原标题"

"""The record list: newest first, columns the clerk arranges (remembered), 导出当前列表, a
visible sign of an active filter, a fresh start in another database, tooltips on cut-off text."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QFileDialog, QStyleOptionViewItem, QToolTip

from duty_tracker.ui.models.record_table_model import COLUMN_OF
from duty_tracker.ui.pages.records_page import RecordsPage


@pytest.fixture
def page(demo_ctx, qtbot):
    p = RecordsPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1300, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_columns_hidden_and_moved_are_remembered_and_exported(page, demo_ctx, qtbot, monkeypatch,
                                                              tmp_path: Path) -> None:
    header = page.table.horizontalHeader()
    page.show_column(COLUMN_OF["place"], False)
    header.moveSection(header.visualIndex(COLUMN_OF["kind"]), 0)  # 类型 first
    assert page.visible_columns()[:3] == ["kind", "performed_on", "title"]
    assert "place" not in page.visible_columns()
    again = RecordsPage(demo_ctx)
    qtbot.addWidget(again)
    assert again.visible_columns() == page.visible_columns()
    assert not next(a for a in again.columns_menu.actions() if a.text() == "地点").isChecked()

    page.kind_combo.setCurrentIndex(page.kind_combo.findData("学法"))
    target = tmp_path / "学法纪实.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr("duty_tracker.ui.look.inform", lambda *a, **k: None)
    page.export_list()
    qtbot.waitUntil(lambda: page.export_task is None, timeout=15000)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("类型", "日期", "标题") and "地点" not in rows[0]
    assert len(rows) - 1 == page.model.total and {r[0] for r in rows[1:]} == {"学法"}
    dates = [r[1] for r in rows[1:]]
    assert dates == sorted(dates, reverse=True)  # newest first, as the list


def test_an_active_filter_shows_and_another_database_starts_unfiltered(page, demo_ctx) -> None:
    assert page.filter_label.isHidden() and not page.clear_button.isEnabled()
    page.search_edit.setText("民法典")
    page.apply_filter()
    assert not page.filter_label.isHidden() and page.clear_button.isEnabled()
    demo_ctx.notify("all")  # 文件 → 打开数据库 (or a restore)
    assert page.search_edit.text() == "" and page.model.total == demo_ctx.store.records.count()
    assert page.filter_label.isHidden()


def test_spare_width_goes_to_the_title_and_duty_columns(page) -> None:
    header = page.table.horizontalHeader()
    page._fit_columns()
    assert header.length() >= page.table.viewport().width() - 2
    assert header.sectionSize(COLUMN_OF["title"]) > 290


def test_a_cut_off_cell_shows_its_whole_text_as_tooltip(page) -> None:
    column = COLUMN_OF["title"]
    page.table.horizontalHeader().resizeSection(column, 40)
    index = page.model.index(0, column)
    option = QStyleOptionViewItem()
    option.initFrom(page.table)
    option.rect = page.table.visualRect(index)
    center = option.rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, center, page.table.viewport().mapToGlobal(center))
    assert page.table.itemDelegate().helpEvent(event, page.table, option, index)
    assert QToolTip.text() == page.model.row_dict(0)["title"]
    QToolTip.hideText()
    page.table.horizontalHeader().resizeSection(COLUMN_OF["kind"], 400)
    kind = page.model.index(0, COLUMN_OF["kind"])
    option.rect = page.table.visualRect(kind)
    page.table.itemDelegate().helpEvent(event, page.table, option, kind)
    assert not QToolTip.isVisible() or QToolTip.text() != page.model.row_dict(0)["kind"]

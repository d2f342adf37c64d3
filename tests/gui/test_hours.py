"""Quotas in study hours in the window: the record form's 学时 (shown and asked for when a chosen
duty counts hours), the record list's 学时 column (hidden until chosen), the unit (次/学时) in the
duty dialog, the duty list and the import review; and texts without 第X条 read as paragraphs,
said so on the rules page and in the review with the parser's notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from duty_tracker.ui.dialogs.record_dialog import RecordDialog
from duty_tracker.ui.models.rules_models import CHOICE_ROLE, REVIEW_UNIT
from tests.gui.helpers import Answers

PROSE = """关于进一步加强领导干部学法用法工作的通知

为深入贯彻落实全面依法治国要求，推动领导干部带头尊法学法守法用法，现就有关事项通知如下。

各级党政主要负责人要切实履行推进法治建设第一责任人职责，每年至少听取一次法治建设工作汇报，研究解决重大问题。

领导干部年度学法不少于40学时，党委理论学习中心组每年集中学法不少于2次。

各地各部门要结合实际认真贯彻落实。
"""


@pytest.fixture
def hours_duty(ctx) -> int:
    rule_set = ctx.store.rules.rule_sets_for_year(2025)[0]
    return ctx.store.rules.add_duty(rule_set, title="领导干部年度学法", role="all", period="year",
                                    min_count=40, unit="hours")


@pytest.fixture
def head(ctx) -> int:
    unit = ctx.store.people.add_unit("滨江区", "区县")
    return ctx.store.people.add_leader("赵宇", unit, "party", "区委书记", term_start="2020-01-01")


def _form(ctx, qtbot, **kwargs) -> RecordDialog:
    form = RecordDialog(ctx, **kwargs)
    form.show()
    qtbot.waitExposed(form)
    return form


def _close(form: RecordDialog) -> None:
    form._initial = form.values()
    form.reject()
    form.deleteLater()


def test_the_form_asks_for_hours_when_a_duty_counts_them(ctx, qtbot, head, hours_duty) -> None:
    form = _form(ctx, qtbot, preset={"leader_ids": [head]})
    try:
        assert not form.hours_edit.isVisible()  # no duty counts hours yet
        form.duties.set_checked([hours_duty])
        assert form.hours_edit.isVisible() and form.hours_label.text() == "学时(&H)*"
        assert form.hours_edit.placeholderText().startswith("必填")
        assert "领导干部年度学法" in form.hours_edit.toolTip()
        assert "按学时计算" in form.hint.text()
        assert form._duty_rows[hours_duty]["unit"] == "hours"
        assert "每年不少于40学时" in form.duties.text_of(hours_duty)
        form.title_edit.setText("参加法治专题培训")
        form.hours_edit.setText("一个半")
        assert not form.save()
        assert form.hours_edit.property("invalid") is True
        assert "学时" in form.problems_label.text()
        form.hours_edit.setText("1.5")
        assert form.save()
        assert ctx.store.records.record(form.record_id)["hours"] == 1.5
    finally:
        _close(form)


def test_a_record_with_hours_shows_them_when_opened(ctx, qtbot, head, hours_duty) -> None:
    record = ctx.store.records.add_record(performed_on="2025-05-06", title="旁听庭审", kind="学法",
                                          leader_ids=[head], duty_ids=[hours_duty], hours=2.0)
    form = _form(ctx, qtbot, record_id=record)
    try:
        assert form.hours_edit.isVisible() and form.hours_edit.text() == "2"
        assert not form.is_dirty()
    finally:
        _close(form)


def test_the_record_list_offers_a_hours_column_hidden_until_chosen(ctx, qtbot, head, hours_duty,
                                                                  monkeypatch, tmp_path: Path) -> None:
    from duty_tracker.ui.models.record_table_model import COLUMN_OF
    from duty_tracker.ui.pages.records_page import RecordsPage

    ctx.store.records.add_record(performed_on="2025-05-06", title="旁听庭审", kind="学法",
                                 leader_ids=[head], duty_ids=[hours_duty], hours=1.5)
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    column = COLUMN_OF["hours"]
    action = next(a for a in page.columns_menu.actions() if a.text() == "学时")
    assert not action.isChecked() and "hours" not in page.visible_columns()
    action.setChecked(True)
    assert "hours" in page.visible_columns()
    assert page.model.index(0, column).data() == "1.5"
    assert page.model.headerData(column, Qt.Orientation.Horizontal) == "学时"
    page.table.selectRow(0)
    assert "学时：1.5" in page.detail.toPlainText()
    again = RecordsPage(ctx)  # the clerk's choice is remembered
    qtbot.addWidget(again)
    assert "hours" in again.visible_columns()
    answers = Answers(monkeypatch)
    target = tmp_path / "列表.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_list()
    qtbot.waitUntil(lambda: bool(answers.warnings), timeout=10000)
    assert target.exists() and "已导出 1 条" in answers.warnings[-1]  # a shown 学时 never breaks it


def test_the_duty_dialog_edits_the_unit(ctx, qtbot) -> None:
    from duty_tracker.ui.dialogs.duty_dialog import DutyDialog
    from duty_tracker.ui.models.rules_models import DutyTableModel

    rule_set = ctx.store.rules.rule_sets_for_year(2025)[0]
    dialog = DutyDialog(ctx, rule_set)
    qtbot.addWidget(dialog)
    assert [dialog.unit_combo.itemText(i) for i in range(dialog.unit_combo.count())] == ["次", "学时"]
    dialog.title_edit.setText("年度集中学法")
    dialog.count_spin.setValue(40)
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("hours"))
    dialog.accept()
    duty = ctx.store.rules.duty(dialog.duty_id)
    assert duty["unit"] == "hours" and duty["min_count"] == 40
    model = DutyTableModel()
    model.set_rows([duty])
    column = [c.header for c in model.COLUMNS].index("最低要求")
    assert model.index(0, column).data() == "40学时"
    again = DutyDialog(ctx, rule_set, duty)
    qtbot.addWidget(again)
    assert again.unit_combo.currentText() == "学时"


def test_prose_rules_are_reviewed_as_paragraphs_with_hours_and_notes(ctx, qtbot, monkeypatch,
                                                                    tmp_path: Path) -> None:
    from duty_tracker.ui.pages.rules_page import RulesPage

    page = RulesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    path = tmp_path / "通知.txt"
    path.write_text(PROSE, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page.import_file()
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=15000)
    review = page.import_dialog
    assert "4 段" in review.summary_label.text() and "1 项按学时计算" in review.summary_label.text()
    assert review.warnings_label.isVisibleTo(review) and "按段落拆分为4段" in review.warnings_label.text()
    assert not review.kind_label.isVisibleTo(review)  # said once, in the parser's words
    model = review.model
    row = next(r for r in range(model.rowCount()) if model.duty(r).unit == "hours")
    assert model.index(row, REVIEW_UNIT).data() == "学时"
    other = next(r for r in range(model.rowCount()) if r != row)
    assert model.setData(model.index(other, REVIEW_UNIT), "hours", CHOICE_ROLE)
    assert model.index(other, REVIEW_UNIT).data() == "学时"
    review.ok_button.click()
    assert not review.isVisible()

    new_id = review.rule_set_id
    units = {d["title"]: d["unit"] for d in ctx.store.rules.duties(new_id, active_only=False)}
    assert units[model.duty(row).title] == "hours" and units[model.duty(other).title] == "hours"
    assert page.current_rule_set_id() == new_id
    assert page.tabs.tabText(1) == "条文（4 段）"
    assert page.article_tree.headerItem().text(0) == "段落"
    assert page.parse_notes.isVisible() and "按段落拆分" in page.parse_notes.text()
    page.tabs.setCurrentIndex(1)
    assert page.article_title.text() == "第1段（原文未分条，按段落识别）"


def test_a_list_layout_saved_before_the_hours_column_keeps_it_hidden(ctx, qtbot) -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from duty_tracker.ui.pages.records_page import RecordsPage

    old = QTableView()
    qtbot.addWidget(old)
    old.setModel(QStandardItemModel(0, 9))  # the list's nine columns before 学时
    old.setColumnWidth(1, 333)
    ctx.settings.setValue("records/header", old.horizontalHeader().saveState())
    page = RecordsPage(ctx)
    qtbot.addWidget(page)
    assert page.table.columnWidth(1) == 333  # the clerk's layout is back
    assert "hours" not in page.visible_columns()
    assert not next(a for a in page.columns_menu.actions() if a.text() == "学时").isChecked()


def test_showing_the_hours_column_keeps_the_list_within_the_window(demo_ctx, qtbot) -> None:
    from duty_tracker.ui.pages.records_page import RecordsPage

    page = RecordsPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1230, 700)
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= page.table.viewport().width())
    next(a for a in page.columns_menu.actions() if a.text() == "学时").setChecked(True)
    assert not page._user_sized  # showing a column is not the clerk sizing columns
    assert header.length() <= page.table.viewport().width()  # no sideways scrolling


def test_paragraphs_stored_without_notes_are_still_explained(ctx, qtbot) -> None:
    from duty_tracker.core.rules import parse_rules_text
    from duty_tracker.ui.pages.rules_page import RulesPage

    parsed = parse_rules_text(PROSE)
    parsed.warnings = []  # a rule set saved before the parser kept its notes
    rule_set = ctx.store.rules.import_parsed(parsed, PROSE)
    page = RulesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.reload(select_rule_set=rule_set)
    assert page.parse_notes.isVisible()
    assert page.parse_notes.text() == "识别说明：原文没有条款编号，按段落拆分，每段作为一条。"
    page.reload(select_rule_set=ctx.store.rules.default_rule_set())  # numbered articles: nothing to say
    assert not page.parse_notes.isVisible() and page.article_tree.headerItem().text(0) == "章 / 条"

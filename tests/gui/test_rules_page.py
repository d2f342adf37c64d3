"""规则与事项 page: importing a rules text with review, editing and adding duties, the rule
set in force per year."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from duty_tracker.ui.models.rules_models import REVIEW_COUNT, REVIEW_DUE, REVIEW_KEEP

SMALL_RULES = """清河县法治建设第一责任人职责规定

第一章 总则
第一条 为推进法治建设，制定本规定。
第二章 党委主要负责人职责
第二条 党委主要负责人应当履行下列职责：
（一）每年至少召开1次党委常委会会议专题研究法治建设；
（二）每年至少组织2次党委理论学习中心组学法；
（三）健全并执行党委工作规则。
第三章 政府主要负责人职责
第三条 政府主要负责人应当履行下列职责：
（一）每半年至少听取1次法治政府建设工作汇报；
（二）每季度至少召开1次政府常务会议学法。
第四章 附则
第四条 本规定自2021年2月1日起施行。
"""


@pytest.fixture
def page(ctx, qtbot):
    from duty_tracker.ui.pages.rules_page import RulesPage

    widget = RulesPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "清河县规定.txt"
    path.write_text(SMALL_RULES, encoding="gbk")
    return path


def _open_review(page, qtbot, monkeypatch, path: Path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page.import_file()
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=10000)
    return page.import_dialog


def test_import_with_review_keeps_only_checked_duties_with_edits(page, ctx, qtbot, monkeypatch, rules_file) -> None:
    before = {r["id"] for r in ctx.store.rules.rule_sets()}
    dialog = _open_review(page, qtbot, monkeypatch, rules_file)
    model = dialog.model
    titles = [model.duty(r).title for r in range(model.rowCount())]
    assert len(titles) == 4, titles
    assert "4 条" in dialog.summary_label.text() and "4 项" in dialog.summary_label.text()
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole).startswith("原文：")

    dropped = model.duty(3).title
    model.setData(model.index(3, REVIEW_KEEP), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.setData(model.index(1, REVIEW_COUNT), 3)
    edited = model.duty(1).title
    assert "已勾选 3 / 4" in dialog.kept_label.text()
    dialog.ok_button.click()
    assert not dialog.isVisible()

    [new_id] = {r["id"] for r in ctx.store.rules.rule_sets()} - before
    rule_set = ctx.store.rules.rule_set(new_id)
    assert rule_set["title"] == "清河县法治建设第一责任人职责规定"
    assert "第二条" in rule_set["source_text"]
    duties = ctx.store.rules.duties(new_id, active_only=False)
    assert len(duties) == 3
    assert dropped not in [d["title"] for d in duties]
    assert next(d for d in duties if d["title"] == edited)["min_count"] == 3
    assert len(ctx.store.rules.articles(new_id)) == 4
    assert page.current_rule_set_id() == new_id
    assert page.duty_model.rowCount() == 3


def test_cancelling_the_review_stores_nothing(page, ctx, qtbot, monkeypatch, rules_file) -> None:
    count = len(ctx.store.rules.rule_sets())
    dialog = _open_review(page, qtbot, monkeypatch, rules_file)
    dialog.reject()
    assert len(ctx.store.rules.rule_sets()) == count
    assert page.rule_set_model.rowCount() == count


def test_an_invalid_edit_keeps_the_review_open(page, ctx, qtbot, monkeypatch, rules_file) -> None:
    count = len(ctx.store.rules.rule_sets())
    dialog = _open_review(page, qtbot, monkeypatch, rules_file)
    dialog.model.setData(dialog.model.index(0, REVIEW_DUE), "13-45")
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "截止日期格式不正确" in dialog.error_label.text()
    assert len(ctx.store.rules.rule_sets()) == count


def test_parser_error_is_shown_and_nothing_stored(page, ctx, qtbot, monkeypatch, tmp_path) -> None:
    bad = tmp_path / "旧文档.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    count = len(ctx.store.rules.rule_sets())
    page.import_file()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert ".doc" in warnings[0] and "另存为" in warnings[0]
    assert page.import_dialog is None
    assert len(ctx.store.rules.rule_sets()) == count


def test_pasted_text_is_parsed_into_the_review(page, qtbot) -> None:
    page.import_paste()
    page.paste_dialog.text_edit.setPlainText(SMALL_RULES)
    page.paste_dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=10000)
    assert page.import_dialog.model.rowCount() == 4
    page.import_dialog.reject()


def test_editing_a_duty_through_the_dialog(page, ctx) -> None:
    duty = page.duty_model.row_at(0)
    assert page.select_duty(duty["id"])
    page.edit_duty()
    dialog = page.dialog
    assert dialog.title_edit.text() == duty["title"]
    dialog.title_edit.setText("党委法治建设议事协调机构全体会议")
    dialog.count_spin.setValue(2)
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("half_year"))
    dialog.ok_button.click()
    stored = ctx.store.rules.duty(duty["id"])
    assert (stored["title"], stored["min_count"], stored["period"]) == ("党委法治建设议事协调机构全体会议", 2, "half_year")
    row = page.duty_model.find_row("id", duty["id"])
    assert page.duty_model.index(row, 3).data() == "每半年"


def test_a_once_duty_without_deadline_is_refused_in_chinese(page, ctx) -> None:
    duty = page.duty_model.row_at(0)
    page.select_duty(duty["id"])
    page.edit_duty()
    dialog = page.dialog
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("once"))
    dialog.due_edit.setText("")
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "截止日期" in dialog.error_label.text()
    assert ctx.store.rules.duty(duty["id"])["period"] == duty["period"]


def test_adding_a_duty_citing_an_article_clause(page, ctx) -> None:
    rule_set_id = page.current_rule_set_id()
    before = len(ctx.store.rules.duties(rule_set_id, active_only=False))
    page.tabs.setCurrentIndex(1)
    page.add_duty()
    dialog = page.dialog
    article_index = next(i for i in range(dialog.article_combo.count())
                         if dialog.article_combo.itemText(i).startswith("第四条"))
    dialog.article_combo.setCurrentIndex(article_index)
    assert dialog.clause_combo.count() > 1
    dialog.clause_combo.setCurrentIndex(1)
    dialog.title_edit.setText("专题研究法治建设")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("party"))
    dialog.ok_button.click()
    duties = ctx.store.rules.duties(rule_set_id, active_only=False)
    assert len(duties) == before + 1
    new = next(d for d in duties if d["title"] == "专题研究法治建设")
    assert new["article_ref"] == "第四条（一）"
    assert page.current_duty()["id"] == new["id"]


def test_disabling_a_duty(page, ctx) -> None:
    duty = page.duty_model.row_at(0)
    page.select_duty(duty["id"])
    page.toggle_duty()
    assert ctx.store.rules.duty(duty["id"])["active"] == 0
    assert page.show_inactive.isChecked()
    assert page.toggle_duty_button.text() == "启用"


def test_choosing_the_rule_set_in_force_for_a_year(page, ctx, qtbot, monkeypatch, rules_file) -> None:
    dialog = _open_review(page, qtbot, monkeypatch, rules_file)
    dialog.ok_button.click()
    new_id = dialog.rule_set_id
    page.year_spin.setValue(2020)
    index = page.year_combo.findData(new_id)
    page.year_combo.setCurrentIndex(index)
    page.year_combo.activated.emit(index)
    assert ctx.store.rules.rule_set_for_year(2020) == new_id
    assert ctx.store.rules.explicit_rule_set_for_year(2020) == new_id
    assert "清河县" in page.year_effect.text()
    page.year_combo.setCurrentIndex(0)
    page.year_combo.activated.emit(0)
    assert ctx.store.rules.explicit_rule_set_for_year(2020) is None


def test_a_supplement_saved_from_the_review_counts_alongside_the_year_rules(page, ctx, qtbot, monkeypatch,
                                                                           rules_file) -> None:
    year = ctx.today().year
    main = ctx.store.rules.rule_set_for_year(year)
    before = len(ctx.store.rules.duties_for_year(year))
    dialog = _open_review(page, qtbot, monkeypatch, rules_file)
    dialog.use_box.supplement_radio.setChecked(True)
    dialog.use_box.from_spin.set_year(year)
    dialog.ok_button.click()
    extra = dialog.rule_set_id
    assert ctx.store.rules.rule_set_for_year(year) == main
    assert ctx.store.rules.supplements_for_year(year) == [extra]
    assert len(ctx.store.rules.duties_for_year(year)) == before + 4
    assert "补充规则" in page.notice_label.text()
    row = page.rule_set_model.find_row("id", extra)
    assert page.rule_set_model.index(row, 5).data() == f"补充 {year}年起"
    assert page.year_combo.findData(extra) < 0  # a supplement is never a year's main set
    page.year_spin.setValue(year)
    assert "另加补充规则《清河县" in page.year_effect.text()


def test_default_and_automatic_agree_and_set_default_asks_first(page, ctx, qtbot, monkeypatch,
                                                                 rules_file) -> None:
    from tests.gui.helpers import Answers

    default = ctx.store.rules.default_rule_set()
    dialog = _open_review(page, qtbot, monkeypatch, rules_file)
    dialog.ok_button.click()
    new_id = dialog.rule_set_id
    default_title = ctx.store.rules.rule_set(default)["title"]
    assert page.year_combo.itemText(0) == f"按默认规则：《{default_title}》"
    assert page.rule_set_model.index(page.rule_set_model.find_row("id", default), 5).data() == "默认"
    assert page.rule_set_model.index(page.rule_set_model.find_row("id", new_id), 5).data() == "主规则"
    answers = Answers(monkeypatch, answer=QMessageBox.StandardButton.No)
    page.select_rule_set(new_id)
    assert not page.make_default()
    assert ctx.store.rules.default_rule_set() == default and "未单独选择" in answers.questions[0]
    answers.answer = QMessageBox.StandardButton.Yes
    assert page.make_default()
    assert ctx.store.rules.rule_set_for_year(ctx.today().year) == new_id
    assert page.year_combo.itemText(0).startswith("按默认规则：《清河县")

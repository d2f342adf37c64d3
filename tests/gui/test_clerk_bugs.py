"""Defects a clerk found driving the window by keyboard and mouse; each test failed before the
fix: the double dialog from one double-click, the 视图 shortcuts, the silent switch of a year's
rules, the pasted rules text lost on a parse error, and the selection after saving a record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from duty_tracker.ui.dialogs.record_dialog import RecordDialog
from duty_tracker.ui.main_window import PAGES, MainWindow
from tests.gui.conftest import TODAY
from tests.gui.helpers import Answers, double_click
from tests.gui.test_rules_page import SMALL_RULES


def _window(ctx, qtbot):  # noqa: ANN001, ANN202
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _record_dialogs() -> list[RecordDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, RecordDialog) and w.isVisible()]


def test_one_double_click_on_an_empty_cell_opens_one_form(ctx, qtbot) -> None:
    from duty_tracker.ui.pages.dashboard_page import DashboardPage

    unit = ctx.store.people.add_unit("萧山区", "区县")
    leader = ctx.store.people.add_leader("李志强", unit, "government", "区长", term_start="2020-01-01")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 760)
    page.show()
    qtbot.waitExposed(page)
    page.select_leader(leader)
    model = page.grid_model
    cell = next(model.index(r, c) for r in range(model.rowCount()) for c in range(3, model.year_column())
                if model.period_at(model.index(r, c)) and not model.period_at(model.index(r, c)).done)
    page.grid.scrollTo(cell)
    center = page.grid.visualRect(cell).center()
    double_click(page.grid.viewport(), center)
    qtbot.waitUntil(lambda: bool(_record_dialogs()))
    qtbot.wait(50)
    dialogs = _record_dialogs()
    assert len(dialogs) == 1
    dialogs[0]._initial = dialogs[0].values()
    dialogs[0].reject()


def test_view_menu_and_ctrl_digits_go_to_their_page(demo_ctx, qtbot) -> None:
    window = _window(demo_ctx, qtbot)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("视图"))
    entries = [a for a in view_menu.actions() if not a.isSeparator()]
    assert [a.text() for a in entries[:len(PAGES)]] == [label for label, _m, _c in PAGES]
    entries[3].trigger()
    assert window.stack.currentIndex() == 3
    for digit, key in enumerate((Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4,
                                 Qt.Key.Key_5, Qt.Key.Key_6)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentIndex() == digit


def test_saving_a_new_rule_set_does_not_switch_the_year_rules(ctx, qtbot, monkeypatch, tmp_path) -> None:
    from duty_tracker.ui.pages.rules_page import RulesPage

    year = TODAY.year
    in_force = ctx.store.rules.rule_set_for_year(year)
    duties_before = [d["id"] for d in ctx.store.rules.duties_for_year(year)]
    page = RulesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.import_paste()
    page.paste_dialog.text_edit.setPlainText(SMALL_RULES)  # 施行 2021-02-01: newer than the default
    page.paste_dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=15000)
    page.import_dialog.ok_button.click()
    new_id = page.import_dialog.rule_set_id
    assert new_id is not None and new_id != in_force
    assert ctx.store.rules.rule_set_for_year(year) == in_force
    assert [d["id"] for d in ctx.store.rules.duties_for_year(year)] == duties_before


def test_a_parse_error_keeps_the_paste_dialog_and_its_text(ctx, qtbot, monkeypatch) -> None:
    from duty_tracker.ui.pages.rules_page import RulesPage

    answers = Answers(monkeypatch)
    page = RulesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.import_paste()
    dialog = page.paste_dialog
    text = "Copied the wrong window: no rules here, only an English note.\n" * 20
    dialog.text_edit.setPlainText(text)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()) or bool(answers.warnings), timeout=15000)
    assert dialog.isVisible()
    assert dialog.text_edit.toPlainText() == text
    assert dialog.error_label.isVisibleTo(dialog) and dialog.error_label.text().startswith("无法识别")
    assert dialog.ok_button.isEnabled()  # corrected text can be sent again
    assert page.import_dialog is None


def test_after_saving_a_new_record_only_it_is_selected(demo_ctx, qtbot, monkeypatch) -> None:
    from duty_tracker.ui.pages.records_page import RecordsPage

    Answers(monkeypatch)
    page = RecordsPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.table.selectRow(1)
    page.table.selectionModel().select(
        page.model.index(2, 0), page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows)
    assert len(page.selected_ids()) == 2
    dialog = page.new_record()
    dialog.title_edit.setText("专题学习新修订的行政复议法")
    dialog.leaders.set_checked([demo_ctx.store.people.leaders()[0]["id"]])
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # 保存
    assert not dialog.isVisible()
    new_id = dialog.record_id
    qtbot.wait(100)  # the list refreshes after the save
    assert page.selected_ids() == [new_id]
    assert page.delete_button.isEnabled() and page.detail.toPlainText().startswith("专题学习")

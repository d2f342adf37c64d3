"""The window around the pages: notes in the status bar, the 编辑 menu's undo and redo with
their shortcuts, the bundled user guide, the first start maximised, dialogs that can be
maximised, the reminder in the middle of the window, one spelling of the year."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox

from duty_tracker.ui.dialogs.record_dialog import RecordDialog
from duty_tracker.ui.main_window import MainWindow
from tests.gui.helpers import Answers


def _window(ctx, qtbot):  # noqa: ANN001, ANN202
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_delete_and_undo_are_told_in_the_status_bar_and_the_edit_menu(demo_ctx, qtbot, monkeypatch) -> None:
    Answers(monkeypatch)
    window = _window(demo_ctx, qtbot)
    assert not window.undo_action.shortcut().isEmpty() and not window.redo_action.shortcut().isEmpty()
    records = window.go_to("RecordsPage")
    records.table.selectRow(0)
    records.delete_selected()
    message = window.statusBar().currentMessage()
    assert message.startswith("已删除 1 条纪实") and "Ctrl+Z" in message
    assert window.undo_action.isEnabled() and window.undo_action.text() == "撤销 删除 1 条纪实"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage().startswith("已撤销：删除 1 条纪实")


def test_a_long_title_keeps_the_undo_entry_short(demo_ctx, qtbot, monkeypatch) -> None:
    Answers(monkeypatch)
    window = _window(demo_ctx, qtbot)
    records = window.go_to("RecordsPage")
    dialog = records.new_record()
    dialog.title_edit.setText("党委理论学习中心组专题学习《中华人民共和国行政复议法》及其配套规定并研究贯彻落实意见")
    dialog.leaders.set_checked([demo_ctx.store.people.leaders()[0]["id"]])
    assert dialog.save()
    assert "已保存纪实" in window.statusBar().currentMessage()
    assert len(window.undo_action.text()) <= 26 and window.undo_action.text().endswith("…”")


def test_the_user_guide_opens_inside_the_program(demo_ctx, qtbot) -> None:
    window = _window(demo_ctx, qtbot)
    guide = window.show_guide()
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    assert "使用说明" in text and "第一次使用" in text
    assert guide.windowFlags() & Qt.WindowType.WindowMaximizeButtonHint
    assert window.show_guide() is guide  # one guide window, raised again


def test_the_first_start_is_maximised_and_later_ones_remembered(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.first_start
    window.show_as_remembered()
    qtbot.waitExposed(window)
    assert window.isMaximized()
    window.showNormal()
    window.resize(1200, 700)
    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert not again.first_start  # the saved size and place, not maximised again


def test_dialogs_can_be_maximised_and_the_reminder_sits_on_the_window(demo_ctx, qtbot) -> None:
    window = _window(demo_ctx, qtbot)
    window.resize(1100, 700)
    window.move(120, 60)
    form = RecordDialog(demo_ctx, parent=window)
    assert form.windowFlags() & Qt.WindowType.WindowMaximizeButtonHint
    assert form.windowFlags() & Qt.WindowType.WindowMinimizeButtonHint
    form.deleteLater()
    dashboard = window.page_by_class("DashboardPage")
    reminder = dashboard.after_window_shown()
    assert reminder is not None
    qtbot.waitExposed(reminder)
    offset = reminder.frameGeometry().center() - window.frameGeometry().center()
    assert abs(offset.x()) <= 2 and abs(offset.y()) <= 2
    reminder.close()


def test_every_year_control_spells_the_year_the_same_way(demo_ctx, qtbot) -> None:
    window = _window(demo_ctx, qtbot)
    for name in ("RulesPage", "DebriefPage", "DataPage"):
        window.go_to(name)
    spins = [s for s in window.findChildren(QSpinBox) if 2000 <= s.value() <= 2100]
    assert len(spins) >= 3
    assert {s.suffix() for s in spins} == {"年"}
    dashboard = window.page_by_class("DashboardPage")
    assert dashboard.year_selector.currentText() == f"{dashboard.year_selector.year()}年"

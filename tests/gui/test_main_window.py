"""The main window with the dashboard and the record list: shortcuts and navigation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

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


def test_starts_on_a_filled_dashboard(demo_ctx, qtbot):
    window = _window(demo_ctx, qtbot)
    dashboard = window.page_by_class("DashboardPage")
    assert window.stack.currentIndex() == 0
    assert dashboard.summary_model.rowCount() > 0
    assert dashboard.grid_model.rowCount() > 0


def test_ctrl_n_opens_a_new_record_form(demo_ctx, qtbot):
    window = _window(demo_ctx, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RecordDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "新建履职纪实"
    assert window.stack.currentIndex() == 1
    dialog._initial = dialog.values()
    dialog.reject()


def test_ctrl_f_focuses_the_search(demo_ctx, qtbot):
    window = _window(demo_ctx, qtbot)
    records = window.go_to("RecordsPage")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(records.search_edit.hasFocus)


def test_delete_key_and_ctrl_z(demo_ctx, qtbot, monkeypatch):
    Answers(monkeypatch)
    window = _window(demo_ctx, qtbot)
    records = window.go_to("RecordsPage")
    total = records.model.total
    records.table.setFocus()
    records.table.selectRow(0)
    qtbot.keyClick(records.table, Qt.Key.Key_Delete)
    assert records.model.total == total - 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert records.model.total == total


def test_enter_opens_the_selected_record(demo_ctx, qtbot):
    window = _window(demo_ctx, qtbot)
    records = window.go_to("RecordsPage")
    records.table.setFocus()
    records.table.selectRow(0)
    qtbot.keyClick(records.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RecordDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.record_id == records.model.record_id(0)
    dialog.reject()


def test_cell_with_records_opens_the_filtered_list(demo_ctx, qtbot):
    window = _window(demo_ctx, qtbot)
    dashboard = window.page_by_class("DashboardPage")
    model = dashboard.grid_model
    cell = next(model.index(r, c) for r in range(model.rowCount()) for c in range(3, model.year_column())
                if model.period_at(model.index(r, c)) and model.period_at(model.index(r, c)).done)
    period = model.period_at(cell)
    dashboard.open_cell(cell)
    assert window.stack.currentIndex() == 1
    records = window.page_by_class("RecordsPage")
    flt = records.model.record_filter
    assert (flt.leader_id, flt.duty_id) == (period.leader_id, period.duty_id)
    assert records.model.total == period.done


def test_closing_remembers_the_page(demo_ctx, qtbot):
    window = _window(demo_ctx, qtbot)
    window.go_to("RecordsPage")
    window.close()
    assert int(demo_ctx.settings.value("window/page")) == 1

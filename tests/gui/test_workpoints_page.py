"""The 工作要点 page as a clerk uses it: importing with review (edits reach the stored tasks, a
unit chosen once is proposed next time, the pasted text survives a parse error), progress with
Ctrl+Z, the per-unit view and the filters, the 任务分解表 out and back, and a record's tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from duty_tracker.core.services import records
from duty_tracker.core.services import workpoints as wp
from duty_tracker.ui.dialogs.record_dialog import RecordDialog
from duty_tracker.ui.main_window import MainWindow
from duty_tracker.ui.models import workpoints_models as tm
from duty_tracker.ui.models import workpoints_review_models as rm
from duty_tracker.ui.pages.workpoints_page import WorkpointsPage
from tests.gui.conftest import TODAY
from tests.gui.helpers import Answers
from tests.gui.test_workpoints_models import TEXT
from tests.workpoints_helpers import add_city_units


@pytest.fixture
def units(ctx) -> dict[str, int]:
    return add_city_units(ctx.store)


@pytest.fixture
def imported(ctx, units) -> wp.WorkPointsImport:
    preview = wp.preview_import(ctx.store, text=TEXT)
    wp.choose_units(ctx.store, preview, {"市委网信办": []})
    return wp.import_workpoints(ctx.store, preview)


@pytest.fixture
def page(ctx, qtbot) -> WorkpointsPage:
    widget = WorkpointsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _parse(page: WorkpointsPage, qtbot, text: str):  # noqa: ANN001, ANN202
    """导入工作要点… → paste → 识别; returns the source dialog."""
    source = page.import_workpoints()
    source.text_edit.setPlainText(text)
    source.ok_button.click()
    return source


def _review(page: WorkpointsPage, qtbot, text: str = TEXT):  # noqa: ANN001, ANN202
    _parse(page, qtbot, text)
    qtbot.waitUntil(lambda: getattr(page, "review_dialog", None) is not None and page.review_dialog.isVisible(),
                    timeout=10000)
    return page.review_dialog


def test_an_empty_year_says_how_to_import(ctx, page) -> None:
    assert page.empty_state.isVisibleTo(page.tree)
    text = page.empty_state.text()
    assert "尚未导入2025年度工作要点" in text and "导入工作要点…" in text


def test_the_pasted_text_survives_a_parse_error(ctx, page, qtbot) -> None:
    source = _parse(page, qtbot, "这不是工作要点，只是一段话。")
    qtbot.waitUntil(lambda: source.error_label.isVisibleTo(source), timeout=10000)
    assert source.error_label.text().startswith("无法识别：")
    assert source.isVisible() and source.text() == "这不是工作要点，只是一段话。"
    assert not source.text_edit.isReadOnly() and source.ok_button.isEnabled()
    source.reject()
    again = page.import_workpoints()
    assert again.text() == "这不是工作要点，只是一段话。"  # opened again: still there
    again.reject()


def test_review_edits_reach_the_stored_tasks(ctx, page, units, qtbot, monkeypatch) -> None:
    answers = Answers(monkeypatch)
    review = _review(page, qtbot)
    model = review.tasks_model
    model.setData(model.index(0, rm.TITLE), "复议体制改革")
    model.setData(model.index(0, rm.DUE), "2025-07-31")
    model.setData(model.index(1, rm.KEEP), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    model.set_units(2, [(units["市公安局"], "lead"), (units["市财政局"], "assist")])
    names = review.names_model
    assert [names.name(r) for r in range(names.rowCount())] == ["市委网信办"]
    names.setData(names.index(0, rm.CHOICE), [units["市人防办"]], rm.VALUE_ROLE)
    review.title_edit.setText("某市2025年依法行政工作要点")
    review.accept()
    qtbot.waitUntil(lambda: bool(ctx.store.tasks.plans(2025)), timeout=10000)
    qtbot.waitUntil(lambda: not review.isVisible(), timeout=10000)
    assert answers.questions == []  # nothing left unmatched, nothing imported twice
    plan = ctx.store.tasks.plans(2025)[0]
    assert plan["title"] == "某市2025年依法行政工作要点"
    tasks = ctx.store.tasks.tasks(2025)
    assert [t["title"] for t in tasks][0] == "复议体制改革" and len(tasks) == 3
    assert tasks[0]["due"] == "2025-07-31"
    assert [(u["unit_name"], u["role"]) for u in tasks[1]["units"]] == [("市公安局", "lead"), ("市财政局", "assist")]
    assert [u["unit_name"] for u in tasks[2]["units"]] == ["市人防办"]
    assert page.model.task_count() == 3 and "已导入" in page.notice_label.text()


def test_a_unit_chosen_once_is_proposed_next_time(ctx, page, units, qtbot, monkeypatch) -> None:
    Answers(monkeypatch)
    review = _review(page, qtbot)
    review.names_model.set_choice("市委网信办", [units["市人防办"]])
    review.accept()
    qtbot.waitUntil(lambda: bool(ctx.store.tasks.plans(2025)), timeout=10000)
    qtbot.waitUntil(lambda: not review.isVisible(), timeout=10000)
    page.review_dialog = None
    again = _review(page, qtbot, TEXT.replace("2025", "2026"))
    assert again.names_model.rowCount() == 0 and "都已对应" in again.names_title.text()
    assert again.preview.tasks[3].units == [(units["市人防办"], "responsible")]
    assert "市人防办" in again.tasks_model.index(3, rm.UNITS).data()
    again.reject()


def test_names_left_unmatched_are_asked_about_before_importing(ctx, page, qtbot, monkeypatch) -> None:
    answers = Answers(monkeypatch, answer=QMessageBox.StandardButton.No)
    review = _review(page, qtbot)
    review.accept()
    assert answers.questions and "市委网信办" in answers.questions[0]
    assert review.isVisible() and ctx.store.tasks.plans() == []  # said no: nothing stored
    review.reject()


def test_progress_entry_and_ctrl_z(ctx, imported, qtbot, monkeypatch, tmp_path) -> None:
    Answers(monkeypatch)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.go_to("WorkpointsPage")
    task_id = imported.task_ids[0]
    assert page.select_task(task_id)
    evidence = tmp_path / "方案.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    dialog = page.add_progress()
    assert dialog.unit_combo.currentText() == "市司法局（牵头）"
    dialog.date_edit.edit.setText("2025年5月8日")
    dialog.note_edit.setPlainText("已出台实施方案")
    dialog.done_check.setChecked(True)
    dialog.add_files([evidence])
    assert dialog.save()
    entries = ctx.store.tasks.progress([task_id])
    assert [(e["reported_on"], e["note"], e["done"], e["attachment_count"]) for e in entries] == [
        ("2025-05-08", "已出台实施方案", True, 1)]
    index = page.model.index_of_task(task_id)
    assert page.model.index(index.row(), tm.STATUS, index.parent()).data() == "已完成"
    assert "已出台实施方案" in page.detail.toPlainText() and "方案.pdf" in page.detail.toPlainText()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctx.store.tasks.progress([task_id]) == []
    index = page.model.index_of_task(task_id)
    assert page.model.index(index.row(), tm.STATUS, index.parent()).data().startswith("逾期")
    ctx.undo_stack.redo()
    assert len(ctx.store.tasks.progress([task_id])) == 1


def test_a_progress_without_note_or_done_is_refused_in_place(ctx, imported, page) -> None:
    page.select_task(imported.task_ids[1])
    dialog = page.add_progress()
    assert not dialog.save()
    assert dialog.problems_label.isVisibleTo(dialog) and dialog.note_edit.property("invalid")
    assert ctx.store.tasks.progress() == []
    dialog._initial = dialog.values()
    dialog.reject()


def test_the_unit_filter_shows_only_that_units_tasks(ctx, imported, units, page) -> None:
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(units["市编委办"]))
    shown = page.model.views()
    assert shown and all(view.unit(units["市编委办"]) for view in shown)
    assert {v.id for v in shown} == {t["id"] for t in ctx.store.tasks.tasks(2025, unit_id=units["市编委办"])}
    assert page.model.headerData(tm.STATUS, Qt.Orientation.Horizontal) == "本单位状态"
    assert page.count_label.text().startswith("市编委办的任务共 2 项")
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(units["市人防办"]))
    assert page.model.task_count() == 1  # only 市政府各部门's task
    page.clear_filters()
    assert page.model.task_count() == 4


def test_status_deadline_and_search_filters(ctx, imported, page) -> None:
    page.status_combo.setCurrentIndex(page.status_combo.findText("逾期"))
    assert page.model.task_count() == 2 and page.filter_label.isVisibleTo(page)
    page.status_combo.setCurrentIndex(0)
    page.due_combo.setCurrentText("第三季度")
    assert [v.title for v in page.model.views()] == ["推行行政执法公示制度"]
    page.due_combo.setCurrentText("不限")
    page.search_edit.setText("顾问")
    page.reload()
    assert [v.title for v in page.model.views()] == ["建立政府法律顾问队伍"]
    page.search_edit.setText("没有这样的任务")
    page.reload()
    assert page.empty_state.isVisibleTo(page.tree) and "清除筛选" in page.empty_state.text()


def test_deleting_a_task_is_undone_by_ctrl_z(ctx, imported, page, monkeypatch) -> None:
    Answers(monkeypatch)
    page.select_task(imported.task_ids[3])
    assert page.delete_task()
    assert page.model.task_count() == 3
    ctx.undo_stack.undo()
    assert page.model.task_count() == 4


def test_editing_a_task_gives_it_units_and_undo_takes_them_back(ctx, imported, units, page, qtbot) -> None:
    task_id = imported.task_ids[3]
    page.select_task(task_id)
    dialog = page.edit_task()
    dialog._units_chosen([(units["市财政局"], "lead")])
    dialog.due_edit.setText("2025-12-15")
    dialog.accept()
    task = ctx.store.tasks.task(task_id)
    assert task["due"] == "2025-12-15" and [u["unit_name"] for u in task["units"]] == ["市财政局"]
    ctx.undo_stack.undo()
    task = ctx.store.tasks.task(task_id)
    assert task["due"] is None and task["units"] == []


def test_the_sheet_goes_out_and_comes_back_filled_in(ctx, imported, units, page, qtbot, monkeypatch,
                                                     tmp_path) -> None:
    Answers(monkeypatch)
    target = tmp_path / "分解表.xlsx"
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(units["市司法局"]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_sheet()
    qtbot.waitUntil(lambda: target.exists() and page.task is None, timeout=10000)
    book = load_workbook(target)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    progress, status = header.index("进展情况") + 1, header.index("状态") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == 1)
    sheet.cell(row, progress).value = "2025-06-20 已完成复议机构整合"
    sheet.cell(row, status).value = "已完成"
    book.save(target)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    page.import_sheet()
    qtbot.waitUntil(lambda: getattr(page, "sheet_dialog", None) is not None, timeout=10000)
    said = " ".join(label.text() for label in page.sheet_dialog.findChildren(QLabel))
    assert "1 行有新的进展" in said
    page.sheet_dialog.accept()
    qtbot.waitUntil(lambda: bool(ctx.store.tasks.progress([imported.task_ids[0]])), timeout=10000)
    entry = ctx.store.tasks.progress([imported.task_ids[0]])[0]
    assert (entry["reported_on"], entry["note"], entry["done"]) == ("2025-06-20", "已完成复议机构整合", True)
    qtbot.waitUntil(lambda: "已导入 1 条任务进展" in page.notice_label.text(), timeout=10000)


def test_a_record_evidences_tasks_of_its_year(ctx, imported, units, qtbot, monkeypatch) -> None:
    answers = Answers(monkeypatch)
    leader = ctx.store.people.add_leader("李明", units["市司法局"], "government", "局长", term_start="2020-01-01")
    draft = records.RecordDraft(performed_on=TODAY.isoformat(), title="复议改革推进会", kind="会议",
                                leader_ids=[leader], duty_ids=[])
    record_id = records.save_record(ctx.store, draft).record_id
    dialog = RecordDialog(ctx, record_id)
    tasks = dialog.task_links.tasks
    assert len(tasks.offered_ids()) == 4
    tasks.set_item_checked(imported.task_ids[0])
    assert dialog.is_dirty()
    assert dialog.save(), answers.warnings + answers.questions
    linked = wp.tasks_of_record(ctx.store, record_id)
    assert [(t["task_id"], t["unit_id"]) for t in linked] == [(imported.task_ids[0], units["市司法局"])]
    again = RecordDialog(ctx, record_id)
    assert again.task_links.checked_ids() == [imported.task_ids[0]]
    again.task_links.tasks.set_item_checked(imported.task_ids[0], False)
    assert again.save()
    assert wp.tasks_of_record(ctx.store, record_id) == []


def test_the_page_has_its_own_shortcut(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.page(window.stack.currentIndex()), WorkpointsPage)


def test_an_attachment_link_opens_the_file(ctx, imported, page, monkeypatch, tmp_path) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    evidence = tmp_path / "照片.png"
    evidence.write_bytes(b"png")
    draft = wp.ProgressDraft(imported.task_ids[0], ctx.store.tasks.task(imported.task_ids[0])["units"][0]["unit_id"],
                             "2025-05-01", "现场检查", new_files=[evidence])
    wp.save_progress(ctx.store, draft)
    ctx.notify("tasks")
    page.select_task(imported.task_ids[0])
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    attachment = ctx.store.tasks.progress_attachments(ctx.store.tasks.progress()[0]["id"])[0]
    page._link_clicked(QUrl(f"att:{attachment['id']}"))
    assert opened and Path(opened[0]).read_bytes() == b"png"


def test_a_name_is_chosen_with_the_drop_down(ctx, page, units, qtbot) -> None:
    from PySide6.QtWidgets import QComboBox

    review = _review(page, qtbot)
    view, model = review.names_view, review.names_model
    view.edit(model.index(0, rm.CHOICE))
    combo = view.findChild(QComboBox)
    labels = [combo.itemText(i) for i in range(combo.count())]
    position = labels.index("市审管办（部门）")
    combo.setCurrentIndex(position)
    combo.activated.emit(position)
    assert review.preview.choices == {"市委网信办": [units["市审管办"]]}
    assert review.preview.tasks[3].units == [(units["市审管办"], "responsible")]
    assert "还有" not in review.names_title.text()
    review.reject()


def test_show_task_goes_to_its_year_without_filters(ctx, imported, page) -> None:
    page.year_spin.set_year(2024)
    page.search_edit.setText("没有")
    assert page.show_task(imported.task_ids[2])
    assert page.year_spin.value() == 2025 and page.search_edit.text() == ""
    assert page.current_task_id() == imported.task_ids[2]
    assert "推行行政执法公示制度" in page.detail.toPlainText()


def test_the_units_editor_of_the_review_sets_units_and_several_units_for_a_name(ctx, page, units, qtbot) -> None:
    review = _review(page, qtbot)
    review.tasks_view.selectRow(1)
    review.edit_units()
    editor = review.units_dialog.model
    row = next(r for r in range(editor.rowCount()) if editor.unit_id(r) == units["市审管办"])
    editor.setData(editor.index(row, rm.UNIT), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    editor.setData(editor.index(row, rm.ROLE), "lead", rm.VALUE_ROLE)
    review.units_dialog.accept()
    assert review.preview.tasks[1].units == [(units["市司法局"], "responsible"), (units["市审管办"], "lead")]
    review.choose_several("市委网信办")
    several = review.units_dialog
    assert several.model.columnCount() == 1  # no roles: which units the name means
    several.accept()
    assert several.isVisible() and "至少" in several.error_label.text()  # none ticked: refused
    for name in ("市财政局", "市公安局"):
        row = next(r for r in range(several.model.rowCount()) if several.model.unit_id(r) == units[name])
        several.model.setData(several.model.index(row, rm.UNIT), Qt.CheckState.Checked.value,
                              Qt.ItemDataRole.CheckStateRole)
    several.accept()
    assert review.preview.choices["市委网信办"] == [units["市财政局"], units["市公安局"]]
    assert review.names_model.index(0, rm.CHOICE).data() == "市财政局、市公安局"
    review.reject()

"""The 年度报告 page as a clerk uses it in February, when last year's reports are due: what is
typed survives another unit, another page and closing the window, and is saved; the draft fills
only the empty parts unless the clerk chooses 全部替换 (and Ctrl+Z brings the text back); PDF and
Word files are written on a worker and say what is still to write; 标记为已报送 changes the
state in the list and can be undone; the empty states say what to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from duty_tracker.core.services import annual_due, reporting
from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.main_window import MainWindow
from duty_tracker.ui.pages.annual_page import AnnualPage
from duty_tracker.ui.widgets import page_preview
from tests.gui.helpers import Answers
from tests.gui.test_annual_models import TEXT
from tests.workpoints_helpers import add_city_units

TODAY = date(2026, 2, 20)


def _context(path: Path) -> AppContext:
    ledger = open_ledger(path, actor="测试员", purpose="测试窗口")
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    return AppContext(ledger=ledger, today_fn=lambda: TODAY, settings=settings)


@pytest.fixture
def actx(tmp_path: Path, qapp):
    context = _context(tmp_path / "annual.db")
    yield context
    context.undo_stack.clear()
    context.close()


@pytest.fixture
def units(actx) -> dict[str, int]:
    ids = add_city_units(actx.store)
    wp.import_workpoints(actx.store, wp.preview_import(actx.store, text=TEXT))
    first = actx.store.tasks.tasks(2025)[0]["id"]
    actx.store.tasks.add_progress(first, ids["市司法局"], "2025-07-20", "完成机构设置", done=True)
    return ids


@pytest.fixture
def page(actx, units, qtbot) -> AnnualPage:
    widget = AnnualPage(actx)
    qtbot.addWidget(widget)
    widget.resize(1230, 680)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _saved(ctx: AppContext, unit: int, year: int = 2025) -> dict:
    return ctx.store.annual_reports.get(unit, year) or {}


def _type(edit, text: str) -> None:
    """Typing as the clerk does (the editor's change signals fire)."""
    edit.setFocus()
    edit.insertPlainText(text) if hasattr(edit, "insertPlainText") else edit.insert(text)
    if hasattr(edit, "textEdited"):
        edit.textEdited.emit(edit.text())


def test_the_year_due_now_its_reporting_units_and_their_deadlines(page, units) -> None:
    assert page.year == 2025  # February: last year's reports are due
    names = [page.unit_model.row_at(r)["name"] for r in range(page.unit_model.rowCount())]
    assert "杭州市" in names and "市司法局" in names and "杭州仲裁委员会" not in names
    page.select_unit(units["市司法局"])
    assert page.unit_title.text() == "杭州市司法局"
    assert page.state_label.text() == "临期（还有 9 天）"
    assert "2026年3月1日前报送" in page.deadline_info.text()
    page.select_unit(units["杭州市"])
    assert page.unit_title.text() == "杭州市人民政府" and page.state_label.text() == "未到期"
    assert "应报送" in page.list_summary.text() and "临期" in page.list_summary.text()


def test_typed_text_survives_another_unit_another_page_and_closing(actx, units, qtbot) -> None:
    window = MainWindow(actx)
    qtbot.addWidget(window)
    window.show()
    page = window.go_to("AnnualPage")
    page.autosave_timer.setInterval(60_000)  # only the switches save here
    sfj, city = units["市司法局"], units["杭州市"]
    assert page.select_unit(sfj)
    _type(page.editor.part_edits["opening"], "2025年，我局认真贯彻落实。")
    _type(page.editor.addressee_edit, "市委全面依法治市委员会办公室")
    assert page.save_state.text().startswith("有未保存")
    page.select_unit(city)  # another unit
    assert _saved(actx, sfj)["opening"] == "2025年，我局认真贯彻落实。"
    assert _saved(actx, sfj)["addressee"] == "市委全面依法治市委员会办公室"
    assert page.editor.part_edits["opening"].toPlainText() == ""
    page.select_unit(sfj)
    assert page.editor.part_edits["opening"].toPlainText() == "2025年，我局认真贯彻落实。"
    assert page.editor.addressee_edit.text() == "市委全面依法治市委员会办公室"

    page.editor.show_key("problems")
    _type(page.editor.part_edits["problems"], "个别任务推进较慢。")
    window.go_to("DashboardPage")  # another page
    assert _saved(actx, sfj)["problems"] == "个别任务推进较慢。"
    page = window.go_to("AnnualPage")
    assert page.editor.part_edits["problems"].toPlainText() == "个别任务推进较慢。"

    _type(page.editor.part_edits["plans"], "继续推进。")
    window.close()  # closing the window
    assert _saved(actx, sfj)["plans"] == "继续推进。"
    row = page.unit_model.find_row("id", sfj)
    assert page.unit_model.index(row, 3).data() == "已撰写"


def test_autosave_after_a_pause_in_typing_and_defaults_are_not_stored(page, actx, units, qtbot) -> None:
    sfj = units["市司法局"]
    page.select_unit(sfj)
    assert page.editor.title_edit.placeholderText() == "杭州市司法局2025年法治政府建设年度报告"
    assert page.editor.signature_edit.placeholderText() == "杭州市司法局"
    assert page.editor.date_edit.placeholderText() == "2026-02-20"
    page.autosave_timer.setInterval(10)
    _type(page.editor.title_edit, "杭州市司法局2025年法治政府建设年度报告")  # the default typed out
    _type(page.editor.part_edits["measures"], "（一）深化改革。")
    qtbot.waitUntil(lambda: _saved(actx, sfj).get("measures") == "（一）深化改革。")
    assert _saved(actx, sfj)["title"] is None


def test_a_wrong_date_is_marked_and_the_rest_saved(page, actx, units) -> None:
    sfj = units["市司法局"]
    page.select_unit(sfj)
    _type(page.editor.date_edit, "2019-01-05")
    _type(page.editor.part_edits["opening"], "开头。")
    assert page.save()
    assert _saved(actx, sfj)["opening"] == "开头。" and _saved(actx, sfj)["report_date"] is None
    assert page.editor.date_edit.property("invalid") is True
    assert "成文日期不正确" in page.save_state.text()
    page.editor.date_edit.clear()
    _type(page.editor.date_edit, "2026年2月26日")
    assert page.save()
    assert _saved(actx, sfj)["report_date"] == "2026-02-26"
    assert not page.editor.date_edit.property("invalid")


def test_draft_fills_only_the_empty_parts_unless_all_is_chosen(page, actx, units, monkeypatch) -> None:
    sfj = units["市司法局"]
    page.select_unit(sfj)
    edits = page.editor.part_edits
    _type(edits["opening"], "我自己写的开头。")
    draft = reporting.annual_draft(actx.store, sfj, 2025, TODAY)
    monkeypatch.setattr(page, "ask_draft_mode", lambda: "empty")
    assert page.generate_draft() == ["measures", "leadership", "problems", "plans"]
    assert edits["opening"].toPlainText() == "我自己写的开头。"
    assert edits["measures"].toPlainText() == draft.measures and draft.measures.strip()
    assert _saved(actx, sfj)["plans"] == draft.plans  # saved at once

    monkeypatch.setattr(page, "ask_draft_mode", lambda: None)  # 取消: nothing replaced
    assert page.generate_draft() == []
    assert edits["opening"].toPlainText() == "我自己写的开头。"
    monkeypatch.setattr(page, "ask_draft_mode", lambda: "all")
    assert page.generate_draft() == list(draft.__slots__)
    assert edits["opening"].toPlainText() == draft.opening
    assert _saved(actx, sfj)["opening"] == draft.opening
    edits["opening"].undo()  # the clerk's own text comes back with Ctrl+Z
    assert edits["opening"].toPlainText() == "我自己写的开头。"


def test_the_draft_question_offers_fill_replace_and_cancel(page, units) -> None:
    page.select_unit(units["市司法局"])
    _type(page.editor.part_edits["opening"], "已有开头。")
    seen: list[list[str]] = []

    def answer() -> None:
        box = page.draft_box
        seen.append([b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == "全部替换").click()

    QTimer.singleShot(0, answer)
    assert page.generate_draft()[0] == "opening"
    assert sorted(seen[0]) == sorted(["只填空白部分", "全部替换", "取消"])
    assert page.editor.part_edits["opening"].toPlainText() != "已有开头。"


def test_the_notes_to_fill_and_the_empty_parts_are_listed_and_lead_to_the_text(page, units) -> None:
    page.select_unit(units["市财政局"])  # no heads: the draft leaves a note for the clerk
    editor = page.editor
    assert editor.open_list.count() == 5 and "5 个部分尚未撰写" in editor.open_label.text()
    page.generate_draft()
    notes = [editor.open_list.item(r).text() for r in range(editor.open_list.count())]
    assert notes and all("【" in n for n in notes)
    row = next(r for r, n in enumerate(notes) if n.startswith("二、党政主要负责人"))
    editor.show_key("opening")
    editor.open_list.itemClicked.emit(editor.open_list.item(row))
    assert editor.current_key() == "leadership"
    selected = editor.part_edits["leadership"].textCursor().selectedText()
    assert selected.startswith("【") and selected.endswith("】")
    _type(editor.part_edits["leadership"], "局长认真履行第一责任人职责。")  # replaces the note
    assert editor.open_list.count() == len(notes) - 1


def _export(page, qtbot, monkeypatch, target: Path, word: bool) -> Answers:
    answers = Answers(monkeypatch, answer=QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.last_export = None
    page.export(word=word)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=30000)
    return answers


def test_export_writes_a_pdf_and_a_word_file_and_says_what_is_left(page, actx, units, qtbot,
                                                                     monkeypatch, tmp_path) -> None:
    sfj = units["市司法局"]
    page.select_unit(sfj)
    page.autosave_timer.setInterval(60_000)
    _type(page.editor.part_edits["opening"], "2025年，我局认真落实工作要点<b>不会</b>变成标记。")
    page.editor.show_key("measures")
    _type(page.editor.part_edits["measures"], "（一）深化改革。完成复议体制改革【数字待核】。")
    pdf = tmp_path / "年度报告.pdf"
    answers = _export(page, qtbot, monkeypatch, pdf, word=False)
    assert _saved(actx, sfj)["opening"].startswith("2025年，我局")  # saved before the export
    with pdfplumber.open(pdf) as document:
        text = "".join((p.extract_text() or "") for p in document.pages).replace("\n", "")
    assert "杭州市司法局" in text and "主要举措和成效" in text
    assert "认真落实工作要点<b>不会</b>变成标记" in text
    assert "存在的不足和原因" not in text  # an empty part is not printed
    message = answers.questions[-1]
    assert str(pdf) in message and "尚未填写" in message and "【】" in message
    assert page.last_export.empty_sections == ("党政主要负责人履行推进法治建设第一责任人职责情况",
                                               "存在的不足和原因", "下一年度工作安排")

    word = tmp_path / "年度报告"  # the suffix is added
    _export(page, qtbot, monkeypatch, word, word=True)
    written = word.with_name("年度报告.docx")
    assert page.last_export.path == written and written.exists()
    paragraphs = [p.text for p in Document(str(written)).paragraphs]
    assert any("完成复议体制改革【数字待核】" in p for p in paragraphs)
    assert any("主要举措和成效" in p for p in paragraphs)


def test_marking_submitted_changes_the_state_in_the_list_and_can_be_undone(page, actx, units) -> None:
    sfj = units["市司法局"]
    page.select_unit(sfj)
    row = page.unit_model.find_row("id", sfj)
    assert page.unit_model.index(row, 2).data() == "临期 9天"
    dialog = page.toggle_submitted()
    dialog.date_edit.setDate(date(2026, 2, 18))
    dialog.accept()
    assert actx.store.annual_reports.get(sfj, 2025)["submitted_on"] == "2026-02-18"
    row = page.unit_model.find_row("id", sfj)
    assert page.unit_model.index(row, 2).data() == "已报送"
    assert page.current_unit_id() == sfj
    assert page.state_label.text() == "已于2026年2月18日报送"
    assert page.mark_button.text() == "撤销报送标记"
    assert annual_due.annual_reports_due(actx.store, TODAY) and all(
        d.unit_id != sfj for d in annual_due.annual_reports_due(actx.store, TODAY))

    actx.undo_stack.undo()  # Ctrl+Z
    row = page.unit_model.find_row("id", sfj)
    assert page.unit_model.index(row, 2).data() == "临期 9天"
    assert page.mark_button.text() == "标记为已报送…"
    actx.undo_stack.redo()
    assert page.state_label.text() == "已于2026年2月18日报送"
    page.toggle_submitted()  # 撤销报送标记
    assert actx.store.annual_reports.get(sfj, 2025)["submitted_on"] is None
    assert page.unit_model.index(page.unit_model.find_row("id", sfj), 2).data() == "临期 9天"


def test_a_date_outside_the_year_is_refused_in_the_submit_dialog(page, actx, units) -> None:
    page.select_unit(units["市司法局"])
    dialog = page.toggle_submitted()
    dialog.date_edit.edit.setText("2024-12-31")
    dialog.accept()
    assert dialog.isVisible() and "报送日期不正确" in dialog.error.text()
    assert actx.store.annual_reports.get(units["市司法局"], 2025) is None
    dialog.reject()


def test_state_filter_and_search(page, units) -> None:
    page.state_combo.setCurrentIndex(page.state_combo.findText("临期和逾期"))
    shown = {page.unit_proxy.index(r, 0).data() for r in range(page.unit_proxy.rowCount())}
    assert "市司法局" in shown and "杭州市" not in shown  # governments are due on 1 April
    page.unit_filter.setText("财政")
    assert [page.unit_proxy.index(r, 0).data() for r in range(page.unit_proxy.rowCount())] == ["市财政局"]
    page.unit_filter.setText("没有这个单位")
    assert page.unit_proxy.rowCount() == 0 and "没有符合条件的单位" in page.unit_empty.text()


def test_facts_tab_shows_what_the_draft_is_made_from(page, units) -> None:
    page.select_unit(units["市司法局"])
    assert page.tabs.tabText(1) == "草稿依据（任务 3 项）"
    model = page.facts_view.model()
    assert model.item(0).text().startswith("本单位的工作任务 3 项")
    assert "某市2025年法治政府建设工作要点" in page.facts_intro.text()
    page.select_unit(units["杭州市"])  # no task of its own
    assert page.tabs.tabText(1) == "草稿依据（任务 0 项）"
    assert "请先在“工作要点”页导入工作要点" in page.facts_intro.text()


def test_empty_ledger_says_what_to_do(actx, qtbot) -> None:
    page = AnnualPage(actx)
    qtbot.addWidget(page)
    page.show()
    assert page.unit_model.rowCount() == 0
    assert "请在“负责人与单位”中添加本级政府和部门" in page.unit_empty.text()
    assert page.unit_title.text() == "没有需要报送年度报告的单位"
    assert page.report_stack.currentWidget() is page.no_unit  # no empty editor, a sentence
    assert "在“工作要点”中导入本年度的工作要点" in page.no_unit.text()
    assert not page.draft_button.isEnabled() and not page.pdf_button.isEnabled()
    assert not page.editor.part_edits["opening"].isEnabled()


def test_text_is_never_saved_into_another_database(page, actx, units, tmp_path) -> None:
    sfj = units["市司法局"]
    page.select_unit(sfj)
    page.autosave_timer.setInterval(60_000)
    _type(page.editor.part_edits["opening"], "属于第一个数据库的文字。")
    other = open_ledger(tmp_path / "other.db", actor="测试员", purpose="测试窗口")
    add_city_units(other.store)  # the same unit ids in the other database
    actx.switch_to(other)
    page.save()
    assert actx.store.annual_reports.get(sfj, 2025) is None


@pytest.mark.skipif(not page_preview.AVAILABLE, reason="pypdfium2 is not installed")
def test_preview_shows_the_pages_of_what_is_saved(page, units, qtbot) -> None:
    page.select_unit(units["市司法局"])
    _type(page.editor.part_edits["opening"], "预览中的开头。")
    page.tabs.setCurrentWidget(page.preview_box)  # saves, then draws on a worker
    qtbot.waitUntil(lambda: page.preview_task is None and bool(page.preview.pages), timeout=30000)
    first = page.preview.pages[0].pixmap()
    assert first.width() > 600 and first.height() > first.width()  # an A4 page
    assert "共 " in page.preview_info.text()
    assert page.refresh_preview() is None  # nothing changed: not drawn again
    QApplication.processEvents()


def test_a_failed_save_keeps_the_text_and_closing_asks(page, actx, units, monkeypatch) -> None:
    from duty_tracker.core.errors import AppError

    page.select_unit(units["市司法局"])
    page.autosave_timer.setInterval(60_000)
    _type(page.editor.part_edits["opening"], "不能丢的文字。")

    def refuse(*_a, **_k):  # noqa: ANN202
        raise AppError("数据库正忙，请稍后再试。")

    monkeypatch.setattr(reporting, "save_annual_report", refuse)
    answers = Answers(monkeypatch, answer=QMessageBox.StandardButton.Cancel)
    assert page.can_close() is False
    assert any("数据库正忙" in w for w in answers.warnings)
    assert any("仍要关闭吗" in q for q in answers.questions)
    page.select_unit(units["杭州市"])  # another unit: the page stays with the text
    QApplication.processEvents()
    assert page.current_unit_id() == units["市司法局"]
    assert page.editor.part_edits["opening"].toPlainText() == "不能丢的文字。"
    monkeypatch.undo()
    assert page.can_close() is True
    assert _saved(actx, units["市司法局"])["opening"] == "不能丢的文字。"

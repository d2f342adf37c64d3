"""述职报告 page, as the report is now built: the body by section (the work sections drafted from
the records, then 问题 and 打算; the earlier 主要做法和成效 kept where a clerk wrote it), the
report's own fields with their defaults as placeholders, which sections are empty (left out of
the print), Word export beside PDF, the batch as PDF or Word with a 成文日期, the font notice."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from duty_tracker.core.reports.sections import section_title
from tests.gui.helpers import Answers


@pytest.fixture
def page(debrief_page):
    return debrief_page


def _fresh(ctx, qtbot, leader_id):
    from duty_tracker.ui.pages.debrief_page import DebriefPage

    widget = DebriefPage(ctx)
    qtbot.addWidget(widget)
    widget.select_leader(leader_id)
    return widget


def _items(page) -> list[str]:
    lst = page.editor.section_list
    return [lst.item(i).text() for i in range(lst.count()) if not lst.item(i).isHidden()]


def _role(ctx, leader_id) -> str:
    return ctx.store.people.leader(leader_id)["role"]


def test_the_editor_offers_the_sections_of_the_report_in_print_order(page, demo_ctx) -> None:
    role = _role(demo_ctx, page.current_leader_id())
    headings = [text.split("\n")[0] for text in _items(page)]
    assert headings == [section_title(k, role) for k in
                        ("leadership", "study", "decisions", "publicity", "problems", "plans")]
    assert "主要做法和成效" not in headings  # nothing was written in the earlier layout
    assert all(text.endswith("空白 · 打印时略去") for text in _items(page))


def test_text_of_the_earlier_layout_stays_visible_and_editable(page, demo_ctx, qtbot) -> None:
    leader_id = page.current_leader_id()
    demo_ctx.store.debriefs.save(leader_id, 2025, achievements="去年版式中写的成效。")
    again = _fresh(demo_ctx, qtbot, leader_id)
    assert any(text.startswith("主要做法和成效\n已撰写") for text in _items(again))
    again.editor.show_key("achievements")
    assert "此前版式" in again.editor.section_heading.text()
    box = again.section_edits["achievements"]
    assert box.isEnabled() and box.toPlainText() == "去年版式中写的成效。"
    again.section_edits["study"].setPlainText("带头学法。")
    assert any(text.startswith("其他做法和成效") for text in _items(again))  # as printed
    box.setPlainText("改过的成效。")
    assert again.save()
    assert demo_ctx.store.debriefs.get(leader_id, 2025)["achievements"] == "改过的成效。"


def test_empty_sections_are_named_and_said_to_be_left_out_of_the_print(page, demo_ctx) -> None:
    role = _role(demo_ctx, page.current_leader_id())
    note = page.editor.empty_note.text()
    assert note.startswith("尚未撰写：") and "略去" in note
    assert section_title("study", role) in note
    page.section_edits["study"].setPlainText("参加中心组集体学法四次。")
    note = page.editor.empty_note.text()
    assert section_title("study", role) not in note and section_title("plans", role) in note
    study = next(t for t in _items(page) if t.startswith(section_title("study", role)))
    assert study.endswith("已撰写 12 字")
    for key in ("leadership", "decisions", "publicity", "problems", "plans"):
        page.section_edits[key].setPlainText("有内容。")
    assert page.editor.empty_note.text() == "正文各部分均已撰写。"


def test_own_fields_show_their_defaults_and_are_saved_per_debrief(page, demo_ctx, qtbot) -> None:
    from duty_tracker.core.services import reporting

    leader_id = page.current_leader_id()
    leader = demo_ctx.store.people.leader(leader_id)
    defaults = reporting.debrief_defaults(demo_ctx.store, leader_id, 2025, date(2025, 11, 20))
    assert page.title_edit.placeholderText() == "2025年度履行推进法治建设第一责任人职责情况的述职述法报告"
    assert page.byline_edit.placeholderText() == defaults.byline
    assert page.byline_edit.placeholderText().endswith("\u3000" + leader["name"])
    assert page.signature_edit.placeholderText() == leader["name"]
    assert page.date_edit.placeholderText() == "2025-11-20"  # the year is not over yet

    page.byline_edit.setText("中共测试市委副书记\u3000" + leader["name"])
    page.signature_edit.setText("测试市人民政府")
    page.date_edit.setText("2025年12月31日")
    page.date_edit.textEdited.emit(page.date_edit.text())
    assert page.save()
    saved = demo_ctx.store.debriefs.get(leader_id, 2025)
    assert saved["byline"] == "中共测试市委副书记\u3000" + leader["name"]
    assert saved["signature"] == "测试市人民政府" and saved["report_date"] == "2025-12-31"
    assert saved["title"] is None

    again = _fresh(demo_ctx, qtbot, leader_id)
    assert again.signature_edit.text() == "测试市人民政府"
    assert again.date_edit.text() == "2025-12-31"
    again.signature_edit.setText(leader["name"])  # typing the default is the default
    again.signature_edit.textEdited.emit(leader["name"])
    assert again.save()
    assert demo_ctx.store.debriefs.get(leader_id, 2025)["signature"] is None


def test_a_date_outside_the_report_year_is_marked_and_not_saved(page, demo_ctx) -> None:
    leader_id = page.current_leader_id()
    page.date_edit.setText("2023-05-01")
    page.section_edits["plans"].setPlainText("继续推进。")
    assert page.save()
    assert page.date_edit.property("invalid") is True
    assert "成文日期未保存" in page.save_state.text() and "2025" in page.save_state.text()
    saved = demo_ctx.store.debriefs.get(leader_id, 2025)
    assert saved["plans"] == "继续推进。" and saved["report_date"] is None
    page.date_edit.setText("20251230")
    page.date_edit.textEdited.emit("20251230")
    assert page.date_edit.property("invalid") is False
    assert page.save()
    assert demo_ctx.store.debriefs.get(leader_id, 2025)["report_date"] == "2025-12-30"


def test_export_word_beside_pdf_with_the_font_notice(page, qtbot, monkeypatch, tmp_path: Path) -> None:
    from duty_tracker.core.services import reporting

    answers = Answers(monkeypatch, answer=QMessageBox.StandardButton.No)
    target = tmp_path / "报告"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert page.word_button.text() == "导出Word…" and page.pdf_button.text() == "导出PDF…"
    page.section_edits["study"].setPlainText("带头学法。")
    page.word_button.click()
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=20000)
    written = tmp_path / "报告.docx"
    assert page.last_export.path == written
    assert zipfile.is_zipfile(written) and "word/document.xml" in zipfile.ZipFile(written).namelist()
    notice = reporting.word_font_notice_text()
    assert notice == (page.last_export.font_notice or "")
    assert str(written) in answers.questions[-1]
    if notice:
        assert notice in answers.questions[-1]


def test_the_page_says_once_when_the_bundled_fonts_stand_in(page, qtbot) -> None:
    from duty_tracker.core.services import reporting

    notice = reporting.pdf_font_notice()
    qtbot.waitUntil(lambda: page.font_notice.isVisible() == bool(notice), timeout=10000)
    if notice:
        assert page.font_notice.text() == f"字体提示：{notice}"
        assert "程序自带" in page.font_notice.text()


def test_batch_dialog_chooses_word_and_a_report_date(page, demo_ctx, qtbot, tmp_path: Path) -> None:
    unit_id = page.leader_model.row_at(0)["unit_id"]
    expected = [r for r in page._year_leaders if r["unit_id"] == unit_id]
    page.export_batch()
    dialog = page.batch_dialog
    assert dialog.pdf_radio.isChecked() and "PDF 文件" in dialog.note.text()
    dialog.word_radio.setChecked(True)
    assert ".docx" in dialog.note.text()
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(unit_id))
    dialog.folder_edit.setText(str(tmp_path / "报告"))
    dialog.date_edit.setText("2024-12-31")
    dialog.ok_button.click()
    assert dialog.isVisible() and "2025" in dialog.error_label.text()  # not a date of 2025
    dialog.date_edit.setText("2025-12-31")
    dialog.ok_button.click()
    assert dialog.options.word and dialog.options.report_date == date(2025, 12, 31)
    qtbot.waitUntil(lambda: page.last_batch is not None, timeout=60000)
    files = sorted((tmp_path / "报告").iterdir())
    assert len(files) == len(expected) and all(f.suffix == ".docx" for f in files)
    page.export_batch()  # the format chosen last time comes back
    assert page.batch_dialog.word_radio.isChecked()
    page.batch_dialog.reject()

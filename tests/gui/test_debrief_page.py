"""述职报告 page: the narrative saved and reloaded, autosave, the generated draft, PDF export of
one leader, of a batch (with cancel) and the unit summary — PDFs made off the UI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

pytest.importorskip("duty_tracker.core.reports.debrief_builder")


@pytest.fixture
def page(debrief_page):
    return debrief_page


def _fresh_page(ctx, qtbot):
    from duty_tracker.ui.pages.debrief_page import DebriefPage

    widget = DebriefPage(ctx)
    qtbot.addWidget(widget)
    return widget


def test_lists_the_years_leaders_with_completion(page, demo_ctx) -> None:
    assert page.year == 2025
    assert page.leader_model.rowCount() > 0
    first = page.leader_model.row_at(0)
    assert first["tally"] is not None
    assert "/" in page.leader_model.index(0, 2).data()
    assert page.current_leader_id() is not None
    assert "需述职" in page.list_summary.text()


def test_narrative_is_saved_and_reloaded(page, demo_ctx, qtbot) -> None:
    leader_id = page.current_leader_id()
    page.title_edit.setText("关于测试同志的述职报告")
    page.section_edits["achievements"].setPlainText("一是带头学法。二是组织专题会议。")
    page.section_edits["plans"].setPlainText("继续抓好法治建设。")
    assert page.save_state.text().startswith("有未保存")
    assert page.save()
    saved = demo_ctx.store.debriefs.get(leader_id, 2025)
    assert saved["achievements"] == "一是带头学法。二是组织专题会议。"
    assert saved["title"] == "关于测试同志的述职报告"

    again = _fresh_page(demo_ctx, qtbot)
    again.select_leader(leader_id)
    assert again.section_edits["achievements"].toPlainText() == "一是带头学法。二是组织专题会议。"
    assert again.section_edits["plans"].toPlainText() == "继续抓好法治建设。"
    assert again.title_edit.text() == "关于测试同志的述职报告"
    row = again.leader_model.find_row("id", leader_id)
    assert again.leader_model.index(row, 4).data() == "已撰写"


def test_switching_leader_saves_what_was_typed(page, demo_ctx) -> None:
    first = page.current_leader_id()
    page.section_edits["problems"].setPlainText("学法形式较单一。")
    other = page.leader_model.row_at(1)["id"] if page.leader_model.row_at(0)["id"] == first else page.leader_model.row_at(0)["id"]
    page.select_leader(other)
    assert page.current_leader_id() == other
    assert demo_ctx.store.debriefs.get(first, 2025)["problems"] == "学法形式较单一。"
    assert page.section_edits["problems"].toPlainText() == ""


def test_autosave_after_a_pause_in_typing(page, demo_ctx, qtbot) -> None:
    leader_id = page.current_leader_id()
    page.autosave_timer.setInterval(10)
    page.section_edits["plans"].setPlainText("下一步继续推进。")
    qtbot.waitUntil(lambda: (demo_ctx.store.debriefs.get(leader_id, 2025) or {}).get("plans") == "下一步继续推进。")


def test_default_title_is_a_placeholder_not_stored(page, demo_ctx) -> None:
    assert page.title_edit.placeholderText() == "2025年度履行推进法治建设第一责任人职责情况的述职述法报告"
    page.section_edits["plans"].setPlainText("x")
    page.save()
    assert demo_ctx.store.debriefs.get(page.current_leader_id(), 2025)["title"] is None


def test_generate_draft_fills_only_empty_sections_when_asked(page, demo_ctx, monkeypatch) -> None:
    page.section_edits["study"].setPlainText("我自己写的学法情况。")
    monkeypatch.setattr(page, "ask_draft_mode", lambda: "empty")
    page.generate_draft()
    assert page.section_edits["study"].toPlainText() == "我自己写的学法情况。"
    assert page.section_edits["problems"].toPlainText().strip()
    assert page.section_edits["plans"].toPlainText().strip()
    saved = demo_ctx.store.debriefs.get(page.current_leader_id(), 2025)
    assert saved["plans"] == page.section_edits["plans"].toPlainText()

    monkeypatch.setattr(page, "ask_draft_mode", lambda: None)  # 取消: nothing replaced
    page.generate_draft()
    assert page.section_edits["study"].toPlainText() == "我自己写的学法情况。"
    monkeypatch.setattr(page, "ask_draft_mode", lambda: "all")
    page.generate_draft()
    assert page.section_edits["study"].toPlainText() != "我自己写的学法情况。"
    page.section_edits["study"].undo()  # the replacement is one Ctrl+Z
    assert page.section_edits["study"].toPlainText() == "我自己写的学法情况。"


def test_can_close_asks_when_unsaved(page, demo_ctx, monkeypatch) -> None:
    page.autosave_timer.setInterval(60_000)
    page.section_edits["plans"].setPlainText("尚未保存的文字")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert page.can_close() is False
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert page.can_close() is True
    assert demo_ctx.store.debriefs.get(page.current_leader_id(), 2025)["plans"] == "尚未保存的文字"


def test_export_one_pdf_from_the_page(page, qtbot, monkeypatch, tmp_path: Path) -> None:
    target = tmp_path / "报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.section_edits["achievements"].setPlainText("带头学法<b>不会</b>破坏版式 & 生成器。")
    page.export_pdf()
    qtbot.waitUntil(lambda: page.last_pdf is not None, timeout=20000)
    assert target.exists() and target.read_bytes().startswith(b"%PDF")


def test_batch_export_of_a_unit_into_a_folder(page, demo_ctx, qtbot, tmp_path: Path) -> None:
    unit_id = page.leader_model.row_at(0)["unit_id"]
    expected = [r for r in page._year_leaders if r["unit_id"] == unit_id]
    page.export_batch()
    dialog = page.batch_dialog
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(unit_id))
    dialog.folder_edit.setText(str(tmp_path / "报告"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.last_batch is not None, timeout=30000)
    pdfs = sorted((tmp_path / "报告").glob("*.pdf"))
    assert len(pdfs) == len(expected) and not page.last_batch["failures"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_unit_summary_pdf_with_who_filled_it_in(page, demo_ctx, qtbot, tmp_path: Path) -> None:
    import pdfplumber

    target = tmp_path / "汇总表.pdf"
    page.export_summary()
    dialog = page.summary_dialog
    assert dialog.unit_edit.placeholderText() and dialog.person_edit.placeholderText()
    dialog.unit_edit.setText("杭州市司法局法治督察处")
    dialog.person_edit.setText("李晓红")
    dialog.path_edit.setText(str(target))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.last_pdf is not None, timeout=20000)
    with pdfplumber.open(target) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "")
    assert "填报单位（盖章）：杭州市司法局法治督察处" in text and "填报人：李晓红" in text
    page.export_summary()  # the clerk's answers come back next time
    assert page.summary_dialog.person_edit.text() == "李晓红"
    page.summary_dialog.reject()


def test_changing_the_year_keeps_text_under_its_own_year(page, demo_ctx) -> None:
    leader_id = page.current_leader_id()
    page.section_edits["plans"].setPlainText("2025年的打算")
    page.year_spin.setValue(2024)
    assert demo_ctx.store.debriefs.get(leader_id, 2025)["plans"] == "2025年的打算"
    assert demo_ctx.store.debriefs.get(leader_id, 2024) is None


def test_leaving_the_page_in_the_window_saves_and_close_asks_nothing(demo_ctx, qtbot, monkeypatch) -> None:
    from duty_tracker.ui.main_window import MainWindow

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append("q") or QMessageBox.StandardButton.No)
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.go_to("DebriefPage")
    page.autosave_timer.setInterval(60_000)
    leader_id = page.current_leader_id()
    page.section_edits["achievements"].setPlainText("切换页面前输入的文字")
    window.go_to("PeoplePage")
    assert demo_ctx.store.debriefs.get(leader_id, 2025)["achievements"] == "切换页面前输入的文字"
    window.go_to("RulesPage")
    assert window.close()
    assert asked == []

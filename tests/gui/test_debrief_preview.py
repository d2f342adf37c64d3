"""预览/打印: the debrief's pages as they print, shown in the program before any export, and the
print with copies and a page range — tested with a QPrinter writing a PDF file (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from tests.gui.helpers import Answers


@pytest.fixture
def page(debrief_page):
    return debrief_page


@pytest.fixture
def preview(page, qtbot):
    page.section_edits["study"].setPlainText("本人带头学法，全年参加中心组集体学法四次。" * 40)
    page.preview_button.click()
    dialog = page.preview_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.images), timeout=30000)
    yield dialog
    dialog.close()


def _pages(path: Path) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [tuple(document.get_page_size(i)) for i in range(len(document))]
    finally:
        document.close()


def _ink(path: Path, index: int) -> float:
    """Share of dark pixels of a page (0: blank)."""
    document = pdfium.PdfDocument(str(path))
    try:
        image = document[index].render(scale=0.5).to_pil().convert("L")
    finally:
        document.close()
    dark = sum(image.histogram()[:128])
    return dark / (image.width * image.height)


def test_preview_shows_every_page_before_any_export(page, preview) -> None:
    count = len(_pages(preview.pdf_path))
    assert count >= 2  # the long section runs onto a second page
    assert len(preview.images) == count and len(preview.page_labels) == count
    assert all(not label.pixmap().isNull() for label in preview.page_labels)
    assert preview.page_count_label.text().startswith(f"共 {count} 页")
    assert preview.print_button.isEnabled() and preview.word_button.isEnabled()
    assert page.last_pdf is None  # nothing was exported
    assert preview.notice.isVisible() == bool(preview.notice.text())
    assert preview.zoom_combo.currentText() == "整页"  # whole pages first, as a print preview
    height = preview.page_labels[0].pixmap().deviceIndependentSize().height()
    assert height <= preview.scroll.viewport().height()
    preview.zoom_combo.setCurrentIndex(preview.zoom_combo.findText("100%"))
    full = preview.page_labels[0].pixmap().deviceIndependentSize().width()
    assert abs(full - 794) <= 2  # A4 at its real size on a 96-dpi screen
    preview.zoom_combo.setCurrentIndex(preview.zoom_combo.findText("50%"))
    assert abs(preview.page_labels[0].pixmap().deviceIndependentSize().width() - full / 2) <= 2


def test_print_sends_the_chosen_pages_and_copies(preview, qtbot, monkeypatch, tmp_path: Path) -> None:
    answers = Answers(monkeypatch)
    out = tmp_path / "打印.pdf"
    printer = preview.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(100)  # small: the test reads the file back
    printer.setCopyCount(2)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(1, 1)
    preview.print_to(printer)
    qtbot.waitUntil(lambda: preview.printed is not None, timeout=30000)
    sizes = _pages(out)
    assert len(sizes) == 2 == preview.printed  # page 1, two copies (a PDF printer makes none)
    assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in sizes)  # A4
    assert _ink(out, 0) > 0.002 and _ink(out, 1) > 0.002  # the page is on it, not blank paper
    assert "1 页，共 2 份" in answers.warnings[-1]


def test_print_dialog_offers_copies_and_page_range(preview, qtbot, monkeypatch, tmp_path: Path) -> None:
    Answers(monkeypatch)
    out = tmp_path / "全部.pdf"
    seen = {}

    def exec_(dialog: QPrintDialog) -> int:
        seen["range"] = dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange)
        seen["max"] = dialog.maxPage()
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    preview.print_document()
    qtbot.waitUntil(lambda: preview.printed is not None, timeout=30000)
    assert seen == {"range": True, "max": len(preview.images)}
    assert len(_pages(out)) == len(preview.images)


def test_closing_the_preview_leaves_no_file_behind(preview) -> None:
    folder = preview.pdf_path.parent
    assert folder.is_dir()
    preview.close()
    assert not folder.exists()

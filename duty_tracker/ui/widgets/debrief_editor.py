"""The editor of one debrief: the report's own fields (title, byline, 落款署名, 成文日期 — blank
means the default, shown as the placeholder) and the body, one text box per section in print
order, chosen from a list that says which sections are still empty.

The body follows the report: 履行第一责任人职责 / 带头尊法学法 / 依法决策 / 法治宣传 (drafted
from the records), then 存在的问题和不足 and 下一步工作打算. A section left empty is not
printed, and the editor says so. The one 主要做法和成效 block of the earlier layout is shown (and
stays editable) only where a clerk wrote it; it prints after the work sections.

Each section keeps its own text box, so Ctrl+Z in one box never undoes typing in another, and a
generated draft is inserted as one undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.reports.sections import SECTION_ORDER, WORK_SECTIONS, section_title
from duty_tracker.ui import look
from duty_tracker.ui.widgets.date_range import TYPED_FORMS

LEGACY = "achievements"
_KEY_ROLE = Qt.ItemDataRole.UserRole


def section_heading(key: str, role: str, work_written: bool) -> str:
    """The heading of a section as printed: the earlier layout's block is 主要做法和成效 alone,
    其他做法和成效 after work sections that have text of their own."""
    if key == LEGACY and work_written:
        return "其他做法和成效"
    return section_title(key, role)


class DebriefEditor(QWidget):
    """Fields and sections of one debrief; ``edited`` fires on every change the clerk makes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = ""
        self._legacy_shown = False
        self._build_fields()
        self._build_sections()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.fields_grid)
        body = QHBoxLayout()
        body.addWidget(self.section_list)
        right = QVBoxLayout()
        right.addWidget(self.section_heading)
        right.addWidget(self.section_stack, 1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        layout.addWidget(self.empty_note)
        self.set_role("")

    # -- building --------------------------------------------------------------------------
    def _build_fields(self) -> None:
        self.title_edit = QLineEdit(self)
        self.byline_edit = QLineEdit(self)
        self.byline_edit.setToolTip("标题下方的署名：单位和职务在前，姓名在后")
        self.signature_edit = QLineEdit(self)
        self.signature_edit.setToolTip("正文末尾的落款署名（述职述法报告由本人署名）")
        self.date_edit = QLineEdit(self)
        self.date_edit.setToolTip("成文日期：默认为报告年度的12月31日（年度未结束时为当天）。"
                                  + TYPED_FORMS)
        self.date_edit.setMaximumWidth(look.char_width(self, 9))
        grid = look.heading_fields(("报告标题(&B)", self.title_edit),
                                   [("署名行", self.byline_edit), ("落款", self.signature_edit), ("成文日期", self.date_edit)],
                                   (3, 1))
        self.fields_grid = grid
        for edit in (self.title_edit, self.byline_edit, self.signature_edit, self.date_edit):
            edit.textEdited.connect(lambda _t: self.edited.emit())
        self.date_edit.textEdited.connect(lambda _t: look.mark_invalid(self.date_edit, False))

    def _build_sections(self) -> None:
        self.section_list = QListWidget(self)
        look.name(self.section_list, "sectionList")
        self.section_list.setFixedWidth(look.char_width(self, 19) + 24)
        self.section_list.setToolTip("正文各部分；空白的部分不出现在打印稿中")
        self.section_stack = QStackedWidget(self)
        self.section_heading = look.heading_label(parent=self)
        self.section_edits: dict[str, QPlainTextEdit] = {}
        for key in SECTION_ORDER:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(
                "撰写本部分，或点击下方“生成草稿”由程序根据台账起草后修改。本部分空白时，打印稿中略去。")
            edit.textChanged.connect(lambda k=key: self._section_changed(k))
            self.section_stack.addWidget(edit)
            self.section_edits[key] = edit
            item = QListWidgetItem(self.section_list)
            item.setData(_KEY_ROLE, key)
        self.section_list.currentRowChanged.connect(self._show_section)
        self.empty_note = look.hint_label(parent=self)

    # -- state -----------------------------------------------------------------------------
    def set_role(self, role: str) -> None:
        """The head's role: the third work section speaks of 依法执政 or 依法行政."""
        self._role = role
        self.refresh_sections()

    def load(self, saved: dict, role: str) -> None:
        """Show a saved debrief (its text fields; the own fields are set by the page)."""
        self._legacy_shown = bool((saved.get(LEGACY) or "").strip())
        self._role = role
        for key, edit in self.section_edits.items():
            edit.blockSignals(True)
            edit.setPlainText(saved.get(key) or "")
            edit.blockSignals(False)
        self.refresh_sections()
        first = next((i for i in range(self.section_list.count())
                      if not self.section_list.item(i).isHidden()), 0)
        self.section_list.setCurrentRow(first)
        self._show_section(first)

    def texts(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.section_edits.items()}

    def visible_keys(self) -> list[str]:
        """The sections the editor offers, in print order (the legacy block only when used)."""
        return [k for k in SECTION_ORDER if k != LEGACY or self._legacy_shown]

    def empty_sections(self) -> list[str]:
        """Headings of the sections with no text (the legacy block is never "missing")."""
        texts = self.texts()
        work = any(texts[k].strip() for k in WORK_SECTIONS)
        return [section_heading(k, self._role, work) for k in self.visible_keys()
                if k != LEGACY and not texts[k].strip()]

    def current_key(self) -> str:
        item = self.section_list.currentItem()
        return str(item.data(_KEY_ROLE)) if item is not None else SECTION_ORDER[0]

    def show_key(self, key: str) -> None:
        for row in range(self.section_list.count()):
            if self.section_list.item(row).data(_KEY_ROLE) == key:
                self.section_list.setCurrentRow(row)
                return

    def replace_text(self, key: str, text: str) -> None:
        """Put ``text`` into a section as one edit the clerk can undo with Ctrl+Z."""
        edit = self.section_edits[key]
        cursor = QTextCursor(edit.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.title_edit, self.byline_edit, self.signature_edit, self.date_edit,
                       self.section_list, *self.section_edits.values()):
            widget.setEnabled(enabled)

    # -- the section list ------------------------------------------------------------------
    def _section_changed(self, key: str) -> None:
        self.refresh_sections()
        self.edited.emit()

    def refresh_sections(self) -> None:
        """Headings, 已写/空白 marks and the note on empty sections, from the text now typed."""
        texts = self.texts()
        work = any(texts[k].strip() for k in WORK_SECTIONS)
        visible = set(self.visible_keys())
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            key = str(item.data(_KEY_ROLE))
            item.setHidden(key not in visible)
            chars = len("".join(texts[key].split()))
            state = f"已撰写 {chars} 字" if chars else "空白 · 打印时略去"
            heading = section_heading(key, self._role, work)
            item.setText(f"{heading}\n{state}")
            item.setToolTip(look.plain(heading + ("（此前版式中撰写的内容，打印在以上各部分之后）"
                                                  if key == LEGACY else "")))
            item.setForeground(self.palette().text() if chars else self.palette().placeholderText())
        self._show_heading()
        empty = self.empty_sections()
        self.empty_note.setText(
            f"尚未撰写：{'、'.join(empty)}。导出和打印时略去空白的部分；可点击“生成草稿”起草。"
            if empty else "正文各部分均已撰写。")
        look.set_tone(self.empty_note, "warning" if empty else "hint")

    def _show_section(self, row: int) -> None:
        item = self.section_list.item(row) if row >= 0 else None
        if item is None:
            return
        self.section_stack.setCurrentWidget(self.section_edits[str(item.data(_KEY_ROLE))])
        self._show_heading()

    def _show_heading(self) -> None:
        key = self.current_key()
        work = any(self.section_edits[k].toPlainText().strip() for k in WORK_SECTIONS)
        note = "（此前版式中撰写的内容）" if key == LEGACY else ""
        self.section_heading.setText(section_heading(key, self._role, work) + note)

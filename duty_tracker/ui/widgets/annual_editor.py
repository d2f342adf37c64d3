"""The editor of one unit's annual 法治政府建设年度报告: the report's own fields (标题, 主送机关,
署名, 成文日期 — blank means the default, shown as the placeholder), the five parts in print
order (开头 and the four numbered parts), each in a text box of its own chosen from a list that
says how far it is written, and below them what is still to do: the parts not written and every
【…】 note the draft left for the clerk (a click shows it in its part, selected).

Each part keeps its own text box, so Ctrl+Z in one never undoes typing in another, and a
generated draft goes in as one edit the clerk can take back with Ctrl+Z.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.reports.annual_model import ANNUAL_KEYS
from duty_tracker.ui import look
from duty_tracker.ui.models.annual_models import (
    OpenItem,
    characters,
    open_items,
    open_summary,
    part_heading,
    part_state,
)
from duty_tracker.ui.widgets.date_range import TYPED_FORMS

_KEY_ROLE = Qt.ItemDataRole.UserRole
_ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
OWN_FIELDS = ("title", "addressee", "signature", "report_date")
_PLACEHOLDERS = {
    "opening": "开头一段：本年度法治政府建设的总体情况（承担多少任务、完成多少），"
               "末句一般为“现将……情况报告如下”。",
    "measures": "按工作要点的各部分写主要举措和成效：做了什么、有何成效，每项都应有台账中的进展或纪实为据。",
    "leadership": "党政主要负责人履行推进法治建设第一责任人职责的情况：学法、决策、听取汇报、督促检查等。",
    "problems": "存在的不足和原因：未完成、逾期的任务和未达标的履职事项，以及原因分析。",
    "plans": "下一年度工作安排：整改措施和下一年度的重点任务。",
}


class AnnualEditor(QWidget):
    """Fields and parts of one annual report; ``edited`` fires on every change the clerk makes
    (not on :meth:`load`)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_fields())
        body = QHBoxLayout()
        body.addWidget(self._build_part_list())
        right = QVBoxLayout()
        right.setSpacing(2)
        self.part_heading = look.heading_label(parent=self)
        right.addWidget(self.part_heading)
        right.addWidget(self.part_stack, 1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        layout.addLayout(self._build_open_list())
        self.part_list.setCurrentRow(0)
        self.refresh()

    # -- building --------------------------------------------------------------------------
    def _build_fields(self) -> QGridLayout:
        self.title_edit = QLineEdit(self)
        self.title_edit.setToolTip("报告标题；不填时用占位文字所示的默认标题")
        self.addressee_edit = QLineEdit(self)
        self.addressee_edit.setToolTip("主送机关，印在正文之前（如“市委、市政府”）；不填则不印")
        self.signature_edit = QLineEdit(self)
        self.signature_edit.setToolTip("正文末尾的署名（发文机关）；不填时用本单位的全称")
        self.date_edit = QLineEdit(self)
        self.date_edit.setToolTip("成文日期：默认为今天，但不晚于报送期限。" + TYPED_FORMS)
        self.date_edit.setMaximumWidth(look.char_width(self, 10))
        grid = look.heading_fields(("标题(&B)", self.title_edit),
                                   [("主送机关", self.addressee_edit), ("署名", self.signature_edit), ("成文日期", self.date_edit)],
                                   (2, 2))
        for edit in self.field_edits().values():
            edit.textEdited.connect(lambda _t: self._changed())
        self.date_edit.textEdited.connect(lambda _t: look.mark_invalid(self.date_edit, False))
        return grid

    def _build_part_list(self) -> QListWidget:
        self.part_list = QListWidget(self)
        look.name(self.part_list, "sectionList")
        self.part_list.setFixedWidth(look.char_width(self, 13) + 28)
        self.part_list.setWordWrap(True)
        self.part_list.setSpacing(3)
        self.part_list.setToolTip("报告正文的各部分；空白的部分不出现在导出的报告中")
        self.part_stack = QStackedWidget(self)
        self.part_edits: dict[str, QPlainTextEdit] = {}
        for key in ANNUAL_KEYS:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(_PLACEHOLDERS[key] + "\n\n也可点击下方“生成草稿”，由程序根据台账起草后修改。")
            edit.textChanged.connect(self._changed)
            self.part_stack.addWidget(edit)
            self.part_edits[key] = edit
            item = QListWidgetItem(self.part_list)
            item.setData(_KEY_ROLE, key)
        self.part_list.currentRowChanged.connect(self._show_part)
        return self.part_list

    def _build_open_list(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(2)
        self.open_label = look.plain_label(wrap=True, parent=self)
        self.open_list = QListWidget(self)
        self.open_list.setToolTip("点击一项，转到它所在的部分并选中【】中的文字")
        self.open_list.setWordWrap(True)
        self.open_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.open_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_list.itemClicked.connect(self._open_clicked)
        self.open_list.itemActivated.connect(self._open_clicked)
        box.addWidget(self.open_label)
        box.addWidget(self.open_list)
        return box

    # -- content ---------------------------------------------------------------------------
    def field_edits(self) -> dict[str, QLineEdit]:
        return {"title": self.title_edit, "addressee": self.addressee_edit,
                "signature": self.signature_edit, "report_date": self.date_edit}

    def load(self, texts: Mapping[str, str], fields: Mapping[str, str],
             placeholders: Mapping[str, str]) -> None:
        """Show a report: its parts, its own fields ("" for the default) and the defaults as
        placeholders. A box whose text is already the same is left alone (its cursor and its
        Ctrl+Z history stay)."""
        self._loading = True
        try:
            for key, edit in self.part_edits.items():
                text = texts.get(key) or ""
                if edit.toPlainText() != text:
                    edit.setPlainText(text)
            for key, edit in self.field_edits().items():
                value = fields.get(key) or ""
                if edit.text() != value:
                    edit.setText(value)
                edit.setPlaceholderText(placeholders.get(key, ""))
            look.mark_invalid(self.date_edit, False)
        finally:
            self._loading = False
        self.refresh()

    def clear(self) -> None:
        self.load({}, {}, {})

    def texts(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.part_edits.items()}

    def field_texts(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.field_edits().items()}

    def filled_keys(self) -> list[str]:
        return [key for key, text in self.texts().items() if text.strip()]

    def replace_text(self, key: str, text: str) -> None:
        """Put ``text`` into a part as one edit the clerk can undo with Ctrl+Z."""
        cursor = QTextCursor(self.part_edits[key].document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    def set_enabled(self, enabled: bool) -> None:
        for widget in (*self.field_edits().values(), self.part_list, self.open_list,
                       *self.part_edits.values()):
            widget.setEnabled(enabled)

    # -- the part list and the open items --------------------------------------------------
    def current_key(self) -> str:
        item = self.part_list.currentItem()
        return str(item.data(_KEY_ROLE)) if item is not None else ANNUAL_KEYS[0]

    def show_key(self, key: str) -> None:
        self.part_list.setCurrentRow(ANNUAL_KEYS.index(key))

    def show_item(self, item: OpenItem) -> None:
        """Show the part of ``item``; a 【…】 note selected, so that typing replaces it."""
        self.show_key(item.key)
        edit = self.part_edits[item.key]
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        if item.empty:
            return
        cursor = edit.textCursor()
        cursor.setPosition(item.start)
        cursor.setPosition(min(item.end, len(edit.toPlainText())), QTextCursor.MoveMode.KeepAnchor)
        edit.setTextCursor(cursor)
        edit.centerCursor()

    def items(self) -> list[OpenItem]:
        return open_items(self.texts())

    def refresh(self) -> None:
        """Part states, the heading and the open items, from the text now typed."""
        texts = self.texts()
        for row in range(self.part_list.count()):
            item = self.part_list.item(row)
            key = str(item.data(_KEY_ROLE))
            item.setText(f"{part_heading(key)}\n{part_state(texts[key])}")
            item.setToolTip(look.plain(part_heading(key)))
            item.setForeground(self.palette().text() if characters(texts[key])
                               else self.palette().placeholderText())
        self.part_heading.setText(part_heading(self.current_key()))
        items = self.items()
        self.open_list.clear()
        for entry in items:
            row = QListWidgetItem(entry.text, self.open_list)
            row.setData(_ITEM_ROLE, entry)
            row.setToolTip(look.plain(entry.note or entry.text))
        self.open_list.setVisible(bool(items))
        self._fit_open_list()
        summary = open_summary(items)
        self.open_label.setText(
            f"{summary}（点击一项转到该处）" if summary
            else "各部分均已撰写，没有【】待填写的内容。导出前请再通读一遍。")
        look.set_tone(self.open_label, "warning" if items else "hint")

    def _fit_open_list(self) -> None:
        """As high as its items with their wrapped lines (at most four lines): the text box
        above keeps the room."""
        metrics = self.open_list.fontMetrics()
        width = max(self.open_list.viewport().width() - 8, 200)
        lines = 0
        height = 0
        for row in range(self.open_list.count()):
            text = self.open_list.item(row).text()
            rect = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
            count = max(1, round(rect.height() / metrics.lineSpacing()))
            take = min(count, 4 - lines)
            if take <= 0:
                break
            lines += take
            height += take * metrics.lineSpacing() + 4
        self.open_list.setFixedHeight(max(height, look.row_height(self)) + 2 * self.open_list.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_open_list()  # wrapped lines change with the width

    def _show_part(self, row: int) -> None:
        if 0 <= row < len(ANNUAL_KEYS):
            self.part_stack.setCurrentWidget(self.part_edits[ANNUAL_KEYS[row]])
            self.part_heading.setText(part_heading(ANNUAL_KEYS[row]))

    def _open_clicked(self, row: QListWidgetItem) -> None:
        entry = row.data(_ITEM_ROLE)
        if isinstance(entry, OpenItem):
            self.show_item(entry)

    def _changed(self) -> None:
        if self._loading:
            return
        self.refresh()
        self.edited.emit()

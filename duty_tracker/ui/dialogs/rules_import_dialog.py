"""Importing a rules text: the paste dialog, and the review dialog where the clerk checks the
parser's result — title and numbers, how the text was cut (numbered articles, or for texts
without them items, paragraphs or sentences), what the parser wants the clerk to know
(``ParsedRules.warnings``), every proposed duty (keep or drop, title, article/clause, role,
period, the quota in 次 or 学时, deadline) — before one transaction stores it. Cancel stores
nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.rules import ParsedRules
from duty_tracker.core.services import rules as rules_service
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.dialogs.rule_use_dialog import RuleUseBox
from duty_tracker.ui.models.rules_models import (
    CHOICE_ROLE,
    REVIEW_COUNT,
    REVIEW_DUE,
    REVIEW_KEEP,
    REVIEW_PERIOD,
    REVIEW_REF,
    REVIEW_ROLE,
    REVIEW_TITLE,
    REVIEW_UNIT,
    ProposedDutiesModel,
    articles_count_text,
    articles_note,
    kind_of,
)


class RulesPasteDialog(QDialog):
    """粘贴规则文本: a big text box. 识别 asks for the parse (``parse_requested``) and the dialog
    stays open until it succeeded: on a parse error the message is shown above the text, which
    stays as pasted, so the clerk can correct it instead of pasting again."""

    parse_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("粘贴规则文本")
        look.roomy_dialog(self)
        layout = QVBoxLayout(self)
        layout.addWidget(look.hint_label(
            "请把规则全文（含标题和“第一条”“第二条”……）从网页或 Word 复制后粘贴到下面，"
            "然后点击“识别”。程序会拆分章、条、款项并提出量化的履职事项，保存前可逐项核对。"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("在此粘贴规则全文（Ctrl+V）")
        self.text_edit.setPlainText(text)
        layout.addWidget(self.text_edit, 1)
        self.error_label = look.error_label()
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("识别")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._parse)
        self.buttons.rejected.connect(self.reject)
        self.text_edit.textChanged.connect(self._text_changed)
        layout.addWidget(self.buttons)
        self._text_changed()
        self.resize(760, 560)

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def _text_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.text().strip()))

    def _parse(self) -> None:
        self.show_error("")
        self.set_busy(True)
        self.parse_requested.emit(self.text())

    def set_busy(self, busy: bool) -> None:
        """While the text is parsed it cannot be edited or sent twice."""
        self.ok_button.setEnabled(not busy and bool(self.text().strip()))
        self.text_edit.setReadOnly(busy)

    def show_error(self, message: str) -> None:
        """The parse failed: say why; the pasted text stays for the clerk to correct."""
        self.set_busy(False)
        self.error_label.setText(f"无法识别：{message}" if message else "")
        self.error_label.setVisible(bool(message))


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for the columns whose model offers ``choices(column)``; the model's value is
    read and written on CHOICE_ROLE."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        choices = index.model().choices(index.column())
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for pos, (label, _value) in enumerate(choices):
            combo.addItem(label, pos)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            current = index.data(CHOICE_ROLE)
            choices = index.model().choices(index.column())
            pos = next((i for i, (_l, v) in enumerate(choices) if v == current), 0)
            editor.setCurrentIndex(pos)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            choices = model.choices(index.column())
            model.setData(index, choices[editor.currentData()][1], CHOICE_ROLE)
            return
        super().setModelData(editor, model, index)


class RulesImportDialog(FormDialog):
    """核对识别结果 — nothing is stored until 保存规则; ``rule_set_id`` is set after saving."""

    def __init__(self, ctx: AppContext, rules: ParsedRules, source_text: str,
                 source_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__("核对识别结果", parent, ok_text="保存规则")
        self.ctx = ctx
        self.rules = rules
        self.source_text = source_text
        self.rule_set_id: int | None = None

        self._build_meta(rules, source_name)
        self.use_box = RuleUseBox(ctx.today().year, self)
        self.body.addWidget(self.use_box)
        self._build_review(rules)
        self._update_counts()
        if self.model.rowCount():
            self.view.selectRow(0)
        self.resize(1040, 700)

    def _build_meta(self, rules: ParsedRules, source_name: str) -> None:
        """Title, issuer, document number and effective date; what the parser found."""
        self.title_edit = QLineEdit(rules.title)
        self.issuer_edit = QLineEdit(rules.issuer or "")
        self.issuer_edit.setPlaceholderText("制发机关（可不填）")
        self.doc_number_edit = QLineEdit(rules.doc_number or "")
        self.doc_number_edit.setPlaceholderText("如：杭委办发〔2019〕60号（可不填）")
        self.effective_edit = QLineEdit(rules.effective_date or "")
        self.effective_edit.setPlaceholderText("年-月-日，如 2019-10-24（可不填）")
        self.form.addRow("规则名称(&T)：", self.title_edit)
        meta = QHBoxLayout()
        meta.addWidget(self.issuer_edit, 3)
        meta.addWidget(QLabel("文号："))
        meta.addWidget(self.doc_number_edit, 2)
        meta.addWidget(QLabel("施行日期："))
        meta.addWidget(self.effective_edit, 1)
        self.form.addRow("制发机关：", meta)

        chapters = len({a.chapter for a in rules.articles if a.chapter})
        clauses = sum(len(a.clauses) for a in rules.articles)
        kinds = [kind_of(a) for a in rules.articles]
        hours = sum(1 for d in rules.duties if getattr(d, "unit", "times") == "hours")
        source = f"来源：{source_name}　" if source_name else ""
        parts = ([f"{chapters} 章"] if chapters else []) + [articles_count_text(kinds)]
        self.summary_label = look.plain_label(
            f"{source}共识别出 {'、'.join(parts)}" + (f"（{clauses} 个款项）" if clauses else "")
            + f"，提出 {len(rules.duties)} 项量化履职事项"
            + (f"，其中 {hours} 项按学时计算" if hours else "") + "。")
        self.summary_label.setWordWrap(True)
        self.body.addWidget(self.summary_label)
        warnings = [w for w in rules.warnings if w.strip()]
        note = articles_note(kinds) if not warnings else ""  # the parser's notes say it better
        self.kind_label = look.hint_label(f"{note}。" if note else "")
        self.kind_label.setVisible(bool(note))
        self.body.addWidget(self.kind_label)
        self.warnings_label = look.warning_label("识别提示：" + "\n".join(warnings) if warnings else "")
        self.warnings_label.setVisible(bool(warnings))
        self.body.addWidget(self.warnings_label)
        self.body.addWidget(look.hint_label(
            "请逐项核对：取消勾选不需要的事项；双击单元格可修改名称、条款、适用对象、周期、数量、单位（次或学时）"
            "和截止日期（截止日期写作“月-日”如 03-01，一次性事项写“年-月-日”）。未量化的条文也会保存，供纪实引用。"))

    def _build_review(self, rules: ParsedRules) -> None:
        """The proposed duties, the source sentence of the selected one, keep all/none."""
        self.model = ProposedDutiesModel(rules, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(ChoiceDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(look.row_height(self.view))
        header = self.view.horizontalHeader()
        for col, width in ((REVIEW_KEEP, 48), (REVIEW_REF, 110), (REVIEW_ROLE, 120), (REVIEW_PERIOD, 72),
                           (REVIEW_COUNT, 60), (REVIEW_UNIT, 56), (REVIEW_DUE, 96)):
            self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(REVIEW_TITLE, QHeaderView.ResizeMode.Stretch)
        self.body.addWidget(self.view, 1)
        self.source_label = look.plain_label(tone="source", wrap=True)
        self.source_label.setMinimumHeight(44)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.source_label)
        row = QHBoxLayout()
        self.keep_all_button = QPushButton("全部勾选")
        self.keep_none_button = QPushButton("全部取消")
        self.keep_all_button.clicked.connect(lambda: self.model.set_all_kept(True))
        self.keep_none_button.clicked.connect(lambda: self.model.set_all_kept(False))
        self.kept_label = QLabel()
        row.addWidget(self.keep_all_button)
        row.addWidget(self.keep_none_button)
        row.addStretch(1)
        row.addWidget(self.kept_label)
        self.body.addLayout(row)
        self.model.dataChanged.connect(lambda *_: self._update_counts())
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_source(cur.row()))

    def _show_source(self, row: int) -> None:
        if row < 0:
            self.source_label.setText("")
            return
        duty = self.model.duty(row)
        self.source_label.setText(f"原文：{duty.source_text}" if duty.source_text else "（无原文）")

    def _update_counts(self) -> None:
        self.kept_label.setText(f"已勾选 {self.model.kept_count()} / {self.model.rowCount()} 项")

    def edited_rules(self) -> ParsedRules:
        """The parse result with the clerk's edits: metadata and only the kept duties."""
        return replace(
            self.rules,
            title=self.title_edit.text().strip() or self.rules.title,
            issuer=self.issuer_edit.text().strip() or None,
            doc_number=self.doc_number_edit.text().strip() or None,
            effective_date=self.effective_edit.text().strip() or None,
            duties=self.model.kept_duties(),
        )

    def save(self) -> None:
        problem = rules_service.metadata_problem(self.title_edit.text(), self.effective_edit.text())
        if problem:
            raise ValidationError(problem)
        bad = {row: message for row in range(self.model.rowCount()) if self.model.is_kept(row)
               and (message := rules_service.duty_problem(self.model.duty(row)))}
        self.model.mark_invalid(set(bad))
        if bad:
            row, message = next(iter(bad.items()))
            self.view.selectRow(row)
            raise ValidationError(f"第 {row + 1} 项“{self.model.duty(row).title}”：{message}"
                                  + (f"（另有 {len(bad) - 1} 项需要修改，已标红）" if len(bad) > 1 else ""))
        scope, first, last = self.use_box.scope()
        self.rule_set_id = rules_service.import_rules(
            self.ctx.store, self.edited_rules(), self.source_text, scope=scope, from_year=first,
            to_year=last).rule_set_id

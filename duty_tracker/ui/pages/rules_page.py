"""规则与事项: the rule sets, the rule set in force per year, and for the selected rule set its
duties (edit, add, disable; quotas in 次 or 学时) and its articles (full text, read-only) —
numbered articles, or, for a text without 第X条, the items, paragraphs or sentences it was cut
into, said so in the clerk's words — and what the parser noted when it read the text. Importing
a new rules text — a .txt/.docx file or pasted text — parses it off the UI thread and opens the
review dialog; only 保存规则 there stores anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.services import rules as rules_service
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.duty_dialog import DutyDialog
from duty_tracker.ui.dialogs.rule_use_dialog import RuleUseDialog
from duty_tracker.ui.dialogs.rules_import_dialog import RulesImportDialog, RulesPasteDialog
from duty_tracker.ui.models.rules_models import (
    ARTICLE_KINDS,
    DutyTableModel,
    RuleSetTableModel,
    articles_count_text,
    articles_heading,
    articles_note,
    kind_of,
    use_text,
)
from duty_tracker.ui.models.simple_table_model import SORT_ROLE
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.tasks import Task, TaskControl, run_with_progress
from duty_tracker.ui.widgets.year_selector import YearSpin

RULES_FILE_FILTER = "规则文本 (*.txt *.docx);;纯文本 (*.txt);;Word 文档 (*.docx);;所有文件 (*)"
ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 30


class RulesPage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"rules"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self.dialog: QWidget | None = None
        self.import_dialog: RulesImportDialog | None = None
        self.paste_dialog: RulesPasteDialog | None = None
        self.parse_task: Task | None = None
        self._pasted_text = ""  # kept until a rule set made from it is saved

        outer = look.page_layout(self)
        outer.addLayout(self._build_header())
        self.notice_label = look.plain_label(tone="notice", wrap=True)
        self.notice_label.hide()
        outer.addWidget(self.notice_label)
        self._build_rule_sets(outer)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_duties_tab(), "履职事项")
        self.tabs.addTab(self._build_articles_tab(), "条文")

        self.rule_set_view.selectionModel().selectionChanged.connect(lambda *_: self._load_rule_set())
        self.duty_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.watch_data(ctx)
        self.reload()

    def _build_header(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addWidget(look.page_header("规则与事项", "规则文本拆分为章、条、款项（没有条款编号的按段落或句子）；量化的要求"
                                       "成为履职事项（周期与最低次数或学时），每个年度按适用的规则统计达标情况。"), 1)
        self.import_file_button = QPushButton("从文件导入规则…")
        self.import_paste_button = QPushButton("粘贴文本导入…")
        self.import_file_button.setToolTip("导入 .txt 或 .docx 格式的规则全文，识别后逐项核对再保存")
        self.import_file_button.clicked.connect(self.import_file)
        self.import_paste_button.clicked.connect(self.import_paste)
        top.addWidget(self.import_file_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.import_paste_button, 0, Qt.AlignmentFlag.AlignTop)
        return top

    def _build_rule_sets(self, outer: QVBoxLayout) -> None:
        """The rule sets, what each is used for, and the rules of the chosen year."""
        self.rule_set_model = RuleSetTableModel(self)
        self.rule_set_view = look.table(self.rule_set_model, stretch=0,
                                        widths=(0, 170, 96, 56, 56, look.char_width(self, 8)))
        self.rule_set_view.setMaximumHeight(150)
        self.rule_set_empty = look.EmptyState(self.rule_set_view, lambda: (
            "尚无规则。点击右上方“从文件导入规则…”或“粘贴文本导入…”。"))
        outer.addWidget(self.rule_set_view)
        self.parse_notes = look.hint_label()
        self.parse_notes.hide()
        outer.addWidget(self.parse_notes)

        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("年度适用规则："))
        self.year_spin = YearSpin(self.ctx.today().year)
        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(320)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year_combo.setMinimumContentsLength(26)
        self.year_combo.setToolTip("未单独选择的年度使用默认规则；导入新规则不会改变任何年度的选择")
        year_row.addWidget(self.year_spin)
        year_row.addWidget(self.year_combo, 1)
        self.default_button = QPushButton("设为默认")
        self.default_button.setToolTip("所选规则用于每一个未单独选择规则的年度")
        self.use_button = QPushButton("规则用途…")
        self.use_button.setToolTip("主规则，或与年度适用规则同时计入的本地区、本部门补充规则")
        self.delete_rule_set_button = QPushButton("删除规则…")
        self.default_button.clicked.connect(self.make_default)
        self.use_button.clicked.connect(self.edit_use)
        self.delete_rule_set_button.clicked.connect(self.delete_rule_set)
        for button in (self.default_button, self.use_button, self.delete_rule_set_button):
            year_row.addWidget(button)
        outer.addLayout(year_row)
        self.year_effect = look.hint_label()
        outer.addWidget(self.year_effect)
        self.year_spin.valueChanged.connect(lambda _v: self._show_year_choice())
        self.year_combo.activated.connect(lambda _i: self._year_choice_made())

    def _build_duties_tab(self) -> QWidget:
        """The duties of the selected rule set: filter, table, add/edit/disable."""
        duties_tab = QWidget()
        duties_layout = QVBoxLayout(duties_tab)
        duties_layout.setContentsMargins(6, 8, 6, 6)
        filter_row = QHBoxLayout()
        self.duty_filter = QLineEdit()
        self.duty_filter.setPlaceholderText("查找事项（Ctrl+F）")
        self.duty_filter.setClearButtonEnabled(True)
        self.show_inactive = QCheckBox("显示已停用的事项")
        filter_row.addWidget(self.duty_filter, 1)
        filter_row.addWidget(self.show_inactive)
        duties_layout.addLayout(filter_row)
        self.duty_model = DutyTableModel(self)
        self.duty_proxy = QSortFilterProxyModel(self)
        self.duty_proxy.setSourceModel(self.duty_model)
        self.duty_proxy.setSortRole(SORT_ROLE)
        self.duty_proxy.setFilterKeyColumn(-1)
        self.duty_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.duty_filter.textChanged.connect(lambda t: self.duty_proxy.setFilterFixedString(t.strip()))
        self.show_inactive.toggled.connect(lambda _on: self._load_rule_set())
        self.duty_view = look.table(self.duty_proxy, sortable=True, stretch=1,
                                    widths=(110, 0, 120, 64, 72, 96, 56))
        self.duty_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.duty_view.doubleClicked.connect(lambda _i: self.edit_duty())
        self.duty_empty = look.EmptyState(self.duty_view, lambda: (
            "" if self.current_rule_set_id() is None
            else "没有符合条件的事项。" if self.duty_filter.text().strip()
            else "这份规则没有量化的履职事项。可点击下方“新增事项…”添加，或在“条文”中依据某条新增。"))
        duties_layout.addWidget(self.duty_view, 1)
        duty_buttons = QHBoxLayout()
        self.add_duty_button = QPushButton("新增事项…")
        self.edit_duty_button = QPushButton("修改事项…")
        self.toggle_duty_button = QPushButton("停用")
        self.add_duty_button.clicked.connect(lambda: self.add_duty())
        self.edit_duty_button.clicked.connect(self.edit_duty)
        self.toggle_duty_button.clicked.connect(self.toggle_duty)
        self.duty_count_label = look.hint_label(wrap=False)
        for button in (self.add_duty_button, self.edit_duty_button, self.toggle_duty_button):
            duty_buttons.addWidget(button)
        duty_buttons.addStretch(1)
        duty_buttons.addWidget(self.duty_count_label)
        duties_layout.addLayout(duty_buttons)
        return duties_tab

    def _build_articles_tab(self) -> QWidget:
        """The articles of the selected rule set: chapter/article tree and the full text."""
        articles_tab = QWidget()
        articles_layout = QVBoxLayout(articles_tab)
        articles_layout.setContentsMargins(6, 8, 6, 6)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.article_tree = QTreeWidget()
        self.article_tree.setHeaderLabels(["章 / 条"])
        self.article_tree.setUniformRowHeights(True)
        self.article_tree.currentItemChanged.connect(lambda cur, _prev: self._show_article(cur))
        self.article_text = QPlainTextEdit()
        self.article_text.setReadOnly(True)
        self.article_text.setPlaceholderText("选择左侧的条文查看全文")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.article_title = look.heading_label()
        right_layout.addWidget(self.article_title)
        right_layout.addWidget(self.article_text, 1)
        article_buttons = QHBoxLayout()
        self.article_duties_label = look.hint_label(wrap=True)
        self.add_duty_from_article_button = QPushButton("依据本条新增事项…")
        self.add_duty_from_article_button.clicked.connect(self._add_duty_for_article)
        article_buttons.addWidget(self.article_duties_label, 1)
        article_buttons.addWidget(self.add_duty_from_article_button)
        right_layout.addLayout(article_buttons)
        split.addWidget(self.article_tree)
        split.addWidget(right)
        split.setSizes([360, 760])
        articles_layout.addWidget(split)
        return articles_tab

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.duty_filter.setFocus()
        self.duty_filter.selectAll()

    # -- loading ---------------------------------------------------------------------------
    def reload(self, select_rule_set: int | None = None) -> None:
        keep = select_rule_set or self.current_rule_set_id() or self.ctx.store.rules.rule_set_for_year(
            self.year_spin.value())
        rule_sets = self.ctx.store.rules.rule_sets()
        self.rule_set_model.set_rows(rule_sets)
        self._stale = False
        self.select_rule_set(keep) or self.select_rule_set(rule_sets[0]["id"] if rule_sets else -1)
        self._fill_year_combo(rule_sets)
        self._load_rule_set()

    def current_rule_set_id(self) -> int | None:
        rows = self.rule_set_view.selectionModel().selectedRows()
        return self.rule_set_model.row_at(rows[0].row())["id"] if rows else None

    def select_rule_set(self, rule_set_id: int | None) -> bool:
        row = self.rule_set_model.find_row("id", rule_set_id)
        if row < 0:
            return False
        self.rule_set_view.selectionModel().setCurrentIndex(
            self.rule_set_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def _load_rule_set(self) -> None:
        rule_set_id = self.current_rule_set_id()
        rules = self.ctx.store.rules
        warnings = ""
        if rule_set_id is None:
            self.duty_model.set_rows([])
            self.article_tree.clear()
            self._articles = []
        else:
            duties = rules.duties(rule_set_id, active_only=not self.show_inactive.isChecked())
            self.duty_model.set_rows(duties)
            self._articles = rules.articles(rule_set_id)
            self._fill_article_tree()
            warnings = (rules.rule_set(rule_set_id).get("warnings") or "").strip()
        active = sum(1 for d in self.duty_model.rows() if d.get("active"))
        self.duty_count_label.setText(f"共 {self.duty_model.rowCount()} 项（启用 {active} 项）")
        self.tabs.setTabText(0, f"履职事项（{self.duty_model.rowCount()}）")
        kinds = [kind_of(a) for a in self._articles]
        count = (str(len(self._articles)) if set(kinds) <= {"article"}
                 else articles_count_text(kinds))
        self.tabs.setTabText(1, f"条文（{count}）")
        self._show_parse_notes(kinds, warnings)
        self._update_buttons()

    def _show_parse_notes(self, kinds: list[str], warnings: str) -> None:
        """What the parser noted reading the text (how it cut a text without 第X条, a quota it
        doubted); without notes, how the text was cut, when it had no 第X条."""
        self.article_tree.setHeaderLabels([articles_heading(kinds)])
        notes = [line.strip() for line in warnings.splitlines() if line.strip()]
        notes = notes or [n for n in (articles_note(kinds),) if n]
        self.parse_notes.setText("识别说明：" + "；".join(n.rstrip("。；") for n in notes) + "。" if notes else "")
        self.parse_notes.setToolTip(look.plain("\n".join(notes)))
        self.parse_notes.setVisible(bool(notes))

    def _fill_article_tree(self) -> None:
        self.article_tree.clear()
        chapters: dict[str, QTreeWidgetItem] = {}
        first: QTreeWidgetItem | None = None
        for article in self._articles:
            chapter = article.get("chapter")
            first_line = (article["text"] or "").split("\n", 1)[0]
            label = f"{article['label']}　{first_line[:20]}{'…' if len(first_line) > 20 else ''}"
            item = QTreeWidgetItem([label])
            item.setData(0, ARTICLE_ROLE, article["id"])
            item.setToolTip(0, look.plain(first_line))
            if chapter:
                if chapter not in chapters:
                    chapters[chapter] = QTreeWidgetItem(self.article_tree, [chapter])
                    chapters[chapter].setFirstColumnSpanned(True)
                chapters[chapter].addChild(item)
            else:
                self.article_tree.addTopLevelItem(item)
            first = first or item
        self.article_tree.expandAll()
        if first is not None:
            self.article_tree.setCurrentItem(first)
        else:
            self._show_article(None)

    def _article(self, article_id: int | None) -> dict[str, Any] | None:
        return next((a for a in self._articles if a["id"] == article_id), None)

    def current_article_id(self) -> int | None:
        item = self.article_tree.currentItem()
        return item.data(0, ARTICLE_ROLE) if item is not None else None

    def _show_article(self, item: QTreeWidgetItem | None) -> None:
        article = self._article(item.data(0, ARTICLE_ROLE)) if item is not None else None
        if article is None:
            self.article_title.setText(item.text(0) if item is not None else "")
            self.article_text.setPlainText("")
            self.article_duties_label.setText("")
            self.add_duty_from_article_button.setEnabled(False)
            return
        kind = kind_of(article)
        what = f"（原文未分条，按{ARTICLE_KINDS[kind][1]}识别）" if kind in ("paragraph", "sentence") else ""
        self.article_title.setText(" ".join(x for x in (article.get("chapter") or "", article["label"]) if x)
                                   + what)
        self.article_text.setPlainText(f"{article['label']}　{article['text']}")
        cited = [d["title"] for d in self.duty_model.rows() if d.get("article_id") == article["id"]]
        self.article_duties_label.setText(
            f"本条对应事项：{'、'.join(cited)}" if cited else "本条未量化，可在纪实中直接引用。")
        self.article_duties_label.setToolTip(look.plain("\n".join(cited)))
        self.add_duty_from_article_button.setEnabled(True)

    def _fill_year_combo(self, rule_sets: list[dict[str, Any]] | None = None) -> None:
        """The choice for a year: the default set (item 0), or any main set."""
        rule_sets = rule_sets if rule_sets is not None else self.ctx.store.rules.rule_sets()
        default_id = self.ctx.store.rules.default_rule_set()
        default = next((r["title"] for r in rule_sets if r["id"] == default_id), None)
        self.year_combo.clear()
        self.year_combo.addItem(f"按默认规则：《{default}》" if default else "按默认规则（尚无规则）", None)
        for rule_set in rule_sets:
            if rule_set.get("scope") != "supplement":
                self.year_combo.addItem(rule_set["title"], rule_set["id"])
        self._show_year_choice()

    def _show_year_choice(self) -> None:
        year = self.year_spin.value()
        rules = self.ctx.store.rules
        chosen = rules.explicit_rule_set_for_year(year)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(chosen), 0))
        titles = {r["id"]: r["title"] for r in self.rule_set_model.rows()}
        main = rules.rule_set_for_year(year)
        extra = [titles.get(i, "") for i in rules.supplements_for_year(year)]
        if main is None and not extra:
            self.year_effect.setText(f"{year}年尚无可用的规则：请导入规则。")
        else:
            text = f"{year}年计入：《{titles.get(main, '')}》" if main is not None else f"{year}年计入："
            if extra:
                text += "，另加补充规则" + "".join(f"《{t}》" for t in extra)
            self.year_effect.setText(text + "。")
        self.year_effect.setToolTip(look.plain(self.year_effect.text()))

    def _year_choice_made(self) -> None:
        year = self.year_spin.value()
        self.ctx.store.rules.set_rule_set_for_year(year, self.year_combo.currentData())
        self._show_year_choice()
        self.ctx.notify("rules")
        main = self.ctx.store.rules.rule_set_for_year(year)
        title = next((r["title"] for r in self.rule_set_model.rows() if r["id"] == main), "")
        self.show_notice(f"{year}年度改用《{title}》统计。" if self.year_combo.currentData() is not None
                         else f"{year}年度按默认规则《{title}》统计。")

    def current_rule_set(self) -> dict[str, Any] | None:
        rule_set_id = self.current_rule_set_id()
        row = self.rule_set_model.find_row("id", rule_set_id)
        return self.rule_set_model.row_at(row) if row >= 0 else None

    def make_default(self) -> bool:
        """Mark the selected main set 默认 (after the clerk confirmed what it changes)."""
        rule_set = self.current_rule_set()
        if rule_set is None or rule_set.get("is_default") or rule_set.get("scope") == "supplement":
            return False
        answer = look.ask(
            self, "设为默认",
            f"设为默认后，凡未单独选择规则的年度都按《{rule_set['title']}》统计履职情况，"
            "已单独选择规则的年度不变。确定吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.ctx.store.rules.set_default_rule_set(rule_set["id"])
        except StorageError as exc:
            look.warn(self, "设为默认", str(exc))
            return False
        self.ctx.notify("rules")
        self.reload(select_rule_set=rule_set["id"])
        self.show_notice(f"《{rule_set['title']}》已设为默认规则。")
        return True

    def edit_use(self) -> None:
        rule_set = self.current_rule_set()
        if rule_set is None:
            return
        dialog = RuleUseDialog(self.ctx, rule_set, parent=self)

        def done() -> None:
            self.ctx.notify("rules")
            self.reload(select_rule_set=rule_set["id"])
        self._open(dialog, done)

    def _update_buttons(self) -> None:
        rule_set = self.current_rule_set()
        duty = self.current_duty()
        self.add_duty_button.setEnabled(rule_set is not None)
        self.delete_rule_set_button.setEnabled(rule_set is not None)
        self.use_button.setEnabled(rule_set is not None)
        self.default_button.setEnabled(rule_set is not None and not rule_set.get("is_default")
                                       and rule_set.get("scope") != "supplement")
        self.edit_duty_button.setEnabled(duty is not None)
        self.toggle_duty_button.setEnabled(duty is not None)
        self.toggle_duty_button.setText("启用" if duty is not None and not duty.get("active") else "停用")

    def show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    # -- duties ----------------------------------------------------------------------------
    def current_duty(self) -> dict[str, Any] | None:
        rows = self.duty_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.duty_model.row_at(self.duty_proxy.mapToSource(rows[0]).row())

    def select_duty(self, duty_id: int) -> bool:
        row = self.duty_model.find_row("id", duty_id)
        if row < 0:
            return False
        index = self.duty_proxy.mapFromSource(self.duty_model.index(row, 0))
        self.duty_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.duty_view.scrollTo(index)
        return True

    def _open(self, dialog: QWidget, on_accepted) -> None:  # noqa: ANN001
        self.dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.open()

    def _duties_changed(self, duty_id: int | None) -> None:
        self.ctx.notify("rules")
        self.reload()
        if duty_id is not None:
            self.tabs.setCurrentIndex(0)
            self.select_duty(duty_id)

    def add_duty(self, article_id: int | None = None) -> None:
        rule_set_id = self.current_rule_set_id()
        if rule_set_id is None:
            return
        dialog = DutyDialog(self.ctx, rule_set_id, article_id=article_id, parent=self)
        self._open(dialog, lambda: self._duties_changed(dialog.duty_id))

    def _add_duty_for_article(self) -> None:
        self.add_duty(self.current_article_id())

    def edit_duty(self) -> None:
        duty = self.current_duty()
        rule_set_id = self.current_rule_set_id()
        if duty is None or rule_set_id is None:
            return
        dialog = DutyDialog(self.ctx, rule_set_id, self.ctx.store.rules.duty(duty["id"]), parent=self)
        self._open(dialog, lambda: self._duties_changed(dialog.duty_id))

    def toggle_duty(self) -> None:
        duty = self.current_duty()
        if duty is None:
            return
        try:
            self.ctx.store.rules.update_duty(duty["id"], active=0 if duty.get("active") else 1)
        except StorageError as exc:
            look.warn(self, "履职事项", str(exc))
            return
        if duty.get("active") and not self.show_inactive.isChecked():
            self.show_inactive.setChecked(True)  # keep the disabled duty in sight
        self._duties_changed(duty["id"])

    def delete_rule_set(self) -> None:
        rule_set_id = self.current_rule_set_id()
        if rule_set_id is None:
            return
        title = self.ctx.store.rules.rule_set(rule_set_id)["title"]
        answer = look.ask(
            self, "删除规则", f"确定删除《{title}》及其全部条文和履职事项吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.store.rules.delete_rule_set(rule_set_id)
        except StorageError as exc:
            look.warn(self, "无法删除规则", str(exc))
            return
        self.ctx.notify("rules")
        self.reload(select_rule_set=-1)

    # -- import ----------------------------------------------------------------------------
    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择规则文本文件", str(Path.home()), RULES_FILE_FILTER)
        if not path:
            return
        file_path = Path(path)

        def work(control: TaskControl) -> tuple[Any, str]:
            control.progress(0, 0, f"正在读取并识别 {file_path.name} …")
            source = rules_service.read_rules(file_path)
            control.check()
            return source.parsed, source.text

        self._parse(work, file_path.name)

    def import_paste(self) -> None:
        """The paste dialog stays open while the text is parsed (on the task runner, with a
        progress window) and after a parse error; the last pasted text comes back until a rule
        set made from it is saved."""
        dialog = RulesPasteDialog(self, self._pasted_text)
        self.paste_dialog = dialog

        def parse(text: str) -> None:
            self._pasted_text = text

            def work(control: TaskControl) -> tuple[Any, str]:
                control.progress(0, 0, "正在识别规则文本 …")
                parsed = rules_service.parse_text(text).parsed
                control.check()  # 取消 pressed meanwhile: back to the text, nothing reviewed
                return parsed, text

            def parsed(result: tuple[Any, str]) -> None:
                dialog.accept()
                self._review(result, "粘贴的文本")

            self.parse_task = run_with_progress(dialog, "识别规则文本", work, on_success=parsed,
                                                on_failure=dialog.show_error)
            self.parse_task.cancelled.connect(lambda: dialog.set_busy(False))

        dialog.parse_requested.connect(parse)
        dialog.open()

    def _parse(self, work, source_name: str) -> None:  # noqa: ANN001
        self.parse_task = run_with_progress(
            self, "识别规则文本", work,
            on_success=lambda result: self._review(result, source_name),
            on_failure=lambda message: look.warn(self, "无法识别规则文本", message))

    def _review(self, result: tuple[Any, str], source_name: str) -> None:
        self.parse_task = None
        parsed, text = result
        dialog = RulesImportDialog(self.ctx, parsed, text, source_name, parent=self)
        self.import_dialog = dialog

        def saved() -> None:
            if text == self._pasted_text:
                self._pasted_text = ""
            self.ctx.notify("rules")
            self.reload(select_rule_set=dialog.rule_set_id)
            rule_set = self.ctx.store.rules.rule_set(dialog.rule_set_id)
            if rule_set["scope"] == "supplement":
                self.show_notice(f"已保存补充规则《{rule_set['title']}》：{use_text(rule_set)}，"
                                 "其事项与年度适用规则同时计入。")
            else:
                self.show_notice(f"已保存《{rule_set['title']}》。它不会替换任何年度正在使用的规则；如需采用，"
                                 "请在下方“年度适用规则”中为该年度选择它，或把它设为默认。")

        dialog.accepted.connect(saved)
        dialog.open()

"""述职报告: per year, the leaders who report, with how far their duties are done; for the
selected leader the report's own fields (title, byline, 落款署名, 成文日期 — blank: the default,
shown as the placeholder) and the body by section (``widgets.debrief_editor``), a generated
draft, saving (Ctrl+S, and automatically: a pause in typing, another leader, another page).

The exports (``debrief_exports``): one leader's PDF or Word file, the preview and print, all
files of the year or of a unit, the unit summary table — made by workers (``ui.tasks``) that
open their own store. When this PC lacks the official faces the page says so once, above the
editor, and again after each export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from duty_tracker.core.errors import AppError
from duty_tracker.core.reports.debrief_defaults import default_title as default_report_title
from duty_tracker.core.reports.sections import SECTION_ORDER
from duty_tracker.core.services import reporting
from duty_tracker.core.status import LeaderTallies, LeaderTally
from duty_tracker.core.status_cache import cached_year_status
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.debrief_batch_dialog import DebriefBatchDialog
from duty_tracker.ui.models.debrief_models import DebriefLeaderModel, FetchAllProxy
from duty_tracker.ui.models.simple_table_model import SORT_ROLE
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.pages.debrief_exports import DebriefExports, font_probe
from duty_tracker.ui.tasks import Task
from duty_tracker.ui.widgets.debrief_editor import LEGACY, DebriefEditor
from duty_tracker.ui.widgets.year_selector import YearSpin

#: The body's sections, in print order (the first four are drafted from the records).
SECTIONS = SECTION_ORDER
#: The report's own fields and the edits that hold them (blank: the default).
OWN_FIELDS = ("title", "byline", "signature")
AUTOSAVE_MS = 1500


class DebriefPage(DebriefExports, RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"records", "people", "rules", "debriefs"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._loading = False
        self._unsaved = False
        self._notifying = False
        self._leader: dict[str, Any] | None = None
        self._editor_year = ctx.today().year  # the year of the text in the editor
        self.task: Task | None = None
        self.last_pdf: Path | None = None
        self.last_export: reporting.ExportResult | None = None
        self.batch_dialog: DebriefBatchDialog | None = None
        self.summary_dialog = None
        self.preview_dialog = None
        self.last_batch: dict[str, Any] | None = None
        self._defaults: reporting.DebriefDefaults | None = None
        self._date_problem = ""

        outer = look.page_layout(self)
        outer.addWidget(look.page_header("述职报告", "年终述职述法报告：正文按履职内容分部分撰写，可由程序根据台账"
                                         "起草后修改；履职情况统计表和纪实清单作为附件由程序生成。"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)
        splitter.addWidget(self._build_leader_list())
        splitter.addWidget(self._build_editor())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([400, 800])
        self._connect()
        self.watch_data(ctx)
        self.reload()
        font_probe().ready.connect(self._font_notice_ready)
        font_probe().ask()

    def _build_leader_list(self) -> QWidget:
        """Left: year, unit and the leaders who report."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        selectors = QHBoxLayout()
        self.year_spin = YearSpin(self.ctx.today().year)
        self.unit_combo = QComboBox()
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.setMinimumContentsLength(10)
        selectors.addWidget(self.year_spin)
        selectors.addWidget(self.unit_combo, 1)
        left_layout.addLayout(selectors)
        self.leader_filter = QLineEdit()
        self.leader_filter.setPlaceholderText("查找负责人或单位（Ctrl+F）")
        self.leader_filter.setClearButtonEnabled(True)
        left_layout.addWidget(self.leader_filter)
        self.leader_model = DebriefLeaderModel(self)
        self.leader_proxy = FetchAllProxy(self)
        self.leader_proxy.setSourceModel(self.leader_model)
        self.leader_proxy.setSortRole(SORT_ROLE)
        self.leader_proxy.setFilterKeyColumn(-1)
        self.leader_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.leader_filter.textChanged.connect(lambda t: self.leader_proxy.search(t.strip()))
        self.leader_view = look.table(self.leader_proxy, sortable=True, stretch=1,
                                      widths=(64, 130, 52, 96, 56))
        self.leader_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.leader_empty = look.EmptyState(self.leader_view, lambda: (
            "没有符合条件的负责人。" if self.leader_filter.text().strip()
            else f"{self.year}年度没有需要述职的负责人：请在“负责人与单位”中填写负责人及其任期。"))
        left_layout.addWidget(self.leader_view, 1)
        self.list_summary = look.hint_label(wrap=False)
        left_layout.addWidget(self.list_summary)
        left_buttons = QHBoxLayout()
        self.batch_button = QPushButton("批量导出…")
        self.batch_button.setToolTip("把本年度全部（或某单位）负责人的述职报告导出到一个文件夹")
        self.summary_button = QPushButton("单位汇总表…")
        self.summary_button.setToolTip("导出所选单位（或全部单位）负责人履职情况汇总表 PDF")
        self.batch_button.clicked.connect(self.export_batch)
        self.summary_button.clicked.connect(self.export_summary)
        left_buttons.addWidget(self.batch_button)
        left_buttons.addWidget(self.summary_button)
        left_layout.addLayout(left_buttons)
        return left

    def _build_editor(self) -> QWidget:
        """Right: the report of the selected leader — its fields, its sections, actions."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.leader_title = look.section_label()
        self.leader_info = look.hint_label()
        self.font_notice = look.warning_label()
        self.font_notice.hide()
        right_layout.addWidget(self.leader_title)
        right_layout.addWidget(self.leader_info)
        right_layout.addWidget(self.font_notice)
        self.editor = DebriefEditor(right)
        self.title_edit = self.editor.title_edit
        self.byline_edit = self.editor.byline_edit
        self.signature_edit = self.editor.signature_edit
        self.date_edit = self.editor.date_edit
        self.section_edits = self.editor.section_edits
        right_layout.addWidget(self.editor, 1)
        right_layout.addLayout(self._build_actions())
        return right

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.draft_button = QPushButton("生成草稿")
        self.draft_button.setToolTip("根据本年度台账起草正文各部分；已有内容时先询问")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存（Ctrl+S）；离开本页或切换负责人时也会自动保存")
        self.preview_button = QPushButton("预览/打印…")
        self.preview_button.setToolTip("按打印效果逐页预览，并可打印（Ctrl+P）")
        self.preview_button.setDefault(True)
        self.word_button = QPushButton("导出Word…")
        self.word_button.setToolTip("导出可再修改的 Word 文件（.docx），公文版式")
        self.pdf_button = QPushButton("导出PDF…")
        self.pdf_button.setToolTip("导出正式打印稿（PDF）")
        self.save_state = look.hint_label(wrap=False)
        self.draft_button.clicked.connect(self.generate_draft)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.preview)
        self.word_button.clicked.connect(self.export_word)
        self.pdf_button.clicked.connect(self.export_pdf)
        actions.addWidget(self.draft_button)
        actions.addWidget(self.save_state, 1)
        for button in (self.save_button, self.preview_button, self.word_button, self.pdf_button):
            actions.addWidget(button)
        return actions

    def _connect(self) -> None:
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save)
        self.editor.edited.connect(self._edited)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        print_shortcut = QShortcut(QKeySequence.StandardKey.Print, self)
        print_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_shortcut.activated.connect(self.preview)
        self.year_spin.valueChanged.connect(lambda _v: self.reload())
        self.unit_combo.activated.connect(lambda _i: self._fill_leaders())
        self.leader_view.selectionModel().currentRowChanged.connect(lambda *_: self._leader_changed())

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.leader_filter.setFocus()
        self.leader_filter.selectAll()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.save()  # leaving the page never loses what was typed
        super().hideEvent(event)

    def can_close(self) -> bool:
        if not self._unsaved:
            return True
        answer = look.ask(
            self, "述职报告", "述职报告有尚未保存的修改，是否保存？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        self._unsaved = False
        return True

    def _data_changed(self, kind: str) -> None:
        if not self._notifying:  # the page's own saves need no reload
            super()._data_changed(kind)

    def _font_notice_ready(self, notice: str) -> None:
        """The bundled faces stand in for the official ones: say so once, above the editor."""
        if not isValid(self):
            return
        self.font_notice.setText(f"字体提示：{notice}" if notice else "")
        self.font_notice.setVisible(bool(notice))

    # -- loading ---------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.year_spin.value()

    def reload(self) -> None:
        """Re-read the year's leaders and their completion; keeps the selection."""
        self.save()
        keep = self.current_leader_id()
        store = self.ctx.store
        status = cached_year_status(store, self.year, today=self.ctx.today())
        #: tallied when a row is shown; the narratives saved, by leader
        self._tallies = LeaderTallies(status)
        self._saved = store.debriefs.for_year(self.year)
        self._year_leaders = reporting.leaders_to_report(store, self.year)
        units = store.people.units()
        unit_id = self.unit_combo.currentData()
        self.unit_combo.clear()
        self.unit_combo.addItem("全部单位", None)
        present = {leader["unit_id"] for leader in self._year_leaders}
        self._units = [u for u in units if u["id"] in present]
        for unit in self._units:
            self.unit_combo.addItem(unit["name"], unit["id"])
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit_id), 0))
        self._stale = False
        self._fill_leaders(keep)

    def _fill_leaders(self, keep: int | None = None) -> None:
        self.save()
        keep = keep if keep is not None else self.current_leader_id()
        unit_id = self.unit_combo.currentData()
        rows = [r for r in self._year_leaders if unit_id is None or r["unit_id"] == unit_id]
        if not self._unsaved:
            self._leader = None  # re-read the editor with the fresh rows
        self.leader_model.set_year(rows, self._tallies, self._saved)
        self._update_list_summary()
        if not (keep is not None and self.select_leader(keep)) and self.leader_proxy.rowCount():
            self.leader_view.setCurrentIndex(self.leader_proxy.index(0, 0))
        self._leader_changed()

    def _update_list_summary(self) -> None:
        total, written = self.leader_model.total(), self.leader_model.written_count()
        self.list_summary.setText(f"{self.year}年度需述职 {total} 名，已撰写报告 {written} 名")

    def current_leader_id(self) -> int | None:
        index = self.leader_view.currentIndex() if hasattr(self, "leader_view") else None
        if index is None or not index.isValid():
            return None
        return self.leader_model.row_at(self.leader_proxy.mapToSource(index).row())["id"]

    def select_leader(self, leader_id: int) -> bool:
        row = self.leader_model.find_row("id", leader_id)
        if row < 0:
            return False
        index = self.leader_proxy.mapFromSource(self.leader_model.index(row, 0))
        if not index.isValid():
            return False
        self.leader_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.leader_view.scrollTo(index)
        return True

    def _leader_changed(self) -> None:
        leader_id = self.current_leader_id()
        if self._leader is not None and self._leader["id"] == leader_id:
            return
        if not self.save():  # the previous leader's text; on failure stay with it
            previous = self._leader["id"] if self._leader else None
            if previous is not None:
                QTimer.singleShot(0, lambda: self.select_leader(previous))
            return
        row = self.leader_model.find_row("id", leader_id) if leader_id is not None else -1
        self._leader = self.leader_model.row_at(row) if row >= 0 else None
        self._load_editor()

    def _load_editor(self) -> None:
        leader = self._leader
        self._editor_year = self.year
        self._loading = True
        try:
            enabled = leader is not None
            self.editor.set_enabled(enabled)
            for widget in (self.draft_button, self.save_button, self.preview_button,
                           self.word_button, self.pdf_button):
                widget.setEnabled(enabled)
            self._date_problem = ""
            look.mark_invalid(self.date_edit, False)
            if leader is None:
                self.leader_title.setText("本年度没有需要述职的负责人" if not self._year_leaders else "请选择负责人")
                self.leader_info.setText("")
                self._defaults = None
                for edit in (self.title_edit, self.byline_edit, self.signature_edit, self.date_edit):
                    edit.clear()
                    edit.setPlaceholderText("")
                self.editor.load({}, "")
                self.save_state.setText("")
                return
            saved = self.ctx.store.debriefs.get(leader["id"], self._editor_year) or {}
            self.leader_title.setText(f"{leader['name']}　{leader.get('position') or ''}")
            terms = "；".join(f"{t['start_date']} 至 {t['end_date'] or '今'}" for t in leader.get("terms", []))
            tally = leader.get("tally") or LeaderTally({})
            problems = tally.problems_text()
            self.leader_info.setText(
                f"{leader.get('unit_name', '')}　任期：{terms or '—'}　"
                f"本年度事项达标 {tally.completion_text()}" + (f"（{problems}）" if problems else ""))
            self._load_fields(leader, saved)
            self.save_state.setText(f"上次保存：{saved['updated_at'][:16].replace('T', ' ')}"
                                    if saved.get("updated_at") else "尚未保存")
        finally:
            self._loading = False
            self._unsaved = False

    def _load_fields(self, leader: dict[str, Any], saved: dict[str, Any]) -> None:
        """The own fields with their defaults as placeholders, and the body's sections."""
        try:
            self._defaults = reporting.debrief_defaults(self.ctx.store, leader["id"],
                                                        self._editor_year, self.ctx.today())
        except AppError:
            self._defaults = None
        defaults = self._defaults
        self.title_edit.setPlaceholderText(defaults.title if defaults else self.default_title())
        self.byline_edit.setPlaceholderText(defaults.byline if defaults else leader["name"])
        self.signature_edit.setPlaceholderText(defaults.signature if defaults else leader["name"])
        self.date_edit.setPlaceholderText(
            f"{defaults.report_date:%Y-%m-%d}" if defaults else f"{self._editor_year}-12-31")
        for key, edit in zip(OWN_FIELDS, (self.title_edit, self.byline_edit, self.signature_edit),
                             strict=True):
            edit.setText(saved.get(key) or "")
        self.date_edit.setText(saved.get("report_date") or "")
        self.editor.load(saved, defaults.role if defaults else "")

    def default_title(self) -> str:
        if self._defaults is not None:
            return self._defaults.title
        return default_report_title(self._editor_year)

    # -- editing and saving ----------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading or self._leader is None:
            return
        self._unsaved = True
        self.save_state.setText("有未保存的修改…")
        self.autosave_timer.start()

    def narrative(self) -> dict[str, Any]:
        """What is saved: the own fields (None where blank or the default) and every section;
        a 成文日期 that is no date of the report's year is left out (the field says why)."""
        defaults = self._defaults
        own: dict[str, Any] = {}
        for key, edit in zip(OWN_FIELDS, (self.title_edit, self.byline_edit, self.signature_edit),
                             strict=True):
            text = edit.text().strip()
            default = getattr(defaults, key) if defaults else (self.default_title() if key == "title" else "")
            own[key] = None if not text or text == default else text
        try:
            day = reporting.check_report_date(self.date_edit.text(), self._editor_year)
        except AppError as exc:
            self._date_problem = str(exc)
        else:
            self._date_problem = ""
            own["report_date"] = day
        look.mark_invalid(self.date_edit, bool(self._date_problem))
        return {**own, **self.editor.texts()}

    def save(self) -> bool:
        """Write the narrative of the selected leader when it changed; True when nothing is
        left unsaved."""
        self.autosave_timer.stop()
        if not self._unsaved or self._leader is None:
            return True
        leader_id = self._leader["id"]
        try:
            self.ctx.store.debriefs.save(leader_id, self._editor_year, **self.narrative())
        except AppError as exc:
            self.save_state.setText("保存失败")
            look.warn(self, "保存述职报告失败", f"{exc}\n\n您输入的内容仍在编辑框中，请稍后再试。")
            return False
        self._unsaved = False
        saved = self.ctx.store.debriefs.get(leader_id, self._editor_year)
        self._leader["debrief"] = saved
        self.leader_model.update_saved(leader_id, saved)
        self.save_state.setText(f"成文日期未保存：{self._date_problem}" if self._date_problem
                                else f"已保存 {saved['updated_at'][11:16]}" if saved else "已保存")
        self._update_list_summary()
        self._notifying = True
        try:
            self.ctx.notify("debriefs")
        finally:
            self._notifying = False
        return True

    def ask_draft_mode(self) -> str | None:
        """"empty" (fill the empty sections), "all" (replace everything) or None (cancel)."""
        box = QMessageBox(QMessageBox.Icon.Question, "生成草稿",
                          "部分章节已有内容。要如何使用生成的草稿？", parent=self)
        fill = box.addButton("只填空白章节", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("全部替换", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(fill)
        box.exec()
        clicked = box.clickedButton()
        return "empty" if clicked is fill else "all" if clicked is replace else None

    def generate_draft(self) -> None:
        """Draft every section from the year's ledger: the empty ones, or all of them when the
        clerk asks (each replacement one Ctrl+Z in its box)."""
        if self._leader is None:
            return
        # the earlier layout's block has no draft: it stays as the clerk wrote it
        keys = [key for key in self.editor.visible_keys() if key != LEGACY]
        filled = [key for key in keys if self.section_edits[key].toPlainText().strip()]
        mode = "empty"
        if filled:
            mode = self.ask_draft_mode()
            if mode is None:
                return
        try:
            draft = reporting.draft_sections(self.ctx.store, self._leader["id"], self.year,
                                             self.ctx.today())
        except AppError as exc:
            look.warn(self, "生成草稿失败", str(exc))
            return
        for key in keys:
            if mode == "all" or key not in filled:
                self.editor.replace_text(key, draft.text(key))
        empty = self.editor.empty_sections()
        self.save()
        if empty:
            self.ctx.notify_status(f"草稿已生成；台账中没有可写入“{'、'.join(empty)}”的内容，"
                                   "这些部分仍为空白，打印时略去。")
        else:
            self.ctx.notify_status("草稿已生成，请逐段核对修改。")

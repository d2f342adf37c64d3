"""述职报告: per year, the leaders who report, with how far their duties are done; for the
selected leader the report title and the three narrative sections (主要做法和成效 / 存在的问题和
不足 / 下一步工作打算), a generated draft, saving (Ctrl+S, and automatically: a pause in typing,
another leader, another page), the PDF of one leader, all PDFs of the year or of a unit, and the
unit summary table. PDFs are made by workers (``ui.tasks``) that open their own store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.errors import AppError
from duty_tracker.core.reports.debrief_model import DEFAULT_TITLE_TEMPLATE
from duty_tracker.core.services import reporting
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.status import LeaderTally, leader_tallies, year_status
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.debrief_batch_dialog import DebriefBatchDialog
from duty_tracker.ui.models.debrief_models import DebriefLeaderModel
from duty_tracker.ui.models.simple_table_model import SORT_ROLE
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.tasks import Task, TaskControl, run_with_progress
from duty_tracker.ui.widgets.year_selector import YearSpin

SECTIONS = (
    ("achievements", "主要做法和成效"),
    ("problems", "存在的问题和不足"),
    ("plans", "下一步工作打算"),
)
AUTOSAVE_MS = 1500


class DebriefPage(RefreshOnDataChange, QWidget):
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
        self.batch_dialog: DebriefBatchDialog | None = None
        self.last_batch: dict[str, Any] | None = None

        outer = look.page_layout(self)
        outer.addWidget(look.page_header("述职报告", "年终述职述法报告：履职情况表和纪实清单由程序生成，"
                                         "下面三部分由您撰写或采用生成的草稿后修改。"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)
        splitter.addWidget(self._build_leader_list())
        splitter.addWidget(self._build_editor())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 780])
        self._connect()
        self.watch_data(ctx)
        self.reload()

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
        self.leader_proxy = QSortFilterProxyModel(self)
        self.leader_proxy.setSourceModel(self.leader_model)
        self.leader_proxy.setSortRole(SORT_ROLE)
        self.leader_proxy.setFilterKeyColumn(-1)
        self.leader_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.leader_filter.textChanged.connect(lambda t: self.leader_proxy.setFilterFixedString(t.strip()))
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
        """Right: the report of the selected leader — title, three sections, actions."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.leader_title = look.section_label()
        self.leader_info = look.hint_label()
        right_layout.addWidget(self.leader_title)
        right_layout.addWidget(self.leader_info)
        title_row = QHBoxLayout()
        title_row.addWidget(QLabel("报告标题："))
        self.title_edit = QLineEdit()
        title_row.addWidget(self.title_edit, 1)
        right_layout.addLayout(title_row)
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        self.section_edits: dict[str, QPlainTextEdit] = {}
        for row, (key, label) in enumerate(SECTIONS):
            edit = QPlainTextEdit()
            edit.setPlaceholderText(f"撰写“{label}”，或点击“生成草稿”由程序根据台账起草。")
            edit.setTabChangesFocus(True)
            grid.addWidget(look.heading_label(f"{'三四五'[row]}、{label}"), row * 2, 0)
            grid.addWidget(edit, row * 2 + 1, 0)
            grid.setRowStretch(row * 2 + 1, 1)
            self.section_edits[key] = edit
        right_layout.addLayout(grid, 1)
        actions = QHBoxLayout()
        self.draft_button = QPushButton("生成草稿")
        self.draft_button.setToolTip("根据本年度台账起草三部分内容；已有内容时先询问")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存（Ctrl+S）；离开本页或切换负责人时也会自动保存")
        self.pdf_button = QPushButton("预览/导出 PDF…")
        self.pdf_button.setDefault(True)
        self.save_state = look.hint_label(wrap=False)
        self.draft_button.clicked.connect(self.generate_draft)
        self.save_button.clicked.connect(self.save)
        self.pdf_button.clicked.connect(self.export_pdf)
        actions.addWidget(self.draft_button)
        actions.addWidget(self.save_state, 1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.pdf_button)
        right_layout.addLayout(actions)
        return right

    def _connect(self) -> None:
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save)
        self.title_edit.textEdited.connect(lambda _t: self._edited())
        for edit in self.section_edits.values():
            edit.textChanged.connect(self._edited)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
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

    # -- loading ---------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.year_spin.value()

    def reload(self) -> None:
        """Re-read the year's leaders and their completion; keeps the selection."""
        self.save()
        keep = self.current_leader_id()
        store = self.ctx.store
        status = year_status(store, self.year, today=self.ctx.today())
        tallies = leader_tallies(status)
        saved = store.debriefs.for_year(self.year)
        self._year_leaders = [
            {**leader, "tally": tallies.get(leader["id"]), "debrief": saved.get(leader["id"])}
            for leader in reporting.leaders_to_report(store, self.year)
        ]
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
        self.leader_model.set_rows(rows)
        self._update_list_summary()
        if not (keep is not None and self.select_leader(keep)) and self.leader_proxy.rowCount():
            self.leader_view.setCurrentIndex(self.leader_proxy.index(0, 0))
        self._leader_changed()

    def _update_list_summary(self) -> None:
        rows = self.leader_model.rows()
        written = sum(1 for r in rows if r.get("debrief") and any(
            (r["debrief"].get(k) or "").strip() for k, _l in SECTIONS))
        self.list_summary.setText(f"{self.year}年度需述职 {len(rows)} 名，已撰写报告 {written} 名")

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
        self._leader = next((r for r in self._year_leaders if r["id"] == leader_id), None)
        self._load_editor()

    def _load_editor(self) -> None:
        leader = self._leader
        self._editor_year = self.year
        self._loading = True
        try:
            enabled = leader is not None
            for widget in (self.title_edit, self.draft_button, self.save_button, self.pdf_button,
                           *self.section_edits.values()):
                widget.setEnabled(enabled)
            if leader is None:
                self.leader_title.setText("本年度没有需要述职的负责人" if not self._year_leaders else "请选择负责人")
                self.leader_info.setText("")
                self.title_edit.clear()
                for edit in self.section_edits.values():
                    edit.clear()
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
            self.title_edit.setPlaceholderText(self.default_title())
            self.title_edit.setText(saved.get("title") or "")
            for key, edit in self.section_edits.items():
                edit.setPlainText(saved.get(key) or "")
            self.save_state.setText(f"上次保存：{saved['updated_at'][:16].replace('T', ' ')}"
                                    if saved.get("updated_at") else "尚未保存")
        finally:
            self._loading = False
            self._unsaved = False

    def default_title(self) -> str:
        name = self._leader["name"] if self._leader else "××"
        return DEFAULT_TITLE_TEMPLATE.format(name=name, year=self._editor_year)

    # -- editing and saving ----------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading or self._leader is None:
            return
        self._unsaved = True
        self.save_state.setText("有未保存的修改…")
        self.autosave_timer.start()

    def narrative(self) -> dict[str, str]:
        title = self.title_edit.text().strip()
        return {
            "title": None if not title or title == self.default_title() else title,
            **{key: edit.toPlainText() for key, edit in self.section_edits.items()},
        }

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
        row = self.leader_model.find_row("id", leader_id)
        if row >= 0:
            self.leader_model.dataChanged.emit(self.leader_model.index(row, 0),
                                               self.leader_model.index(row, self.leader_model.columnCount() - 1))
        self.save_state.setText(f"已保存 {saved['updated_at'][11:16]}" if saved else "已保存")
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
        if self._leader is None:
            return
        filled = [key for key, edit in self.section_edits.items() if edit.toPlainText().strip()]
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
        for key, edit in self.section_edits.items():
            if mode == "all" or key not in filled:
                edit.setPlainText(getattr(draft, key))  # undoable with Ctrl+Z in the box
        self.save()

    # -- PDFs ------------------------------------------------------------------------------
    def _last_folder(self) -> str:
        folder = self.ctx.settings.value("debrief/folder", "")
        return str(folder) if folder and Path(str(folder)).is_dir() else str(Path.home())

    def _remember_folder(self, folder: Path) -> None:
        self.ctx.settings.setValue("debrief/folder", str(folder))

    def _offer_to_open(self, title: str, message: str, target: Path) -> None:
        answer = look.ask(self, title, f"{message}\n\n现在打开吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def export_pdf(self) -> None:
        leader = self._leader
        if leader is None or not self.save():
            return
        suggested = Path(self._last_folder()) / reporting.debrief_file_name(
            self.ctx.store, leader["id"], self.year)
        path, _ = QFileDialog.getSaveFileName(self, "导出述职报告 PDF", str(suggested), "PDF 文件 (*.pdf)")
        if not path:
            return
        options = reporting.DebriefExport(leader_id=leader["id"], year=self.year, output=Path(path),
                                          today=self.ctx.today())
        self._remember_folder(options.target.parent)
        db_path = self.ctx.db_path

        def work(_control: TaskControl) -> reporting.ExportResult:
            with open_worker_store(db_path) as store:
                return reporting.export_debrief(store, options)

        def done(result: reporting.ExportResult) -> None:
            self.task = None
            self.last_pdf = result.path
            self._offer_to_open("导出述职报告", self._exported_text(result), result.path)

        self.task = run_with_progress(self, "正在生成述职报告", work, on_success=done,
                                      on_failure=self._failed("导出述职报告失败"))

    @staticmethod
    def _exported_text(result: reporting.ExportResult) -> str:
        return f"已导出：{result.path}" + (f"\n\n{result.font_notice}" if result.font_notice else "")

    def _failed(self, title: str):  # noqa: ANN202
        def show(message: str) -> None:
            self.task = None
            look.warn(self, title, message)
        return show

    def export_batch(self) -> None:
        if not self.save():
            return
        dialog = DebriefBatchDialog(self.year, self.ctx.today(), self._year_leaders, self._units,
                                    self._last_folder(), self.unit_combo.currentData(), parent=self)
        self.batch_dialog = dialog
        dialog.accepted.connect(lambda: self._run_batch(dialog.options))
        dialog.open()

    def _run_batch(self, options: reporting.BatchExport | None) -> None:
        if options is None:
            return
        self._remember_folder(options.folder)
        db_path = self.ctx.db_path
        names = {row["id"]: row["name"] for row in self._year_leaders}

        def work(control: TaskControl) -> dict[str, Any]:
            result = reporting.export_debrief_batch(db_path, options, progress=control.progress,
                                                    should_cancel=lambda: control.cancelled)
            control.check()  # a cancelled batch ends as cancelled (the PDFs written so far stay)
            failures = [(names.get(i, str(i)), message) for i, message in result.failures]
            return {"written": result.written, "failures": failures, "folder": result.folder}

        def done(result: dict[str, Any]) -> None:
            self.task = None
            self.last_batch = result
            written, failures = result["written"], result["failures"]
            message = f"已导出 {len(written)} 份述职报告到：{result['folder']}"
            if failures:
                message += f"\n\n{len(failures)} 份未能导出：\n" + "\n".join(m for _i, m in failures[:8])
            self._offer_to_open("批量导出述职报告", message, Path(result["folder"]))

        self.task = run_with_progress(
            self, f"批量导出{options.year}年度述职报告", work,
            on_success=done, on_failure=self._failed("批量导出失败"))
        self.task.cancelled.connect(lambda: setattr(self, "task", None))

    def export_summary(self) -> None:
        unit_id = self.unit_combo.currentData()
        suggested = Path(self._last_folder()) / reporting.summary_name(self.ctx.store, self.year, unit_id)
        path, _ = QFileDialog.getSaveFileName(self, "导出单位汇总表 PDF", str(suggested), "PDF 文件 (*.pdf)")
        if not path:
            return
        options = reporting.SummaryExport(year=self.year, output=Path(path), today=self.ctx.today(),
                                          unit_id=unit_id)
        self._remember_folder(options.target.parent)
        db_path = self.ctx.db_path

        def work(_control: TaskControl) -> reporting.ExportResult:
            with open_worker_store(db_path) as store:
                return reporting.export_summary(store, options)

        def done(result: reporting.ExportResult) -> None:
            self.task = None
            self.last_pdf = result.path
            self._offer_to_open("单位汇总表", self._exported_text(result), result.path)

        self.task = run_with_progress(self, "正在生成单位汇总表", work, on_success=done,
                                      on_failure=self._failed("导出单位汇总表失败"))

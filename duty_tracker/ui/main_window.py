"""The main window only assembles pages (Anki's warning: a main window that does everything
grows to thousands of lines). Navigation on the left, one page at a time on the right; pages
other than the dashboard are built the first time they are opened, so start-up stays fast.

A page is a QWidget built as ``Page(ctx)``. Optional hooks the window calls when present:
``on_shown()`` (the page became visible), ``focus_search()`` (Ctrl+F), ``new_record()``
(Ctrl+N, records page), ``after_window_shown()`` (once, after the window appeared: reminders,
welcome, automatic backup).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from duty_tracker import APP_NAME, __version__
from duty_tracker.paths import default_db_path
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.database_switch import switch_database

#: (navigation label, module, class). Order is the navigation order.
#: How long a note stays in the status bar (milliseconds).
STATUS_MS = 10000
PAGES: tuple[tuple[str, str, str], ...] = (
    ("总览", "duty_tracker.ui.pages.dashboard_page", "DashboardPage"),
    ("履职纪实", "duty_tracker.ui.pages.records_page", "RecordsPage"),
    ("负责人与单位", "duty_tracker.ui.pages.people_page", "PeoplePage"),
    ("规则与事项", "duty_tracker.ui.pages.rules_page", "RulesPage"),
    ("述职报告", "duty_tracker.ui.pages.debrief_page", "DebriefPage"),
    ("数据", "duty_tracker.ui.pages.data_page", "DataPage"),
    ("工作要点", "duty_tracker.ui.pages.workpoints_page", "WorkpointsPage"),
    ("年度报告", "duty_tracker.ui.pages.annual_page", "AnnualPage"),
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"{APP_NAME} — {ctx.db_path.name}")
        self.setMinimumSize(QSize(1000, 640))
        self._pages: dict[int, QWidget] = {}

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget(central)
        look.name(self.nav, "navigation")
        self.nav.setFixedWidth(132)
        self.stack = QStackedWidget(central)
        # one list of strings: QListWidgetItem(label, …) would load QIcon's type (its overloads
        # take an icon), a millisecond of the start spent on nothing shown
        self.nav.addItems([label for label, _module, _cls in PAGES])
        for _page in PAGES:
            holder = QWidget()
            QHBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(holder)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_page)

        self._build_menus()
        self.status_label = look.plain_label(tone="hint")
        self.statusBar().addPermanentWidget(self.status_label)
        self.status_label.setText(f"数据库：{ctx.db_path}")
        self.default_db_action.setEnabled(ctx.db_path != default_db_path())
        ctx.events.status.connect(lambda text: self.statusBar().showMessage(text, STATUS_MS))
        self.guide: QWidget | None = None

        geometry = ctx.settings.value("window/geometry")
        #: the first start fills the screen; later starts come back as the clerk left the window
        self.first_start = not (isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(geometry))
        if self.first_start:
            self.resize(1366, 768)
        last = ctx.settings.value("window/page", 0)
        self.nav.setCurrentRow(int(last) if str(last).isdigit() and int(last) < len(PAGES) else 0)

    # -- pages -----------------------------------------------------------------------------
    def page(self, index: int) -> QWidget:
        """The page at ``index``, built on first use."""
        if index not in self._pages:
            _label, module, cls = PAGES[index]
            page = getattr(importlib.import_module(module), cls)(self.ctx)
            holder = self.stack.widget(index)
            holder.layout().addWidget(page)
            self._pages[index] = page
        return self._pages[index]

    def page_by_class(self, cls_name: str) -> QWidget:
        index = next(i for i, (_l, _m, c) in enumerate(PAGES) if c == cls_name)
        return self.page(index)

    def show_page(self, index: int) -> None:
        if index < 0:
            return
        page = self.page(index)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        hook = getattr(page, "on_shown", None)
        if callable(hook):
            hook()

    def go_to(self, cls_name: str) -> QWidget:
        index = next(i for i, (_l, _m, c) in enumerate(PAGES) if c == cls_name)
        self.show_page(index)
        return self._pages[index]

    def show_as_remembered(self) -> None:
        """Show the window: maximised the first time, else with the size and place it had."""
        if self.first_start:
            self.showMaximized()
        else:
            self.show()

    def after_show(self) -> None:
        """Once the window is on screen: start-up reminders, welcome, automatic backup."""
        for index in range(len(PAGES)):
            page = self._pages.get(index) if index else self.page(0)
            hook = getattr(page, "after_window_shown", None) if page else None
            if callable(hook):
                hook()

    # -- menus and shortcuts ---------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(self)  # not QAction(text, self): its overloads load QIcon's type
        action.setText(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction(self._action("新建履职纪实(&N)", self.new_record, QKeySequence.StandardKey.New))
        file_menu.addSeparator()
        file_menu.addAction(self._action("打开数据库(&O)…", self.open_database, QKeySequence.StandardKey.Open))
        file_menu.addAction(self._action("新建数据库…", self.create_database))
        self.default_db_action = self._action("回到正式数据库", self.open_default_database)
        file_menu.addAction(self.default_db_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("导出日历(&L)…", self.export_calendar))
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出(&X)", self.close, "Ctrl+Q"))
        edit_menu = bar.addMenu("编辑(&E)")
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setShortcutVisibleInContextMenu(True)
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("查找(&F)", self.focus_search, QKeySequence.StandardKey.Find))
        view_menu = bar.addMenu("视图(&V)")
        for index, (label, _m, _c) in enumerate(PAGES):
            # triggered(bool) passes ``checked`` first: it must not land in ``i``
            view_menu.addAction(self._action(label, lambda _checked=False, i=index: self.show_page(i),
                                             f"Ctrl+{index + 1}"))
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self._action("使用说明(&G)", self.show_guide, QKeySequence.StandardKey.HelpContents))
        help_menu.addSeparator()
        help_menu.addAction(self._action("关于(&A)", self.about))

    # -- databases -------------------------------------------------------------------------
    def open_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # loaded when asked for, not at the start

        path, _ = QFileDialog.getOpenFileName(
            self, "打开数据库", str(self.ctx.db_path.parent), "履职纪实数据库 (*.db);;所有文件 (*)")
        if path:
            switch_database(self, self.ctx, Path(path))

    def create_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self, "新建数据库", str(self.ctx.db_path.parent / "新台账.db"), "履职纪实数据库 (*.db)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".db") else path + ".db")
        if target.exists():
            look.warn(self, APP_NAME, f"文件已存在：{target}\n请用“打开数据库”打开它，或换一个名字。")
            return
        switch_database(self, self.ctx, target)

    def export_calendar(self) -> QWidget:
        """文件 → 导出日历…: the year's deadlines as an .ics file."""
        from duty_tracker.ui.dialogs.calendar_export_dialog import export_calendar

        return export_calendar(self, self.ctx)

    def open_default_database(self) -> None:
        switch_database(self, self.ctx, default_db_path())

    def database_changed(self) -> None:
        """After 文件 → 打开数据库: title, status bar, and the pages' hooks."""
        self.setWindowTitle(f"{APP_NAME} — {self.ctx.db_path.name}")
        self.status_label.setText(f"数据库：{self.ctx.db_path}")
        self.default_db_action.setEnabled(self.ctx.db_path != default_db_path())
        page = self._pages.get(self.stack.currentIndex())
        hook = getattr(page, "on_shown", None)
        if callable(hook):
            hook()

    def new_record(self) -> None:
        page = self.go_to("RecordsPage")
        hook = getattr(page, "new_record", None)
        if callable(hook):
            hook()

    def focus_search(self) -> None:
        page = self._pages.get(self.stack.currentIndex())
        hook = getattr(page, "focus_search", None)
        if callable(hook):
            hook()

    def show_guide(self) -> QWidget:
        """帮助 → 使用说明 (F1): the bundled user guide in a window of its own."""
        from duty_tracker.ui.dialogs.guide_dialog import GuideDialog

        if self.guide is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # loaded when asked for, not at the start

        QMessageBox.about(
            self, f"关于{APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>党政主要负责人履行推进法治建设第一责任人职责纪实台账。"
            f"<br><br>数据库：{look.esc(self.ctx.db_path)}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for page in self._pages.values():
            hook = getattr(page, "can_close", None)
            if callable(hook) and not hook():
                event.ignore()
                return
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.ctx.settings.setValue("window/page", self.stack.currentIndex())
        super().closeEvent(event)

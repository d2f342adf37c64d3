"""What the window does around start-up on a clerk's PC that has nothing but the program folder:

* :func:`prepare_application` — the window icon and Qt's own Chinese texts (确定/取消 in the
  standard dialogs), both shipped with the program;
* :func:`app_settings` — where the window keeps its settings: the usual place, or in portable
  mode an .ini file in the data folder next to the program (nothing left on the PC);
* :func:`maybe_show_welcome` — on the first start (a database without units) a short welcome
  that offers to add the first unit and leaders or to load demo data. The database itself is
  created and seeded with the default rule set by ``Store.open``; nothing here uses a network.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from duty_tracker import APP_NAME
from duty_tracker.paths import is_portable, portable_settings_file, resource_path
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator

    from duty_tracker.ui.dialogs.welcome_dialog import WelcomeChoice

#: Size of the demo loaded from the welcome: enough to see every page filled, done in a second.
DEMO_SIZE = {"leaders": 12, "years": 2, "records": 30}
#: Qt's catalogues for the standard buttons and dialogs (qt_zh_CN includes qtbase_zh_CN).
QT_CATALOGUES = ("qtbase_zh_CN", "qt_zh_CN")


def prepare_application(app: QApplication) -> None:
    """Window icon and Chinese Qt texts. Missing files only cost looks, never the start."""
    try:
        from PySide6.QtGui import QIcon  # its type (150 enum members) after the first paint

        app.setWindowIcon(QIcon(str(resource_path("icons/app.png"))))
    except FileNotFoundError:
        pass
    install_qt_translations(app)


def _translation_dirs() -> list[Path]:
    from PySide6.QtCore import QLibraryInfo

    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller keeps PySide6's layout under _internal
        dirs += [Path(frozen_root) / "PySide6" / "Qt" / "translations",
                 Path(frozen_root) / "PySide6" / "translations"]
    return dirs


def install_qt_translations(app: QApplication) -> QTranslator | None:
    """Load Qt's Simplified Chinese catalogue so that QMessageBox says 确定/取消/是/否."""
    from PySide6.QtCore import QTranslator

    for folder in _translation_dirs():
        for name in QT_CATALOGUES:
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                return translator
    return None


class WindowSettings(QSettings):
    """The settings store that leaves a value alone when it already holds it.

    Every write marks the store for saving, and Qt saves it (a lock file and two waits for the
    disk) at the next turn of the event loop — at the window's start, before its first paint,
    for the year, warning days and leader the dashboard has just read back from it."""

    def setValue(self, key: str, value: object) -> None:  # noqa: N802 - Qt API
        current = self.value(key)
        if current is not None and _same_setting(current, value):
            return
        super().setValue(key, value)


def _same_setting(stored: object, value: object) -> bool:
    """Whether ``value`` is what the store holds: an ini file gives numbers back as text."""
    if stored == value:
        return True
    plain = (str, int, float)
    return isinstance(stored, plain) and isinstance(value, plain) and not isinstance(value, bool) \
        and str(stored) == str(value)


def app_settings() -> QSettings:
    """The window's settings store (geometry, last page, last folders)."""
    ini = portable_settings_file()
    if ini is not None:
        ini.parent.mkdir(parents=True, exist_ok=True)
        return WindowSettings(str(ini), QSettings.Format.IniFormat)
    return WindowSettings("duty_tracker", APP_NAME)


def needs_welcome(ctx: AppContext) -> bool:
    """First start: the database has no unit yet (the default rules are already there)."""
    return not ctx.store.people.units()


def _rule_set_in_force(ctx: AppContext) -> tuple[str | None, int]:
    """Title and number of duties of this year's rule set (the seeded default one)."""
    rule_set_id = ctx.store.rules.rule_set_for_year(ctx.today().year)
    for row in ctx.store.rules.rule_sets():
        if row["id"] == rule_set_id:
            return row.get("title") or None, int(row.get("duty_count") or 0)
    return None, 0


def maybe_show_welcome(window: QWidget, ctx: AppContext | None = None,
                       dialog_factory=None) -> WelcomeChoice | None:  # noqa: ANN001
    """Show the welcome when the database has no units; act on the clerk's choice.

    ``window`` is the main window (``go_to`` and ``ctx``); returns the choice, or ``None`` when
    no welcome was needed. ``dialog_factory`` lets tests answer the dialog.
    """
    ctx = ctx or window.ctx
    if not needs_welcome(ctx):
        return None
    # Imported only when needed: most starts have units and never show the welcome.
    from duty_tracker.ui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog

    dialog_factory = dialog_factory or WelcomeDialog
    title, duty_count = _rule_set_in_force(ctx)
    dialog = dialog_factory(db_path=ctx.db_path, rule_set_title=title, duty_count=duty_count,
                            portable=is_portable(), parent=window)
    dialog.exec()
    choice = dialog.choice
    if choice is WelcomeChoice.ADD_PEOPLE:
        open_people_page(window)
    elif choice is WelcomeChoice.LOAD_DEMO:
        load_demo(window, ctx)
    return choice


def open_people_page(window: QWidget) -> None:
    try:
        window.go_to("PeoplePage")
    except (ImportError, StopIteration) as exc:  # a build without that page: say so, go on
        look.inform(window, APP_NAME, f"无法打开“负责人与单位”页面：{exc}")


def load_demo(window: QWidget, ctx: AppContext):  # noqa: ANN201 - the running Task
    """Switch to a database of its own (``演示数据.db`` beside the real one, so sample records
    never mix with the ledger), fill it with demo data on a worker thread, refresh every page.
    文件 → 回到正式数据库 leads back."""
    from duty_tracker.ui.database_switch import demo_db_path, switch_database
    from duty_tracker.ui.tasks import run_with_progress

    if not switch_database(window, ctx, demo_db_path(ctx)):
        return None
    if not needs_welcome(ctx):  # the demo database already holds demo data: just show it
        return None
    db_path, today = ctx.db_path, ctx.today()

    def work(control) -> object:  # noqa: ANN001 - worker thread: no widgets here
        from duty_tracker.core.demo import build_demo
        from duty_tracker.core.services.ledger import open_worker_store

        def progress(done: int, total: int) -> None:
            control.check()
            control.progress(done, total, "正在生成演示数据……")

        with open_worker_store(db_path, actor="演示数据") as store:
            return build_demo(store, today=today, progress=progress, **DEMO_SIZE)

    def done(_summary: object) -> None:
        ctx.notify("all")
        status_bar = getattr(window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage("已载入演示数据（单独保存在“演示数据.db”中）。正式使用时请选择 文件 → 回到正式数据库。", 15000)

    return run_with_progress(window, "载入演示数据", work, on_success=done)

"""Starting the window: the QApplication, the Chinese font, opening the database (with a clear
way out when it cannot be opened), the main window, and the ``--smoke`` start-up timing."""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from duty_tracker import APP_NAME, STARTED
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.paths import default_db_path
from duty_tracker.ui import look


class _FirstPaint(QObject):
    """Calls ``on_paint`` once, just after the main window's first paint (the smoke run's
    timing, and what a real start does once the window is on screen)."""

    def __init__(self, on_paint) -> None:  # noqa: ANN001
        super().__init__()
        self._on_paint = on_paint
        self._done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            QTimer.singleShot(0, self._on_paint)
        return False


def display_problem() -> str | None:
    """Qt aborts the whole process (SIGABRT) when it finds no display; say so in Chinese first."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return ("没有可用的图形显示（未设置 DISPLAY），无法打开窗口。"
                "命令行功能仍可使用，见 duty-tracker --help；无显示器测试可设置 QT_QPA_PLATFORM=offscreen。")
    return None


def create_application(argv: list[str] | None = None, *, icon_later: bool = False) -> QApplication:
    """The one QApplication: name, garbage collection on the GUI thread, the Chinese font,
    the window's icon and Qt's Chinese texts (the look of the widgets is ``ui.look``'s).

    ``icon_later``: the icon and Qt's texts are left to :func:`_after_first_paint` — nothing
    shows either before the window has painted, and loading them (the icon's type alone makes
    some 150 Python enum members) is a few milliseconds of the clerk's wait."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("duty_tracker")
    from duty_tracker.ui import gc_guard

    if not hasattr(app, "_gc_guard"):
        app._gc_guard = gc_guard.install(app)  # noqa: SLF001 - kept alive by the app
    from duty_tracker.ui.fonts import install_ui_font

    install_ui_font(app)
    if not icon_later:
        from duty_tracker.ui.first_run import prepare_application

        prepare_application(app)  # window icon, Qt's Chinese texts
    return app


def open_ledger_interactively(db_path: Path, *, window_lock: bool):  # noqa: ANN201
    """Open the ledger for the window. Another window has it: say who (user, computer), offer
    to retry. It cannot be opened: explain in Chinese and offer the newest good backup."""
    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.core.storage.instance_lock import InstanceLockedError

    while True:
        try:
            return open_ledger(db_path, purpose="履职纪实窗口", window=window_lock)
        except InstanceLockedError as exc:
            if not _ask_retry(str(exc)):
                return None
        except StorageError as exc:
            # here: the backups are only looked at when the file cannot be opened
            from duty_tracker.ui.dialogs.open_failure_dialog import handle_open_failure

            if not handle_open_failure(db_path, exc):
                return None


def _ask_retry(message: str) -> bool:
    from PySide6.QtWidgets import QMessageBox  # only when the database is busy

    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message names a user and a computer
    retry = box.addButton("重试", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is retry


def run_window(db_path: Path | None = None, smoke: bool = False, today: date | None = None) -> int:
    """Open the window on ``db_path``; ``today`` (demonstrations, benchmarks) stands in for the
    clock. The start-up reminder, the welcome and the start-up check wait for the first paint,
    so the clerk sees the window before any of them."""
    problem = display_problem()
    if problem:
        print(f"错误：{problem}", file=sys.stderr)
        return 1
    app = create_application(icon_later=True)
    db_path = Path(db_path) if db_path else default_db_path()
    # --smoke: benchmarks run windows side by side, so no one-window lock
    ledger = open_ledger_interactively(db_path, window_lock=not smoke)
    if ledger is None:
        return 1
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.first_run import app_settings
    from duty_tracker.ui.main_window import MainWindow

    ctx = AppContext(ledger=ledger, settings=app_settings(),
                     **({"today_fn": lambda: today} if today else {}))
    window = MainWindow(ctx)
    if smoke:
        return _smoke_run(app, window, ctx)
    watcher = _FirstPaint(lambda: _after_first_paint(window, ctx))
    window.installEventFilter(watcher)
    window.show_as_remembered()
    code = app.exec()
    ctx.close()  # a restore or 文件 → 打开数据库 may have replaced the ledger meanwhile
    return code


def _after_first_paint(window: QWidget, ctx: object) -> None:
    """The window icon and Qt's Chinese texts, start-up reminders, the first start's welcome,
    and the integrity check with the day's backup (off the UI thread)."""
    from duty_tracker.ui.first_run import maybe_show_welcome, prepare_application
    from duty_tracker.ui.startup_check import start_startup_check

    prepare_application(QApplication.instance())  # window icon, Qt's Chinese texts
    window.after_show()  # type: ignore[attr-defined]
    QTimer.singleShot(0, lambda: maybe_show_welcome(window))  # first start: no units yet
    start_startup_check(window, ctx)


def _smoke_run(app: QApplication, window: QWidget, ctx: object) -> int:
    """Print the time to the first paint, then quit (benchmarks and packaging checks)."""
    def report() -> None:
        print(f"startup_ms={round((time.perf_counter() - STARTED) * 1000)}", flush=True)
        window.close()
        app.quit()

    watcher = _FirstPaint(report)
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(15000, app.quit)  # never hang a benchmark or a packaging check
    app.exec()
    ctx.close()
    return 0


def show_fatal(message: str) -> None:
    look.fail(None, APP_NAME, message)

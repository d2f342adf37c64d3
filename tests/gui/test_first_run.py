"""First start: a new database is seeded with the default rules; the welcome appears only while
the database has no units (never with --smoke) and acts on the clerk's choice; portable mode
keeps the window's settings beside the program."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from duty_tracker.ui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog
from duty_tracker.ui.first_run import app_settings, maybe_show_welcome, needs_welcome


class AnsweringDialog:
    """Stands in for the welcome dialog: records what it was shown and answers at once."""

    shown: list[dict] = []

    def __init__(self, answer: WelcomeChoice):
        self.answer = answer

    def __call__(self, **kwargs):
        AnsweringDialog.shown.append(kwargs)
        answer = self.answer

        class _Dialog:
            choice = answer

            def exec(self) -> int:
                return 1

        return _Dialog()


class FakeWindow:
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.pages: list[str] = []

    def go_to(self, name: str) -> None:
        self.pages.append(name)


def test_new_database_is_seeded_with_the_default_rules_and_has_no_units(ctx) -> None:
    sets = ctx.store.rules.rule_sets()
    assert len(sets) == 1 and sets[0]["duty_count"] > 10
    assert "杭州" in sets[0]["title"]
    assert needs_welcome(ctx)


def test_welcome_dialog_texts_and_choices(qtbot, ctx) -> None:
    dialog = WelcomeDialog(db_path=ctx.db_path, rule_set_title="某某实施细则", duty_count=31)
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "《某某实施细则》" in texts and "31 个履职事项" in texts
    assert "不需要联网" in texts and str(ctx.db_path) in texts
    assert dialog.add_people_button.text() == "添加单位和负责人"
    assert dialog.demo_button.text() == "载入演示数据"
    assert dialog.later_button.text() == "稍后"

    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is WelcomeChoice.LOAD_DEMO and dialog.result() == 1


def test_escape_means_later(qtbot, ctx) -> None:
    dialog = WelcomeDialog(db_path=ctx.db_path, rule_set_title=None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.choice is WelcomeChoice.LATER


def test_add_people_goes_to_the_people_page(ctx) -> None:
    window = FakeWindow(ctx)
    AnsweringDialog.shown.clear()
    choice = maybe_show_welcome(window, dialog_factory=AnsweringDialog(WelcomeChoice.ADD_PEOPLE))
    assert choice is WelcomeChoice.ADD_PEOPLE
    assert window.pages == ["PeoplePage"]
    shown = AnsweringDialog.shown[0]
    assert shown["db_path"] == ctx.db_path and shown["duty_count"] > 10 and not shown["portable"]


def test_add_people_in_the_real_window(qtbot, ctx) -> None:
    from duty_tracker.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    maybe_show_welcome(window, dialog_factory=AnsweringDialog(WelcomeChoice.ADD_PEOPLE))
    assert type(window.page(window.stack.currentIndex())).__name__ == "PeoplePage"


def test_later_does_nothing(ctx) -> None:
    window = FakeWindow(ctx)
    assert maybe_show_welcome(window, dialog_factory=AnsweringDialog(WelcomeChoice.LATER)) \
        is WelcomeChoice.LATER
    assert window.pages == [] and needs_welcome(ctx)


def test_load_demo_goes_to_its_own_database_off_the_ui_thread(qtbot, ctx) -> None:
    window = QMainWindow()
    window.ctx = ctx
    qtbot.addWidget(window)
    real_db = ctx.db_path
    kinds: list[str] = []
    ctx.events.changed.connect(kinds.append)
    maybe_show_welcome(window, dialog_factory=AnsweringDialog(WelcomeChoice.LOAD_DEMO))
    qtbot.waitUntil(lambda: len(kinds) >= 2, timeout=30000)  # switched, then filled
    assert kinds == ["all", "all"]
    assert ctx.db_path.name == "演示数据.db" and ctx.db_path != real_db
    assert ctx.store.people.units() and ctx.store.people.leaders()
    assert not needs_welcome(ctx)
    assert "演示数据.db" in window.statusBar().currentMessage()
    from duty_tracker.core.storage.store import Store

    with Store.open(real_db) as real:  # the real ledger got no sample data
        assert real.people.units() == []


def test_no_welcome_once_there_is_a_unit(ctx) -> None:
    ctx.store.people.add_unit("西湖区", "区县")
    window = FakeWindow(ctx)
    assert maybe_show_welcome(window, dialog_factory=AnsweringDialog(WelcomeChoice.ADD_PEOPLE)) is None
    assert window.pages == []


def test_portable_mode_keeps_settings_in_the_data_folder(tmp_path: Path, monkeypatch) -> None:
    from duty_tracker import paths

    monkeypatch.delenv("DUTY_TRACKER_HOME", raising=False)
    monkeypatch.setattr(paths, "program_dir", lambda: tmp_path)
    assert app_settings().format().name != "IniFormat"  # not portable: the usual place
    (tmp_path / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    settings = app_settings()
    settings.setValue("window/page", 2)
    settings.sync()
    assert Path(settings.fileName()) == tmp_path / "data" / "settings.ini"
    assert (tmp_path / "data" / "settings.ini").is_file()


def test_smoke_start_on_a_new_database_shows_no_welcome(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DUTY_TRACKER_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "duty_tracker", "--smoke", "--db", str(tmp_path / "new.db")],
        capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "startup_ms=" in done.stdout


@pytest.mark.parametrize("name", ["qtbase_zh_CN"])
def test_qt_chinese_texts_are_installed(qapp, name: str) -> None:
    from PySide6.QtCore import QCoreApplication

    from duty_tracker.ui.first_run import install_qt_translations

    assert install_qt_translations(qapp) is not None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_settings_already_held_are_not_written_again(tmp_path) -> None:  # noqa: ANN001
    """The window's start sets back the year, warning days and leader it has just read: the
    store must not save itself for that (Qt saves at the next event-loop turn, with a lock file
    and two waits for the disk, before the window's first paint)."""
    import os

    from PySide6.QtCore import QByteArray, QSettings

    from duty_tracker.ui.first_run import WindowSettings

    path = tmp_path / "窗口.ini"
    first = WindowSettings(str(path), QSettings.Format.IniFormat)
    first.setValue("dashboard/year", 2025)
    first.setValue("dashboard/header", QByteArray(b"\x00\x01state"))
    first.sync()
    del first
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    again = WindowSettings(str(path), QSettings.Format.IniFormat)
    again.setValue("dashboard/year", 2025)  # read back as text "2025"
    again.setValue("dashboard/header", QByteArray(b"\x00\x01state"))
    again.sync()
    assert path.stat().st_mtime_ns == 1_000_000_000
    again.setValue("dashboard/year", 2026)
    again.sync()
    assert path.stat().st_mtime_ns != 1_000_000_000
    assert str(WindowSettings(str(path), QSettings.Format.IniFormat).value("dashboard/year")) == "2026"

"""文件 → 导出日历…: the year's deadlines as an .ics file for Outlook/WPS — all leaders or one —
written on a worker; the events are read back with an independent reader (icalendar)."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from PySide6.QtGui import QAction

from tests.gui.helpers import Answers


def _window(ctx, qtbot):  # noqa: ANN001, ANN202
    from duty_tracker.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _events(path: Path) -> list:
    calendar = Calendar.from_ical(path.read_bytes())
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_the_file_menu_exports_every_leaders_deadlines(demo_ctx, qtbot, monkeypatch, tmp_path: Path) -> None:
    answers = Answers(monkeypatch)
    window = _window(demo_ctx, qtbot)
    action = next(a for a in window.findChildren(QAction) if a.text() == "导出日历(&L)…")
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    action.trigger()
    from duty_tracker.ui.dialogs.calendar_export_dialog import CalendarExportDialog

    dialog = window.findChildren(CalendarExportDialog)[-1]
    assert dialog.year_spin.value() == 2025 and dialog.leader_combo.currentText() == "全部负责人"
    assert dialog.leader_combo.count() > 2
    assert dialog.path_edit.text().endswith("2025年度履职截止日期.ics")
    target = tmp_path / "全部.ics"
    dialog.path_edit.setText(str(target))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    events = _events(target)
    assert len(events) == dialog.written > 10
    assert all(str(e["SUMMARY"]).startswith("【截止】") for e in events)
    assert any(e.walk("VALARM") for e in events)  # a reminder before each deadline
    assert f"已导出 {dialog.written} 个日程" in answers.warnings[-1]


def test_one_leaders_calendar_names_him(demo_ctx, qtbot, monkeypatch, tmp_path: Path) -> None:
    Answers(monkeypatch)
    window = _window(demo_ctx, qtbot)
    dialog = window.export_calendar()
    dialog.leader_combo.setCurrentIndex(1)
    name = dialog.leader_combo.currentText().split("（")[0]
    assert dialog.path_edit.text().endswith(f"{name}2025年度履职截止日期.ics")
    target = tmp_path / "一人.ics"
    dialog.path_edit.setText(str(target))
    dialog.ok_button.click()
    assert dialog.options.leader_id == dialog.leader_combo.currentData()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    events = _events(target)
    assert events and all(str(e["SUMMARY"]).startswith(f"【截止】{name}：") for e in events)

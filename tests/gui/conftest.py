"""GUI test fixtures: an application context on a temporary database with the real default
rule set (parsed from resources/) and a fixed 'today', and a demo-filled variant."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import pytest

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread():
    """As the program does (ui/gc_guard.py): no automatic collection while a test runs — a
    worker thread could otherwise collect a previous test's widgets and crash Qt — and a full
    collection on the GUI thread afterwards."""
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture
def ctx(tmp_path: Path, qapp):
    from PySide6.QtCore import QSettings

    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.context import AppContext

    ledger = open_ledger(tmp_path / "gui.db", actor="测试员", purpose="测试窗口")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext(ledger=ledger, today_fn=lambda: TODAY, settings=settings)
    yield context
    context.undo_stack.clear()
    context.close()


@pytest.fixture
def demo_ctx(ctx):
    from duty_tracker.core.demo import build_demo

    build_demo(ctx.store, leaders=12, years=2, records=20, today=TODAY)
    return ctx


@pytest.fixture
def debrief_page(demo_ctx, qtbot, monkeypatch):
    """The 述职报告 page on the demo, shown; "save your changes?" questions answered No."""
    from PySide6.QtWidgets import QMessageBox

    from duty_tracker.ui.pages.debrief_page import DebriefPage

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    widget = DebriefPage(demo_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget

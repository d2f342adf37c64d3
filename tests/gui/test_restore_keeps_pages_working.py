"""A restore from backup replaces the open store; every page must follow it (a page holding the
old, closed connection would fail on its next query)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from duty_tracker.core.storage.backup import full_backup
from duty_tracker.ui.main_window import MainWindow


def test_pages_use_the_restored_database(demo_ctx, qtbot, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    records = window.go_to("RecordsPage")
    dashboard = window.go_to("DashboardPage")
    backup = full_backup(demo_ctx.db_path, tmp_path / "usb")
    before = demo_ctx.store.records.count()
    first = demo_ctx.store.records.search(limit=1)[0]["id"]
    demo_ctx.store.records.delete_records([first])
    old_store = demo_ctx.store

    window.go_to("DataPage").restore(backup)

    assert demo_ctx.store is not old_store
    assert demo_ctx.store.records.count() == before
    dashboard.reload()
    records.model.reload()
    assert records.model.total == before
    assert records.model.rowCount() > 0
    assert dashboard.store is demo_ctx.store and records.store is demo_ctx.store

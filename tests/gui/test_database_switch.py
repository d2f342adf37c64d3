"""文件 → 打开数据库 / 新建数据库: the window moves to another ledger completely, or stays."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.ui.main_window import MainWindow


def test_open_another_database_switches_every_page(demo_ctx, qtbot, monkeypatch, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with open_ledger(other) as _ledger:
        store = _ledger.store
        unit = store.people.add_unit("另一个区", "区县")
        store.people.add_leader("冯堃", unit, "party", "区委书记", "2020-01-01")
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    records = window.go_to("RecordsPage")
    assert records.model.total > 0
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))

    window.open_database()

    assert demo_ctx.db_path == other
    assert [u["name"] for u in demo_ctx.store.people.units()] == ["另一个区"]
    assert "other.db" in window.windowTitle() and str(other) in window.status_label.text()
    records.model.reload()
    assert records.model.total == 0
    assert demo_ctx.undo_stack.count() == 0


def test_a_database_that_cannot_be_opened_keeps_the_current_one(demo_ctx, qtbot, monkeypatch, tmp_path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    before = demo_ctx.db_path
    window.open_database()
    assert demo_ctx.db_path == before and demo_ctx.store.records.count() > 0
    assert warnings and "仍在使用原来的数据库" in warnings[0]
    assert broken.read_bytes() == b"not a database" * 100


def test_new_database_is_created_with_the_default_rules(demo_ctx, qtbot, monkeypatch, tmp_path) -> None:
    target = tmp_path / "新台账"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.create_database()
    assert demo_ctx.db_path == tmp_path / "新台账.db"
    assert demo_ctx.store.rules.duties_for_year(2025), "a new ledger starts with the default duties"
    assert demo_ctx.store.people.units() == []

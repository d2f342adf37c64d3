"""Roster .xlsx buttons of the 负责人与单位 page: export, preview, all-or-nothing import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

pytest.importorskip("duty_tracker.core.exchange.roster_xlsx")


def _page(ctx, qtbot):
    from duty_tracker.ui.pages.people_page import PeoplePage

    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    return page


def test_roster_round_trip_through_the_page(demo_ctx, qtbot, monkeypatch, tmp_path: Path) -> None:
    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.context import AppContext

    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: infos.append(text))
    target = tmp_path / "名册.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page = _page(demo_ctx, qtbot)
    assert page.export_roster_button.isVisibleTo(page)
    page.export_roster()
    assert target.exists() and "已导出" in infos[-1]

    ctx2 = AppContext(ledger=open_ledger(tmp_path / "other.db", actor="测试员"),
                      today_fn=demo_ctx.today_fn, settings=demo_ctx.settings)
    other = ctx2.store
    page2 = _page(ctx2, qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    page2.import_roster()
    dialog = page2.dialog
    assert dialog.ok_button.isEnabled()
    assert dialog.model.rowCount() >= len(demo_ctx.store.people.leaders())
    dialog.ok_button.click()
    assert {leader["name"] for leader in other.people.leaders()} == {
        leader["name"] for leader in demo_ctx.store.people.leaders()}
    assert "名册已导入" in infos[-1]
    assert page2.unit_model.rowCount() > 0
    ctx2.close()


def test_roster_with_errors_cannot_be_imported(ctx, qtbot, monkeypatch, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "错误名册.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "负责人名册"
    ws.append(["单位", "单位层级", "上级单位", "姓名", "职务", "类别", "任职开始", "任职结束"])
    ws.append(["西湖区", "区县", "", "王明", "区委书记", "党委主要负责人", "2021-01-01", ""])
    ws.append(["西湖区", "区县", "", "", "区长", "政府主要负责人", "不是日期", ""])
    wb.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page = _page(ctx, qtbot)
    page.import_roster()
    dialog = page.dialog
    assert not dialog.ok_button.isEnabled()
    assert dialog.error_list.count() >= 1
    assert "第 3 行" in dialog.error_list.item(0).text()
    dialog.reject()
    assert ctx.store.people.leaders() == []

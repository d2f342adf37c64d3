"""处理冲突: after two offices edited the same field, the data page shows the conflict and the
clerk settles it by choice; the ledger then holds the chosen value."""

from __future__ import annotations

from pathlib import Path

from duty_tracker.core.services import exchange
from duty_tracker.core.services.ledger import open_ledger


def _record(store, title_part: str) -> dict:  # noqa: ANN001
    return next(r for r in store.records.search(None, limit=50) if title_part in r["title"])


def test_a_conflict_is_shown_and_settled_by_the_clerks_choice(ctx, qtbot, tmp_path: Path) -> None:
    from duty_tracker.ui.dialogs.conflicts_dialog import ConflictsDialog
    from duty_tracker.ui.pages.data_page import DataPage

    with open_ledger(tmp_path / "dept.db") as dept:
        unit = dept.store.people.add_unit("区司法局", "部门")
        leader = dept.store.people.add_leader("王建国", unit, "other", "局长", "2020-01-01")
        rid = dept.store.records.add_record(performed_on="2025-04-02", title="年中述法",
                                            kind="述职", leader_ids=[leader])
        exchange.export_package(dept.store, unit, tmp_path / "1.dtpkg")
        exchange.import_package(ctx.store, tmp_path / "1.dtpkg")
        dept.store.records.update_record(rid, title="年中述法（部门稿）")
        local = _record(ctx.store, "年中述法")["id"]
        ctx.store.records.update_record(local, title="年中述法（区里审定稿）")
        exchange.export_package(dept.store, unit, tmp_path / "2.dtpkg")
    assert len(exchange.import_package(ctx.store, tmp_path / "2.dtpkg").conflicts) == 1

    page = DataPage(ctx)
    qtbot.addWidget(page)
    assert page.conflicts_button.isEnabled() and "（1）" in page.conflicts_button.text()
    dialog = ConflictsDialog(ctx, page)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 1).data() == "年中述法（区里审定稿）"
    assert dialog.model.index(0, 2).data() == "年中述法（部门稿）"
    assert not dialog.take_package.isEnabled()  # nothing chosen yet
    dialog.view.selectRow(0)
    dialog.take_package.click()
    assert ctx.store.records.record(local)["title"] == "年中述法（部门稿）"
    assert dialog.model.rowCount() == 0 and "没有待处理" in dialog.summary.text()
    page.refresh_conflicts()
    assert not page.conflicts_button.isEnabled()

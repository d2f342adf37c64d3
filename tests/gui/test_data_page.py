"""The 数据 page: backups, restore with a preview, integrity check, Excel import with the row
error list, data packages and the audit log (dialogs and file choosers are faked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox

from duty_tracker.core.exchange.ledger_xlsx import LEDGER_COLUMNS
from duty_tracker.core.storage.backup import list_auto_backups
from duty_tracker.ui.dialogs import import_preview_dialog
from duty_tracker.ui.pages import data_page as dp


class _SyncControl:
    def progress(self, *args) -> None:
        pass

    def check(self) -> None:
        pass


def _sync_run(parent, title, fn, on_success=None, on_failure=None):  # noqa: ANN001
    try:
        result = fn(_SyncControl())
    except Exception as exc:  # noqa: BLE001
        if on_failure:
            on_failure(str(exc))
        else:
            messages.append(("warning", str(exc)))
        return None
    if on_success:
        on_success(result)
    return None


messages: list[tuple[str, str]] = []
previews: list[tuple[str, list[str]]] = []


@pytest.fixture
def page(demo_ctx, qtbot, monkeypatch):
    messages.clear()
    previews.clear()
    monkeypatch.setattr(dp, "run_with_progress", _sync_run)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(("info", a[2])))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(("warning", a[2])))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    def fake_exec(self) -> int:
        previews.append((self.windowTitle(), [self.problem_list.item(i).text()
                                              for i in range(self.problem_list.count())]))
        return import_preview_dialog.ImportPreviewDialog.DialogCode.Accepted if self.accept_button.isEnabled() \
            else import_preview_dialog.ImportPreviewDialog.DialogCode.Rejected

    monkeypatch.setattr(import_preview_dialog.ImportPreviewDialog, "exec", fake_exec)
    widget = dp.DataPage(demo_ctx)
    qtbot.addWidget(widget)
    widget.resize(1234, 700)
    widget.show()
    return widget


def test_backup_now_lists_the_backup_and_restore_brings_data_back(page, demo_ctx) -> None:
    page.backup_now()
    assert len(list_auto_backups(demo_ctx.db_path)) == 1
    assert page.backup_table.rowCount() == 1 and page.backup_table.item(0, 1).text() == "手动备份"
    before = demo_ctx.store.records.count()
    some = [r["id"] for r in demo_ctx.store.records.search(limit=5)]
    demo_ctx.store.records.delete_records(some)
    old_store = demo_ctx.store
    page.backup_table.selectRow(0)
    page.restore_selected_backup()
    title, _problems = previews[-1]
    assert title == "从备份恢复"
    assert demo_ctx.store is not old_store
    assert demo_ctx.store.records.count() == before
    assert "已从" in messages[-1][1]
    assert page.backup_table.rowCount() == 2  # the pre-restore safety copy


def test_backup_to_a_folder_and_check(page, demo_ctx, tmp_path: Path, monkeypatch) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    page.backup_to_folder()
    assert len(list(usb.glob("*.zip"))) == 1 and "完整备份" in messages[-1][1]
    page.check_integrity()
    assert "检查通过" in messages[-1][1]


def test_excel_import_shows_the_row_errors_then_imports_the_valid_rows(page, demo_ctx, tmp_path: Path,
                                                                          monkeypatch) -> None:
    leader = demo_ctx.store.people.leaders()[0]["name"]
    path = tmp_path / "in.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in LEDGER_COLUMNS])
    ws.append([1, "2025-02-30", "", leader, "", "", "会议", "坏日期"])
    ws.append([2, "2025-03-01", "", "查无此人", "", "", "会议", "未知负责人"])
    ws.append([3, "2025-03-02", "", leader, "", "", "会议", "有效的一行"])
    wb.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    before = demo_ctx.store.records.count()
    page.import_xlsx(roster=False)
    title, problems = previews[-1]
    assert title == "导入履职纪实" and len(problems) == 2
    assert problems[0].startswith("第 2 行（履职日期）") and "查无此人" in problems[1]
    assert demo_ctx.store.records.count() == before + 1
    assert "已导入 1 条" in messages[-1][1]


def test_excel_export_and_package_round_trip(page, demo_ctx, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "台账.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.year_spin.setValue(2025)
    page.export_xlsx()
    assert out.exists() and "履职纪实台账" in messages[-1][1]
    pkg = tmp_path / "unit.dtpkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pkg), ""))
    page.package_unit_combo.setCurrentIndex(1)
    page.export_package()
    assert pkg.exists()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(pkg), ""))
    page.import_package()
    title, conflicts = previews[-1]
    assert title == "导入数据包" and conflicts == []
    assert "合并完成" in messages[-1][1]


def test_audit_log_filters_shows_before_after_and_restores(page, demo_ctx, qtbot) -> None:
    record = demo_ctx.store.records.search(limit=1)[0]
    demo_ctx.store.records.update_record(record["id"], place="新的地点")
    demo_ctx.store.records.delete_records([record["id"]])
    view = page.audit_view
    page.tabs.setCurrentWidget(view)
    view.table_combo.setCurrentIndex(view.table_combo.findData("records"))
    assert view.model.rowCount() >= 2
    first = view.model.index(0, 4)
    assert "删除到回收站" in first.data()
    view.view.setCurrentIndex(first)
    assert view.restore_button.isEnabled()
    view.view.setCurrentIndex(view.model.index(1, 4))
    assert "新的地点" in view.detail.toHtml() and "地点" in view.detail.toHtml()
    assert not view.restore_button.isEnabled()
    view.view.setCurrentIndex(first)
    view.restore_selected()
    assert demo_ctx.store.records.record(record["id"])["deleted_at"] is None
    view.text_edit.setText("新的地点")
    view.reload()
    assert view.model.total >= 1
    view.action_combo.setCurrentIndex(view.action_combo.findData("delete"))
    assert view.model.total == 0


def test_audit_model_pages_from_sql(demo_ctx) -> None:
    from duty_tracker.ui.dialogs.audit_log_dialog import PAGE, AuditTableModel

    leader = demo_ctx.store.people.leaders()[0]["id"]
    for i in range(PAGE + 30):
        demo_ctx.store.records.add_record(performed_on="2025-01-02", title=f"分页 {i}", kind="会议",
                                          leader_ids=[leader])
    model = AuditTableModel(lambda: demo_ctx.store.audit_log)
    model.reload()
    assert model.rowCount() == PAGE and model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() > PAGE

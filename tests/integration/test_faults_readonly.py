"""A data folder on a really read-only file system (a tmpfs remounted read-only; root ignores
file permissions but not that): every command that would write says so in Chinese — no
traceback — and nothing is changed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from duty_tracker.core.exchange.ledger_xlsx import LEDGER_COLUMNS
from duty_tracker.core.exchange.package import export_package
from duty_tracker.core.storage.backup import full_backup
from duty_tracker.core.storage.store import Store
from tests.integration.fs_helpers import assert_clean_failure, cli, remount, tmpfs


def test_imports_backups_and_restores_in_a_read_only_folder_fail_in_chinese(tmp_path: Path) -> None:
    book = tmp_path / "台账.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "履职纪实台账"
    ws.append([c.header for c in LEDGER_COLUMNS])
    ws.append([1, "2025-04-01", "西湖区", "王建国", "", "", "学法", "中心组学法"])
    wb.save(book)
    roster = tmp_path / "名册.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "负责人名册"
    ws.append(["单位", "单位层级", "上级单位", "姓名", "职务", "类别", "任职开始", "任职结束"])
    ws.append(["西湖区", "区县", "", "李清", "区长", "政府", "2021-03-01", ""])
    wb.save(roster)
    with tmpfs(tmp_path / "ro", "16m") as folder:
        db = folder / "duty.db"
        store = Store.open(db)  # with the default rules, as the program makes it
        unit = store.people.add_unit("西湖区", "区县")
        store.people.add_leader("王建国", unit, "party", "区委书记", "2020-01-01")
        package = Path(export_package(store, unit, tmp_path / "西湖区.dtpkg")["path"])
        zipped = full_backup(db, tmp_path / "usb")
        store.close()
        before = sorted((p.name, p.stat().st_size) for p in folder.rglob("*"))
        remount(folder, read_only=True)
        try:
            for args in (("import-xlsx", str(book)), ("import-xlsx", str(roster), "--roster"),
                         ("import-package", str(package)), ("backup",), ("backup", "-o", str(folder / "usb")),
                         ("restore", str(zipped), "--yes")):
                done = cli(*args, "--db", str(db))
                assert_clean_failure(done, "只读")
            assert sorted((p.name, p.stat().st_size) for p in folder.rglob("*")) == before
        finally:
            remount(folder, read_only=False)

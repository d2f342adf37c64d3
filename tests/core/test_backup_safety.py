"""Backups, the start-up backup, restore previews, the instance lock and the audit log view."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from duty_tracker.core.exchange.audit_xlsx import export_audit_log
from duty_tracker.core.storage import audit_queries
from duty_tracker.core.storage.audit_queries import AuditFilter
from duty_tracker.core.storage.backup import (
    describe_backup,
    full_backup,
    list_auto_backups,
    restore,
    startup_backup,
)
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.instance_lock import InstanceLock, InstanceLockedError, lock_path_for


@pytest.fixture
def leader(store, unit_id) -> int:
    return store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")


def test_startup_backup_once_a_day(store, leader) -> None:
    first = startup_backup(store.path)
    assert first is not None and first.exists()
    assert startup_backup(store.path) is None
    tomorrow = startup_backup(store.path, today=datetime(2099, 1, 1))
    assert tomorrow is not None
    assert len(list_auto_backups(store.path)) == 2


def test_restore_preview_shows_date_records_and_attachments(store, leader, tmp_path: Path) -> None:
    rid = store.records.add_record(performed_on="2025-01-02", title="学法", kind="学法", leader_ids=[leader])
    scan = tmp_path / "a.jpg"
    scan.write_bytes(b"jpeg")
    store.records.add_attachment(rid, scan)
    usb = tmp_path / "usb"
    zipped = full_backup(store.path, usb, progress=lambda *a: None)
    info = describe_backup(zipped)
    assert info.ok and info.record_count == 1 and info.attachment_count == 1 and info.created_at
    auto = startup_backup(store.path)
    auto_info = describe_backup(auto)
    assert auto_info.ok and auto_info.record_count == 1 and "启动" in auto_info.reason
    # Restore really brings the old state back (and backs up the current one first).
    store.records.delete_records([rid])
    store.close()
    safety = restore(zipped, store.path)
    assert safety is not None
    from duty_tracker.core.storage.store import Store

    with Store.open(store.path) as reopened:
        assert reopened.records.count() == 1


def test_a_cancelled_full_backup_leaves_no_partial_file(store, leader, tmp_path: Path) -> None:
    for i in range(3):
        f = tmp_path / f"{i}.pdf"
        f.write_bytes(b"x" * (i + 1))
        store.records.add_attachment(store.records.add_record(
            performed_on="2025-01-02", title=f"t{i}", kind="其他", leader_ids=[leader]), f)

    def cancel(done: int, total: int, text: str) -> None:
        if done == 2:
            raise KeyboardInterrupt

    usb = tmp_path / "usb"
    with pytest.raises(KeyboardInterrupt):
        full_backup(store.path, usb, progress=cancel)
    assert list(usb.iterdir()) == []


def test_a_second_instance_is_told_who_holds_the_database(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with InstanceLock(db):
        with pytest.raises(InstanceLockedError, match="已在另一个窗口中打开（用户 .+，计算机 .+"):
            InstanceLock(db).acquire()
        # Another process sees the same.
        code = ("import sys; from duty_tracker.core.storage.instance_lock import acquire, InstanceLockedError\n"
                f"try:\n acquire({str(db)!r})\nexcept InstanceLockedError as e:\n print(e); sys.exit(3)")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 3 and "另一个窗口" in proc.stdout
    # Released: the next window gets it.
    InstanceLock(db).acquire().release()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    code = ("import os, sys; from duty_tracker.core.storage.instance_lock import acquire\n"
            f"acquire({str(db)!r}); print('locked', flush=True); os._exit(0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "locked" in proc.stdout
    assert lock_path_for(db).read_text(encoding="utf-8")  # the dead process's note is still there
    lock = InstanceLock(db).acquire()  # …but the lock is free
    assert lock.held
    lock.release()


def test_audit_log_filters_diffs_and_restores_a_deleted_record(store, leader, tmp_path: Path) -> None:
    rid = store.records.add_record(performed_on="2025-01-02", title="常务会议学法", kind="学法", leader_ids=[leader])
    store.records.update_record(rid, place="三楼会议室")
    store.records.delete_records([rid])
    db = store.db
    records_log = AuditFilter(table="records")
    assert audit_queries.count(db, records_log) == 3
    newest = audit_queries.page(db, records_log, limit=10)
    assert [r["action"] for r in newest] == ["update", "update", "insert"]
    assert newest[0]["summary"] == "常务会议学法（删除到回收站）"
    assert ("地点", "", "三楼会议室") in audit_queries.diff(newest[1])
    assert audit_queries.count(db, AuditFilter(actor="测试员", text="三楼")) == 2
    assert audit_queries.count(db, AuditFilter(date_to=date(2000, 1, 1))) == 0
    assert "测试员" in audit_queries.distinct(db, "actor")
    assert audit_queries.restorable(db, newest[0]) and not audit_queries.restorable(db, newest[1])
    message = audit_queries.restore(store, newest[0]["id"])
    assert "已恢复履职纪实" in message and store.records.count() == 1
    assert not audit_queries.restorable(db, newest[0])
    with pytest.raises(StorageError):
        audit_queries.restore(store, newest[0]["id"])


def test_a_hard_deleted_row_comes_back_with_its_links(store, leader, tmp_path: Path) -> None:
    rid = store.records.add_record(performed_on="2025-01-02", title="被彻底删除", kind="会议", leader_ids=[leader])
    with store.db.atomic():
        store.db.execute("DELETE FROM records WHERE id = ?", [rid])
    assert store.records.count() == 0
    deleted = audit_queries.page(store.db, AuditFilter(table="records", action="delete"))[0]
    audit_queries.restore(store, deleted["id"])
    assert store.records.record(rid)["leader_ids"] == [leader]


def test_audit_log_exports_to_xlsx(store, leader, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    store.records.add_record(performed_on="2025-01-02", title="导出测试", kind="会议", leader_ids=[leader])
    n = export_audit_log(store, tmp_path / "log.xlsx", AuditFilter(table="records"))
    ws = load_workbook(tmp_path / "log.xlsx")["操作日志"]
    assert n == 1 and ws["A1"].value == "时间" and ws["E2"].value == "导出测试"

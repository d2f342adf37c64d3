"""Fault tests (issue 6): after each fault nothing committed is lost, nothing half-written
remains, and the database passes integrity_check."""

from __future__ import annotations

import errno
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from duty_tracker.core.storage.backup import (
    BackupError,
    BackupProblemsError,
    auto_backup,
    full_backup,
    integrity_problems,
    list_auto_backups,
    recover_from_newest_backup,
)
from duty_tracker.core.storage.errors import (
    CorruptDatabaseError,
    DatabaseOpenError,
    NewerDatabaseError,
)
from duty_tracker.core.storage.integrity import check_database
from duty_tracker.core.storage.store import Store

BATCH = 40
WRITER = r"""
import sys
from duty_tracker.core.storage.store import Store
store = Store.open(sys.argv[1], migrate=False, actor="写入进程")
leader = int(sys.argv[2])
n = 0
while True:
    with store.db.atomic():
        for i in range(BATCH):
            store.records.add_record(performed_on="2025-03-01", title=f"批量纪实 {n + i}", kind="会议",
                                     leader_ids=[leader], description="x" * 200)
    n += BATCH
    print(n, flush=True)
""".replace("BATCH", str(BATCH))


@pytest.fixture
def db_with_leader(store, unit_id):
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    return store, leader


def _records(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM records ORDER BY id")]
    finally:
        conn.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_writer_killed_mid_batch_loses_nothing_committed(db_with_leader, seed: int) -> None:
    store, leader = db_with_leader
    path = store.path
    store.close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(leader)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    committed = 0
    try:
        target = random.Random(seed).randint(2, 6)
        while committed < target * BATCH:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            committed = int(line)
        time.sleep(random.Random(seed).uniform(0.001, 0.02))  # somewhere inside the next batch
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # `check` right after the crash, before anything reopened the file, already sees it healthy.
    assert check_database(path).ok
    # Whatever the kill left (a hot journal), reopening rolls back the unfinished batch.
    with Store.open(path) as reopened:
        titles = [r[0] for r in reopened.db.execute("SELECT title FROM records ORDER BY id")]
        audited = reopened.db.execute(
            "SELECT count(*) FROM audit_log WHERE table_name = 'records' AND action = 'insert'").fetchone()[0]
    assert len(titles) >= committed, "a committed record was lost"
    assert len(titles) % BATCH == 0, "a batch was half-written"
    assert titles == [f"批量纪实 {i}" for i in range(len(titles))]
    assert audited == len(titles)
    assert integrity_problems(path) == []
    assert check_database(path).ok


def test_truncated_and_garbage_files_are_never_overwritten_and_can_be_recovered(db_with_leader) -> None:
    store, leader = db_with_leader
    store.records.add_record(performed_on="2025-01-02", title="备份前的纪实", kind="会议", leader_ids=[leader])
    path = store.path
    store.close()
    assert auto_backup(path, "测试") is not None
    good = path.read_bytes()
    for damaged in (good[: len(good) // 3], b"\x00garbage" * 500, b"SQLite format 3\x00" + os.urandom(5000)):
        path.write_bytes(damaged)
        with pytest.raises(CorruptDatabaseError, match="损坏|不是有效"):
            Store.open(path)
        assert path.read_bytes() == damaged, "the damaged file was modified"
        report = check_database(path)
        assert not report.ok and report.problems
        aside, backup = recover_from_newest_backup(path)
        assert aside.read_bytes() == damaged and "损坏" in aside.name
        assert integrity_problems(path) == []
        assert _records(path) == ["备份前的纪实"]


def test_a_database_from_a_newer_version_is_refused_untouched(db_with_leader) -> None:
    store, _leader = db_with_leader
    path = store.path
    store.db.execute("PRAGMA user_version = 999")
    store.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="较新版本"):
        Store.open(path)
    assert path.read_bytes() == before
    assert list_auto_backups(path) == []  # not even a backup was attempted over it


def test_a_full_disk_during_a_batch_keeps_everything_committed_before_it(db_with_leader) -> None:
    store, leader = db_with_leader
    store.records.add_record(performed_on="2025-01-02", title="已保存", kind="会议", leader_ids=[leader])
    # SQLite's own "disk full": the file may not grow past its current size.
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        with store.db.atomic():
            for i in range(500):
                store.records.add_record(performed_on="2025-01-03", title=f"写不下 {i}", kind="会议",
                                         leader_ids=[leader], description="x" * 2000)
    assert [r["title"] for r in store.db.query("SELECT title FROM records")] == ["已保存"]
    store.close()
    assert integrity_problems(store.path) == []


def _no_partials(folder: Path) -> None:
    if folder.exists():
        leftovers = [p for p in folder.rglob("*") if p.name.endswith(".part") or p.suffix == ".zip"]
        assert leftovers == [], leftovers


def test_a_full_disk_during_backups_and_exports_leaves_no_partial_files(db_with_leader, tmp_path, monkeypatch) -> None:
    from duty_tracker.core.exchange import ledger_xlsx, package
    from duty_tracker.core.exchange.xlsx_common import ExchangeError

    store, leader = db_with_leader
    rid = store.records.add_record(performed_on="2025-01-02", title="纪实", kind="会议", leader_ids=[leader])
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF" + b"x" * 5000)
    store.records.add_attachment(rid, scan)
    unit_id = store.people.units()[0]["id"]
    def user_data() -> list:
        return [list(store.db.execute(f"SELECT * FROM {t} ORDER BY 1")) for t in
                ("units", "leaders", "terms", "records", "record_leaders", "attachments", "audit_log")]

    before = user_data()
    usb = tmp_path / "usb"

    real_write = zipfile._ZipWriteFile.write

    def full_write(self, data):
        real_write(self, data)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full_write)
    with pytest.raises(BackupError, match="磁盘已满"):
        full_backup(store.path, usb)
    _no_partials(usb)
    with pytest.raises(package.PackageError, match="磁盘已满"):
        package.export_package(store, unit_id, usb / "pkg.dtpkg")
    assert not list(usb.glob("*pkg*"))
    monkeypatch.undo()

    def full_save(self, filename):
        Path(filename).write_bytes(b"PK half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", full_save)
    with pytest.raises(ExchangeError, match="磁盘已满"):
        ledger_xlsx.export_ledger(store, usb / "台账.xlsx", 2025)
    assert list(usb.iterdir()) == []
    monkeypatch.undo()

    # The page copy onto a full disk: SQLite reports it; no half-written backup carries a name.
    real_connect = sqlite3.connect

    class FullDisk:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            return self._conn.execute(sql, *args)

        def backup(self, target, **kwargs):
            def full(_status, _remaining, _total):  # one page lands, then the disk is full
                raise sqlite3.OperationalError("database or disk is full")

            self._conn.backup(target._conn, pages=1, progress=full)

        def close(self):
            self._conn.close()

    monkeypatch.setattr("duty_tracker.core.storage.backup.sqlite3.connect",
                        lambda *a, **k: FullDisk(real_connect(*a, **k)))
    with pytest.raises(BackupError, match="无法备份"):
        auto_backup(store.path, "测试")
    monkeypatch.undo()
    assert list(store.backups_dir.glob("*")) == [] if store.backups_dir.exists() else True
    assert user_data() == before  # (an export also notes what it saw: sync bookkeeping only)
    assert integrity_problems(store.path) == []


def test_a_read_only_data_folder_gives_a_clear_error_and_writes_nothing(db_with_leader, tmp_path, monkeypatch) -> None:
    from duty_tracker.core.storage.instance_lock import InstanceLock

    store, _leader = db_with_leader
    real_open = os.open

    def read_only_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_open)
    with pytest.raises(DatabaseOpenError, match="只读"):
        InstanceLock(store.path).acquire()
    monkeypatch.undo()

    def no_mkdir(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", no_mkdir)
    with pytest.raises(BackupError, match="无法创建备份文件夹"):
        full_backup(store.path, tmp_path / "readonly-usb" / "sub")
    monkeypatch.undo()
    assert not (tmp_path / "readonly-usb").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_a_really_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with Store.open(folder / "d.db"):
        pass
    folder.chmod(0o555)
    try:
        with pytest.raises(DatabaseOpenError):
            from duty_tracker.core.storage.instance_lock import acquire

            acquire(folder / "d.db")
    finally:
        folder.chmod(0o755)


def test_a_missing_attachment_is_reported_by_check_and_nothing_crashes(db_with_leader, tmp_path: Path) -> None:
    from duty_tracker.cli.main import main
    from duty_tracker.core.exchange.ledger_xlsx import export_ledger
    from duty_tracker.core.exchange.package import PackageError, export_package

    store, leader = db_with_leader
    rid = store.records.add_record(performed_on="2025-01-02", title="有附件的纪实", kind="会议", leader_ids=[leader])
    scan = tmp_path / "纪要扫描件.pdf"
    scan.write_bytes(b"%PDF scan")
    store.records.add_attachment(rid, scan)
    stored = store.records.attachments(rid)[0]
    store.records.attachment_path(stored).unlink()
    report = check_database(store.path)
    assert not report.ok and any("纪要扫描件.pdf" in p and "缺失" in p for p in report.problems)
    assert main(["check", "--db", str(store.path)]) == 1
    assert export_ledger(store, tmp_path / "l.xlsx", 2025)["履职纪实台账"] == 1
    with pytest.raises(BackupProblemsError, match="纪要扫描件.pdf 缺失") as problem:
        full_backup(store.path, tmp_path / "usb")
    assert problem.value.path.exists()
    with pytest.raises(PackageError, match="附件文件缺失"):
        export_package(store, store.people.units()[0]["id"], tmp_path / "p.dtpkg")
    assert store.records.record(rid)["attachments"]

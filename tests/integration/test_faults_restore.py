"""Restore under faults: a kill -9 in the middle, a real full disk, foreign and empty files,
a backup from a newer schema, damaged evidence — and the full backup's memory and honesty.

Every scenario runs the real command line in its own process against real files; the small
disk is a real tmpfs mounted for the test.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from duty_tracker.core.storage.backup import BackupProblemsError, full_backup
from duty_tracker.core.storage.database import latest_schema_version
from duty_tracker.core.storage.integrity import check_database
from duty_tracker.core.storage.marks import APPLICATION_ID
from duty_tracker.core.storage.store import Store
from tests.integration.fs_helpers import assert_clean_failure, cli, fill, tmpfs
from tests.store_helpers import bare_store

MB = 1 << 20


def _ledger(path: Path, tmp: Path, sizes: list[int]) -> Store:
    """A database with a leader, a record and one evidence file per size (random bytes)."""
    store = bare_store(path, actor="测试员")
    unit = store.people.add_unit("西湖区", "区县")
    leader = store.people.add_leader("王建国", unit, "party", "区委书记", "2020-01-01")
    rid = store.records.add_record(performed_on="2025-03-02", title="中心组学法", kind="学法", leader_ids=[leader])
    for index, size in enumerate(sizes):
        scan = tmp / f"扫描件{index}.pdf"
        scan.write_bytes(os.urandom(size))
        store.records.add_attachment(rid, scan)
    return store


@pytest.fixture
def backed_up(tmp_path: Path):
    """A full backup (.zip, outside the data folder) of a ledger with three 6 MB scans."""
    store = _ledger(tmp_path / "office" / "duty.db", tmp_path, [6 * MB, 6 * MB, 6 * MB])
    zipped = full_backup(store.path, tmp_path / "usb")
    store.close()
    return zipped


def _partial_files(folder: Path, full_size: int) -> list[Path]:
    if not folder.is_dir():
        return []
    out = []
    for p in folder.rglob("*"):
        try:
            if p.is_file() and 0 < p.stat().st_size < full_size:
                out.append(p)
        except FileNotFoundError:
            continue
    return out


def test_a_restore_killed_in_the_middle_of_an_evidence_file_is_repaired_by_the_next(backed_up, tmp_path: Path) -> None:
    target = tmp_path / "newpc" / "duty.db"
    attachments = target.parent / "duty_attachments"
    landed = False
    for _attempt in range(40):
        proc = subprocess.Popen([sys.executable, "-m", "duty_tracker", "restore", str(backed_up), "--yes",
                                 "--db", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            while proc.poll() is None and not _partial_files(attachments, 6 * MB):
                time.sleep(0.0005)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                landed = True
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        if landed:
            break
        for p in attachments.rglob("*") if attachments.exists() else []:
            if p.is_file():
                p.unlink()  # it finished before we caught it: start again from nothing
    assert landed, "the restore always finished before it could be killed"
    # Whatever the kill left, nothing half-written carries a final evidence name.
    done = cli("restore", str(backed_up), "--yes", "--db", str(target))
    assert done.returncode == 0, done.stderr
    assert "已恢复" in done.stdout
    report = check_database(target)
    assert report.ok, report.problems
    assert report.attachments_checked == 3
    leftovers = [p.name for p in target.parent.rglob("*") if p.name.endswith((".part", ".restore"))]
    assert leftovers == []


def test_a_broken_restore_left_a_truncated_evidence_file_and_restoring_again_repairs_it(backed_up, tmp_path: Path) -> None:
    target = tmp_path / "newpc" / "duty.db"
    assert cli("restore", str(backed_up), "--yes", "--db", str(target)).returncode == 0
    victim = sorted((target.parent / "duty_attachments").rglob("*.pdf"))[0]
    good = victim.read_bytes()
    victim.write_bytes(good[: len(good) // 2])  # what a power cut mid-write leaves
    assert not check_database(target).ok
    done = cli("restore", str(backed_up), "--yes", "--db", str(target))
    assert done.returncode == 0, done.stderr
    assert victim.read_bytes() == good
    assert check_database(target).ok


def test_restore_onto_a_full_disk_says_so_in_chinese_and_changes_nothing(backed_up, tmp_path: Path) -> None:
    with zipfile.ZipFile(backed_up) as zf:
        needed = sum(i.file_size for i in zf.infolist() if i.filename != "manifest.json")
    with tmpfs(tmp_path / "small", "40m") as disk:
        target = disk / "duty.db"
        _ledger(target, tmp_path, [1000]).close()
        before = target.read_bytes()
        # Not enough room from the start: refused before anything is written.
        filler = fill(disk, leave=needed // 2)
        done = cli("restore", str(backed_up), "--yes", "--db", str(target))
        assert_clean_failure(done, "磁盘")
        assert target.read_bytes() == before
        filler.unlink()
        # Just enough room for the space check, not for the safety copy and the files: the disk
        # runs full in the middle of an evidence file.
        filler = fill(disk, leave=needed + 64 * 1024)
        done = cli("restore", str(backed_up), "--yes", "--db", str(target))
        assert_clean_failure(done, "磁盘")
        assert target.read_bytes() == before
        assert check_database(target).ok
        names = [p.name for p in disk.rglob("*") if p.name.endswith((".part", ".restore"))]
        assert names == []
        filler.unlink()
        # Room again: the restore goes through, repairing what the full disk cut short.
        done = cli("restore", str(backed_up), "--yes", "--db", str(target))
        assert done.returncode == 0, done.stderr
        report = check_database(target)
        assert report.ok and report.attachments_checked == 3, report.problems


def _newer_backup(tmp_path: Path) -> Path:
    store = _ledger(tmp_path / "newer" / "n.db", tmp_path, [])
    store.db.execute(f"PRAGMA user_version = {latest_schema_version() + 1}")
    store.close()
    return store.path


def _foreign_sqlite(tmp_path: Path, mark: int, version: int = 7) -> Path:
    path = tmp_path / "foreign" / f"other-{mark}-{version}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
    conn.execute(f"PRAGMA application_id = {mark}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def test_restore_accepts_only_our_own_files(tmp_path: Path) -> None:
    target = tmp_path / "office" / "duty.db"
    _ledger(target, tmp_path, [100]).close()
    before = target.read_bytes()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    zero_zip = tmp_path / "empty-db.zip"
    with zipfile.ZipFile(zero_zip, "w") as zf:
        zf.writestr("duty_tracker.db", b"")
        zf.writestr("manifest.json", json.dumps({"database": {"name": "duty_tracker.db", "sha256":
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}, "attachments": {}}))
    cases = {
        _foreign_sqlite(tmp_path, 0x12345678): "其他程序",
        _foreign_sqlite(tmp_path, 0): "其他程序",
        _foreign_sqlite(tmp_path, 0, 0): "其他程序",
        empty: "空的",
        zero_zip: "空的",
        _newer_backup(tmp_path): "较新版本",
    }
    for backup, words in cases.items():
        done = cli("restore", str(backup), "--yes", "--db", str(target))
        assert_clean_failure(done, words)
        assert target.read_bytes() == before, backup
    # Opening a foreign file is refused just the same, and it is not written to.
    foreign = tmp_path / "foreign" / "other-0-0.db"
    raw = foreign.read_bytes()
    done = cli("check", "--db", str(foreign))
    assert done.returncode == 1 and "其他程序" in done.stderr
    done = cli("duties", "--db", str(foreign))
    assert_clean_failure(done, "其他程序")
    assert foreign.read_bytes() == raw


def test_every_database_we_create_or_migrate_carries_our_mark(tmp_path: Path) -> None:
    from duty_tracker.core.storage.database import open_database
    from duty_tracker.paths import migrations_dir

    new = bare_store(tmp_path / "new.db")
    new.close()
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    # A database written by the first version (schema 1, no mark) gets it when migrated.
    first = tmp_path / "first"
    first.mkdir()
    (first / "0001_initial.sql").write_bytes((migrations_dir() / "0001_initial.sql").read_bytes())
    open_database(tmp_path / "old.db", migrations_folder=first).close()
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    migrated = bare_store(tmp_path / "old.db")
    assert migrated.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert migrated.db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
    migrated.close()


def test_a_full_backup_reports_evidence_that_no_longer_matches_the_database(tmp_path: Path) -> None:
    store = _ledger(tmp_path / "office" / "duty.db", tmp_path, [5000, 6000])
    scan = sorted(store.attachments_dir.rglob("*.pdf"))[0]
    scan.write_bytes(b"tampered" + scan.read_bytes()[8:])  # same size, other content
    with pytest.raises(BackupProblemsError, match="校验值不符"):
        full_backup(store.path, tmp_path / "usb")
    done = cli("backup", "-o", str(tmp_path / "usb2"), "--db", str(store.path))
    assert done.returncode == 1 and "校验值不符" in done.stderr and "Traceback" not in done.stderr
    # Restoring such a backup is refused, not reported as done.
    zipped = next((tmp_path / "usb2").glob("*.zip"))
    done = cli("restore", str(zipped), "--yes", "--db", str(tmp_path / "newpc" / "duty.db"))
    assert_clean_failure(done, "不符")
    store.close()


def test_an_extension_with_a_colon_or_backslash_never_blocks_a_backup(tmp_path: Path) -> None:
    store = _ledger(tmp_path / "office" / "duty.db", tmp_path, [])
    rid = store.records.search()[0]["id"]
    for odd in ("纪要.p:df", "照片.jp\\g"):
        source = tmp_path / odd
        source.write_bytes(os.urandom(300))
        store.records.add_attachment(rid, source)
    # Rows written by an earlier version still hold such a stored name.
    with store.db.atomic():
        store.db.execute("UPDATE attachments SET stored_path = stored_path || ':x' WHERE id = (SELECT min(id) FROM attachments)")
    stored = store.db.execute("SELECT stored_path FROM attachments ORDER BY id").fetchall()[0][0]
    (store.attachments_dir / stored).parent.mkdir(parents=True, exist_ok=True)
    old_name = stored.removesuffix(":x")
    (store.attachments_dir / old_name).rename(store.attachments_dir / stored)
    assert check_database(store.path).ok
    zipped = full_backup(store.path, tmp_path / "usb")
    target = tmp_path / "newpc" / "duty.db"
    done = cli("restore", str(zipped), "--yes", "--db", str(target))
    assert done.returncode == 0, done.stderr
    assert check_database(target).ok and check_database(target).attachments_checked == 2
    store.close()


MEMORY_PROBE = r"""
import sys
from pathlib import Path
from duty_tracker.core.storage.backup import full_backup, restore

def peak_kb():  # the high-water mark of this process's memory (not inherited across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

db, usb, target = map(Path, sys.argv[1:4])
start = peak_kb()
zipped = full_backup(db, usb)
after_backup = peak_kb()
restore(zipped, target)
after_restore = peak_kb()
print(start, after_backup, after_restore)
"""


def test_a_full_backup_and_restore_stream_the_database(tmp_path: Path) -> None:
    """A 160 MB database: before, backup and restore read it whole into memory (more than
    its size each time); now memory stays flat."""
    if not Path("/proc/self/status").exists():
        pytest.skip("the memory high-water mark is read from /proc (Linux)")
    store = _ledger(tmp_path / "office" / "duty.db", tmp_path, [])
    with store.db.atomic():  # ballast in a table without search index or audit triggers
        store.db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 160) "
                         "INSERT INTO settings (key, value) SELECT 'ballast-' || i, zeroblob(1048576) FROM n")
    store.close()
    assert store.path.stat().st_size > 150 * MB
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(store.path), str(tmp_path / "usb"),
                           str(tmp_path / "newpc" / "duty.db")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    start, after_backup, after_restore = (int(v) for v in done.stdout.split())  # kilobytes
    assert after_backup - start < 60 * 1024, (start, after_backup)
    assert after_restore - start < 60 * 1024, (start, after_restore)
    assert after_restore < 150 * 1024
    assert check_database(tmp_path / "newpc" / "duty.db").ok


def test_a_backup_onto_a_full_usb_stick_says_so_and_leaves_nothing(backed_up, tmp_path: Path) -> None:
    db = tmp_path / "office" / "duty.db"
    with tmpfs(tmp_path / "usb-stick", "5m") as stick:
        done = cli("backup", "-o", str(stick), "--db", str(db))
        assert done.returncode == 1 and "磁盘已满" in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert list(stick.iterdir()) == []
    assert check_database(db).ok

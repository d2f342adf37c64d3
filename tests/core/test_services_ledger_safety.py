"""Use cases without Qt: opening a ledger (seeding, locks) and restoring under live writers."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from duty_tracker.core.services import safety
from duty_tracker.core.services.ledger import open_ledger, open_worker_store
from duty_tracker.core.storage.backup import BackupError
from duty_tracker.core.storage.errors import CorruptDatabaseError
from duty_tracker.core.storage.instance_lock import InstanceLockedError, lock_path_for
from duty_tracker.core.storage.writer_lock import DatabaseBusyError, live_writers, writers_dir_for

HOLD_OPEN = r"""
import sys, time
from duty_tracker.core.services.ledger import open_ledger
ledger = open_ledger(sys.argv[1], purpose="测试写入进程")
print("open", flush=True)
time.sleep(float(sys.argv[2]))
ledger.close()
"""


def _start_writer(db: Path, seconds: float, tmp_path: Path) -> subprocess.Popen:
    script = tmp_path / "hold.py"
    script.write_text(HOLD_OPEN, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_new_ledger_gets_the_default_rules_and_storage_does_not(tmp_path: Path) -> None:
    from duty_tracker.core.storage.store import Store

    with Store.open(tmp_path / "bare.db") as bare:
        assert not bare.rules.has_rule_sets()  # storage knows nothing of rules texts
    with open_ledger(tmp_path / "new.db") as ledger:
        assert ledger.store.rules.has_rule_sets()
        assert ledger.store.rules.duties_for_year(2025)


def test_the_ledger_registers_its_process_as_a_writer_until_closed(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    ledger = open_ledger(db, purpose="测试")
    assert len(list(writers_dir_for(db).glob("*.lock"))) == 1
    ledger.close()
    assert list(writers_dir_for(db).glob("*.lock")) == []


def test_a_second_window_is_refused_and_nothing_stays_locked_after_a_failure(tmp_path: Path) -> None:
    db = tmp_path / "win.db"
    with open_ledger(db, window=True):
        with pytest.raises(InstanceLockedError, match="另一个窗口"):
            open_ledger(db, window=True)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CorruptDatabaseError):
        open_ledger(bad, window=True)
    assert list(writers_dir_for(bad).glob("*.lock")) == []
    with open_ledger(db, window=True):  # released: a window can open it again
        pass
    assert lock_path_for(db).exists()


def test_restore_refuses_while_another_process_writes_and_names_it(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with open_ledger(db) as ledger:
        backup = safety.backup_now(ledger.path)
    before = db.read_bytes()
    proc = _start_writer(db, 30, tmp_path)
    try:
        with pytest.raises(DatabaseBusyError, match="测试写入进程") as caught:
            safety.restore_file(db, backup)
        assert caught.value.holders and caught.value.holders[0]["pid"] == proc.pid
    finally:
        proc.kill()
        proc.wait()
    assert db.read_bytes() == before
    # the killed writer's registration is stale now: the restore goes ahead
    assert live_writers(db) == []
    assert safety.restore_file(db, backup).safety_backup is not None


def test_restore_waits_for_a_writer_that_finishes(tmp_path: Path) -> None:
    db = tmp_path / "wait.db"
    with open_ledger(db) as ledger:
        backup = safety.backup_now(ledger.path)
    proc = _start_writer(db, 1.0, tmp_path)
    started = time.monotonic()
    result = safety.restore_file(db, backup)
    proc.wait()
    assert result.source == backup and time.monotonic() - started < safety_wait() + 1


def safety_wait() -> float:
    from duty_tracker.core.storage.writer_lock import WRITERS_WAIT_SECONDS

    return WRITERS_WAIT_SECONDS


def test_restore_in_the_window_keeps_a_usable_store_whatever_happens(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    ledger = open_ledger(db, window=True)
    try:
        store = ledger.store
        unit = store.people.add_unit("西湖区", "区县")
        backup = safety.backup_now(db)
        store.people.add_unit("上城区", "区县")
        broken = tmp_path / "broken.db"
        broken.write_bytes(b"garbage" * 1000)
        with pytest.raises(BackupError):
            safety.restore_backup(ledger, broken)
        assert len(ledger.store.people.units()) == 2  # reopened on the untouched file
        result = safety.restore_backup(ledger, backup)  # our own window does not block it
        assert result.safety_backup is not None
        assert [u["id"] for u in ledger.store.people.units()] == [unit]
    finally:
        ledger.close()


def test_startup_check_backs_up_a_healthy_database_once_and_reports_damage(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_ledger(db) as ledger:
        ledger.store.people.add_unit("西湖区", "区县")
    first = safety.startup_check(db)
    assert not first.damaged and first.backup is not None
    assert safety.startup_check(db).backup is None  # once a day
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])  # truncated, as after a failing disk
    report = safety.startup_check(db)
    assert report.damaged and report.newest_good_backup == first.backup


def test_a_worker_store_neither_migrates_nor_registers(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with open_ledger(db):
        with open_worker_store(db) as worker:
            assert worker.rules.has_rule_sets()
        assert len(list(writers_dir_for(db).glob("*.lock"))) == 1

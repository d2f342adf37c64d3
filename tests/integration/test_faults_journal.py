"""``check`` and crash recovery: a healthy file is never changed, a genuine hot journal is
rolled back only after a copy is kept, a journal of another database is never rolled into
ours, a dropped search-index trigger is found and rebuilt, and the temporary files of a
killed backup are cleaned up without touching one a live process is writing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from duty_tracker.core.storage.integrity import check_database
from tests.integration.fs_helpers import cli
from tests.store_helpers import bare_store

HOLD_TRANSACTION = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 5")  # spill pages into the file before the commit
conn.execute("BEGIN IMMEDIATE")
for i in range(3000):
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"{sys.argv[2]}-{i}", "x" * 400))
conn.execute("UPDATE records SET title = 'NEVER COMMITTED'")
print("inside", flush=True)
time.sleep(600)
"""


def _ledger(path: Path, titles: list[str]) -> Path:
    store = bare_store(path, actor="测试员")
    unit = store.people.add_unit("西湖区", "区县")
    leader = store.people.add_leader("王建国", unit, "party", "区委书记", "2020-01-01")
    for title in titles:
        store.records.add_record(performed_on="2025-03-02", title=title, kind="学法", leader_ids=[leader])
    store.close()
    return path


def _killed_mid_transaction(path: Path) -> Path:
    """Leave a hot journal beside ``path``: a writer killed with SIGKILL inside a transaction
    that had already written pages into the file."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD_TRANSACTION, str(path), path.stem],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    journal = Path(str(path) + "-journal")
    assert journal.stat().st_size > 0
    return journal


def _titles(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM records ORDER BY id")]
    finally:
        conn.close()


def test_check_never_changes_a_healthy_file(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", ["学法一", "学法二"])
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    files = sorted(p.name for p in tmp_path.rglob("*"))
    done = cli("check", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == files


def test_a_journal_of_another_database_is_never_rolled_into_ours(tmp_path: Path) -> None:
    ours = _ledger(tmp_path / "office" / "duty.db", ["本单位的纪实"] * 30)
    other = _ledger(tmp_path / "elsewhere" / "duty.db", ["别处的纪实"] * 5)
    foreign_journal = _killed_mid_transaction(other)
    os.replace(foreign_journal, Path(str(ours) + "-journal"))  # copied along with the wrong folder
    before = ours.read_bytes()
    done = cli("check", "--db", str(ours))
    assert "Traceback" not in done.stderr
    assert "不属于" in done.stderr or "不符" in done.stderr, done.stderr
    assert ours.read_bytes() == before, "a foreign journal was rolled into the database"
    assert not Path(str(ours) + "-journal").exists()
    aside = list((ours.parent / "duty_backups").glob("未回滚的日志-*"))
    assert len(aside) == 1 and aside[0].stat().st_size > 0
    assert check_database(ours).ok
    assert _titles(ours) == ["本单位的纪实"] * 30
    # Opening for work takes the same care (the journal is gone; nothing else happens).
    with bare_store(ours) as store:
        assert store.records.count() == 30


def test_a_genuine_hot_journal_is_rolled_back_after_a_copy_is_kept(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", ["已提交的纪实"] * 3)
    journal = _killed_mid_transaction(path)
    half_written = path.read_bytes()
    done = cli("check", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert "未正常关闭" in done.stdout + done.stderr
    assert not journal.exists()
    kept = list((tmp_path / "duty_backups").glob("回滚前-*"))
    assert sorted(p.name.endswith(".copy") for p in kept) == [False, True]
    assert next(p for p in kept if not p.name.endswith(".copy")).read_bytes() == half_written
    assert _titles(path) == ["已提交的纪实"] * 3


def test_opening_rolls_back_a_genuine_journal_and_sets_a_foreign_one_aside(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "a" / "duty.db", ["甲"] * 20)
    _killed_mid_transaction(path)
    notices: list[str] = []
    from duty_tracker.core.storage.database import open_database

    db = open_database(path, notices=notices)
    assert [r[0] for r in db.execute("SELECT DISTINCT title FROM records")] == ["甲"]
    db.close()
    assert notices and "未正常关闭" in notices[0]
    other = _ledger(tmp_path / "b" / "duty.db", ["乙"] * 2)
    os.replace(_killed_mid_transaction(other), Path(str(path) + "-journal"))
    before = path.read_bytes()
    notices.clear()
    db = open_database(path, notices=notices)
    db.close()
    assert notices and ("不属于" in notices[0] or "不符" in notices[0])
    assert _titles(path) == ["甲"] * 20
    assert before[:16] == path.read_bytes()[:16]


def test_a_dropped_search_trigger_is_found_by_check_and_rebuilt(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", ["区委理论学习中心组学法"])
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER fts_records_insert")  # an administrator's tool, a bad script
    conn.commit()
    conn.close()
    with bare_store(path, migrate=False) as store:
        leader = store.people.leaders()[0]["id"]
        store.records.add_record(performed_on="2025-04-01", title="常务会议专题学法", kind="学法",
                                 leader_ids=[leader])
    done = cli("check", "--db", str(path))
    assert "fts_records_insert" in done.stdout + done.stderr and "重建" in done.stdout + done.stderr
    with bare_store(path, migrate=False) as store:
        from duty_tracker.core.storage.records_repo import RecordFilter

        assert [r["title"] for r in store.records.search(RecordFilter(text="专题学法"))] == ["常务会议专题学法"]
        assert store.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'fts_records_insert'").fetchone()[0] == 1
    assert check_database(path).notes == []


KILLED_BACKUP = r"""
import sys
from pathlib import Path
from duty_tracker.core.storage import backup
real = backup._copy_verified
def copy_then_hang(source, target, **kw):
    real(source, target, **kw)
    print("written", flush=True)
    import time; time.sleep(600)
backup._copy_verified = copy_then_hang
backup.auto_backup(Path(sys.argv[1]), "测试")
"""

HOLD_PART = r"""
import sys, time
from pathlib import Path
from duty_tracker.core.storage.leftovers import claimed
with claimed(Path(sys.argv[1])) as claim:
    claim.path.write_bytes(b"being written")
    print("holding", flush=True)
    time.sleep(600)
"""


def _run_until(code: str, *args: str, word: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == word, proc.stderr.read()
    return proc


def test_temporary_files_of_a_killed_backup_are_removed_and_live_ones_are_not(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", ["纪实"] * 5)
    backups = tmp_path / "duty_backups"
    proc = _run_until(KILLED_BACKUP, str(path), word="written")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    dead = list(backups.glob("*.part"))
    assert dead, "the killed backup left no temporary file to clean up"
    # An old-style leftover without a lock, and SQLite's journal of a half-made copy.
    (backups / "auto-19990101-000000-000.db.part").write_bytes(b"half")
    (backups / "auto-19990101-000000-001.db.part-journal").write_bytes(b"journal")
    (tmp_path / "duty.db.1234abcd.restore").write_bytes(b"half a restore")
    live = backups / "auto-20990101-000000-000.db.part"
    holder = _run_until(HOLD_PART, str(live), word="holding")
    try:
        with bare_store(path):
            pass
        names = sorted(p.name for p in tmp_path.rglob("*") if p.name.endswith((".part", ".restore", "-journal")))
        assert names == [live.name], names
        assert live.read_bytes() == b"being written"
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    # Its writer is gone now: the next backup removes it too.
    from duty_tracker.core.storage.backup import auto_backup

    auto_backup(path, "测试")
    assert list(backups.glob("*.part")) == []


@pytest.mark.skipif(sys.platform == "win32", reason="flock-based claims")
def test_a_claim_is_released_by_the_kernel_when_its_process_dies(tmp_path: Path) -> None:
    from duty_tracker.core.storage import leftovers

    part = tmp_path / "x.part"
    holder = _run_until(HOLD_PART, str(part), word="holding")
    assert leftovers.sweep(tmp_path) == []
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    assert leftovers.sweep(tmp_path) == [part]


def test_a_dropped_search_index_table_is_recreated(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", ["区委理论学习中心组学法"])
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE records_fts")  # takes no trigger with it: saving a record now fails
    conn.commit()
    conn.close()
    done = cli("check", "--db", str(path))
    assert done.returncode == 0 and "records_fts" in done.stderr, done.stderr
    with bare_store(path, migrate=False) as store:
        from duty_tracker.core.storage.records_repo import RecordFilter

        leader = store.people.leaders()[0]["id"]
        store.records.add_record(performed_on="2025-04-01", title="常务会议专题学法", kind="学法", leader_ids=[leader])
        assert [r["title"] for r in store.records.search(RecordFilter(text="中心组"))] == ["区委理论学习中心组学法"]

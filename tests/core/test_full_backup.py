"""The full backup as it streams: the page copy is one moment of the database, the copy must
pass the whole ``integrity_check`` (run beside the zip) and the zip must read back as written
before it gets its name; a cancel at any step leaves nothing and no check running; and a
backup made by earlier versions (database deflated, copied by ``VACUUM INTO``) restores."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest

from duty_tracker.core.storage import backup
from duty_tracker.core.storage.backup import BackupError, full_backup, restore
from duty_tracker.core.storage.integrity import check_database
from tests.store_helpers import bare_store

CHECK_THREAD = "备份校验"


def _ledger(path: Path, tmp: Path, records: int = 20) -> Path:
    store = bare_store(path, actor="测试员")
    unit = store.people.add_unit("西湖区", "区县")
    leader = store.people.add_leader("王建国", unit, "party", "区委书记", "2020-01-01")
    for i in range(records):
        rid = store.records.add_record(performed_on="2025-03-02", title=f"中心组第{i}次学法",
                                       kind="学法", leader_ids=[leader], description="学" * 2000)
    scan = tmp / "纪要扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan " * 500)
    store.records.add_attachment(rid, scan)
    store.close()
    return path


def _nothing_left(usb: Path, db: Path) -> None:
    assert not usb.exists() or list(usb.iterdir()) == []
    backups = db.parent / f"{db.stem}_backups"
    assert not backups.exists() or [p.name for p in backups.iterdir()] == []
    assert not [t for t in threading.enumerate() if t.name == CHECK_THREAD]


def _titles(db: Path) -> list[str]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM records ORDER BY id")]
    finally:
        conn.close()


def test_a_full_backup_restores_to_the_same_records_and_evidence(tmp_path: Path) -> None:
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    zipped = full_backup(db, tmp_path / "usb")
    target = tmp_path / "newpc" / "duty.db"
    restore(zipped, target)
    assert _titles(target) == _titles(db)
    report = check_database(target, full=True)
    assert report.ok and report.attachments_checked == 1


def test_a_database_whose_index_disagrees_with_its_table_is_not_backed_up(tmp_path: Path) -> None:
    """Its pages are sound (a quick check passes it): only the whole integrity check, run on
    the copy beside the zip, refuses it — as it refused it before the backup streamed."""
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'records(kind,', 'records(title,') "
                 "WHERE name = 'idx_records_kind'")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="备份校验失败.*idx_records_kind"):
        full_backup(db, tmp_path / "usb")
    _nothing_left(tmp_path / "usb", db)


def test_a_zip_that_reads_back_otherwise_than_written_is_not_saved(tmp_path: Path, monkeypatch) -> None:
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    real = backup._write_zip

    def bad_sector(part: Path, *args, **kwargs):
        written = real(part, *args, **kwargs)
        with zipfile.ZipFile(part) as zf:
            start = zf.getinfo(backup.DB_IN_ZIP).header_offset + 4096
        with part.open("r+b") as fh:  # one byte of the database member changes on the disk
            fh.seek(start)
            byte = fh.read(1)
            fh.seek(start)
            fh.write(bytes([byte[0] ^ 0xFF]))
        return written

    monkeypatch.setattr(backup, "_write_zip", bad_sector)
    with pytest.raises(BackupError, match="读回校验失败"):
        full_backup(db, tmp_path / "usb")
    _nothing_left(tmp_path / "usb", db)


def test_a_cancel_while_the_database_is_copied_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    monkeypatch.setattr(backup, "COPY_STEP_PAGES", 2)
    seen: list[tuple[int, int]] = []

    def cancel(done: int, total: int, text: str) -> None:
        if text == "正在复制数据库…" and total:
            seen.append((done, total))
            if len(seen) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        full_backup(db, tmp_path / "usb", progress=cancel)
    assert seen[0][0] < seen[1][0] < seen[1][1]  # pages, step by step
    _nothing_left(tmp_path / "usb", db)


def test_a_cancel_while_the_copy_is_checked_stops_the_check(tmp_path: Path, monkeypatch) -> None:
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    stopped = threading.Event()

    def endless_check(path: Path, *, stop) -> list[str]:  # a check that takes its time
        while not stop():
            threading.Event().wait(0.01)
        stopped.set()
        return ["stopped"]

    def cancel(done: int, total: int, text: str) -> None:
        if text == "正在校验备份…":
            raise KeyboardInterrupt

    monkeypatch.setattr(backup, "check_backup_database", endless_check)
    with pytest.raises(KeyboardInterrupt):
        full_backup(db, tmp_path / "usb", progress=cancel)
    assert stopped.is_set()
    _nothing_left(tmp_path / "usb", db)


def test_the_copy_is_one_moment_writers_wait_for_it(tmp_path: Path, monkeypatch) -> None:
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    before = _titles(db)
    monkeypatch.setattr(backup, "COPY_STEP_PAGES", 1)
    tried: list[str] = []

    def write_between_steps(done: int, total: int, text: str) -> None:
        if text == "正在复制数据库…" and total and not tried:
            writer = sqlite3.connect(db, timeout=0)
            try:
                writer.execute("UPDATE records SET title = '复制中改动' WHERE id = 1")
                writer.commit()
                tried.append("written")
            except sqlite3.OperationalError as exc:
                tried.append(str(exc))
            finally:
                writer.close()

    zipped = full_backup(db, tmp_path / "usb", progress=write_between_steps)
    assert tried and "locked" in tried[0], tried
    target = tmp_path / "newpc" / "duty.db"
    restore(zipped, target)
    assert _titles(target) == before


def _old_backup(db: Path, out: Path) -> Path:
    """A full backup as versions before streaming wrote it: ``VACUUM INTO`` copy, every member
    deflated, manifest format 2."""
    copy = out.parent / "vacuumed.db"
    conn = sqlite3.connect(db)
    conn.execute("VACUUM INTO ?", [str(copy)])
    rows = conn.execute("SELECT stored_path, sha256 FROM attachments").fetchall()
    conn.close()
    manifest = {"created_at": "2025-01-02T03:04:05", "format": 2, "problems": [],
                "database": {"name": backup.DB_IN_ZIP,
                             "sha256": hashlib.sha256(copy.read_bytes()).hexdigest()},
                "attachments": {rel: sha for rel, sha in rows}}
    attachments = db.parent / f"{db.stem}_attachments"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(copy, backup.DB_IN_ZIP)
        for rel, _sha in rows:
            zf.write(attachments / rel, backup.member_name(rel))
        zf.writestr(backup.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return out


def test_a_backup_of_an_earlier_version_still_restores(tmp_path: Path) -> None:
    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    old = _old_backup(db, tmp_path / "old.zip")
    info = backup.describe_backup(old)
    assert info.ok and info.record_count == 20 and info.attachment_count == 1
    target = tmp_path / "newpc" / "duty.db"
    restore(old, target)
    assert _titles(target) == _titles(db)
    assert check_database(target, full=True).attachments_checked == 1


def test_the_day_s_first_start_checks_the_database_once_through_its_backup(tmp_path: Path,
                                                                            monkeypatch) -> None:
    from duty_tracker.core.services import safety
    from duty_tracker.core.storage import marks

    db = _ledger(tmp_path / "office" / "duty.db", tmp_path)
    checked: list[str] = []
    real = marks.sqlite_problems

    def counted(path: Path, **kwargs) -> list[str]:
        checked.append(Path(path).name)
        return real(path, **kwargs)

    monkeypatch.setattr(backup, "sqlite_problems", counted)
    first = safety.startup_check(db)
    assert not first.damaged and first.backup is not None and first.backup_error is None
    assert len(checked) == 1 and checked[0].endswith(".part")  # the copy, before it was kept
    checked.clear()
    again = safety.startup_check(db)
    assert again.backup is None and not again.damaged and checked == [db.name]


def test_a_database_damaged_at_the_day_s_first_start_is_reported_and_not_backed_up(tmp_path: Path) -> None:
    from duty_tracker.core.services import safety

    db = _ledger(tmp_path / "office" / "duty.db", tmp_path, records=300)
    conn = sqlite3.connect(db)
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' "
                        "LIMIT 1").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(page - 1) * size:(page - 1) * size + 12] = b"\xff" * 12  # its b-tree page header
    db.write_bytes(bytes(data))
    report = safety.startup_check(db)
    assert report.damaged and "损坏" in report.problems[0] and report.backup is None
    assert report.backup_error is None  # the damage is what the clerk is told
    assert backup.list_auto_backups(db) == []

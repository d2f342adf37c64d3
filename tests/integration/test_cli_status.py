"""The issue's acceptance check: ``demo`` then ``status --json`` through the real command line,
cross-checked row by row against an independent count straight from SQLite."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

TODAY = "2025-11-20"


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "duty_tracker", *args],
                          capture_output=True, text=True, encoding="utf-8", check=check)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "x.db"
    run_cli("demo", "--leaders", "50", "--years", "3", "--records", "40", "--today", TODAY, "--db", str(db))
    return db


def independent_count(conn: sqlite3.Connection, leader_id: int, duty_id: int, start: str, end: str) -> int:
    """Records of the leader and duty in [start, end] and inside one of his terms."""
    return conn.execute(
        """SELECT count(*) FROM records r
           JOIN record_leaders rl ON rl.record_id = r.id AND rl.leader_id = :leader
           JOIN record_duties rd ON rd.record_id = r.id AND rd.duty_id = :duty
           WHERE r.deleted_at IS NULL AND r.performed_on BETWEEN :start AND :end
             AND EXISTS (SELECT 1 FROM terms t WHERE t.leader_id = :leader
                         AND t.start_date <= r.performed_on
                         AND (t.end_date IS NULL OR t.end_date >= r.performed_on))""",
        {"leader": leader_id, "duty": duty_id, "start": start, "end": end},
    ).fetchone()[0]


def covered_days(conn: sqlite3.Connection, leader_id: int, start: str, end: str) -> int:
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    days = 0
    for t_start, t_end in conn.execute(
            "SELECT start_date, end_date FROM terms WHERE leader_id = ?", [leader_id]):
        lo = max(s, date.fromisoformat(t_start))
        hi = min(e, date.fromisoformat(t_end)) if t_end else e
        days += max(0, (hi - lo).days + 1)
    return days


def test_status_json_matches_an_independent_count(demo_db: Path) -> None:
    out = run_cli("status", "--year", "2025", "--db", str(demo_db), "--json", "--today", TODAY)
    rows = json.loads(out.stdout)
    assert rows, "status printed no rows"
    assert set(rows[0]) >= {"leader_id", "leader", "duty_id", "duty", "period_start", "period_end",
                            "required", "done", "status"}
    conn = sqlite3.connect(demo_db)
    min_counts = dict(conn.execute("SELECT id, min_count FROM duties"))
    today = date.fromisoformat(TODAY)
    for row in rows:
        done = independent_count(conn, row["leader_id"], row["duty_id"], row["period_start"], row["period_end"])
        assert row["done"] == done, row
        period_days = (date.fromisoformat(row["period_end"]) - date.fromisoformat(row["period_start"])).days + 1
        required = covered_days(conn, row["leader_id"], row["period_start"], row["period_end"]) * 2 >= period_days
        if not required:
            assert row["status"] == "不适用" and row["required"] == 0, row
            continue
        assert row["required"] == min_counts[row["duty_id"]]
        if done >= row["required"]:
            assert row["status"] == "达标", row
        elif date.fromisoformat(row["period_end"]) < today:
            assert row["status"] == "未达标", row
        else:
            assert row["status"] in ("未达标", "预警", "进行中"), row
    statuses = Counter(r["status"] for r in rows)
    assert statuses["达标"] > 0
    assert any(r["done"] < r["required"] for r in rows), "demo data should miss some periods on purpose"
    assert any(r["partial_term"] for r in rows), "demo data should contain mid-year handovers"


def test_demo_names_include_rare_characters(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    names = "".join(r[0] for r in conn.execute("SELECT name FROM leaders"))
    assert set(names) & set("喆堃珺昇镕赟玥〇")


def test_demo_records_are_never_in_the_future(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    assert conn.execute("SELECT max(performed_on) FROM records").fetchone()[0] <= TODAY


def test_duties_json_lists_the_hangzhou_duties(demo_db: Path) -> None:
    duties = json.loads(run_cli("duties", "--json", "--db", str(demo_db), "--year", "2025").stdout)
    titles = [d["title"] for d in duties]
    assert any("中心组学法" in t for t in titles)
    assert {d["role"] for d in duties} >= {"party", "government", "all"}


def test_check_reports_ok_and_missing_attachment(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run_cli("demo", "--leaders", "2", "--years", "1", "--records", "2", "--today", TODAY, "--db", str(db))
    ok = run_cli("check", "--db", str(db))
    assert ok.returncode == 0 and "检查通过" in ok.stdout
    from duty_tracker.core.services.ledger import open_ledger

    with open_ledger(db) as _ledger:

        store = _ledger.store
        record_id = store.records.search(limit=1)[0]["id"]
        evidence = tmp_path / "纪要.pdf"
        evidence.write_bytes(b"%PDF evidence")
        store.records.add_attachment(record_id, evidence)
        path = store.records.attachment_path(store.records.attachments(record_id)[0])
    path.unlink()
    bad = run_cli("check", "--db", str(db), check=False)
    assert bad.returncode == 1
    assert "缺失" in bad.stderr


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    run_cli("demo", "--leaders", "4", "--years", "1", "--records", "5", "--today", TODAY, "--db", str(db))
    before = sqlite3.connect(db).execute("SELECT count(*) FROM records").fetchone()[0]
    backup_path = Path(run_cli("backup", "--db", str(db), "-o", str(tmp_path / "usb")).stdout.strip())
    assert backup_path.is_file() and backup_path.parent == tmp_path / "usb"
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM record_leaders")
    conn.execute("DELETE FROM record_duties")
    conn.execute("DELETE FROM records")
    conn.commit()
    conn.close()
    refused = run_cli("restore", str(backup_path), "--db", str(db), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    run_cli("restore", str(backup_path), "--db", str(db), "--yes")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM records").fetchone()[0] == before


def test_errors_are_chinese_on_stderr_with_nonzero_exit(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 50)
    result = run_cli("status", "--year", "2025", "--db", str(garbage), check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "错误" in result.stderr and "损坏" in result.stderr or "不是有效" in result.stderr
    assert garbage.read_bytes() == b"not a database at all" * 50
    missing = run_cli("status", "--year", "2025", "--db", str(tmp_path / "nope.db"), check=False)
    assert missing.returncode == 1 and "不存在" in missing.stderr


def test_restore_refuses_while_a_window_has_the_database_open(tmp_path: Path) -> None:
    from duty_tracker.core.storage.instance_lock import InstanceLock

    db = tmp_path / "locked.db"
    run_cli("demo", "--leaders", "2", "--years", "1", "--records", "2", "--today", TODAY, "--db", str(db))
    backup_path = Path(run_cli("backup", "--db", str(db)).stdout.strip())
    before = db.read_bytes()
    with InstanceLock(db):
        result = run_cli("restore", str(backup_path), "--db", str(db), "--yes", check=False)
    assert result.returncode == 1
    assert "另一个履职纪实窗口" in result.stderr and "正在使用该数据库" in result.stderr
    assert db.read_bytes() == before


def test_window_without_a_display_explains_instead_of_aborting(tmp_path: Path) -> None:
    import os

    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs a DISPLAY")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "duty_tracker", "--db", str(tmp_path / "w.db")],
                            capture_output=True, text=True, encoding="utf-8", env=env)
    assert result.returncode == 1
    assert "没有可用的图形显示" in result.stderr


def test_status_json_carries_the_pace_of_periods_under_way(demo_db: Path) -> None:
    rows = json.loads(run_cli("status", "--year", "2025", "--db", str(demo_db), "--json",
                              "--today", "2025-06-15").stdout)
    assert all({"expected_by_now", "behind"} <= set(r) for r in rows)
    under_way = [r for r in rows if r["status"] in ("进行中", "预警")]
    assert any(r["behind"] for r in under_way), "some demo quota should be slipping by mid-June"
    for r in rows:
        assert r["behind"] == (r["status"] in ("进行中", "预警") and r["done"] < r["expected_by_now"])
        assert 0 <= r["expected_by_now"] <= r["required"]

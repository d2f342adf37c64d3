"""The two depths of ``check``: the quick one (``quick_check`` and the search index's row counts
and sampled look-ups) still finds a search index that missed, kept or garbled records and a
damaged table page; ``check --full`` also finds an index of a table that no longer holds the
table's rows, which only SQLite's whole ``integrity_check`` sees — and a healthy ledger with
texts of every awkward kind passes both without a repair."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from duty_tracker.core.storage import search_index
from duty_tracker.core.storage.integrity import check_database
from duty_tracker.core.storage.records_repo import RecordFilter
from tests.integration.fs_helpers import cli
from tests.store_helpers import bare_store

STALE = "搜索索引与纪实内容不一致，已按全部纪实重建。"
#: Texts the quick check must look up without a false alarm: spaces, capitals, quotes, FTS
#: syntax characters, one character, empty.
AWKWARD = ["ABC 学法", "a", "", "“引号”内的标题", '"quoted" title', "x*y OR z", "第（一）项 NEAR",
           "  前导空格", "Ωμέγα Straße", "区委理论学习中心组专题学法"]


def _ledger(path: Path, count: int = 30) -> Path:
    store = bare_store(path, actor="测试员")
    unit = store.people.add_unit("西湖区", "区县")
    leader = store.people.add_leader("王建国", unit, "party", "区委书记", "2020-01-01")
    ids = []
    for i in range(count):
        text = AWKWARD[i % len(AWKWARD)]
        ids.append(store.records.add_record(
            performed_on=f"20{15 + i % 11}-03-{i % 28 + 1:02d}", title=text or f"第{i}次学法",
            kind="学法", leader_ids=[leader], description=f"学习宪法第{i}条 {text}",
            place=text[:1], participants=text[::-1], minutes_number=f"〔2025〕{i}号"))
    store.records.delete_records(ids[::7])  # the recycle bin must stay out of the index
    store.close()
    return path


def _behind_the_triggers(path: Path, trigger: str, sql: str, *params: object) -> None:
    """Write ``sql`` with one search trigger set aside and put back exactly as it was (a script
    that bypassed the index): every search object is then present and unaltered."""
    conn = sqlite3.connect(path)
    saved = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [trigger]).fetchone()[0]
    conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute(sql, params)
    conn.execute(saved)
    conn.commit()
    conn.close()


def _found(path: Path, text: str) -> list[str]:
    with bare_store(path, migrate=False) as store:
        return [r["title"] for r in store.records.search(RecordFilter(text=text))]


@pytest.mark.parametrize("count", [30, search_index.SAMPLE_RECORDS + 60])
def test_a_healthy_ledger_passes_both_depths_untouched(tmp_path: Path, count: int) -> None:
    path = _ledger(tmp_path / "duty.db", count)
    before = path.read_bytes()
    for full in (False, True):
        report = check_database(path, full=full)
        assert report.ok and report.notes == [], (full, report)
    assert path.read_bytes() == before


def test_the_index_row_count_follows_inserts_and_deletes(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", 40)
    conn = sqlite3.connect(path)
    live = conn.execute("SELECT count(*) FROM records WHERE deleted_at IS NULL").fetchone()[0]
    assert 0 < live < 40
    for table in (search_index.TRIGRAM_TABLE, search_index.BIGRAM_TABLE):
        assert search_index.indexed_rows(conn, table) == live
    conn.execute("UPDATE records SET deleted_at = '2025-01-01' WHERE deleted_at IS NULL")
    conn.commit()
    assert [search_index.indexed_rows(conn, t) for t in (search_index.TRIGRAM_TABLE,
                                                         search_index.BIGRAM_TABLE)] == [0, 0]
    conn.close()


def test_a_record_the_index_missed_is_found_by_the_quick_check_and_indexed(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db")
    _behind_the_triggers(path, search_index.INSERT_TRIGGER,
                         "INSERT INTO records (uuid, performed_on, title, kind, created_at, updated_at) "
                         "VALUES ('u-missed', '2025-05-05', '脚本写入的专题学法', '学法', '2025', '2025')")
    assert _found(path, "脚本写入") == []
    report = check_database(path)
    assert report.ok and report.notes == [STALE]
    assert _found(path, "脚本写入") == ["脚本写入的专题学法"]
    assert check_database(path).notes == []


@pytest.mark.parametrize("sql", [
    "INSERT INTO records (uuid, performed_on, title, kind, created_at, updated_at) "
    "VALUES ('u-missed', '2025-05-05', '脚本写入的专题学法', '学法', '2025', '2025')",
    "UPDATE records SET deleted_at = '2025-06-01' WHERE id = 3"])
def test_in_a_ledger_too_big_to_look_up_whole_the_row_counts_find_what_was_missed(
        tmp_path: Path, monkeypatch, sql: str) -> None:
    monkeypatch.setattr(search_index, "SAMPLE_RECORDS", 0)  # no record looked up at all
    path = _ledger(tmp_path / "duty.db")
    assert check_database(path).notes == []
    trigger = search_index.INSERT_TRIGGER if sql.startswith("INSERT") else "fts_records_update"
    _behind_the_triggers(path, trigger, sql)
    assert check_database(path).notes == [STALE]


def test_a_changed_text_the_index_still_holds_the_old_way_is_found(tmp_path: Path) -> None:
    """Same number of rows in the index: only the look-up of the record finds it."""
    path = _ledger(tmp_path / "duty.db")
    _behind_the_triggers(path, "fts_records_update",
                         "UPDATE records SET title = '改过的标题' WHERE id = 4")
    assert check_database(path).notes == [STALE]
    assert _found(path, "改过的") == ["改过的标题"]


def test_a_record_put_in_the_recycle_bin_behind_the_index_is_found(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db")
    _behind_the_triggers(path, "fts_records_update",
                         "UPDATE records SET deleted_at = '2025-06-01' WHERE id = 3")
    assert check_database(path).notes == [STALE]
    conn = sqlite3.connect(path)
    live = conn.execute("SELECT count(*) FROM records WHERE deleted_at IS NULL").fetchone()[0]
    assert search_index.indexed_rows(conn, search_index.BIGRAM_TABLE) == live
    conn.close()


@pytest.mark.parametrize("table", [search_index.TRIGRAM_TABLE, search_index.BIGRAM_TABLE])
@pytest.mark.parametrize("full", [False, True])
def test_a_garbled_index_segment_is_found_and_rebuilt(tmp_path: Path, table: str, full: bool) -> None:
    path = _ledger(tmp_path / "duty.db")
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE {table}_data SET block = CAST(replace(hex(zeroblob(length(block))), '00', 'F')"
                 f" AS BLOB) WHERE id > 10")  # every leaf of every segment
    conn.commit()
    conn.close()
    report = check_database(path, full=full)
    assert report.ok and report.notes == [STALE], report
    assert _found(path, "中心组专题") == ["区委理论学习中心组专题学法"] * 3
    assert check_database(path, full=True).notes == []


def test_a_damaged_table_page_fails_both_depths(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "duty.db", 300)
    conn = sqlite3.connect(path)
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' "
                        "LIMIT 1").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(page - 1) * size:(page - 1) * size + 12] = b"\xff" * 12  # its b-tree page header
    path.write_bytes(bytes(data))
    for full in (False, True):
        report = check_database(path, full=full)
        assert not report.ok and "损坏" in report.problems[0], (full, report)


def test_only_the_full_check_finds_an_index_that_no_longer_holds_its_table(tmp_path: Path) -> None:
    """An index whose definition and content disagree (what a torn write or a tool editing the
    schema leaves) has sound pages: ``quick_check`` passes it, ``check --full`` does not."""
    path = _ledger(tmp_path / "duty.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'records(kind,', 'records(title,') "
                 "WHERE name = 'idx_records_kind'")
    conn.commit()
    conn.close()
    assert check_database(path).ok  # what the quick check gives up, on purpose
    report = check_database(path, full=True)
    assert not report.ok and "idx_records_kind" in report.problems[0]
    done = cli("check", "--full", "--db", str(path))
    assert done.returncode == 1 and "idx_records_kind" in done.stderr and "Traceback" not in done.stderr
    assert cli("check", "--db", str(path)).returncode == 0

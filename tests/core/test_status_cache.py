"""The year's status kept for the next start (``core.status_cache``): read back only while the
file is exactly as it was, worked out again after any change, a bad cache never an error."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core import status_cache
from duty_tracker.core.status import year_status
from duty_tracker.core.status_cache import cached_year_status
from duty_tracker.paths import cache_dir_for

TODAY = date(2025, 6, 20)


@pytest.fixture
def ledger(store, duty_ids, unit_id):
    """The store with two leaders and a record: a year with something in it."""
    party = store.people.add_leader("王明", unit_id, "party", term_start="2020-01-01")
    store.people.add_leader("李华", unit_id, "government", term_start="2025-03-01")
    store.records.add_record(performed_on="2025-03-10", title="中心组学法", kind="学法",
                             leader_ids=[party], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    return store


def _computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return year_status(*args, **kwargs)

    monkeypatch.setattr(status_cache, "year_status", counted)
    return calls


def test_an_unchanged_file_gives_back_the_same_status_without_working_it_out(
        ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _computations(monkeypatch)
    first = cached_year_status(ledger, 2025, today=TODAY)
    again = cached_year_status(ledger, 2025, today=TODAY)
    assert calls == [1]
    assert again == first == year_status(ledger, 2025, today=TODAY)
    assert (cache_dir_for(ledger.path) / "status-2025.bin").is_file()


def test_a_change_through_the_program_is_seen_at_once(ledger, duty_ids, monkeypatch) -> None:
    calls = _computations(monkeypatch)
    before = cached_year_status(ledger, 2025, today=TODAY)
    leader = ledger.people.leader_specs(2025)[0].id
    ledger.records.add_record(performed_on="2025-04-02", title="中心组学法（二）", kind="学法",
                              leader_ids=[leader], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    after = cached_year_status(ledger, 2025, today=TODAY)
    assert calls == [1, 1]
    assert after == year_status(ledger, 2025, today=TODAY) != before


CHANGE_ELSEWHERE = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("UPDATE leaders SET name = '王明明' WHERE name = '王明'")
conn.close()
"""


def test_a_change_by_another_process_is_seen(ledger, monkeypatch) -> None:
    """The sqlite3 shell, the CLI, a second program: any commit to the file changes the key."""
    calls = _computations(monkeypatch)
    cached_year_status(ledger, 2025, today=TODAY)
    subprocess.run([sys.executable, "-c", CHANGE_ELSEWHERE, str(ledger.path)], check=True,
                   timeout=60)
    after = cached_year_status(ledger, 2025, today=TODAY)
    assert calls == [1, 1]
    assert "王明明" in {leader.name for leader in after.leaders}


def test_another_day_or_warning_period_is_worked_out_again(ledger, monkeypatch) -> None:
    calls = _computations(monkeypatch)
    cached_year_status(ledger, 2025, today=TODAY)
    cached_year_status(ledger, 2025, today=date(2025, 6, 21))
    cached_year_status(ledger, 2025, today=date(2025, 6, 21), warn_days=10)
    assert calls == [1, 1, 1]


def test_a_file_put_back_from_a_copy_is_not_taken_for_the_newer_one(ledger, duty_ids,
                                                                     tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy2(ledger.path, copy)  # the state before the change, its time kept
    leader = ledger.people.leader_specs(2025)[0].id
    ledger.records.add_record(performed_on="2025-05-02", title="中心组学法（三）", kind="学法",
                              leader_ids=[leader], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    newer = cached_year_status(ledger, 2025, today=TODAY)
    path = ledger.path
    ledger.close()
    shutil.copy2(copy, path)
    from duty_tracker.core.storage.store import Store

    with Store.open(path) as reopened:
        restored = cached_year_status(reopened, 2025, today=TODAY)
        assert restored == year_status(reopened, 2025, today=TODAY) != newer


def _cache_file(ledger) -> Path:  # noqa: ANN001
    return cache_dir_for(ledger.path) / "status-2025.bin"


def _header_and_body(ledger) -> tuple[dict, bytes]:  # noqa: ANN001
    head, _newline, body = _cache_file(ledger).read_bytes().partition(b"\n")
    return json.loads(head), body


@pytest.mark.parametrize("content", [b"", b"{", b"[1, 2]\n", b'{"key": 1}\n', b"\x00\xff garbage"])
def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(ledger, content: bytes) -> None:
    fresh = cached_year_status(ledger, 2025, today=TODAY)
    _cache_file(ledger).write_bytes(content)
    assert cached_year_status(ledger, 2025, today=TODAY) == fresh
    header, body = _header_and_body(ledger)
    assert header["count"] == len(fresh.periods) and body


def _rewritten(ledger, header: dict, body: bytes) -> None:  # noqa: ANN001
    _cache_file(ledger).write_bytes(json.dumps(header).encode() + b"\n" + body)


def test_a_cache_with_the_right_key_but_bad_contents_is_worked_out_again(ledger, monkeypatch) -> None:
    """Bad values in the header, a binary part cut short or one byte too long, places outside
    the header's lists: worked out again, never an error or a wrong status."""
    from array import array

    fresh = cached_year_status(ledger, 2025, today=TODAY)
    header, body = _header_and_body(ledger)
    count = header["count"]
    bad_states = {**header, "statuses": ["不是状态"] * len(header["statuses"])}
    bad_terms = {**header, "leaders": [[*header["leaders"][0][:4], [["不是日期", None]]]]}
    bad_kind = {**header, "done": "z"}
    columns = array("q")
    columns.frombytes(body[:8 * 10 * count])
    columns[2 * count] = 99  # the first period's shared period: not in the header
    outside = columns.tobytes() + body[8 * 10 * count:]
    columns[2 * count] = -1  # "no day" is no period either
    minus_one = columns.tobytes() + body[8 * 10 * count:]
    cases = ((bad_states, body), (bad_terms, body), (bad_kind, body), (header, body[:-1]),
             (header, body + b"\x00"), (header, outside), (header, minus_one))
    calls = _computations(monkeypatch)
    for damaged_header, damaged_body in cases:
        _rewritten(ledger, damaged_header, damaged_body)
        assert cached_year_status(ledger, 2025, today=TODAY) == fresh
    assert len(calls) == len(cases)  # each one worked out again, none read back


def test_hours_and_counts_come_back_as_the_numbers_they_were(ledger, duty_ids) -> None:
    """A count stays an int (shown "2/4", not "2.0/4"); study hours keep their fraction."""
    from duty_tracker.core.status_cache import decode, encode

    status = year_status(ledger, 2025, today=TODAY)
    first = status.periods[0]
    halves = [first._replace(done=1.5), first._replace(done=12), *status.periods[1:]]
    mixed = type(status)(status.year, status.today, status.leaders, status.duties, halves)
    for original in (status, mixed):
        header, body = encode(original)
        back = decode(json.loads(json.dumps(header)), body)
        assert back == original
        assert [type(p.done) for p in back.periods] == [type(p.done) for p in original.periods]


def test_no_cache_in_write_ahead_log_mode(ledger, monkeypatch) -> None:
    """Commits go to the log there and the file's change counter stays: no key to trust."""
    ledger.db.execute("PRAGMA journal_mode = WAL")
    calls = _computations(monkeypatch)
    cached_year_status(ledger, 2025, today=TODAY)
    cached_year_status(ledger, 2025, today=TODAY)
    assert calls == [1, 1]
    assert not (cache_dir_for(ledger.path) / "status-2025.bin").exists()


def test_inside_an_open_transaction_nothing_is_cached(ledger, monkeypatch) -> None:
    calls = _computations(monkeypatch)
    with ledger.db.atomic():
        ledger.db.execute("UPDATE leaders SET name = '未提交' WHERE name = '李华'")
        inside = cached_year_status(ledger, 2025, today=TODAY)
        assert "未提交" in {leader.name for leader in inside.leaders}
    assert not (cache_dir_for(ledger.path) / "status-2025.bin").exists()
    assert calls == [1]


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_speed(ledger) -> None:
    cache_dir_for(ledger.path).write_text("一个文件占了文件夹的名字", encoding="utf-8")
    assert cached_year_status(ledger, 2025, today=TODAY) == year_status(ledger, 2025, today=TODAY)


def test_the_read_snapshot_holds_off_other_writers(ledger) -> None:
    """While the key is read and the status worked out, no commit can slip in between."""
    other = sqlite3.connect(ledger.path, isolation_level=None, timeout=0)
    with ledger.read_snapshot() as token:
        assert token is not None
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("UPDATE leaders SET name = '插队' WHERE name = '李华'")
    other.execute("UPDATE leaders SET name = '之后' WHERE name = '李华'")
    with ledger.read_snapshot() as later:
        assert later != token
    other.close()

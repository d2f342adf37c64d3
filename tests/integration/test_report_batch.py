"""The shared batch path of ``report --all`` and the window's 批量导出: a real process pool,
progress after every PDF, cancel that keeps what was written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.demo import build_demo
from duty_tracker.core.reports.batch import POOL_THRESHOLD, export_debriefs
from duty_tracker.core.reports.file_names import report_file_name
from duty_tracker.core.services.ledger import open_ledger

TODAY = date(2025, 12, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, str]]]:
    db = tmp_path_factory.mktemp("batch") / "b.db"
    with open_ledger(db) as _ledger:
        store = _ledger.store
        build_demo(store, leaders=POOL_THRESHOLD + 4, years=1, records=6, today=TODAY)
        leaders = [(row["id"], row["name"]) for row in store.people.leaders()]
    return db, leaders


def test_pool_writes_one_valid_pdf_per_leader_with_progress(demo, tmp_path: Path) -> None:
    db, leaders = demo
    seen: list[int] = []
    result = export_debriefs(db, 2025, leaders, tmp_path / "out", today=TODAY, jobs=2,
                             progress=lambda done, total, text: seen.append(done))
    assert not result.failures and not result.cancelled
    assert sorted(p.name for p in result.written) == sorted(
        report_file_name(lid, name, 2025) for lid, name in leaders)
    for path in result.written:
        assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 2000
    assert seen[-1] == len(leaders) and seen == sorted(seen)


def test_cancel_stops_handing_out_work_and_keeps_what_was_written(demo, tmp_path: Path) -> None:
    db, leaders = demo
    done_count: list[int] = []
    result = export_debriefs(db, 2025, leaders, tmp_path / "out", today=TODAY, jobs=1,
                             progress=lambda done, total, text: done_count.append(done),
                             should_cancel=lambda: bool(done_count) and done_count[-1] >= 3)
    assert result.cancelled
    assert len(result.written) == 3
    assert sorted((tmp_path / "out").iterdir()) == sorted(result.written)


def test_file_names_are_safe_on_windows() -> None:
    assert report_file_name(7, '孙喆<>:"/\\|?*', 2025) == "2025年度述职报告-0007-孙喆_________.pdf"
    assert report_file_name(8, " . ", 2025) == "2025年度述职报告-0008-负责人.pdf"


def test_pool_reports_a_file_it_cannot_write_and_writes_the_others(demo, tmp_path: Path) -> None:
    """In the pool the files are written by a thread while the next PDF is drawn: a target
    that cannot be written (a folder of that name) is one failure with a Chinese message."""
    db, leaders = demo
    out = tmp_path / "out"
    blocked_id, blocked_name = leaders[5]
    (out / report_file_name(blocked_id, blocked_name, 2025)).mkdir(parents=True)
    result = export_debriefs(db, 2025, leaders, out, today=TODAY, jobs=2)
    assert [leader_id for leader_id, _ in result.failures] == [blocked_id]
    assert "文件夹" in result.failures[0][1]
    assert len(result.written) == len(leaders) - 1
    assert all(path.read_bytes().startswith(b"%PDF") for path in result.written)
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind


def test_pool_cancel_keeps_exactly_what_was_written(demo, tmp_path: Path) -> None:
    db, leaders = demo
    done_count: list[int] = []
    result = export_debriefs(db, 2025, leaders, tmp_path / "out", today=TODAY, jobs=2,
                             progress=lambda done, total, text: done_count.append(done),
                             should_cancel=lambda: bool(done_count) and done_count[-1] >= 1)
    assert result.cancelled
    assert 1 <= len(result.written) < len(leaders)
    assert sorted((tmp_path / "out").iterdir()) == sorted(result.written)


@pytest.mark.parametrize("total", [1, 12, 20, 100, 1820])
def test_work_is_handed_out_in_order_and_in_shrinking_chunks_at_the_end(total: int) -> None:
    from duty_tracker.core.reports.batch import BATCH_LARGEST, plan_batches

    tasks = list(range(total))
    batches = plan_batches(tasks, 2)
    assert [t for batch in batches for t in batch] == tasks
    sizes = [len(batch) for batch in batches]
    assert max(sizes) <= BATCH_LARGEST and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] == 1  # the workers end within one PDF of each other
    if total >= 1000:
        assert sizes[0] == BATCH_LARGEST and len(batches) < total // 5

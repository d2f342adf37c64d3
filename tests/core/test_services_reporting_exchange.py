"""Reporting and exchange use cases without Qt: one call per document, one file-name rule,
cancel of a batch, and the backup every import makes first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.demo import build_demo
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.reports.file_names import report_file_name
from duty_tracker.core.services import exchange, reporting
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.core.storage.backup import describe_backup, list_auto_backups

TODAY = date(2025, 11, 20)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("svc") / "demo.db"
    with open_ledger(db) as ledger:
        build_demo(ledger.store, leaders=6, years=1, records=8, today=TODAY)
    return db


def test_one_debrief_and_the_summary_are_one_call_each(demo_db: Path, tmp_path: Path) -> None:
    with open_ledger(demo_db) as ledger:
        leader = ledger.store.people.leaders()[0]
        result = reporting.export_debrief(ledger.store, reporting.DebriefExport(
            leader_id=leader["id"], year=2025, output=tmp_path / "述职", today=TODAY))
        name = reporting.debrief_file_name(ledger.store, leader["id"], 2025)
        summary = reporting.export_summary(ledger.store, reporting.SummaryExport(
            year=2025, output=tmp_path / "汇总表.pdf", today=TODAY))
    assert result.path == tmp_path / "述职.pdf" and result.path.read_bytes().startswith(b"%PDF")
    assert name == report_file_name(leader["id"], leader["name"], 2025)
    assert summary.path.read_bytes().startswith(b"%PDF")


def test_batch_writes_one_file_per_leader_under_the_one_name_rule(demo_db: Path, tmp_path: Path) -> None:
    options = reporting.BatchExport(year=2025, folder=tmp_path / "批量", today=TODAY)
    result = reporting.export_debrief_batch(demo_db, options)
    with open_ledger(demo_db) as ledger:
        expected = {report_file_name(r["id"], r["name"], 2025)
                    for r in reporting.leaders_to_report(ledger.store, 2025)}
    assert {p.name for p in result.written} == expected and not result.failures


def test_batch_can_be_cancelled_and_keeps_what_was_written(demo_db: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    options = reporting.BatchExport(year=2025, folder=tmp_path / "取消", today=TODAY, jobs=1)
    result = reporting.export_debrief_batch(
        demo_db, options, progress=lambda done, _total, _text: seen.append(done),
        should_cancel=lambda: len(seen) >= 3)
    assert result.cancelled and 0 < len(result.written) < 6
    assert all(p.exists() for p in result.written)


def test_batch_into_a_file_is_refused_in_chinese(demo_db: Path, tmp_path: Path) -> None:
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(ReportError, match="需要一个文件夹"):
        reporting.export_debrief_batch(demo_db, reporting.BatchExport(
            year=2025, folder=file, today=TODAY))


def test_every_import_makes_a_verified_backup_first(demo_db: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "台账.xlsx"
    with open_ledger(demo_db) as ledger:
        exchange.export_ledger(ledger.store, exchange.LedgerExportOptions(
            path=workbook, year=2025, status=False))
    with open_ledger(tmp_path / "copy.db") as target:
        target.store.people.add_unit("西湖区", "区县")  # something to back up
        preview = exchange.preview_xlsx(target.store, workbook, exchange.SheetKind.RECORDS)
        outcome = exchange.apply_xlsx(target.store, preview, exchange.SheetKind.RECORDS, workbook)
    assert outcome.backup is not None and outcome.backup in list_auto_backups(tmp_path / "copy.db")
    assert describe_backup(outcome.backup).ok and "导入 台账.xlsx之前" in describe_backup(outcome.backup).reason


def test_package_import_backs_up_first(demo_db: Path, tmp_path: Path, monkeypatch) -> None:
    """The copy is checked with quick_check (every page, the structure of every table and
    index): the full check's index lookups judge the ledger, not the copy, and cost seconds."""
    from duty_tracker.core.storage import backup

    checks: list[bool] = []
    real = backup.sqlite_problems
    monkeypatch.setattr(backup, "sqlite_problems",
                        lambda path, quick=False, **kw: checks.append(quick) or real(path, quick=quick, **kw))
    package = tmp_path / "单位.dtpkg"
    with open_ledger(demo_db) as ledger:
        unit = ledger.store.people.units()[0]["id"]
        exchange.export_package(ledger.store, unit, package)
    with open_ledger(tmp_path / "other.db") as other:
        other.store.people.add_unit("上城区", "区县")
        result = exchange.import_package(other.store, package)
    assert result.backup is not None and "导入数据包" in describe_backup(result.backup).reason
    assert checks[:1] == [True]

"""The city's other budgets, on 2,000 leaders × 10 years × 50 records (about 890,000 records):

- 2,000 debrief PDFs ≤ 60 s on two cores (``export_debrief_batch``, as ``report --all``),
  beside plain reportlab drawing the same documents;
- a full backup (``duty-tracker backup``) ≤ 15 s and ≤ 150 MB of memory;
- ``duty-tracker check`` ≤ 5 s;
- importing one district's package (about 100,000 records with their links) ≤ 30 s, into
  another ledger of 220,000 records (a copy of the 250,000-record database: none of the package's
  uuids are there, so every row is really merged), the safety backup before it included;
- the dashboard's reminder list stays lazy: how many leader rows and reminders one
  ``DashboardData`` builds at once (budget: a screenful, 100).

The commands run as whole processes, as the clerk starts them; the peak memory is that
process's largest resident set.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    BENCH_TODAY,
    BENCH_YEAR,
    CITY_NAME,
    bench_dir,
    big_db,
    city_db,
    remove_database,
    run_with_peak,
    verdict,
)

PACKAGE_RECORDS = 100_000
SCREENFUL = 100


def run_measured(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, stdout + stderr) of ``python -m duty_tracker ARGS``."""
    run = run_with_peak([sys.executable, "-m", "duty_tracker", *args],
                        dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return run.seconds, run.peak_mb, run.code, run.stdout + run.stderr


PDF_BUDGET_COUNT = 2000
PDF_BUDGET_S = 60.0
PDF_FLOOR_SAMPLE = 24


def pdf_floor(db: Path, count: int) -> float:
    """Plain reportlab drawing the same debriefs (``bench_reports.plain_reportlab``: the same
    text in the same fonts, nothing of ours), timed on a sample of the city's leaders spread
    over the list, in this process on one core, then scaled to ``count`` PDFs on two cores."""
    from bench.bench_reports import plain_reportlab
    from duty_tracker.core.reports.cjkwrap import reportlab_defaults
    from duty_tracker.core.reports.debrief_builder import DebriefBuilder, leaders_of_year
    from duty_tracker.core.reports.fonts import get_font_set
    from duty_tracker.core.storage.store import Store

    with Store.open(db, migrate=False) as store:
        ids = [row["id"] for row in leaders_of_year(store, BENCH_YEAR)]
        step = max(1, len(ids) // PDF_FLOOR_SAMPLE)
        builder = DebriefBuilder(store, BENCH_YEAR, today=BENCH_TODAY)
        reports = [builder.build(i, use_draft=True) for i in ids[::step][:PDF_FLOOR_SAMPLE]]
    get_font_set()
    with reportlab_defaults():  # reportlab's own line breaking, not ours
        plain_reportlab(reports[0])  # warm
        start = time.perf_counter()
        for report in reports:
            plain_reportlab(report)
        each = (time.perf_counter() - start) / len(reports)
    return each * count / 2


def bench_pdfs(db: Path) -> bool:
    """Every leader in office writes a debrief (``export_debrief_batch`` as ``report --all``,
    two worker processes). The city has fewer than 2,000 leaders in office in the year, so
    the time is scaled to 2,000 PDFs, and so is the floor."""
    from duty_tracker.core.services.reporting import BatchExport, export_debrief_batch

    with tempfile.TemporaryDirectory(dir=bench_dir()) as tmp:
        start = time.perf_counter()
        result = export_debrief_batch(db, BatchExport(year=BENCH_YEAR, folder=Path(tmp),
                                                      today=BENCH_TODAY, use_draft=True, jobs=2))
        elapsed = time.perf_counter() - start
    count = len(result.written)
    scale = PDF_BUDGET_COUNT / max(1, count)
    floor = pdf_floor(db, count) * scale
    print(f"     {count} PDFs (every leader in office in {BENCH_YEAR}) in {elapsed:.1f} s, "
          f"{len(result.failures)} failures, {elapsed / max(1, count) * 1000:.0f} ms each")
    return verdict(f"{PDF_BUDGET_COUNT:,} debrief PDFs at {CITY_NAME} records", elapsed * scale,
                   PDF_BUDGET_S, floor=floor,
                   note=f"{count} written, scaled to {PDF_BUDGET_COUNT:,}; two cores; floor: "
                        "plain reportlab drawing the same documents, on two cores") \
        and not result.failures


def bench_backup_and_check(db: Path) -> bool:
    with tempfile.TemporaryDirectory(dir=bench_dir()) as tmp:
        elapsed, peak, code, output = run_measured(["--db", str(db), "backup", "-o", tmp])
        zips = list(Path(tmp).glob("*.zip"))
        size = zips[0].stat().st_size / 2**20 if zips else 0.0
    print(f"     backup exit {code}, {size:.0f} MB zip{'' if code == 0 else ': ' + output[-300:]}")
    ok = verdict(f"full backup time ({CITY_NAME} records)", elapsed, 15.0)
    ok = verdict(f"full backup peak memory ({CITY_NAME} records)", peak, 150.0, unit="MB") and ok
    elapsed, peak, code, output = run_measured(["--db", str(db), "check"])
    print(f"     check exit {code}, peak {peak:.0f} MB")
    return verdict(f"check ({CITY_NAME} records)", elapsed, 5.0) and ok and code == 0


def district_package(db: Path) -> Path:
    """One district's data package from the city (the district nearest 100,000 records),
    exported once and cached beside the databases."""
    path = bench_dir() / f"{db.stem}-district.dtpkg"
    if path.exists() and path.stat().st_mtime >= db.stat().st_mtime:
        return path
    from duty_tracker.core.services.exchange import export_package
    from duty_tracker.core.storage.store import Store

    with Store.open(db) as store:
        sizes = store.db.execute(
            "SELECT d.id, count(DISTINCT rl.record_id) FROM units d JOIN units u "
            "ON u.id = d.id OR u.parent_id = d.id JOIN leaders l ON l.unit_id = u.id "
            "JOIN record_leaders rl ON rl.leader_id = l.id WHERE d.level = '区县' "
            "GROUP BY d.id").fetchall()
        unit_id = min(sizes, key=lambda row: abs(row[1] - PACKAGE_RECORDS))[0]
        export_package(store, unit_id, path)
    return path


def bench_import(db: Path) -> bool:
    package = district_package(db)
    target = bench_dir() / "import-target.db"
    remove_database(target)
    shutil.copyfile(big_db(), target)
    try:
        elapsed, peak, code, output = run_measured(["--db", str(target), "import-package",
                                                    str(package)])
    finally:
        remove_database(target)
    added = re.search(r"纪实 (\d+)", output)
    print(f"     import exit {code}, peak {peak:.0f} MB, "
          f"{added.group(1) if added else '?'} records; {output.strip().splitlines()[-1][:120]}")
    return verdict(f"import of one district's package ({CITY_NAME} records)", elapsed, 30.0,
                   note=package.name) and code == 0


def bench_dashboard(db: Path) -> bool:
    """Rows the dashboard builds at once (core only: the data its three tables show)."""
    from duty_tracker.core.dashboard import DashboardData
    from duty_tracker.core.status import year_status
    from duty_tracker.core.storage.store import Store

    with Store.open(db) as store:
        start = time.perf_counter()
        status = year_status(store, BENCH_YEAR, today=BENCH_TODAY)
        data = DashboardData(status, store.people.leaders(), store.rules.duties_for_year(BENCH_YEAR))
        elapsed = time.perf_counter() - start
    built = len(data.rows) + len(data.reminders)
    return verdict(f"dashboard rows built at once ({CITY_NAME} records)", built, SCREENFUL,
                   unit="rows", note=f"{len(data.rows)} leader rows and {len(data.reminders)} "
                                     f"reminders in {elapsed:.2f} s")


def main() -> bool:
    db = city_db()
    ok = bench_dashboard(db)
    ok = bench_import(db) and ok
    ok = bench_backup_and_check(db) and ok
    return bench_pdfs(db) and ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

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
    settle_disk,
    verdict,
)

PACKAGE_RECORDS = 100_000


def run_measured(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, stdout + stderr) of ``python -m duty_tracker ARGS``."""
    run = run_with_peak([sys.executable, "-m", "duty_tracker", *args],
                        dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return run.seconds, run.peak_mb, run.code, run.stdout + run.stderr


PDF_BUDGET_COUNT = 2000
PDF_BUDGET_S = 60.0
PDF_FLOOR_SAMPLE = 60


def _floor_init() -> None:
    from duty_tracker.core.reports.fonts import get_font_set

    get_font_set()


def _floor_draw(reports: list) -> int:
    from bench.bench_reports import plain_reportlab
    from duty_tracker.core.reports.cjkwrap import reportlab_defaults

    with reportlab_defaults():  # reportlab's own line breaking, not ours
        return sum(len(plain_reportlab(report)) for report in reports)


def floor_reports(db: Path) -> list:
    """The debriefs of a sample of the city's leaders, spread over the list."""
    from duty_tracker.core.reports.debrief_builder import DebriefBuilder, leaders_of_year
    from duty_tracker.core.storage.store import Store

    with Store.open(db, migrate=False) as store:
        ids = [row["id"] for row in leaders_of_year(store, BENCH_YEAR)]
        step = max(1, len(ids) // PDF_FLOOR_SAMPLE)
        builder = DebriefBuilder(store, BENCH_YEAR, today=BENCH_TODAY)
        return [builder.build(i, use_draft=True) for i in ids[::step][:PDF_FLOOR_SAMPLE]]


def pdf_floor(reports: list) -> tuple[float, float]:
    """(wall seconds, CPU seconds) per PDF of plain reportlab drawing the same debriefs
    (``bench_reports.plain_reportlab``: the same text in the same fonts, nothing of ours):
    the wall time in two worker processes as the batch runs, on the same two cores, and the
    CPU time in this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_floor_init) as pool:
        list(pool.map(_floor_draw, [reports[:2], reports[2:4]]))  # both started and warm
        start = time.perf_counter()
        list(pool.map(_floor_draw, [reports[0::2], reports[1::2]]))
        wall = (time.perf_counter() - start) / len(reports)
    _floor_init()
    _floor_draw(reports[:1])
    cpu = time.process_time()
    _floor_draw(reports)
    return wall, (time.process_time() - cpu) / len(reports)


def bench_pdfs(db: Path) -> bool:
    """Every leader in office writes a debrief (``export_debrief_batch`` as ``report --all``,
    two worker processes). The city has fewer than 2,000 leaders in office in the year, so
    the time is scaled to 2,000 PDFs, and so is the floor. The floor is measured just before
    and just after the batch and averaged (the neighbours' load on a shared machine moves
    both); the CPU time per PDF, which the load moves less, is printed beside it."""
    import resource

    from duty_tracker.core.services.reporting import BatchExport, export_debrief_batch

    reports = floor_reports(db)
    before = pdf_floor(reports)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory(dir=bench_dir()) as tmp:
        start = time.perf_counter()
        result = export_debrief_batch(db, BatchExport(year=BENCH_YEAR, folder=Path(tmp),
                                                      today=BENCH_TODAY, use_draft=True, jobs=2))
        elapsed = time.perf_counter() - start
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after_children.ru_utime + after_children.ru_stime
           - children.ru_utime - children.ru_stime)
    after = pdf_floor(reports)
    count = len(result.written)
    floor_wall = (before[0] + after[0]) / 2 * PDF_BUDGET_COUNT
    print(f"     {count} PDFs (every leader in office in {BENCH_YEAR}) in {elapsed:.1f} s, "
          f"{len(result.failures)} failures, {elapsed / max(1, count) * 1000:.0f} ms each; "
          f"CPU {cpu / max(1, count) * 1000:.0f} ms per PDF (workers, their start included), "
          f"plain reportlab {(before[1] + after[1]) / 2 * 1000:.0f} ms; floor before "
          f"{before[0] * PDF_BUDGET_COUNT:.0f} s, after {after[0] * PDF_BUDGET_COUNT:.0f} s")
    scale = PDF_BUDGET_COUNT / max(1, count)
    return verdict(f"{PDF_BUDGET_COUNT:,} debrief PDFs at {CITY_NAME} records", elapsed * scale,
                   PDF_BUDGET_S, floor=floor_wall,
                   note=f"{count} written, scaled to {PDF_BUDGET_COUNT:,}; floor: plain "
                        "reportlab drawing a sample of the same documents in two processes") \
        and not result.failures


#: The floor of a full backup: SQLite's backup API copies the pages, zipfile stores the copy.
BACKUP_FLOOR = r"""
import shutil, sqlite3, sys, zipfile
from pathlib import Path
db, folder = Path(sys.argv[1]), Path(sys.argv[2])
src = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
dst = sqlite3.connect(folder / "copy.db")
src.backup(dst, pages=4096)
dst.close(); src.close()
with zipfile.ZipFile(folder / "floor.zip", "w") as zf, (folder / "copy.db").open("rb") as fh, \
        zf.open("duty_tracker.db", "w", force_zip64=True) as member:
    shutil.copyfileobj(fh, member, 1 << 20)
"""

#: The floor of ``check``: SQLite's quick check and foreign-key check of the same file.
CHECK_FLOOR = r"""
import sqlite3, sys
from pathlib import Path
conn = sqlite3.connect(f"{Path(sys.argv[1]).resolve().as_uri()}?mode=ro", uri=True)
assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
"""


def _floor(script: str, *args: str) -> tuple[float, float]:
    """(seconds, peak MB) of a bare script in a process of its own."""
    run = run_with_peak([sys.executable, "-c", script, *args])
    if run.code != 0:
        raise RuntimeError(f"floor script failed: {run.stderr[-500:]}")
    return run.seconds, run.peak_mb


def bench_backup_and_check(db: Path) -> bool:
    """``duty-tracker backup`` and ``duty-tracker check`` as whole processes, each beside its
    floor measured in the same run (the backup's: a page copy and a stored zip of it, without
    the check, the read-back or the attachments)."""
    with tempfile.TemporaryDirectory(dir=bench_dir()) as tmp:
        floor, floor_peak = _floor(BACKUP_FLOOR, str(db), tmp)
        floor_size = (Path(tmp) / "floor.zip").stat().st_size / 2**20
    with tempfile.TemporaryDirectory(dir=bench_dir()) as tmp:
        elapsed, peak, code, output = run_measured(["--db", str(db), "backup", "-o", tmp])
        zips = list(Path(tmp).glob("*.zip"))
        size = zips[0].stat().st_size / 2**20 if zips else 0.0
    print(f"     backup exit {code}, {size:.0f} MB zip of a {db.stat().st_size / 2**20:.0f} MB "
          f"database (floor's zip {floor_size:.0f} MB)"
          + ("" if code == 0 else ": " + output[-300:]))
    ok = verdict(f"full backup at {CITY_NAME} records", elapsed, 15.0, floor=floor) and code == 0
    ok = verdict(f"full backup peak memory at {CITY_NAME} records", peak, 150.0, unit="MB",
                 floor=floor_peak) and ok
    floor, _floor_peak = _floor(CHECK_FLOOR, str(db))
    elapsed, peak, code, output = run_measured(["--db", str(db), "check"])
    print(f"     check exit {code}, peak {peak:.0f} MB" + ("" if code == 0 else ": " + output[-300:]))
    return verdict(f"check at {CITY_NAME} records", elapsed, 5.0, floor=floor,
                   note="quick_check and the search index's quick check; check --full is deeper") \
        and ok and code == 0


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
    settle_disk()
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
    """What the dashboard builds for its lists when it opens on the city: the summary rows
    worked out (each a Python row with its texts) and the rows its two list models hold,
    measured on the real page (offscreen), against one batch of a lazy list."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile

    from PySide6.QtCore import QSettings

    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.app import create_application
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.models.batched import BATCH
    from duty_tracker.ui.pages.dashboard_page import DashboardPage

    app = create_application()
    with tempfile.TemporaryDirectory() as home:
        ledger = open_ledger(db, purpose="基准测试")
        settings = QSettings(str(Path(home) / "s.ini"), QSettings.Format.IniFormat)
        ctx = AppContext(ledger=ledger, settings=settings, today_fn=lambda: BENCH_TODAY)
        start = time.perf_counter()
        page = DashboardPage(ctx)
        page.resize(1366, 768)
        page.show()
        app.processEvents()
        elapsed = time.perf_counter() - start
        worked_out = len(page.data._rows) if page.data else 0  # noqa: SLF001 - what was built
        held = (page.summary_model.fetched(), page.reminder_model.fetched())
        totals = (page.summary_model.total(), page.reminder_model.total())
        page.close()
        ctx.close()
    return verdict(f"dashboard rows built at once, per list ({CITY_NAME} records)",
                   max(worked_out, *held), BATCH, unit="rows",
                   note=f"{worked_out} of {totals[0]} leader rows worked out; the lists hold "
                        f"{held[0]} of {totals[0]} leaders and {held[1]} of {totals[1]} reminders; "
                        f"page shown in {elapsed:.2f} s")


PARTS = {"dashboard": bench_dashboard, "import": bench_import, "backup": bench_backup_and_check,
         "pdfs": bench_pdfs}


def main(argv: list[str] | None = None) -> bool:
    """Every part, or only those named: ``python -m bench.bench_city backup``."""
    db = city_db()
    ok = True
    for name in argv or list(PARTS):
        ok = PARTS[name](db) and ok
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)

"""Shared helpers: the demo databases (built once and cached), timing, and the verdict lines.

Two scales: the SPEC's 500 leaders × 10 years × 50 records (about 220,000 records, "250,000"
in the budgets) and a city's 2,000 leaders × 10 years × 50 records (about 890,000 records,
"1,000,000"). A cached database is rebuilt when it was made by an older schema.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

BENCH_TODAY = date(2025, 11, 20)
BENCH_YEAR = 2025
CITY = {"leaders": 2000, "years": 10, "records": 50}
CITY_NAME = "1,000,000"


def bench_dir() -> Path:
    folder = Path(os.environ.get("DUTY_TRACKER_BENCH_DIR",
                                 Path(tempfile.gettempdir()) / "duty_tracker_bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def big_db(leaders: int = 500, years: int = 10, records: int = 50) -> Path:
    """A benchmark database (default: the SPEC's 500 leaders × 10 years × 50 records), cached
    between runs and rebuilt when the program's schema is newer than the cached file's."""
    path = bench_dir() / f"demo-{leaders}x{years}x{records}.db"
    if path.exists() and not is_current(path):
        remove_database(path)
    if not path.exists():
        build_database(path, leaders=leaders, years=years, records=records)
    return path


def is_current(path: Path) -> bool:
    """Was the cached database made with the program's latest schema?"""
    from duty_tracker.core.storage.database import latest_schema_version, read_user_version

    return read_user_version(path) == latest_schema_version()


def city_path() -> Path:
    return bench_dir() / "demo-{leaders}x{years}x{records}.db".format(**CITY)


def city_db() -> Path:
    """The city: 2,000 leaders × 10 years × 50 records (about 890,000 records)."""
    return big_db(**CITY)


def build_database(path: Path, *, leaders: int, years: int, records: int) -> float:
    """Build a demo database at ``path`` (through a temporary name); returns the build time."""
    from duty_tracker.core.demo import build_demo
    from duty_tracker.core.services.ledger import open_ledger

    tmp = path.with_suffix(".building")
    remove_database(tmp)
    with open_ledger(tmp) as ledger:
        start = time.perf_counter()
        build_demo(ledger.store, leaders=leaders, years=years, records=records, today=BENCH_TODAY)
        elapsed = time.perf_counter() - start
    tmp.rename(path)
    remove_database(tmp)  # the lock files beside the temporary name
    return elapsed


def remove_database(path: Path) -> None:
    """A database file with the journal, lock files and folders the program keeps beside it."""
    for extra in ("", "-journal", ".gate"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    for folder in (Path(f"{path}.writers"), path.parent / f"{path.stem}_backups",
                   path.parent / f"{path.stem}_attachments"):
        shutil.rmtree(folder, ignore_errors=True)


def best_of(fn: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    """(best, median) wall time in seconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


@dataclass(frozen=True)
class Line:
    name: str
    ok: bool
    text: str


#: Every verdict printed in this process, for the summary table of ``run_all``.
LINES: list[Line] = []


def verdict(name: str, value: float, budget: float, unit: str = "s", note: str = "",
            floor: float | None = None, floor_unit: str | None = None) -> bool:
    """Print one budget line: OK/OVER, the value, the budget and, when the job has a floor
    measured in the same run, the floor and the ratio to it."""
    ok = value <= budget
    text = f"{name}: {value:.3f} {unit} (budget {budget:g} {unit})"
    if floor is not None:
        text += f"; floor {floor:.3f} {floor_unit or unit}, ratio {value / floor:.2f}×"
    if note:
        text += f" — {note}"
    print(f"{'OK  ' if ok else 'OVER'} {text}", flush=True)
    LINES.append(Line(name, ok, text))
    return ok

"""Shared helpers: the demo databases (built once and cached), timing, and the verdict lines.

Two scales: the product's reference of 500 leaders × 10 years × 50 records (about 220,000 records, "250,000"
in the budgets) and a city's 2,000 leaders × 10 years × 50 records (about 890,000 records,
"1,000,000"). A cached database is rebuilt when it was made by an older schema.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
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
    """A benchmark database (default: 500 leaders × 10 years × 50 records), cached
    between runs; its name carries :func:`schema_tag`, so a changed schema or demo generator
    builds a new one (and the stale one is removed)."""
    path = db_path(leaders, years, records)
    if not path.exists():
        for stale in path.parent.glob(f"demo-{leaders}x{years}x{records}-*.db"):
            remove_database(stale)
        build_database(path, leaders=leaders, years=years, records=records)
    return path


def schema_tag() -> str:
    """A short hash of the migrations and the demo generator: what a cached database depends on."""
    import hashlib

    import duty_tracker.core.demo as demo
    from duty_tracker.paths import migrations_dir

    digest = hashlib.sha256(Path(demo.__file__).read_bytes())
    for migration in sorted(migrations_dir().glob("*.sql")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:8]


def db_path(leaders: int, years: int, records: int) -> Path:
    return bench_dir() / f"demo-{leaders}x{years}x{records}-{schema_tag()}.db"


def city_path() -> Path:
    return db_path(**CITY)


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
    settle_disk()
    return elapsed


def settle_disk() -> None:
    """Write out what the page cache holds for files just made (a built database, a copy):
    the kernel would otherwise write it back during the next measurement — an import timed
    right after the city's 700 MB was built ran 40 % longer than one timed on a quiet disk."""
    if hasattr(os, "sync"):
        os.sync()


def remove_database(path: Path) -> None:
    """A database file with the journal, lock files and folders the program keeps beside it."""
    for extra in ("", "-journal", ".gate"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    for folder in (Path(f"{path}.writers"), path.parent / f"{path.stem}_backups",
                   path.parent / f"{path.stem}_attachments", path.parent / f"{path.stem}_cache"):
        shutil.rmtree(folder, ignore_errors=True)


#: Forks the command from a small interpreter and reports its peak resident set (Linux).
_LAUNCHER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_pid, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\npeak_kb={usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def run_with_peak(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` and measure its own peak memory. It is started from a small launcher: a
    process forked from the benchmark itself begins with the benchmark's resident set as its
    high-water mark, which after the city's queries is hundreds of megabytes not its own."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *cmd], capture_output=True,
                          text=True, env=env)
    seconds = time.perf_counter() - start
    match = re.search(r"peak_kb=(\d+)\s*$", proc.stderr)
    peak = int(match.group(1)) / 1024 if match else float("nan")
    stderr = proc.stderr[:match.start()] if match else proc.stderr
    return Run(proc.returncode, proc.stdout, stderr, seconds, peak)


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

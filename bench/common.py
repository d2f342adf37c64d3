"""Shared helpers: the 250,000-record demo database (built once and cached) and timing."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

BENCH_TODAY = date(2025, 11, 20)
BENCH_YEAR = 2025


def big_db(leaders: int = 500, years: int = 10, records: int = 50) -> Path:
    """The SPEC's benchmark database (500 leaders × 10 years × 50 records), cached between runs."""
    folder = Path(os.environ.get("DUTY_TRACKER_BENCH_DIR", Path(tempfile.gettempdir()) / "duty_tracker_bench"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{leaders}x{years}x{records}.db"
    if not path.exists():
        from duty_tracker.core.demo import build_demo
        from duty_tracker.core.services.ledger import open_ledger

        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        with open_ledger(tmp) as _ledger:
            store = _ledger.store
            build_demo(store, leaders=leaders, years=years, records=records, today=BENCH_TODAY)
        tmp.rename(path)
    return path


def best_of(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(best, median) wall time in seconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def verdict(name: str, value: float, budget: float, unit: str = "s", note: str = "") -> bool:
    ok = value <= budget
    print(f"{'OK  ' if ok else 'OVER'} {name}: {value:.3f} {unit} (budget {budget:g} {unit}){' — ' + note if note else ''}")
    return ok

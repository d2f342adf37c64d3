"""Building the 250,000-record demo database: ≤ 10 s (SPEC.md §6)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import BENCH_TODAY, verdict


def main() -> bool:
    from duty_tracker.core.demo import build_demo
    from duty_tracker.core.services.ledger import open_ledger

    with tempfile.TemporaryDirectory() as tmp:
        ledger = open_ledger(Path(tmp) / "demo.db")
        store = ledger.store
        start = time.perf_counter()
        summary = build_demo(store, leaders=500, years=10, records=50, today=BENCH_TODAY)
        elapsed = time.perf_counter() - start
        ledger.close()
    print(f"     {summary.records} records, {summary.leaders} leaders, {summary.units} units")
    return verdict("demo database build", elapsed, 10.0)


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

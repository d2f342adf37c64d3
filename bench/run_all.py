"""Run every benchmark and print one verdict line per performance budget, on the reference
database of 250,000 records and on a city's 1,000,000, then a summary of the lines over budget.

    python -m bench.run_all [bench_status bench_record_list ...]

The databases are built once into $DUTY_TRACKER_BENCH_DIR (default $TMPDIR/duty_tracker_bench)
and reused; a database made by an older schema is rebuilt. With module names, only those run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench
from bench.common import LINES


def _compile_bytecode() -> None:
    """An installed program (wheel or frozen build) runs from compiled bytecode; a checkout run
    with PYTHONDONTWRITEBYTECODE=1 (or after an edit) would have every process — each window
    start, each report worker — compile the changed modules again and time the compiler."""
    import compileall
    from pathlib import Path

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "duty_tracker"), quiet=1)


def main(argv: list[str] | None = None) -> int:
    _compile_bytecode()
    wanted = argv if argv else sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    failed = []
    for module in wanted:
        print(f"== {module}", flush=True)
        start = time.perf_counter()
        try:
            ok = importlib.import_module(f"bench.{module}").main()
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            print(f"ERROR {module}: {type(exc).__name__}: {exc}", flush=True)
            ok = False
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
        if ok is False:  # None: a module that prints its own verdicts
            failed.append(module)
    over = [line for line in LINES if not line.ok]
    print(f"== summary: {len(LINES)} budget lines, {len(over)} over")
    for line in over:
        print(f"OVER {line.text}")
    print("all budgets met" if not failed else f"over budget: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

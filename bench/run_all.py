"""Run every benchmark and print one verdict line per budget of SPEC.md §6.

    python -m bench.run_all

The 250,000-record database is built once into $TMPDIR/duty_tracker_bench and reused.
"""

from __future__ import annotations

import importlib
import pkgutil

import bench


def main() -> int:
    failed = []
    for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")):
        print(f"== {module}")
        ok = importlib.import_module(f"bench.{module}").main()
        if not ok:
            failed.append(module)
    print("all budgets met" if not failed else f"over budget: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Building the demo database: 250,000 records ≤ 10 s; a city's 1,000,000 ≤ 20 s.

Each is built into a temporary file (the city's straight into the benchmark cache when it is
not there yet, so that it is built once per run at most)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import (
    CITY,
    CITY_NAME,
    bench_dir,
    build_database,
    city_path,
    remove_database,
    verdict,
)


def timed_build(leaders: int, years: int, records: int) -> float:
    with tempfile.TemporaryDirectory(dir=bench_dir()) as tmp:
        return build_database(Path(tmp) / "demo.db", leaders=leaders, years=years, records=records)


def main() -> bool:
    ok = verdict("demo database build", timed_build(500, 10, 50), 10.0)
    path = city_path()
    if path.exists():
        elapsed = timed_build(**CITY)
    else:
        for stale in path.parent.glob("demo-{leaders}x{years}x{records}-*.db".format(**CITY)):
            remove_database(stale)
        elapsed = build_database(path, **CITY)
    return verdict(f"demo database build ({CITY_NAME} records)", elapsed, 20.0) and ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

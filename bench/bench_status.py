"""``status --year Y`` in-process, beside the raw SQL aggregate that computes the same counts:
500 leaders (about 220,000 records) ≤ 0.3 s and ≤ 1.3× the floor; a city's 2,000 leaders
(about 890,000 records) ≤ 0.5 s and ≤ 1.5× the floor.

The floor is one SQL GROUP BY that counts, per leader, duty and period, the year's records
inside the leader's terms — the ``done`` of every row of ``status --json`` (the benchmark checks
that they agree) — written the fastest way found: the year's ids as an IN list, so that the
link tables are read in id order. It runs on a plain sqlite3 connection; ``status`` runs
through the store and includes building the JSON rows.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.common import BENCH_TODAY, BENCH_YEAR, CITY_NAME, big_db, city_db, verdict

REPEAT = 11

FLOOR_SQL = """
SELECT rl.leader_id, rd.duty_id,
       CASE d.period WHEN 'half_year' THEN (CAST(substr(r.performed_on, 6, 2) AS INTEGER) - 1) / 6
                     WHEN 'quarter' THEN (CAST(substr(r.performed_on, 6, 2) AS INTEGER) - 1) / 3
                     WHEN 'month' THEN CAST(substr(r.performed_on, 6, 2) AS INTEGER) - 1
                     ELSE 0 END AS period_index,
       count(*)
FROM record_leaders rl CROSS JOIN record_duties rd ON rd.record_id = rl.record_id
CROSS JOIN records r ON r.id = rl.record_id
JOIN duties d ON d.id = rd.duty_id
WHERE rl.record_id IN (SELECT id FROM records WHERE deleted_at IS NULL
                       AND performed_on BETWEEN :first AND :last)
  AND (d.due IS NULL OR (d.period = 'once' AND r.performed_on <= d.due)
       OR (d.period <> 'once' AND r.performed_on <= :year || '-' || d.due))
  AND EXISTS (SELECT 1 FROM terms t WHERE t.leader_id = rl.leader_id
              AND t.start_date <= r.performed_on
              AND (t.end_date IS NULL OR t.end_date >= r.performed_on))
GROUP BY 1, 2, 3
"""


def floor_counts(conn: sqlite3.Connection) -> dict[tuple[int, int, int], int]:
    params = {"first": f"{BENCH_YEAR}-01-01", "last": f"{BENCH_YEAR}-12-31", "year": str(BENCH_YEAR)}
    return {(leader, duty, index): n for leader, duty, index, n in conn.execute(FLOOR_SQL, params)}


def same_counts(status, counts: dict[tuple[int, int, int], int]) -> bool:  # noqa: ANN001
    """Does the floor count what ``status`` reports as done, for every period row?"""
    from duty_tracker.core.compliance import duty_periods

    index = {}
    for duty in status.duties:
        for i, period in enumerate(duty_periods(duty, BENCH_YEAR)):
            index[(duty.id, period)] = i
    return all(counts.get((p.leader_id, p.duty_id, index[(p.duty_id, p.period)]), 0) == p.done
               for p in status.periods)


def measure(path: Path) -> tuple[float, float, float, int, bool]:
    """(best status time, its median, best floor time, period rows, floor counts agree).
    The two are timed turn about, so that a busy neighbour slows both alike."""
    from duty_tracker.core.status import year_status
    from duty_tracker.core.storage.store import Store

    store = Store.open(path)
    conn = sqlite3.connect(path)
    status = year_status(store, BENCH_YEAR, today=BENCH_TODAY)
    agree = same_counts(status, floor_counts(conn))
    ours, floors = [], []
    for _ in range(REPEAT):
        start = time.perf_counter()
        year_status(store, BENCH_YEAR, today=BENCH_TODAY).to_json()
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        floor_counts(conn)
        floors.append(time.perf_counter() - start)
    store.close()
    conn.close()
    return min(ours), sorted(ours)[REPEAT // 2], min(floors), len(status.periods), agree


def report(label: str, path: Path, budget: float, ratio_budget: float) -> bool:
    best, median, floor, rows, agree = measure(path)
    print(f"     {rows} period rows; median {median:.3f} s; the floor counts the same done: "
          f"{'yes' if agree else 'NO'}")
    ok = verdict(f"status --year ({label})", best, budget, floor=floor)
    return verdict(f"status / raw SQL ({label})", best / floor, ratio_budget, "×") and ok and agree


def main() -> bool:
    ok = report("500 leaders", big_db(), 0.3, 1.3)
    return report(f"2,000 leaders, {CITY_NAME} records", city_db(), 0.5, 1.5) and ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

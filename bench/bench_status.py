"""``status --year Y`` for 500 leaders in-process: ≤ 0.3 s and ≤ 2× the raw SQL aggregate that
computes the same counts (SPEC.md §6)."""

from __future__ import annotations

import sqlite3

from bench.common import BENCH_TODAY, BENCH_YEAR, best_of, big_db, verdict


def raw_sql_floor(path) -> None:  # noqa: ANN001
    conn = sqlite3.connect(path)
    conn.execute(
        "SELECT rl.leader_id, rd.duty_id, r.performed_on, count(*) FROM records r "
        "JOIN record_leaders rl ON rl.record_id = r.id JOIN record_duties rd ON rd.record_id = r.id "
        "WHERE r.deleted_at IS NULL AND r.performed_on BETWEEN ? AND ? "
        "GROUP BY rl.leader_id, rd.duty_id, r.performed_on",
        [f"{BENCH_YEAR}-01-01", f"{BENCH_YEAR}-12-31"]).fetchall()
    conn.close()


def main() -> bool:
    from duty_tracker.core.status import year_status
    from duty_tracker.core.storage.store import Store

    path = big_db()
    store = Store.open(path)
    periods = year_status(store, BENCH_YEAR, today=BENCH_TODAY).to_json()
    best, median = best_of(lambda: year_status(store, BENCH_YEAR, today=BENCH_TODAY).to_json())
    floor, _ = best_of(lambda: raw_sql_floor(path))
    store.close()
    print(f"     {len(periods)} period rows; raw SQL floor {floor:.3f} s; median {median:.3f} s")
    ok = verdict("status --year (500 leaders)", best, 0.3)
    return verdict("status / raw SQL", best / floor, 2.0, "×") and ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

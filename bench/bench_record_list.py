"""The record list on 250,000 records: first screen ≤ 0.2 s, a filter ≤ 0.1 s (SPEC.md §6),
measured on the store queries the list model runs (count + first page)."""

from __future__ import annotations

from datetime import date

from bench.common import best_of, big_db, verdict


def main() -> bool:
    from duty_tracker.core.storage.records_repo import RecordFilter
    from duty_tracker.core.storage.store import Store

    store = Store.open(big_db())
    leader = store.people.leaders()[10]["id"]

    def first_screen() -> None:
        store.records.count()
        store.records.search(limit=100)

    def filtered(flt: RecordFilter) -> None:
        store.records.count(flt)
        store.records.search(flt, limit=100)

    ok = verdict("record list first screen", best_of(first_screen)[0], 0.2)
    for name, flt in (
        ("filter: leader", RecordFilter(leader_id=leader)),
        ("filter: year + kind", RecordFilter(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), kind="学法")),
        ("filter: text (index)", RecordFilter(text="民法典")),
        ("filter: text, 2 characters (LIKE)", RecordFilter(text="宪法")),
    ):
        ok = verdict(name, best_of(lambda f=flt: filtered(f))[0], 0.1) and ok
    store.close()
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

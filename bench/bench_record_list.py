"""The record list: first screen ≤ 0.2 s, any filter ≤ 0.1 s — on 250,000 records and on
a city's 1,000,000 (text of one and two characters included).

Measured on the store queries the list model runs: the count, then the first page of
``PAGE_SIZE`` rows, ``selective`` when the count is small (``ui.models.record_table_model``).
Each filter alone, plus the two a clerk combines most: a year with a type, a year with text.
"""

from __future__ import annotations

from datetime import date

from bench.common import CITY_NAME, best_of, big_db, city_db, verdict

PAGE_SIZE = 200  # ui.models.record_table_model.PAGE_SIZE
SELECTIVE_BELOW = 2000  # ui.models.record_table_model.SELECTIVE_BELOW
YEAR = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def filters(store, city: bool) -> list[tuple[str, object]]:  # noqa: ANN001
    """(name, RecordFilter) of the lines; the 250,000 lines keep their names of before."""
    from duty_tracker.core.storage.records_repo import RecordFilter

    leader = store.people.leaders()[10]
    duty = store.db.execute("SELECT duty_id FROM record_duties GROUP BY duty_id "
                            "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    article = store.db.execute("SELECT d.article_id FROM record_duties rd JOIN duties d "
                               "ON d.id = rd.duty_id WHERE d.article_id IS NOT NULL "
                               "GROUP BY d.article_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    lines = [
        ("filter: leader", RecordFilter(leader_id=leader["id"])),
        ("filter: year + kind", RecordFilter(kind="学法", **YEAR)),
        ("filter: text (index)", RecordFilter(text="民法典")),
        ("filter: text, 2 characters", RecordFilter(text="宪法")),
        ("filter: text, 1 character", RecordFilter(text="法")),
    ]
    if city:
        lines += [
            ("filter: unit", RecordFilter(unit_id=leader["unit_id"])),
            ("filter: duty (the most used)", RecordFilter(duty_id=duty)),
            ("filter: article (the most used)", RecordFilter(article_id=article)),
            ("filter: kind", RecordFilter(kind="述职")),
            ("filter: text, 3 characters, 58,000 matches", RecordFilter(text="〔2024〕")),
            ("filter: text, digit and character", RecordFilter(text="3号")),
            ("filter: year + text, 1 character", RecordFilter(text="法", **YEAR)),
            ("filter: recycle bin", RecordFilter(deleted=True)),
        ]
    return lines


def run(path, city: bool) -> bool:  # noqa: ANN001
    from duty_tracker.core.storage.records_repo import RecordFilter
    from duty_tracker.core.storage.store import Store

    store = Store.open(path)
    suffix = f" ({CITY_NAME} records)" if city else ""

    def shown(flt: RecordFilter) -> int:
        total = store.records.count(flt)
        store.records.search(flt, limit=PAGE_SIZE, selective=total < SELECTIVE_BELOW)
        return total

    ok = verdict(f"record list first screen{suffix}", best_of(lambda: shown(RecordFilter()))[0], 0.2)
    for name, flt in filters(store, city):
        matches = shown(flt)
        ok = verdict(f"{name}{suffix}", best_of(lambda f=flt: shown(f))[0], 0.1,
                     note=f"{matches} records") and ok
    store.close()
    return ok


def main() -> bool:
    ok = run(big_db(), city=False)
    return run(city_db(), city=True) and ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

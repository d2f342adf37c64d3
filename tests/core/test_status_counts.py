"""core.status.leader_status_counts: duties per year-status for each leader."""

from __future__ import annotations

from datetime import date

from duty_tracker.core.domain import Status
from duty_tracker.core.status import duty_year_statuses, leader_status_counts, year_status


def test_counts_take_the_worst_period_of_each_duty(store, unit_id, duty_ids) -> None:
    party = store.people.add_leader("王明", unit_id, "party", term_start="2020-01-01")
    status = year_status(store, 2025, today=date(2025, 11, 20))
    per_duty = duty_year_statuses(status)
    counts = leader_status_counts(status)
    mine = {k[1]: v for k, v in per_duty.items() if k[0] == party}
    # the quarterly duty: Q1–Q3 missed → 未达标 although Q4 is still 进行中/预警
    assert mine[duty_ids["季度法治工作例会"]] == Status.FAILED
    assert sum(counts[party].values()) == len(mine)
    assert counts[party][Status.FAILED] == sum(1 for s in mine.values() if s == Status.FAILED)

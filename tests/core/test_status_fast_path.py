"""The compliance engine's fast path (shared windows, ISO days) gives the verdicts of the plain
period-by-period evaluation, and the store's inputs to it agree with each other."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from duty_tracker.core.compliance import duty_periods, evaluate_period, evaluate_year
from duty_tracker.core.domain import DutySpec, LeaderSpec, Period, Role, Term
from duty_tracker.core.status import year_status

YEAR = 2025
days = st.dates(min_value=date(2024, 10, 1), max_value=date(2026, 2, 1))


@st.composite
def leaders(draw) -> LeaderSpec:  # noqa: ANN001
    terms = []
    for start in draw(st.lists(days, min_size=0, max_size=3)):
        end = draw(st.one_of(st.none(), st.integers(0, 400)))
        terms.append(Term(start, None if end is None else start + timedelta(days=end)))
    return LeaderSpec(id=draw(st.integers(1, 4)), name="负责人",
                      role=draw(st.sampled_from([Role.PARTY, Role.GOVERNMENT, Role.OTHER])),
                      terms=tuple(terms))


DUTIES = [
    DutySpec(1, "年度事项", Period.YEAR, 2, Role.ALL),
    DutySpec(2, "半年事项", Period.HALF_YEAR, 1, Role.PARTY),
    DutySpec(3, "季度事项", Period.QUARTER, 1, Role.GOVERNMENT),
    DutySpec(4, "每月事项", Period.MONTH, 1, Role.ALL),
    DutySpec(5, "三月前事项", Period.YEAR, 1, Role.ALL, due_month_day=(3, 1)),
    DutySpec(6, "一次性事项", Period.ONCE, 1, Role.ALL, due=date(2025, 9, 30)),
]


@settings(max_examples=150, deadline=None)
@given(people=st.lists(leaders(), min_size=1, max_size=4, unique_by=lambda spec: spec.id),
       records=st.lists(st.tuples(st.integers(1, 4), st.sampled_from([1, 2, 3, 4, 5, 6]), days),
                        max_size=30),
       today=days)
def test_fast_path_gives_the_period_by_period_verdicts(people, records, today) -> None:
    dates: dict[tuple[int, int], list[date]] = {}
    for leader_id, duty_id, day in records:
        dates.setdefault((leader_id, duty_id), []).append(day)
    for value in dates.values():
        value.sort()
    expected = [evaluate_period(leader, duty, period, dates.get((leader.id, duty.id), []), today)
                for leader in people for duty in DUTIES
                if duty.role is Role.ALL or duty.role == leader.role
                for period in duty_periods(duty, YEAR)]
    assert evaluate_year(people, DUTIES, YEAR, dates, today) == expected
    texts = {key: [d.isoformat() for d in value] for key, value in dates.items()}
    assert evaluate_year(people, DUTIES, YEAR, texts, today) == expected


def test_done_days_are_done_dates_as_text_and_status_uses_them(store, unit_id, duty_ids) -> None:
    party = store.people.add_leader("李堃", unit_id, "party", "区委书记", "2020-01-01")
    gov = store.people.add_leader("王珺", unit_id, "government", "区长", "2025-07-01")
    for day, leaders in (("2025-03-01", [party]), ("2025-02-10", [party, gov]),
                         ("2025-08-01", [gov]), ("2024-12-31", [party])):
        store.records.add_record(performed_on=day, title="会议", kind="会议", leader_ids=leaders,
                                 duty_ids=[duty_ids["年终述职"], duty_ids["季度法治工作例会"]])
    deleted = store.records.add_record(performed_on="2025-04-01", title="删", kind="会议",
                                       leader_ids=[party], duty_ids=[duty_ids["年终述职"]])
    store.records.delete_records([deleted])
    as_dates = store.records.done_dates(YEAR)
    as_text = store.records.done_days(YEAR)
    assert as_dates[(party, duty_ids["年终述职"])] == [date(2025, 2, 10), date(2025, 3, 1)]
    assert {k: [d.isoformat() for d in v] for k, v in as_dates.items()} == as_text
    assert store.records.done_days(YEAR, [gov]) == {k: v for k, v in as_text.items() if k[0] == gov}
    status = year_status(store, YEAR, today=date(2025, 11, 20))
    specs = store.people.leader_specs(YEAR)
    assert status.periods == evaluate_year(specs, store.rules.duty_specs(YEAR), YEAR, as_dates,
                                           date(2025, 11, 20))
    done = {(p.leader_id, p.duty_id, p.period.label): p.done for p in status.periods}
    assert done[(gov, duty_ids["年终述职"], "全年")] == 1  # the February record predates his term
    given = year_status(store, YEAR, today=date(2025, 11, 20), leader_ids=[gov],
                        duties=store.rules.duty_specs(YEAR))  # the specs a batch read once
    assert given.periods == year_status(store, YEAR, today=date(2025, 11, 20),
                                        leader_ids=[gov]).periods
    assert given.periods and {p.leader_id for p in given.periods} == {gov}


def test_leader_specs_keep_their_terms_and_the_year_filter(store, unit_id) -> None:
    old = store.people.add_leader("甲", unit_id, "party", term_start="2019-01-01",
                                  term_end="2024-06-30")
    new = store.people.add_leader("乙", unit_id, "party", term_start="2024-07-01")
    store.people.add_term(old, "2025-03-01", "2025-04-30")
    none = store.people.add_leader("丙", unit_id, "government")  # no term at all
    specs = {spec.id: spec for spec in store.people.leader_specs(2025)}
    assert set(specs) == {old, new}
    assert specs[old].terms == (Term(date(2019, 1, 1), date(2024, 6, 30)),
                                Term(date(2025, 3, 1), date(2025, 4, 30)))
    assert {spec.id for spec in store.people.leader_specs()} == {old, new, none}
    assert [spec.id for spec in store.people.leader_specs(2025, [new])] == [new]
    assert {spec.id for spec in store.people.leader_specs(2023)} == {old}

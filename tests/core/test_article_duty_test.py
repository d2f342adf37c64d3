"""The duty test of an article's one-pass count selects exactly the article's duties, whether
their ids lie close together (one bit each of an integer) or far apart (``IN``)."""

from __future__ import annotations

import sqlite3

import pytest

from duty_tracker.core.storage.records_repo import _duty_test


@pytest.mark.parametrize("duties", [[2, 3, 4, 5, 6], [7], [1, 63], [10, 72], [5, 5, 9],
                                    [1, 64, 200], [100, 130, 162]])
def test_duty_test_selects_exactly_the_duties(duties: list[int]) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE record_duties (record_id INTEGER, duty_id INTEGER)")
    conn.executemany("INSERT INTO record_duties VALUES (?, ?)", [(i, d) for i, d in enumerate(range(0, 260))])
    test, params = _duty_test(duties)
    chosen = [row[0] for row in conn.execute(
        f"SELECT duty_id FROM record_duties WHERE {test} ORDER BY duty_id", params)]
    assert chosen == sorted(set(duties))
    if max(duties) - min(duties) < 63:
        assert "<<" in test  # the bit test, not IN

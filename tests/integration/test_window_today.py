"""``duty-tracker --today D`` opens the window on that day (demonstrations, the benchmark's
demo year); a wrong date is refused in Chinese before any window opens."""

from __future__ import annotations

from datetime import date

import pytest

from duty_tracker.cli import main as cli


def test_the_window_is_given_the_day(monkeypatch) -> None:
    seen = {}
    import duty_tracker.ui.app as app

    monkeypatch.setattr(app, "run_window", lambda **kw: seen.update(kw) or 0)
    assert cli.main(["--smoke", "--today", "2025年11月20日", "--db", "x.db"]) == 0
    assert seen["today"] == date(2025, 11, 20) and seen["smoke"] is True
    assert cli.main(["--db", "x.db"]) == 0 and seen["today"] is None


def test_a_wrong_day_is_refused_in_chinese(monkeypatch, capsys) -> None:
    import duty_tracker.ui.app as app

    monkeypatch.setattr(app, "run_window", lambda **kw: pytest.fail("the window opened"))
    assert cli.main(["--today", "2025-02-30"]) == 2
    assert "--today" in capsys.readouterr().err

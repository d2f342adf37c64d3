"""Guesses the forms offer from what the clerk typed (the clerk can always change them)."""

from __future__ import annotations

import pytest

from duty_tracker.core.domain import Role, guess_leader_role


@pytest.mark.parametrize(("position", "role"), [
    ("区委书记", Role.PARTY), ("市委书记", Role.PARTY), ("党工委书记", Role.PARTY),
    ("党组书记、局长", Role.PARTY), ("县委书记", Role.PARTY),
    ("区长", Role.GOVERNMENT), ("市长", Role.GOVERNMENT), ("镇长", Role.GOVERNMENT),
    ("区委副书记、区长", Role.GOVERNMENT), ("街道办事处主任", Role.GOVERNMENT), ("局长", Role.GOVERNMENT),
    ("县委副书记，县长", Role.GOVERNMENT),
    ("副区长", None), ("常务副区长", None), ("办公室副主任", None), ("科员", None), ("", None),
    ("区委副书记", None),
])
def test_the_head_a_post_names(position: str, role: Role | None) -> None:
    assert guess_leader_role(position) == role

"""PeopleRepo.save_leader / handover_to_new_leader: the leader dialog's and handover dialog's
one-transaction writes."""

from __future__ import annotations

import pytest

from duty_tracker.core.storage.errors import ValidationError


def test_save_leader_replaces_terms_keeping_ids(store, unit_id) -> None:
    lid = store.people.save_leader(None, name="张三", unit_id=unit_id, role="party", position="区委书记",
                                   terms=[(None, "2020-01-01", "2022-12-31")])
    [term] = store.people.terms(lid)
    store.people.save_leader(lid, name="张三丰", unit_id=unit_id, role="party", position="区委书记",
                             terms=[(term["id"], "2020-02-01", "2022-12-31"), (None, "2023-01-01", None)])
    terms = store.people.terms(lid)
    assert [(t["start_date"], t["end_date"]) for t in terms] == [
        ("2020-02-01", "2022-12-31"), ("2023-01-01", None)]
    assert terms[0]["uuid"] == term["uuid"]
    assert store.people.leader(lid)["name"] == "张三丰"


def test_save_leader_refuses_overlap_and_changes_nothing(store, unit_id) -> None:
    lid = store.people.save_leader(None, name="张三", unit_id=unit_id, role="party",
                                   terms=[(None, "2020-01-01", None)])
    with pytest.raises(ValidationError, match="重叠"):
        store.people.save_leader(lid, name="李四", unit_id=unit_id, role="party",
                                 terms=[(None, "2020-01-01", None), (None, "2021-01-01", None)])
    assert store.people.leader(lid)["name"] == "张三"
    assert len(store.people.terms(lid)) == 1


def test_handover_to_new_leader_is_one_transaction(store, unit_id) -> None:
    old = store.people.add_leader("张三", unit_id, "government", "区长", term_start="2021-01-01")
    new = store.people.handover_to_new_leader(old, "李四", "区长", "2025-07-01")
    assert store.people.terms(old)[0]["end_date"] == "2025-06-30"
    assert store.people.leader(new)["role"] == "government"
    assert [t["start_date"] for t in store.people.terms(new)] == ["2025-07-01"]
    before = len(store.people.leaders())
    with pytest.raises(ValidationError):
        store.people.handover_to_new_leader(new, "王五", "区长", "2025-07-01")  # not after start
    assert len(store.people.leaders()) == before

"""A record cites several articles (引用条款) through the record use case; the old single
``article_id`` stays readable and writable."""

from __future__ import annotations

import pytest

from duty_tracker.core.services import records
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.records_repo import RecordFilter


@pytest.fixture
def leader(store, unit_id) -> int:
    return store.people.add_leader("王明", unit_id, "party", "区委书记", term_start="2020-01-01")


@pytest.fixture
def articles(store) -> list[int]:
    rule_set = store.rules.rule_set_for_year(2025)
    return [a["id"] for a in store.rules.articles(rule_set)]


def _draft(leader: int, **extra) -> records.RecordDraft:  # noqa: ANN003
    return records.RecordDraft(performed_on="2025-03-02", title="专题学法", kind="学法",
                               leader_ids=[leader], **extra)


def test_a_record_cites_several_articles_and_undo_restores_them(store, leader, articles) -> None:
    first, second, third = articles
    change = records.save_record(store, _draft(leader, article_ids=[second, first]))
    saved = store.records.record(change.record_id)
    assert saved["article_ids"] == [second, first]
    assert saved["article_id"] == second  # the old column keeps the first cited article
    assert store.records.count(RecordFilter(article_id=first)) == 1

    edit = records.save_record(store, _draft(leader, article_ids=[third]), change.record_id)
    assert store.records.record(change.record_id)["article_ids"] == [third]
    assert store.records.count(RecordFilter(article_id=first)) == 0
    records.undo_change(store, edit)
    assert store.records.record(change.record_id)["article_ids"] == [second, first]
    records.redo_change(store, edit)
    assert store.records.record(change.record_id)["article_ids"] == [third]
    [listed] = store.records.records_for(leader, 2025)  # what the debrief reads
    assert listed["article_ids"] == [third] and listed["article_id"] == third


def test_the_old_single_article_id_still_works(store, leader, articles) -> None:
    change = records.save_record(store, _draft(leader, article_id=articles[1]))
    assert store.records.record(change.record_id)["article_ids"] == [articles[1]]
    record_id = store.records.add_record(performed_on="2025-04-01", title="会议", kind="会议",
                                         leader_ids=[leader], article_id=articles[0])
    store.records.update_record(record_id, title="会议（修改）")  # no article given: kept
    assert store.records.record(record_id)["article_ids"] == [articles[0]]
    store.records.update_record(record_id, article_id=None)
    assert store.records.record(record_id)["article_ids"] == []
    assert records.warnings_for(store, _draft(leader, article_ids=[articles[0]])) == []
    assert [w.kind for w in records.warnings_for(store, _draft(leader))] == ["no_duty"]


def test_an_unknown_article_is_refused_in_chinese(store, leader) -> None:
    with pytest.raises(ValidationError, match="引用的条款不存在"):
        records.save_record(store, _draft(leader, article_ids=[99999]))

"""The record use cases without Qt: one transaction, only changed links touched, whole-state
undo and redo (attachments included), every problem of a draft at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from duty_tracker.core.services import records
from duty_tracker.core.services.records import RecordDraft
from duty_tracker.core.storage.audit_queries import AuditFilter
from duty_tracker.core.storage.errors import ValidationError


@pytest.fixture
def leaders(store, unit_id) -> tuple[int, int]:
    return (store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01"),
            store.people.add_leader("李华", unit_id, "government", "区长", "2020-01-01"))


def _draft(leaders, duty_ids, **kw) -> RecordDraft:
    return RecordDraft(performed_on=kw.pop("day", "2025-03-01"), title=kw.pop("title", "中心组学法"),
                       kind="学法", leader_ids=list(leaders), duty_ids=list(duty_ids), **kw)


def test_check_draft_lists_every_problem_at_once(store, tmp_path: Path) -> None:
    draft = RecordDraft(performed_on="2025-02-30", title=" ", kind="开会", leader_ids=[],
                        hours="两个小时", new_files=[tmp_path / "missing.pdf"])
    fields = [p.field for p in records.check_draft(store, draft)]
    assert fields == ["performed_on", "title", "kind", "leader_ids", "hours", "new_files"]
    with pytest.raises(ValidationError, match="请填写标题"):
        records.save_record(store, draft)


def test_new_record_with_attachment_and_undo_redo(store, leaders, duty_ids, tmp_path: Path) -> None:
    scan = tmp_path / "纪要.pdf"
    scan.write_bytes(b"%PDF scan")
    change = records.save_record(store, _draft(leaders, [duty_ids["党委理论学习中心组学法"]],
                                               new_files=[scan]))
    assert change.before is None and change.description == "新增纪实“中心组学法”"
    assert [a["file_name"] for a in store.records.record(change.record_id)["attachments"]] == ["纪要.pdf"]
    records.undo_change(store, change)
    assert store.records.count() == 0
    records.redo_change(store, change)
    assert store.records.count() == 1


def test_a_failing_save_writes_nothing(store, leaders, tmp_path: Path) -> None:
    scan = tmp_path / "a.jpg"
    scan.write_bytes(b"jpeg")
    with pytest.raises(ValidationError, match="履职事项不存在"):
        records.save_record(store, _draft(leaders, [99999], new_files=[scan]))
    assert store.records.count() == 0
    assert store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0


def test_an_edit_touches_only_the_link_rows_that_changed(store, leaders, duty_ids) -> None:
    study, report = duty_ids["党委理论学习中心组学法"], duty_ids["年终述职"]
    change = records.save_record(store, _draft(leaders, [study]))
    before = store.audit_log.count(AuditFilter())
    records.save_record(store, _draft(leaders, [study, report]), change.record_id)
    new_rows = store.audit_log.page(AuditFilter(), limit=before + 10)[: store.audit_log.count(AuditFilter()) - before]
    assert sorted(r["table_name"] for r in new_rows) == ["record_duties"]  # one link row added
    assert new_rows[0]["action"] == "insert"


def test_undo_of_an_edit_restores_fields_links_and_attachments(store, leaders, duty_ids, tmp_path: Path) -> None:
    study = duty_ids["党委理论学习中心组学法"]
    first = records.save_record(store, _draft(leaders[:1], [study]))
    scan = tmp_path / "照片.jpg"
    scan.write_bytes(b"photo")
    edit = records.save_record(store, _draft(leaders, [], title="改过的标题", new_files=[scan]),
                               first.record_id)
    row = store.records.record(first.record_id)
    assert row["title"] == "改过的标题" and len(row["attachments"]) == 1 and len(row["leader_ids"]) == 2
    records.undo_change(store, edit)
    row = store.records.record(first.record_id)
    assert (row["title"], row["leader_ids"], row["duty_ids"], row["attachments"]) == \
        ("中心组学法", [leaders[0]], [study], [])
    records.redo_change(store, edit)
    row = store.records.record(first.record_id)
    assert row["title"] == "改过的标题" and [a["file_name"] for a in row["attachments"]] == ["照片.jpg"]


def test_removing_an_attachment_is_part_of_the_save(store, leaders, duty_ids, tmp_path: Path) -> None:
    scan = tmp_path / "a.pdf"
    scan.write_bytes(b"%PDF a")
    change = records.save_record(store, _draft(leaders, [], new_files=[scan]))
    attachment = store.records.record(change.record_id)["attachments"][0]
    records.save_record(store, _draft(leaders, [], removed_attachment_ids=[attachment["id"]]),
                        change.record_id)
    assert store.records.record(change.record_id)["attachments"] == []


def test_warnings_name_duplicates_and_records_that_count_for_nothing(store, leaders, duty_ids) -> None:
    study = duty_ids["党委理论学习中心组学法"]
    records.save_record(store, _draft(leaders, [study]))
    kinds = [w.kind for w in records.warnings_for(store, _draft(leaders, [study]))]
    assert kinds == ["duplicate"]
    assert [w.kind for w in records.warnings_for(store, _draft(leaders, []))] == ["no_duty"]


@pytest.mark.parametrize("name, suffix", [
    ("纪要.PDF", ".pdf"), ("扫描.pdf:Zone.Identifier", ".identifier"), ("a.j\\pg", ""),
    ("无扩展名", ""), ("x.<script>", ".script"), ("长.abcdefghijklmnop", ".abcdefghij"),
])
def test_stored_attachments_get_a_safe_extension(store, leaders, tmp_path: Path, name: str, suffix: str) -> None:
    source = tmp_path / name  # Linux allows ":" and "\\" in names; Windows users bring such files
    source.write_bytes(name.encode())
    stored = store.records.store_attachment_file(source)
    assert stored["file_name"] == name
    assert stored["stored_path"] == f"{stored['sha256'][:2]}/{stored['sha256']}{suffix}"
    assert (store.records.attachments_dir / stored["stored_path"]).read_bytes() == name.encode()


def test_a_text_longer_than_a_record_may_hold_is_named_and_never_written(store, leaders) -> None:
    draft = _draft(leaders, [], description="很长" * 10_001, place="区政府" * 700)
    problems = {p.field: p.message for p in records.check_draft(store, draft)}
    assert "情况说明过长" in problems["description"] and "20000" in problems["description"]
    assert "地点过长" in problems["place"]
    with pytest.raises(ValidationError, match="情况说明过长"):
        records.save_record(store, draft)
    assert store.records.count() == 0

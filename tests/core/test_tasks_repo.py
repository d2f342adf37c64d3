"""Storage of the work points (``store.tasks``): documents with sections and tasks, units with
roles, remembered unit choices, progress with evidence, records as evidence, soft deletes,
validation in Chinese, the audit log — without Qt and without the parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duty_tracker.core.storage.database import latest_schema_version
from duty_tracker.core.storage.errors import NotFoundError, ValidationError
from duty_tracker.core.storage.tasks_repo import PlanDraft, SectionDraft, TaskDraft

NEW_TABLES = ("work_plans", "work_sections", "tasks", "task_units", "unit_name_choices",
              "task_progress", "task_attachments", "task_records")


@pytest.fixture
def units(store) -> dict[str, int]:
    city = store.people.add_unit("杭州市", "市")
    return {"杭州市": city, **{name: store.people.add_unit(name, "部门", city)
                              for name in ("市司法局", "市编委办", "市财政局")}}


@pytest.fixture
def plan_id(store, units) -> int:
    return store.tasks.add_plan(PlanDraft(
        "某市2017年法治政府建设工作要点", 2017, "某政办〔2017〕1号", "要点.txt", "全文",
        sections=[SectionDraft("深化改革", "一、"), SectionDraft("严格执法", "二、")],
        tasks=[
            TaskDraft("完成相对集中复议权工作", "完成市本级相对集中复议权工作。", "2017-06-30", "6月底前",
                      section=0, named_units=[("市编委办", "lead"), ("市法制办", "responsible")],
                      units=[(units["市编委办"], "lead"), (units["市司法局"], "responsible")]),
            TaskDraft("建立法律顾问队伍", "年底前建立法律顾问队伍。", "2017-12-31", "2017年年底前",
                      section=1, named_units=[("市政府相关部门", "responsible")]),
            TaskDraft("规范合同审查", section=1, named_units=[("市法制办", "responsible")],
                      units=[(units["市司法局"], "responsible")]),
        ]))


def _task_ids(store, plan_id: int) -> list[int]:
    return [t["id"] for t in store.tasks.tasks(plan_id=plan_id)]


def test_the_migration_creates_every_table_with_uuid_and_timestamps(store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
    for table in NEW_TABLES:
        columns = {c.name for c in store.db[table].columns}
        assert {"id", "uuid", "created_at", "updated_at"} <= columns, table


def test_every_new_table_is_audited(store, units, plan_id, tmp_path: Path):
    task_id = _task_ids(store, plan_id)[0]
    evidence = tmp_path / "方案.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    stored = store.records.store_attachment_file(evidence)
    store.tasks.add_progress(task_id, units["市司法局"], "2017-03-01", "起草方案", attachments=[stored])
    store.tasks.remember_unit_choice("市法制办", [units["市司法局"]])
    leader = store.people.add_leader("张三", units["杭州市"], "government", term_start="2017-01-01")
    record = store.records.add_record(performed_on="2017-03-02", title="常务会议", kind="会议",
                                      leader_ids=[leader])
    store.tasks.link_record(task_id, record, units["市司法局"])
    logged = {row[0] for row in store.db.execute("SELECT DISTINCT table_name FROM audit_log")}
    assert set(NEW_TABLES) <= logged
    triggers = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert all(f"audit_{t}_{a}" in triggers for t in NEW_TABLES for a in ("insert", "update", "delete"))


def test_a_plan_keeps_sections_tasks_units_and_the_documents_names(store, units, plan_id):
    plan = store.tasks.plan(plan_id)
    assert (plan["title"], plan["year"], plan["doc_number"], plan["task_count"]) == (
        "某市2017年法治政府建设工作要点", 2017, "某政办〔2017〕1号", 3)
    assert [s["label"] + s["title"] for s in store.tasks.sections(plan_id)] == ["一、深化改革", "二、严格执法"]
    first, second, third = store.tasks.tasks(2017)
    assert (first["number"], first["position"], first["section"], first["due"]) == (1, 1, "一、深化改革", "2017-06-30")
    assert [(u["unit_name"], u["role"]) for u in first["units"]] == [("市编委办", "lead"), ("市司法局", "responsible")]
    assert first["named_units"] == [{"name": "市编委办", "role": "lead"}, {"name": "市法制办", "role": "responsible"}]
    assert second["units"] == [] and second["deadline_text"] == "2017年年底前"
    assert third["due"] is None and third["section"] == "二、严格执法"
    assert [t["id"] for t in store.tasks.tasks(2017, unit_id=units["市司法局"])] == [first["id"], third["id"]]
    assert store.tasks.tasks(2018) == []
    assert [t["id"] for t in store.tasks.tasks_naming("市法制办")] == [first["id"], third["id"]]


@pytest.mark.parametrize(("draft", "message"), [
    (PlanDraft("", 2017), "标题不能为空"),
    (PlanDraft("要点", 1800), "年度不正确"),
    (PlanDraft("要点", 2017, tasks=[TaskDraft("")]), "任务名称不能为空"),
    (PlanDraft("要点", 2017, tasks=[TaskDraft("任务", due="2017-02-30")]), "完成时限不存在"),
    (PlanDraft("要点", 2017, tasks=[TaskDraft("任务", units=[(999, "lead")])]), "单位不存在"),
    (PlanDraft("要点", 2017, tasks=[TaskDraft("任务", named_units=[("市司法局", "boss")])]), "单位职责不正确"),
    (PlanDraft("要点", 2017, tasks=[TaskDraft("任务", section=3)]), "所属的部分不存在"),
])
def test_invalid_plans_are_refused_in_chinese_and_nothing_is_written(store, units, draft, message):
    with pytest.raises(ValidationError, match=message):
        store.tasks.add_plan(draft)
    assert store.tasks.plans() == []


def test_a_unit_named_twice_keeps_its_strongest_role(store, units):
    plan = store.tasks.add_plan(PlanDraft("要点", 2017, tasks=[TaskDraft(
        "任务", units=[(units["市司法局"], "assist"), (units["市司法局"], "lead")])]))
    assert [u["role"] for u in store.tasks.tasks(plan_id=plan)[0]["units"]] == ["lead"]


def test_update_task_changes_fields_and_only_the_links_that_changed(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    store.db.execute("DELETE FROM audit_log")
    store.tasks.update_task(task_id, title="完成复议体制改革", due="2017-09-30",
                            units=[(units["市编委办"], "lead"), (units["市财政局"], "assist")])
    task = store.tasks.task(task_id)
    assert (task["title"], task["due"]) == ("完成复议体制改革", "2017-09-30")
    assert [(u["unit_name"], u["role"]) for u in task["units"]] == [("市编委办", "lead"), ("市财政局", "assist")]
    changes = [(t, a) for t, a in store.db.execute("SELECT table_name, action FROM audit_log ORDER BY id")]
    assert sorted(changes) == [("task_units", "delete"), ("task_units", "insert"), ("tasks", "update")]
    with pytest.raises(ValidationError, match="未知字段"):
        store.tasks.update_task(task_id, colour="红")


def test_a_unit_that_reported_cannot_be_taken_off_the_task(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    store.tasks.add_progress(task_id, units["市司法局"], "2017-03-01", "已起草")
    with pytest.raises(ValidationError, match="市司法局已填报这项任务的进展"):
        store.tasks.set_task_units(task_id, [(units["市编委办"], "lead")])
    assert len(store.tasks.task(task_id)["units"]) == 2


def test_add_task_units_strengthens_and_adds(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    added = store.tasks.add_task_units(task_id, [(units["市司法局"], "lead"), (units["市财政局"], "assist"),
                                                 (units["市编委办"], "assist")])
    roles = {u["unit_name"]: u["role"] for u in store.tasks.task(task_id)["units"]}
    assert added == 2 and roles == {"市编委办": "lead", "市司法局": "lead", "市财政局": "assist"}


def test_soft_delete_and_restore_of_tasks_and_plans(store, units, plan_id):
    first, *_ = _task_ids(store, plan_id)
    store.tasks.delete_tasks([first])
    assert first not in _task_ids(store, plan_id)
    assert [t["id"] for t in store.tasks.tasks(plan_id=plan_id, deleted=True)] == [first]
    store.tasks.restore_tasks([first])
    store.tasks.delete_plan(plan_id)
    assert store.tasks.tasks(2017) == [] and store.tasks.plans(2017) == []
    assert [p["id"] for p in store.tasks.plans(deleted=True)] == [plan_id]
    store.tasks.restore_plan(plan_id)
    assert len(store.tasks.tasks(2017)) == 3


def test_unit_choices_are_remembered_replaced_and_can_say_not_ours(store, units):
    store.tasks.remember_unit_choice("市法制办", [units["市司法局"]])
    first_uuid = store.db.execute("SELECT uuid FROM unit_name_choices").fetchone()[0]
    store.tasks.remember_unit_choice("市法制办", [units["市司法局"], units["市编委办"]])
    store.tasks.remember_unit_choice("杭州仲裁委", [])
    assert store.tasks.unit_choices() == {
        "市法制办": sorted([units["市司法局"], units["市编委办"]]), "杭州仲裁委": []}
    assert store.db.execute("SELECT count(*) FROM unit_name_choices WHERE uuid = ?", [first_uuid]).fetchone()[0] == 1
    store.tasks.forget_unit_choice("市法制办")
    assert store.tasks.unit_choices() == {"杭州仲裁委": []}
    with pytest.raises(ValidationError, match="单位不存在"):
        store.tasks.remember_unit_choice("市法制办", [999])


def test_progress_with_evidence_files_shared_with_records(store, units, plan_id, tmp_path: Path):
    task_id = _task_ids(store, plan_id)[0]
    scan = tmp_path / "纪要.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    stored = store.records.store_attachment_file(scan)
    progress_id = store.tasks.add_progress(task_id, units["市司法局"], "2017年3月1日", "起草实施方案",
                                           attachments=[stored])
    entry = store.tasks.progress_entry(progress_id)
    assert (entry["reported_on"], entry["note"], entry["done"], entry["unit_name"]) == (
        "2017-03-01", "起草实施方案", False, "市司法局")
    attachment = entry["attachments"][0]
    assert attachment["file_name"] == "纪要.pdf" and attachment["sha256"] == stored["sha256"]
    assert store.records.attachment_path(attachment).read_bytes() == b"%PDF-1.4 scan"
    assert store.tasks.progress([task_id])[0]["attachment_count"] == 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"reported_on": None, "note": "x"}, "请填写进展日期"),
    ({"reported_on": "2017-13-01", "note": "x"}, "进展日期"),
    ({"reported_on": "2017-03-01", "note": "  "}, "请填写进展情况，或标记为已完成"),
])
def test_invalid_progress_is_refused(store, units, plan_id, kwargs, message):
    task_id = _task_ids(store, plan_id)[0]
    with pytest.raises(ValidationError, match=message):
        store.tasks.add_progress(task_id, units["市司法局"], **kwargs)


def test_progress_only_from_a_unit_of_a_live_task(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    with pytest.raises(ValidationError, match="不是任务“完成相对集中复议权工作”的责任单位"):
        store.tasks.add_progress(task_id, units["市财政局"], "2017-03-01", "x")
    store.tasks.delete_tasks([task_id])
    with pytest.raises(ValidationError, match="已删除"):
        store.tasks.add_progress(task_id, units["市司法局"], "2017-03-01", "x")
    with pytest.raises(NotFoundError, match="不存在"):
        store.tasks.add_progress(9999, units["市司法局"], "2017-03-01", "x")


def test_done_without_a_note_is_a_valid_entry(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    progress_id = store.tasks.add_progress(task_id, units["市编委办"], "2017-06-01", done=True)
    assert store.tasks.progress_entry(progress_id)["done"] is True


def test_progress_snapshot_undoes_an_edit_and_a_delete(store, units, plan_id, tmp_path: Path):
    task_id = _task_ids(store, plan_id)[0]
    progress_id = store.tasks.add_progress(task_id, units["市司法局"], "2017-03-01", "起草")
    before = store.tasks.progress_snapshot(progress_id)
    scan = tmp_path / "a.jpg"
    scan.write_bytes(b"jpg")
    store.tasks.update_progress(progress_id, note="已印发", done=True,
                                add_attachments=[store.records.store_attachment_file(scan)])
    store.tasks.delete_progress([progress_id])
    assert store.tasks.progress([task_id]) == []
    store.tasks.apply_progress_snapshot(progress_id, before)
    entry = store.tasks.progress_entry(progress_id)
    assert (entry["note"], entry["done"], entry["attachments"], entry["deleted_at"]) == ("起草", False, [], None)


def test_records_evidence_tasks_and_deleted_records_drop_out(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    leader = store.people.add_leader("李四", units["市司法局"], "party", term_start="2017-01-01")
    record = store.records.add_record(performed_on="2017-04-01", title="专题学法", kind="学法",
                                      leader_ids=[leader])
    link = store.tasks.link_record(task_id, record, units["市司法局"], "学习复议法")
    assert store.tasks.link_record(task_id, record, None) == link  # linking again updates
    rows = store.tasks.task_records([task_id])
    assert [(r["record_id"], r["unit_id"], r["title"]) for r in rows] == [(record, None, "专题学法")]
    assert [r["task_id"] for r in store.tasks.record_tasks(record)] == [task_id]
    store.records.delete_records([record])
    assert store.tasks.task_records([task_id]) == []
    store.tasks.unlink_record(task_id, record)
    assert store.db.execute("SELECT count(*) FROM task_records").fetchone()[0] == 0
    with pytest.raises(ValidationError, match="不是任务"):
        store.tasks.link_record(task_id, record, units["市财政局"])


def test_a_unit_with_progress_cannot_be_deleted_but_one_with_links_can(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    store.tasks.add_progress(task_id, units["市司法局"], "2017-03-01", "x")
    with pytest.raises(ValidationError, match="工作任务进展"):
        store.people.delete_unit(units["市司法局"])
    store.people.delete_unit(units["市编委办"])  # its task links go with it
    assert [u["unit_name"] for u in store.tasks.task(task_id)["units"]] == ["市司法局"]


def test_named_units_are_stored_as_json_the_audit_log_can_show(store, units, plan_id):
    raw = store.db.execute("SELECT named_units FROM tasks ORDER BY id").fetchone()[0]
    assert json.loads(raw) == [{"name": "市编委办", "role": "lead"}, {"name": "市法制办", "role": "responsible"}]
    assert "市法制办" in raw  # readable Chinese, not \\u escapes


def test_a_task_added_to_a_plan_goes_last(store, units, plan_id):
    sections = store.tasks.sections(plan_id)
    task_id = store.tasks.add_task(plan_id, TaskDraft("补充任务"), section_id=sections[1]["id"])
    task = store.tasks.task(task_id)
    assert (task["position"], task["number"], task["section"]) == (4, 4, "二、严格执法")


def test_the_audit_log_names_the_new_tables_and_brings_back_a_removed_unit(store, units, plan_id):
    task_id = _task_ids(store, plan_id)[0]
    store.tasks.set_task_units(task_id, [(units["市编委办"], "lead")])
    entries = [e for e in store.audit_log.page() if e["table_name"] == "task_units" and e["action"] == "delete"]
    assert len(entries) == 1
    assert store.audit_log.restorable(entries[0])
    message = store.audit_log.restore(entries[0]["id"])
    assert message.startswith("已恢复任务-责任单位")
    assert {u["unit_name"] for u in store.tasks.task(task_id)["units"]} == {"市编委办", "市司法局"}

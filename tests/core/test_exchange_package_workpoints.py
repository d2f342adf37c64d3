"""Data packages carry the year's work points, the annual report and the newer record and
debrief fields: a district consolidates its departments' progress offline, the city its
districts', and what is settled above comes back down — without doubling a task another office
imported on its own, without losing an edit, and with a conflict kept where both sides changed
the same progress entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from duty_tracker.core.exchange.conflicts import list_conflicts, resolve_conflict
from duty_tracker.core.exchange.package import export_package, import_package
from duty_tracker.core.storage.backup import integrity_problems
from duty_tracker.core.storage.debriefs_repo import NARRATIVE_FIELDS
from tests.package_helpers import (
    CITY,
    DEPARTMENT,
    DISTRICT,
    evidence,
    office,
    send,
    tampered,
    task,
    unit,
)


@pytest.fixture
def offices(tmp_path: Path):
    dept = office(tmp_path / "dept.db", (DISTRICT, DEPARTMENT))
    district = office(tmp_path / "district.db", (DISTRICT, DEPARTMENT))
    city = office(tmp_path / "city.db", (CITY, DISTRICT, DEPARTMENT))
    yield dept, district, city
    for store in (dept, district, city):
        store.close()


def _progress(store, title: str) -> list[tuple[str, str, bool]]:
    return [(p["unit_name"], p["note"], p["done"]) for p in store.tasks.progress([task(store, title)["id"]])]


def _report_progress(dept, tmp_path: Path) -> int:
    """The department reports progress with a scan and evidences the task with a record."""
    review = task(dept, "完善合法性审核机制")["id"]
    stored = dept.records.store_attachment_file(evidence(tmp_path, "审核办法.pdf", b"%PDF-1.4 review rules"))
    progress = dept.tasks.add_progress(review, unit(dept, DEPARTMENT), "2025-05-10", "已起草合法性审核办法",
                                       attachments=[stored])
    leader = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    record = dept.records.add_record(performed_on="2025-05-12", title="局务会审议合法性审核办法", kind="会议",
                                     leader_ids=[leader])
    dept.tasks.link_record(review, record, unit(dept, DEPARTMENT), "局务会纪要")
    return progress


def test_three_offices_consolidate_progress_up_and_bring_corrections_back(offices, tmp_path: Path) -> None:
    dept, district, city = offices
    _report_progress(dept, tmp_path)
    up = send(dept, DEPARTMENT, district, tmp_path, "dept-up")
    assert up.added["task_progress"] == 1 and up.added["task_attachments"] == 1 and up.added["task_records"] == 1
    assert not up.added["tasks"] and not up.added["work_plans"], "the same document imported here is recognised"
    assert up.unchanged["tasks"] == 2 and not up.conflicts and not up.refused, up.to_json()
    assert "任务进展 1" in up.summary() and "进展佐证材料 1" in up.summary()

    district.tasks.add_progress(task(district, "完善合法性审核机制")["id"], unit(district, DISTRICT), "2025-06-20",
                                "全区推行合法性审核目录", done=True)
    to_city = send(district, DISTRICT, city, tmp_path, "district-up")
    assert to_city.added["task_progress"] == 2 and not to_city.conflicts and not to_city.refused
    assert sorted(_progress(city, "完善合法性审核机制")) == [
        (DISTRICT, "全区推行合法性审核目录", True), (DEPARTMENT, "已起草合法性审核办法", False)]
    assert len(city.tasks.tasks(2025)) == 2 and len(city.tasks.plans(2025)) == 1
    [entry] = [p for p in city.tasks.progress(unit_id=unit(city, DEPARTMENT))]
    [scan] = city.tasks.progress_entry(entry["id"])["attachments"]
    assert (city.attachments_dir / scan["stored_path"]).read_bytes() == b"%PDF-1.4 review rules"
    [linked] = city.tasks.task_records([task(city, "完善合法性审核机制")["id"]])
    assert (linked["title"], linked["note"]) == ("局务会审议合法性审核办法", "局务会纪要")

    # The city corrects the department's entry; the correction comes back down the same road.
    city.tasks.update_progress(entry["id"], note="已起草并印发合法性审核办法", done=True)
    down = send(city, DISTRICT, district, tmp_path, "city-down")
    assert down.updated == {"task_progress": 1} and not down.conflicts, down.to_json()
    assert send(district, DEPARTMENT, dept, tmp_path, "district-down").updated == {"task_progress": 1}
    assert _progress(dept, "完善合法性审核机制") == [(DEPARTMENT, "已起草并印发合法性审核办法", True)]
    # Nothing left to do in any direction.
    for source, name, target in ((dept, DEPARTMENT, district), (district, DISTRICT, city), (city, DISTRICT, district)):
        again = send(source, name, target, tmp_path, "again")
        assert not again.added and not again.updated and not again.conflicts, again.to_json()
    for store in offices:
        assert not integrity_problems(store.path)


def test_the_links_of_a_record_to_tasks_travel_with_the_record(offices, tmp_path: Path) -> None:
    dept, district, _city = offices
    _report_progress(dept, tmp_path)
    send(dept, DEPARTMENT, district, tmp_path, "up")
    [linked] = district.tasks.task_records([task(district, "完善合法性审核机制")["id"]])
    assert (linked["title"], linked["note"], linked["unit_id"]) == (
        "局务会审议合法性审核办法", "局务会纪要", unit(district, DEPARTMENT))


def test_progress_edited_in_both_offices_is_a_kept_conflict_settled_by_choice(offices, tmp_path: Path) -> None:
    dept, district, city = offices
    progress = _report_progress(dept, tmp_path)
    send(dept, DEPARTMENT, district, tmp_path, "first")
    here = district.tasks.progress(unit_id=unit(district, DEPARTMENT))[0]["id"]
    dept.tasks.update_progress(progress, note="办法已报区政府审定")
    district.tasks.update_progress(here, note="办法已经区政府常务会议审议通过")
    up = send(dept, DEPARTMENT, district, tmp_path, "both")
    [conflict] = up.conflicts
    assert (conflict.table, conflict.field) == ("task_progress", "note")
    assert "任务进展“完善合法性审核机制（西湖区司法局 2025-05-10）”的“进展情况”" in str(conflict)
    assert district.tasks.progress_entry(here)["note"] == "办法已经区政府常务会议审议通过"  # nothing overwritten
    [listed] = list_conflicts(district)
    assert (listed.local_text, listed.package_text) == ("办法已经区政府常务会议审议通过", "办法已报区政府审定")
    assert "采用数据包的内容" in resolve_conflict(district, listed.id, "package")
    assert district.tasks.progress_entry(here)["note"] == "办法已报区政府审定"
    # The choice travels on: to the city and back to the department, without a second conflict.
    assert not send(district, DISTRICT, city, tmp_path, "up2").conflicts
    back = send(district, DEPARTMENT, dept, tmp_path, "back")
    assert not back.conflicts and dept.tasks.progress_entry(progress)["note"] == "办法已报区政府审定"
    assert not send(dept, DEPARTMENT, district, tmp_path, "again").conflicts


def test_a_deleted_task_travels_as_a_deletion_and_a_restore_as_a_restore(offices, tmp_path: Path) -> None:
    dept, district, city = offices
    _report_progress(dept, tmp_path)
    send(dept, DEPARTMENT, district, tmp_path, "first")
    district.tasks.delete_tasks([task(district, "推行行政执法三项制度")["id"]])
    down = send(district, DEPARTMENT, dept, tmp_path, "deleted")
    assert down.deleted == {"tasks": 1} and not down.updated, down.to_json()
    assert "删除（移入回收站）：工作任务 1" in down.summary()
    assert [t["title"] for t in dept.tasks.tasks(2025)] == ["完善合法性审核机制"]
    assert task(dept, "推行行政执法三项制度")["deleted_at"] is not None
    # A city that meets the task for the first time keeps it deleted too.
    assert send(district, DISTRICT, city, tmp_path, "to-city").deleted == {"tasks": 1}
    district.tasks.restore_tasks([task(district, "推行行政执法三项制度")["id"]])
    again = send(district, DEPARTMENT, dept, tmp_path, "restored")
    assert again.restored == {"tasks": 1} and "恢复（移出回收站）：工作任务 1" in again.summary()
    assert len(dept.tasks.tasks(2025)) == 2


def test_a_deleted_progress_entry_keeps_its_evidence_and_travels_deleted(offices, tmp_path: Path) -> None:
    dept, district, _city = offices
    progress = _report_progress(dept, tmp_path)
    dept.tasks.delete_progress([progress])
    result = send(dept, DEPARTMENT, district, tmp_path, "up")
    assert result.deleted == {"task_progress": 1} and result.added["task_attachments"] == 1
    [gone] = district.tasks.progress(deleted=True)
    assert gone["note"] == "已起草合法性审核办法" and gone["attachment_count"] == 1


def test_the_annual_report_text_travels_both_ways(offices, tmp_path: Path) -> None:
    dept, district, _city = offices
    dept.annual_reports.save(unit(dept, DEPARTMENT), 2025, measures="全面推行合法性审核。", addressee="西湖区人民政府")
    up = send(dept, DEPARTMENT, district, tmp_path, "up")
    assert up.added["annual_reports"] == 1 and "法治政府建设年度报告 1" in up.summary()
    here = district.annual_reports.get(unit(district, DEPARTMENT), 2025)
    assert (here["measures"], here["addressee"], here["submitted_on"]) == ("全面推行合法性审核。", "西湖区人民政府", None)
    district.annual_reports.save(unit(district, DEPARTMENT), 2025, plans="2026年深化行政执法监督。")
    dept.annual_reports.mark_submitted(unit(dept, DEPARTMENT), 2025, "2026-02-20")
    assert send(district, DEPARTMENT, dept, tmp_path, "down").updated == {"annual_reports": 1}
    assert send(dept, DEPARTMENT, district, tmp_path, "up2").updated == {"annual_reports": 1}
    for store in (dept, district):
        saved = store.annual_reports.get(unit(store, DEPARTMENT), 2025)
        assert (saved["plans"], saved["submitted_on"]) == ("2026年深化行政执法监督。", "2026-02-20")


def test_an_annual_report_written_in_both_offices_is_merged_by_part(offices, tmp_path: Path) -> None:
    dept, district, _city = offices
    dept.annual_reports.save(unit(dept, DEPARTMENT), 2025, measures="部门稿：推行合法性审核。")
    district.annual_reports.save(unit(district, DEPARTMENT), 2025, problems="区里补充：执法监督仍需加强。",
                                 measures="区里稿：推行合法性审核。")
    result = send(dept, DEPARTMENT, district, tmp_path, "up")
    assert [(c.field, c.local_text, c.package_text) for c in result.conflicts] == [
        ("measures", "区里稿：推行合法性审核。", "部门稿：推行合法性审核。")]
    assert "法治政府建设年度报告“西湖区司法局（2025 年）”的“主要举措和成效”" in str(result.conflicts[0])
    saved = district.annual_reports.get(unit(district, DEPARTMENT), 2025)
    assert saved["problems"] == "区里补充：执法监督仍需加强。"


def test_every_field_of_a_debrief_travels(offices, tmp_path: Path) -> None:
    """The debrief's fields are the repository's list: a column added to it travels too."""
    dept, district, _city = offices
    leader = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    texts = {name: f"{name}：局长本人撰写的内容" for name in NARRATIVE_FIELDS if name != "report_date"}
    dept.debriefs.save(leader, 2025, report_date="2026-01-15", **texts)
    assert send(dept, DEPARTMENT, district, tmp_path, "up").added["debriefs"] == 1
    here_leader = district.people.leaders(unit(district, DEPARTMENT))[0]["id"]
    saved = district.debriefs.get(here_leader, 2025)
    assert {name: saved[name] for name in texts} == texts and saved["report_date"] == "2026-01-15"
    dept.debriefs.save(leader, 2025, byline="西湖区司法局党组书记、局长 王建国", study="")
    assert send(dept, DEPARTMENT, district, tmp_path, "edit").updated == {"debriefs": 1}
    saved = district.debriefs.get(here_leader, 2025)
    assert (saved["byline"], saved["study"]) == ("西湖区司法局党组书记、局长 王建国", "")


def test_a_record_citing_several_articles_keeps_them_all(offices, tmp_path: Path) -> None:
    dept, district, _city = offices
    leader = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    articles = [a["id"] for a in dept.db.query("SELECT id FROM articles ORDER BY number")]
    record = dept.records.add_record(performed_on="2025-03-02", title="专题学法", kind="学法", leader_ids=[leader],
                                     article_ids=[articles[2], articles[0]])
    send(dept, DEPARTMENT, district, tmp_path, "up")
    labels = lambda store: [store.db.execute("SELECT label FROM articles WHERE id = ?", [a]).fetchone()[0]  # noqa: E731
                            for a in store.records.record(store.db.execute(
                                "SELECT id FROM records WHERE title = '专题学法'").fetchone()[0])["article_ids"]]
    assert labels(district) == ["第二十条", "第九条"]
    dept.records.update_record(record, article_ids=[articles[0], articles[1]])
    assert send(dept, DEPARTMENT, district, tmp_path, "edit").updated == {"records": 1}
    assert labels(district) == ["第九条", "第十四条"]


def test_the_clerks_unit_choices_stay_in_their_office(offices, tmp_path: Path) -> None:
    """They map a document's names to this office's own list of units."""
    dept, district, _city = offices
    dept.tasks.remember_unit_choice("区法制办", [unit(dept, DEPARTMENT)])
    send(dept, DEPARTMENT, district, tmp_path, "up")
    assert district.tasks.unit_choices() == {}


def test_progress_of_a_task_the_package_lacks_is_refused_in_chinese(offices, tmp_path: Path) -> None:
    """A package whose tasks did not come with it: their units and progress cannot go in, the
    rest does, and the reasons are sentences a clerk reads."""
    dept, district, _city = offices
    _report_progress(dept, tmp_path)
    pkg = Path(export_package(dept, unit(dept, DEPARTMENT), tmp_path / "ok.dtpkg")["path"])

    def lose_tasks(tables: dict) -> None:
        tables["work_plans"] = []  # the document did not come: its tasks cannot go in
        for row in tables["tasks"]:
            row["plan_uuid"] = "00000000-0000-4000-8000-0000000000ff"

    result = import_package(district, tampered(pkg, tmp_path / "bad.dtpkg", lose_tasks))
    text = "\n".join(result.refused)
    assert "任务进展“完善合法性审核机制（西湖区司法局 2025-05-10）”未导入：其工作任务既不在本机，也不在数据包中" in text, text
    assert "工作任务“完善合法性审核机制”未导入：其所属工作要点既不在本机" in text, text
    assert result.added["records"] == 1 and result.added["task_progress"] == 0
    assert not any(word in text for word in ("Traceback", "sqlite", "INSERT"))

"""Use cases of the work points: import with review and remembered unit choices, progress with
evidence and undo, the lists and filters, reminders and the calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from duty_tracker.core.errors import InputError
from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.services.exchange import CalendarExport, export_calendar
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.workpoints.status import TaskStatus
from tests.workpoints_helpers import HANGZHOU_2017, add_city_units

TEXT = """某市2018年法治政府建设工作要点

一、深化改革
（一）完成相对集中行政复议权改革。6月底前完成。（责任单位：市司法局牵头，市编委办配合）
（二）建立政府法律顾问队伍，年底前实现全覆盖。（责任单位：市法制办）
二、严格执法
（三）推行行政执法公示制度。第三季度完成。（责任单位：市政府各部门）
（四）加强行政复议规范化建设。（责任单位：市委网信办）
"""


@pytest.fixture
def units(store) -> dict[str, int]:
    return add_city_units(store)


def _imported(store, **kwargs) -> wp.WorkPointsImport:
    preview = wp.preview_import(store, text=TEXT)
    wp.choose_units(store, preview, {"市委网信办": []})
    return wp.import_workpoints(store, preview, **kwargs)


def test_preview_proposes_units_and_lists_what_is_unmatched(store, units):
    preview = wp.preview_import(store, text=TEXT)
    assert (preview.title, preview.year) == ("某市2018年法治政府建设工作要点", 2018)
    first, second, third, fourth = preview.tasks
    assert first.units == [(units["市司法局"], "lead"), (units["市编委办"], "assist")]
    assert first.due == date(2018, 6, 30)
    assert second.units == [(units["市司法局"], "responsible")]  # 市法制办 → 市司法局
    assert len(third.units) == 17 and third.due == date(2018, 9, 30)
    assert fourth.units == [] and fourth.unmatched == ["市委网信办"]
    assert preview.unmatched == ["市委网信办"]
    assert store.tasks.plans() == []  # nothing written


def test_import_is_refused_while_names_are_unmatched(store, units):
    preview = wp.preview_import(store, text=TEXT)
    with pytest.raises(InputError, match="市委网信办"):
        wp.import_workpoints(store, preview)
    assert store.tasks.plans() == []


def test_import_stores_the_reviewed_tasks_after_a_backup_and_remembers_choices(store, units):
    preview = wp.preview_import(store, text=TEXT)
    wp.choose_units(store, preview, {"市委网信办": [units["市政府办公厅"]]})
    assert preview.unmatched == [] and preview.tasks[3].units == [(units["市政府办公厅"], "responsible")]
    preview.tasks[1].keep = False
    preview.tasks[0].title = "完成复议体制改革"
    result = wp.import_workpoints(store, preview)
    assert result.backup is not None and result.backup.exists()
    tasks = store.tasks.tasks(2018)
    assert [t["title"] for t in tasks][0] == "完成复议体制改革" and len(tasks) == 3
    assert [t["section"] for t in tasks] == ["一、深化改革", "二、严格执法", "二、严格执法"]
    assert store.tasks.unit_choices() == {"市委网信办": [units["市政府办公厅"]]}
    again = wp.preview_import(store, text=TEXT.replace("2018", "2019"))
    assert again.unmatched == [] and again.tasks[3].units == [(units["市政府办公厅"], "responsible")]


def test_a_name_confirmed_as_not_ours_stays_quiet_next_time(store, units):
    _imported(store)
    again = wp.preview_import(store, text=TEXT.replace("2018", "2020"))
    assert again.unmatched == [] and again.tasks[3].units == []


def test_the_same_document_twice_is_refused_unless_asked(store, units):
    _imported(store)
    preview = wp.preview_import(store, text=TEXT)
    assert [d["title"] for d in preview.duplicates] == ["某市2018年法治政府建设工作要点"]
    with pytest.raises(InputError, match="已经导入过"):
        wp.import_workpoints(store, preview)
    wp.import_workpoints(store, preview, allow_duplicate=True)
    assert len(store.tasks.plans(2018)) == 2


def test_a_year_is_needed(store, units):
    preview = wp.preview_import(store, text=TEXT.replace("2018年", ""))
    wp.choose_units(store, preview, {"市委网信办": []})
    with pytest.raises(InputError, match="年度"):
        wp.import_workpoints(store, preview)
    given = wp.preview_import(store, text=TEXT.replace("2018年", ""), year=2021)
    assert given.year == 2021 and given.tasks[0].due == date(2021, 6, 30)


def test_a_choice_made_after_the_import_links_the_stored_tasks(store, units):
    preview = wp.preview_import(store, text=TEXT)
    result = wp.import_workpoints(store, preview, allow_unmatched=True)
    assert result.unmatched == ["市委网信办"]
    added = wp.assign_unit_name(store, "市委网信办", [units["市财政局"]], year=2018)
    fourth = store.tasks.tasks(2018)[3]
    assert added == 1 and [(u["unit_name"], u["role"]) for u in fourth["units"]] == [("市财政局", "responsible")]
    assert store.tasks.unit_choices()["市委网信办"] == [units["市财政局"]]


def test_choosing_an_unknown_unit_is_refused(store, units):
    preview = wp.preview_import(store, text=TEXT)
    with pytest.raises(InputError, match="单位不存在"):
        wp.choose_units(store, preview, {"市委网信办": [999]})


# -- progress ------------------------------------------------------------------------------------
def _first_task(store) -> dict:
    return store.tasks.tasks(2018)[0]


def test_save_progress_with_files_then_undo_and_redo(store, units, tmp_path: Path):
    _imported(store)
    task = _first_task(store)
    scan = tmp_path / "印发通知.pdf"
    scan.write_bytes(b"%PDF scan")
    change = wp.save_progress(store, wp.ProgressDraft(task["id"], units["市司法局"], "2018-05-01",
                                                      "方案已印发", True, [scan]))
    assert change.before is None and change.description == "新增任务进展"
    entry = store.tasks.progress_entry(change.progress_id)
    assert entry["done"] and [a["file_name"] for a in entry["attachments"]] == ["印发通知.pdf"]
    edit = wp.save_progress(store, wp.ProgressDraft(task["id"], units["市司法局"], "2018-05-02", "方案已印发并实施",
                                                    True, removed_attachment_ids=[entry["attachments"][0]["id"]]),
                            change.progress_id)
    assert store.tasks.progress_entry(change.progress_id)["attachments"] == []
    wp.undo_progress(store, edit)
    assert len(store.tasks.progress_entry(change.progress_id)["attachments"]) == 1
    wp.undo_progress(store, change)
    assert store.tasks.progress([task["id"]]) == []
    wp.redo_progress(store, change)
    assert [p["id"] for p in store.tasks.progress([task["id"]])] == [change.progress_id]


def test_check_progress_lists_every_problem_at_once(store, units, tmp_path: Path):
    _imported(store)
    task = _first_task(store)
    problems = wp.check_progress(store, wp.ProgressDraft(task["id"], units["市财政局"], "", "", False,
                                                         [tmp_path / "无.pdf"]))
    assert {p.field for p in problems} == {"reported_on", "note", "unit_id", "new_files"}
    with pytest.raises(ValidationError, match="请填写进展日期"):
        wp.save_progress(store, wp.ProgressDraft(task["id"], units["市司法局"], None, "x"))


# -- lists, reminders, calendar ------------------------------------------------------------------
def test_list_tasks_with_status_and_filters(store, units):
    _imported(store)
    first, second, third, _fourth = store.tasks.tasks(2018)
    wp.save_progress(store, wp.ProgressDraft(first["id"], units["市司法局"], "2018-05-01", "已完成", True))
    wp.save_progress(store, wp.ProgressDraft(third["id"], units["市财政局"], "2018-05-01", "已梳理公示事项"))
    today = date(2018, 9, 10)
    views = wp.list_tasks(store, wp.TaskFilter(2018), today)
    assert [v.status for v in views] == [TaskStatus.DONE, TaskStatus.NOT_STARTED, TaskStatus.DUE_SOON,
                                         TaskStatus.NOT_STARTED]
    by_unit = wp.list_tasks(store, wp.TaskFilter(2018, unit_id=units["市财政局"]), today)
    assert [v.id for v in by_unit] == [third["id"]]
    assert by_unit[0].unit(units["市财政局"]).status is TaskStatus.DUE_SOON
    soon = wp.list_tasks(store, wp.TaskFilter(2018, statuses=frozenset({TaskStatus.DUE_SOON})), today)
    assert [v.id for v in soon] == [third["id"]]
    dated = wp.list_tasks(store, wp.TaskFilter(2018, due_from=date(2018, 7, 1), due_to=date(2018, 12, 31)), today)
    assert [v.id for v in dated] == [second["id"], third["id"]]
    assert [v.id for v in wp.list_tasks(store, wp.TaskFilter(2018, text="法律顾问"), today)] == [second["id"]]
    data = views[0].to_dict()
    assert data["status"] == "已完成" and data["lead_units"] == ["市司法局"]
    # the task is completed by its lead: the assisting unit is no longer overdue
    assert [(u["unit"], u["role"], u["status"]) for u in data["units"]] == [
        ("市司法局", "lead", "已完成"), ("市编委办", "assist", "未开始")]


def test_tasks_grouped_by_section_in_document_order(store, units):
    _imported(store)
    groups = wp.by_section(wp.list_tasks(store, wp.TaskFilter(2018), date(2018, 3, 1)))
    assert [(heading, len(items)) for heading, items in groups] == [("一、深化改革", 2), ("二、严格执法", 2)]


def test_a_linked_record_moves_a_unit_to_in_progress(store, units):
    _imported(store)
    second = store.tasks.tasks(2018)[1]
    leader = store.people.add_leader("赵六", units["市司法局"], "party", term_start="2018-01-01")
    record = store.records.add_record(performed_on="2018-03-01", title="部署法律顾问工作", kind="会议",
                                      leader_ids=[leader])
    wp.link_record(store, second["id"], record, units["市司法局"])
    view = wp.list_tasks(store, wp.TaskFilter(2018, task_ids=[second["id"]]), date(2018, 4, 1))[0]
    assert view.status is TaskStatus.IN_PROGRESS and view.records[0]["title"] == "部署法律顾问工作"
    assert [t["task_id"] for t in wp.tasks_of_record(store, record)] == [second["id"]]
    wp.unlink_record(store, second["id"], record)
    assert wp.list_tasks(store, wp.TaskFilter(2018, task_ids=[second["id"]]), date(2018, 4, 1))[0].status \
        is TaskStatus.NOT_STARTED


def test_reminders_list_overdue_then_due_soon_with_the_units_not_done(store, units):
    _imported(store)
    reminders = wp.task_reminders(store, 2018, date(2018, 9, 10))
    assert [r.status for r in reminders] == [TaskStatus.OVERDUE, TaskStatus.DUE_SOON]
    overdue = reminders[0]
    assert overdue.label == "逾期 72 天" and overdue.open_units == ["市司法局", "市编委办"]
    assert overdue.message.startswith("【逾期 72 天】完成相对集中行政复议权改革（截止 2018-06-30，未完成：市司法局")
    own = wp.task_reminders(store, 2018, date(2018, 9, 10), unit_id=units["市编委办"])
    assert [r.task_id for r in own] == [overdue.task_id, reminders[1].task_id]  # a department too
    assert own[0].open_units == ["市编委办"]
    assert wp.task_reminders(store, 2018, date(2018, 9, 10), unit_id=units["富阳区"]) == []


def test_the_calendar_carries_the_task_deadlines(store, units, tmp_path: Path):
    _imported(store)
    events = wp.task_deadline_events(store, 2018, date(2018, 5, 1))
    assert [e.day for e in events] == [date(2018, 6, 30), date(2018, 12, 31), date(2018, 9, 30)]
    assert events[0].summary.startswith("【任务截止】") and "市编委办（配合）：未开始" in events[0].description
    options = CalendarExport(path=tmp_path / "日历.ics", year=2018, today=date(2018, 5, 1))
    assert export_calendar(store, options) == 3
    calendar = Calendar.from_ical(options.target.read_bytes())
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {e.uid for e in events}
    assert "工作任务" in str(calendar["X-WR-CALNAME"])
    leader = store.people.add_leader("钱七", units["市编委办"], "party", term_start="2018-01-01")
    own = CalendarExport(path=tmp_path / "own.ics", year=2018, today=date(2018, 5, 1), leader_id=leader)
    export_calendar(store, own)
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(own.target.read_bytes()).walk("VEVENT")]
    assert sum("任务截止" in s for s in summaries) == 2  # 市编委办: the reform and the department-wide task


def test_hangzhou_2017_every_unit_clause_becomes_a_task_with_its_units(store, units):
    if not HANGZHOU_2017.exists():
        pytest.skip("shared seeds not available")
    preview = wp.preview_import(store, path=HANGZHOU_2017)
    assert preview.unmatched == ["市政府相关部门"]  # names no set: the clerk must say which
    wp.choose_units(store, preview, {"市政府相关部门": []})
    wp.import_workpoints(store, preview)
    tasks = store.tasks.tasks(2017)
    assert len(tasks) == 30 and all(t["named_units"] for t in tasks)
    adviser = next(t for t in tasks if "法律顾问队伍" in t["text"])
    assert adviser["due"] == "2017-12-31"
    for task in tasks:
        names = {u["unit_name"] for u in task["units"]}
        if any(n["name"] == "市法制办" for n in task["named_units"]):
            assert "市司法局" in names

"""From the store to the annual report and out again: the unit's tasks with their own status as
of the year's end, the heads' facts, the saved text and own fields, the draft for what is
empty, the deadline, the use cases the window calls (draft, save, submit, reminders, export)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.errors import InputError
from duty_tracker.core.reports.annual_builder import (
    annual_deadline,
    build_annual_report,
    default_report_date,
    institution_name,
)
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.services import annual_due, reporting
from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.status import leader_tallies, year_status
from tests.workpoints_helpers import add_city_units

D = date
TODAY = D(2026, 2, 20)
TEXT = """某市2025年法治政府建设工作要点

一、深化改革
（一）完成相对集中行政复议权改革。6月底前完成。（责任单位：市司法局牵头，市编委办配合）
（二）建立政府法律顾问队伍，年底前实现全覆盖。（责任单位：市法制办）
二、严格执法
（三）推行行政执法公示制度。第三季度完成。（责任单位：市编委办牵头，市司法局配合）
（四）加强行政复议规范化建设。（责任单位：市财政局）
"""


@pytest.fixture
def city(store) -> dict[str, int]:
    units = add_city_units(store)
    wp.import_workpoints(store, wp.preview_import(store, text=TEXT))
    return units


def _task(store, number: int) -> int:
    return store.tasks.tasks(2025)[number - 1]["id"]


def _report(store, unit: int, **kwargs):
    return build_annual_report(store, unit, 2025, today=kwargs.pop("today", TODAY), **kwargs)


def test_the_units_tasks_by_section_with_its_role_and_own_status(store, city):
    sfj = city["市司法局"]
    store.tasks.add_progress(_task(store, 1), sfj, "2025-05-10", "起草改革方案")
    store.tasks.add_progress(_task(store, 1), sfj, "2025-07-20", "完成机构设置", done=True)
    store.tasks.add_progress(_task(store, 3), city["市编委办"], "2025-09-01", "公示制度已推行", done=True)
    report = _report(store, sfj)
    assert [s.heading for s in report.sections] == ["一、深化改革", "二、严格执法"]
    first, second, third = report.tasks
    assert (first.role, first.status, first.late, first.done_on) == ("lead", "已完成", True,
                                                                     D(2025, 7, 20))
    assert [n.text for n in first.notes] == ["起草改革方案", "完成机构设置"]
    assert (second.role, second.status, second.due) == ("responsible", "逾期", D(2025, 12, 31))
    assert (third.role, third.status, third.task_done, third.lead_units) == (
        "assist", "未开始", True, ("市编委办",))
    assert report.plan_titles == ("某市2025年法治政府建设工作要点",)
    assert report.institution == "杭州市司法局" and report.deadline == D(2026, 3, 1)


def test_work_reported_after_the_year_does_not_count_for_it(store, city):
    sfj = city["市司法局"]
    store.tasks.add_progress(_task(store, 2), sfj, "2026-01-10", "法律顾问队伍已建立", done=True)
    late = _report(store, sfj).tasks[1]
    assert late.status == "逾期" and late.notes == () and not late.done
    during = _report(store, sfj, today=D(2025, 11, 20))
    assert during.as_of == D(2025, 11, 20) and during.tasks[1].status == "未开始"
    assert not during.year_complete and during.report_date == D(2025, 11, 20)


def test_records_evidence_the_units_task_but_not_another_units(store, city):
    sfj, bwb = city["市司法局"], city["市编委办"]
    leader = store.people.add_leader("张三", sfj, "government", "局长", term_start="2020-01-01")
    own = store.records.add_record(performed_on="2025-03-02", title="局务会议研究复议改革",
                                   kind="会议", leader_ids=[leader])
    other = store.records.add_record(performed_on="2025-03-03", title="编委会议", kind="会议",
                                     leader_ids=[leader])
    store.tasks.link_record(_task(store, 1), own, sfj)
    store.tasks.link_record(_task(store, 1), other, bwb)
    first = _report(store, sfj).tasks[0]
    assert [r.title for r in first.records] == ["局务会议研究复议改革"]
    assert first.status == "逾期" and first.started and first.evidenced  # due 30 June


def test_heads_are_the_units_own_party_and_government_heads_party_first(store, city):
    sfj = city["市司法局"]
    gov = store.people.add_leader("王堃", sfj, "government", "局长", term_start="2020-01-01")
    store.people.handover_to_new_leader(gov, "李珺", "局长", "2025-07-01")
    party = store.people.add_leader("孙喆", sfj, "party", "党组书记", term_start="2019-03-01")
    store.people.add_leader("钱赟", sfj, "other", "副局长", term_start="2019-03-01")
    store.people.add_leader("赵昇", city["市财政局"], "party", "党组书记", term_start="2019-03-01")
    store.people.add_leader("周玥", sfj, "party", "党组书记", term_start="2010-01-01",
                            term_end="2018-12-31")
    heads = _report(store, sfj).heads
    assert [h.name for h in heads] == ["孙喆", "王堃", "李珺"]
    assert heads[1].debrief.terms[-1].end == D(2025, 6, 30)
    expected = leader_tallies(year_status(store, 2025, today=TODAY, leader_ids=[party]))[party]
    assert heads[0].tally == expected and heads[0].leader_id == party
    assert heads[0].debrief.effective_institution == "中共杭州市司法局党组书记"
    assert heads[1].debrief.effective_institution == "杭州市司法局局长"


def test_saved_text_is_printed_as_written_and_the_draft_fills_only_empty_parts(store, city):
    sfj = city["市司法局"]
    reporting.save_annual_report(store, sfj, 2025, measures="（一）本单位自己写的。",
                                 addressee="市委、市政府", report_date="2026-02-25")
    report = _report(store, sfj)
    assert report.texts.measures == "（一）本单位自己写的。" and report.texts.plans == ""
    assert report.addressee == "市委、市政府" and report.report_date == D(2026, 2, 25)
    assert "开头" in report.empty_sections and "主要举措和成效" not in report.empty_sections
    drafted = _report(store, sfj, use_draft=True)
    assert drafted.texts.measures == "（一）本单位自己写的。"
    assert drafted.texts.plans and drafted.texts.opening.startswith("2025年，杭州市司法局")
    assert reporting.annual_draft(store, sfj, 2025, TODAY).measures != "（一）本单位自己写的。"
    assert _report(store, sfj, report_date=D(2026, 3, 1)).report_date == D(2026, 3, 1)


def test_a_date_of_another_year_and_an_unknown_unit_are_refused(store, city):
    with pytest.raises(InputError, match="成文日期2024-12-31与报告年度2025年不符"):
        _report(store, city["市司法局"], report_date=D(2024, 12, 31))
    with pytest.raises(ReportError, match="单位（编号 999）不存在"):
        _report(store, 999)


@pytest.mark.parametrize(("level", "due"), [("部门", D(2026, 3, 1)), ("事业单位", D(2026, 3, 1)),
                                            ("市", D(2026, 4, 1)), ("区县", D(2026, 4, 1)),
                                            ("乡镇街道", D(2026, 4, 1))])
def test_departments_report_by_1_march_and_governments_by_1_april(level, due):
    assert annual_deadline(level, 2025) == due


def test_the_default_date_is_today_but_not_after_the_deadline():
    deadline = D(2026, 3, 1)
    assert default_report_date(2025, D(2026, 2, 20), deadline) == D(2026, 2, 20)
    assert default_report_date(2025, D(2027, 5, 1), deadline) == deadline
    assert default_report_date(2025, D(2025, 11, 20), deadline) == D(2025, 11, 20)


@pytest.mark.parametrize(("unit", "parent", "name"), [
    ({"name": "杭州市", "level": "市"}, None, "杭州市人民政府"),
    ({"name": "西湖区", "level": "区县"}, {"name": "杭州市", "level": "市"}, "杭州市西湖区人民政府"),
    ({"name": "杭州市西湖区", "level": "区县"}, {"name": "杭州市", "level": "市"}, "杭州市西湖区人民政府"),
    ({"name": "北山街道", "level": "乡镇街道"}, None, "北山街道办事处"),
    ({"name": "淳安县千岛湖镇", "level": "乡镇街道"}, None, "淳安县千岛湖镇人民政府"),
    ({"name": "市司法局", "level": "部门"}, {"name": "杭州市", "level": "市"}, "杭州市司法局"),
    ({"name": "区司法局", "level": "部门"}, {"name": "西湖区", "level": "区县"}, "西湖区司法局"),
    ({"name": "杭州市司法局", "level": "部门"}, {"name": "杭州市", "level": "市"}, "杭州市司法局"),
    ({"name": "富阳区人民政府", "level": "区县"}, None, "富阳区人民政府"),
])
def test_the_unit_signs_as_its_institution(unit, parent, name):
    assert institution_name(unit, parent) == name


# -- the use cases -----------------------------------------------------------------------------
def test_reminders_follow_each_units_deadline_and_stop_once_submitted(store, city):
    reporting.save_annual_report(store, city["市司法局"], 2025, opening="现将……")

    def due(today: date) -> dict[str, str]:
        return {d.unit_name: d.label for d in annual_due.annual_reports_due(store, today)}

    assert due(D(2026, 1, 20)) == {}
    feb = due(D(2026, 2, 20))
    assert feb["市司法局"] == "临期（还有 9 天）" and "杭州市" not in feb
    assert "杭州仲裁委员会" not in feb  # a 事业单位 owes no such report
    march = due(D(2026, 3, 5))
    assert march["市司法局"] == "逾期 4 天" and march["杭州市"] == "临期（还有 27 天）"
    assert due(D(2026, 4, 1))["富阳区"] == "今日到期"
    reporting.mark_annual_report_submitted(store, city["市司法局"], 2025, D(2026, 2, 27))
    assert "市司法局" not in due(D(2026, 3, 5))
    first = annual_due.annual_reports_due(store, D(2026, 3, 5))[0]
    assert (first.unit_name, first.status) == ("市政府办公厅", "逾期")  # most overdue first
    assert first.message == "【逾期 4 天】杭州市政府办公厅2025年法治政府建设年度报告应于2026年3月1日前报送"
    states = {s.unit_name: s for s in annual_due.annual_report_states(store, 2025, D(2026, 3, 5))}
    assert states["市司法局"].status == "已报送" and states["市司法局"].written
    assert states["市财政局"].status == "逾期" and not states["市财政局"].written
    assert due(D(2027, 3, 5)) != {} and all(d.year == 2026 for d in
                                           annual_due.annual_reports_due(store, D(2027, 3, 5)))


def test_export_writes_pdf_or_word_and_says_what_is_still_to_write(store, city, tmp_path: Path):
    sfj = city["市司法局"]
    options = reporting.AnnualReportExport(sfj, 2025, tmp_path / "年度报告", TODAY)
    plain = reporting.export_annual_report(store, options)
    assert plain.path.suffix == ".pdf" and plain.path.read_bytes().startswith(b"%PDF")
    assert "开头" in plain.empty_sections and "尚未填写，未印出" in plain.warning
    word = reporting.export_annual_report(store, replace(options, output=tmp_path / "a.docx",
                                                         use_draft=True))
    assert word.path.suffix == ".docx" and word.empty_sections == ()
    assert "党政主要负责人履行推进法治建设第一责任人职责情况" in word.to_fill  # no heads yet
    assert "【】标出的待填写内容" in word.warning
    assert reporting.annual_file_name(store, sfj, 2025, ".docx") == "杭州市司法局2025年法治政府建设年度报告.docx"
    assert reporting.annual_report_bytes(store, sfj, 2025, TODAY).startswith(b"%PDF")

"""The generated draft of the narrative sections: factual, honest about what was missed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.debrief_model import (
    ComplianceRow,
    DebriefReport,
    PeriodResult,
    RecordEntry,
    RecordGroup,
)
from duty_tracker.core.reports.layout import chinese_number
from duty_tracker.core.reports.narrative import draft_narrative
from duty_tracker.core.reports.samples import sample_debrief


def _study_report() -> DebriefReport:
    duty = "主持召开党委理论学习中心组学法"
    recs = tuple(
        RecordEntry(date(2025, m, 10), f"党委理论学习中心组学习{book}", f"纪要{m}号", "学法", (duty,))
        for m, book in ((3, "《中华人民共和国民法典》"), (6, "《行政复议法》"), (9, "《宪法》"))
    )
    return DebriefReport(
        year=2025, leader_name="李珺", unit_name="某区委", position="区委书记",
        role_label="党委主要负责人",
        compliance=(
            ComplianceRow("第九条（二）", duty, (PeriodResult("全年", 2, 3, Status.DONE),)),
            ComplianceRow("第十条", "带头讲法治课", (PeriodResult("全年", 1, 0, Status.FAILED),)),
            ComplianceRow("第九条（三）", "听取法院党组工作汇报", (
                PeriodResult("上半年", 1, 1, Status.DONE),
                PeriodResult("下半年", 1, 0, Status.WARNING))),
        ),
        record_groups=(RecordGroup("第九条（二）", duty, recs),),
    )


def test_achievements_list_what_was_studied() -> None:
    text = draft_narrative(_study_report()).achievements
    assert ("全年主持召开党委理论学习中心组学法3次，分别学习了"
            "《中华人民共和国民法典》《行政复议法》和《宪法》") in text
    assert "共3项法定履职事项" not in text  # wording check below
    assert "3项法定履职事项" in text and "其中1项已达到规定要求" in text
    assert "全年形成履职纪实3条，其中学法3次" in text


def test_problems_name_every_missed_duty_with_numbers() -> None:
    text = draft_narrative(_study_report()).problems
    assert "本年度有1项未达到规定要求、1项临近期限尚未完成" in text
    assert "带头讲法治课（第十条）：全年应完成1次、实际完成0次，未达到规定要求" in text
    assert "听取法院党组工作汇报（第九条（三））：下半年应完成1次、实际完成0次，临近期限尚未完成" in text
    assert "主持召开党委理论学习中心组学法" not in text


def test_plans_commit_to_fixing_the_missed_duties() -> None:
    text = draft_narrative(_study_report()).plans
    assert "“带头讲法治课”" in text and "“听取法院党组工作汇报”" in text
    assert "2026年" in text


def test_all_done_and_nothing_at_all_still_give_text() -> None:
    done = replace(_study_report(), compliance=_study_report().compliance[:1])
    n = draft_narrative(done)
    assert "均已按要求完成" in n.problems
    assert "抓好问题整改" not in n.plans
    empty = DebriefReport(year=2025, leader_name="周玥", unit_name="某局", position="局长",
                          role_label="")
    e = draft_narrative(empty)
    assert e.achievements and e.problems and e.plans
    assert "暂无" in e.achievements


def test_sample_draft_is_plain_text_with_numbered_subheadings() -> None:
    n = draft_narrative(sample_debrief())
    assert n.achievements.startswith("（一）认真履行法定职责。")
    assert n.plans.splitlines()[0].startswith("（一）抓好问题整改")


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]


def test_noun_titles_get_a_verb_and_verb_titles_keep_theirs() -> None:
    from duty_tracker.core.reports.narrative import _verb_for

    assert _verb_for("党委理论学习中心组学法") == "开展"
    assert _verb_for("领导干部法治专题培训班") == "举办"
    assert _verb_for("法治政府建设工作会议") == "召开"
    assert _verb_for("法治政府建设年度报告") == "报送"
    assert _verb_for("听取人大党组工作汇报") == ""
    assert _verb_for("年终述职") == ""

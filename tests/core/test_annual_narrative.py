"""The annual report's draft, facts → text, on hand-made reports: every part says what the data
shows and nothing more — an empty work-points year, unfinished tasks, a task another unit
completed, a missed duty, a head who left mid-year, a head without applicable duties, a draft
made before the year is over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from duty_tracker.core.reports.annual_model import AnnualTexts, WorkSection
from duty_tracker.core.reports.annual_narrative import draft_annual
from duty_tracker.core.reports.annual_samples import (
    PLAN,
    after_year,
    head_of,
    sample_annual,
    sample_task,
)
from duty_tracker.core.reports.debrief_model import ComplianceRow, PeriodResult, TermSpan
from duty_tracker.core.reports.samples import sample_debrief

D = date


def _only(*tasks, **changes):
    """A report whose unit has just ``tasks`` (in one section) and no heads."""
    changes.setdefault("heads", ())
    return sample_annual(sections=(WorkSection("一、深化依法行政", tuple(tasks)),), **changes)


def _head(name="孙喆", *, rows=None, terms=None, role="party", records=None):
    debrief = replace(sample_debrief(name), unit_name="杭州市司法局", role=role,
                      position="党组书记" if role == "party" else "局长",
                      institution="中共杭州市司法局党组书记" if role == "party" else "杭州市司法局局长")
    if rows is not None:
        debrief = replace(debrief, compliance=tuple(rows))
    if terms is not None:
        debrief = replace(debrief, terms=tuple(terms))
    if records is not None:
        debrief = replace(debrief, records=tuple(records))
    return head_of(after_year(debrief))


def _done_row(title="党委理论学习中心组学法", n=2):
    return ComplianceRow("第九条（二）", title, (PeriodResult("全年", 2, n, "达标"),), "study")


def _missed_row(title="听取法院党组工作汇报"):
    return ComplianceRow("第九条（三）", title, (PeriodResult("上半年", 1, 1, "达标"),
                                                PeriodResult("下半年", 1, 0, "未达标")),
                         "leadership")


# -- no work points at all ------------------------------------------------------------------
def test_a_year_without_work_points_claims_nothing_and_marks_the_gaps():
    report = sample_annual(sections=(), plan_titles=(), year_plan_titles=(), heads=())
    texts = draft_annual(report)
    assert texts.opening == "现将杭州市司法局2025年度法治政府建设情况报告如下。"
    for key in ("measures", "leadership", "problems"):
        assert texts.text(key).startswith("【") and texts.text(key).endswith("】"), key
    assert "尚未导入2025年度法治政府建设工作要点" in texts.measures
    assert "尚未登记本单位的党政主要负责人" in texts.leadership
    every = "".join(texts.text(k) for k in ("opening", "measures", "leadership", "problems"))
    for claim in ("已完成", "均已", "认真", "扎实", "成效显著", "按期"):
        assert claim not in every, claim
    assert "请结合本单位实际补充下一年度的工作安排" in texts.plans
    filled = replace(report, texts=texts)
    assert filled.to_fill == ("主要举措和成效", "党政主要负责人履行推进法治建设第一责任人职责情况",
                              "存在的不足和原因", "下一年度工作安排")


def test_a_year_whose_work_points_name_other_units_says_so():
    texts = draft_annual(sample_annual(sections=(), plan_titles=(), heads=()))
    assert texts.opening.startswith(f"《{PLAN}》没有列明由杭州市司法局承担的具体任务。")
    assert texts.measures == (f"【《{PLAN}》中没有本单位承担的任务。请根据本单位实际工作情况"
                              "填写主要举措和成效。】")


def test_a_section_with_more_than_ten_tasks_counts_on_in_chinese():
    tasks = [sample_task(f"任务{i}", notes=((D(2025, 3, 1), "已印发", True),)) for i in range(12)]
    measures = draft_annual(_only(*tasks)).measures
    assert "十是任务9" in measures and "十一是任务10" in measures and "十二是任务11" in measures
    assert "11是" not in measures


def test_a_title_with_quotes_is_quoted_with_single_quotes_inside():
    task = sample_task("深入推进“最多跑一次”改革", "未开始")
    problems = draft_annual(_only(task)).problems
    assert "“深入推进‘最多跑一次’改革”任务截至年底尚未启动" in problems


def test_tasks_nobody_reported_on_are_not_achievements():
    texts = draft_annual(_only(sample_task("甲任务", "未开始"), sample_task("乙任务", "未开始")))
    assert "截至12月31日，各项任务均尚未启动。" in texts.opening
    assert texts.measures.startswith("【本单位承担的2项工作任务都还没有填报进展")
    assert "“甲任务”“乙任务”2项任务截至年底尚未启动" in texts.problems
    assert "尚未完成的“甲任务”“乙任务”2项任务" in texts.plans


# -- tasks: done only when done for this unit -----------------------------------------------
def test_a_single_task_is_spoken_of_in_the_singular():
    texts = draft_annual(_only(sample_task("甲任务", "未开始")))
    assert "截至12月31日，该项任务尚未启动。" in texts.opening
    assert texts.measures.startswith("【本单位承担的1项工作任务还没有填报进展。")
    assert "对尚未完成的“甲任务”任务，明确责任人和完成时限" in texts.plans
    assert "逐项" not in texts.plans and "都" not in texts.measures


def test_a_task_is_called_completed_only_when_the_unit_completed_it():
    done = sample_task("建立法律顾问制度", due=D(2025, 6, 30),
                       notes=((D(2025, 5, 20), "印发法律顾问工作规则", True),))
    going = sample_task("规范合同审查", "推进中", notes=((D(2025, 8, 1), "起草指引初稿", False),))
    texts = draft_annual(_only(done, going))
    first, second = texts.measures.split("。二是")
    assert "建立法律顾问制度。印发法律顾问工作规则。" in first and "完成" in first
    assert second.startswith("规范合同审查。起草指引初稿。") and "完成" not in second
    assert "已完成1项，正在推进1项" in texts.opening
    assert "“规范合同审查”任务仍在推进中，没有在年内完成" in texts.problems


def test_an_assisting_unit_does_not_claim_the_leads_completion():
    helped = sample_task("坚持政府法律专题学习会制度", "推进中", role="assist",
                         lead_units=("市政府办公厅",), task_done=True,
                         notes=((D(2025, 3, 1), "报送学习会计划建议", False),))
    texts = draft_annual(_only(helped))
    assert texts.measures == ("（一）深化依法行政。配合市政府办公厅坚持政府法律专题学习会制度。"
                              "报送学习会计划建议。该项任务已由牵头单位完成。")
    assert "已完成" not in texts.opening and "1项已由牵头单位完成" in texts.opening
    assert "坚持政府法律专题学习会制度" not in texts.problems + texts.plans  # nothing left to do


def test_overdue_late_and_idle_tasks_are_named_in_the_shortcomings():
    report = sample_annual(heads=())
    texts = draft_annual(report)
    assert "已完成2项（其中逾期完成1项），正在推进2项，尚未启动1项，另有1项已由牵头单位完成；" \
           "未完成的任务中有1项已超过完成时限。" in texts.opening
    assert "“完成相对集中行政复议权工作”任务已超过完成时限，尚未完成" in texts.problems
    assert "“统一使用法律顾问信息服务系统”任务虽已完成，但晚于规定时限" in texts.problems
    assert "“加强法制机构力量建设”任务截至年底尚未启动" in texts.problems
    late = texts.measures.split("统一使用法律顾问信息服务系统")[1].split("二是")[0]
    assert "按期" not in late and "规定时限内" not in late and "9月30日完成" in late
    assert texts.problems.count("究其原因") == 1


def test_notes_read_as_a_chronicle_and_a_bare_done_note_is_not_repeated():
    task = sample_task("调整领导小组", notes=((D(2025, 4, 10), "起草调整方案", False),
                                               (D(2025, 5, 26), "市政府印发通知；", False),
                                               (D(2025, 5, 28), "已完成", True)))
    measures = draft_annual(_only(task)).measures
    assert "调整领导小组。4月，起草调整方案；5月，市政府印发通知。" in measures
    assert measures.endswith("于5月28日完成。")
    assert "已完成。" not in measures


def test_everything_done_says_so_and_only_then():
    done = sample_task("甲任务", due=D(2025, 6, 30), attachments=1,
                       notes=((D(2025, 6, 1), "已印发实施方案", True),))
    texts = draft_annual(_only(done, heads=(_head(rows=[_done_row()]),)))
    assert "认真贯彻落实" in texts.opening or "全面落实" in texts.opening
    assert "已完成。" in texts.opening
    assert "均已按期完成" in texts.problems and "一是" not in texts.problems
    assert "适用的法定履职事项均已按规定完成" in texts.problems
    assert "尚未完成的任务" not in texts.plans and "规范工作留痕" not in texts.plans


# -- the heads -----------------------------------------------------------------------------
def test_a_missed_duty_is_named_with_its_period_and_counted_in_the_shortcomings():
    head = _head(rows=[_done_row(), _missed_row()])
    texts = draft_annual(_only(sample_task("甲任务", attachments=1), heads=(head,)))
    assert "中共杭州市司法局党组书记孙喆同志主持党委理论学习中心组学法2次，" in texts.leadership
    assert "适用的2项法定履职事项中，1项已按规定完成；下半年没有听取法院党组工作汇报。" \
        in texts.leadership
    assert "均已按规定完成" not in texts.leadership
    assert "孙喆同志有1项法定履职事项没有按要求完成" in texts.problems
    assert "“听取法院党组工作汇报”" in texts.plans and "压实第一责任人职责" in texts.plans


def test_a_head_who_left_mid_year_and_the_successor_are_told_with_their_terms():
    left = _head("王堃", role="government", rows=[_done_row("政府常务会议集体学法", 1)],
                 terms=[TermSpan(D(2025, 1, 1), D(2025, 6, 30))])
    came = _head("李珺", role="government", rows=[_done_row("政府常务会议集体学法", 3)],
                 terms=[TermSpan(D(2025, 7, 1), D(2025, 12, 31))])
    party = _head(rows=[_done_row()])
    report = _only(sample_task("甲任务"), heads=(party, left, came))
    lines = draft_annual(report).leadership.split("\n")
    assert lines[1].startswith("中共杭州市司法局党组书记孙喆同志主持")
    assert lines[2].startswith("杭州市司法局局长王堃同志（任职至6月30日）主持政府常务会议集体学法1次")
    assert lines[3].startswith("杭州市司法局局长李珺同志（7月1日到任）主持政府常务会议集体学法3次")
    assert "全年" not in lines[2] + lines[3]


def test_a_head_who_met_no_duty_is_told_so_without_a_zero():
    head = _head(rows=[_missed_row(), ComplianceRow("第十条", "带头讲法治课", (
        PeriodResult("全年", 1, 0, "未达标"),), "study")], records=())
    text = draft_annual(_only(sample_task("甲任务"), heads=(head,))).leadership
    assert "适用的2项法定履职事项均未按要求完成：下半年没有听取法院党组工作汇报；没有带头讲法治课。" in text
    assert "0项" not in text


def test_a_head_without_applicable_duties_gets_no_verdict():
    short = ComplianceRow("第九条（二）", "党委理论学习中心组学法",
                          (PeriodResult("全年", 2, 0, "不适用"),), "study")
    head = _head("赵昇", rows=[short], terms=[TermSpan(D(2025, 11, 8), D(2025, 12, 31))],
                 records=())
    text = draft_annual(_only(sample_task("甲任务"), heads=(head,))).leadership
    assert "赵昇同志（11月8日到任）本年度没有登记履行法定职责的纪实。" in text
    assert "任职时间未达到法定履职事项考核期间的一半，本年度不作考核。" in text
    assert "已按规定完成" not in text and "没有按要求完成" not in text


def test_a_government_reports_its_places_heads():
    report = sample_annual(level="区县", institution="杭州市西湖区人民政府", unit_name="西湖区",
                           heads=(_head(rows=[_done_row()]),))
    leadership = draft_annual(report).leadership
    assert "杭州市西湖区党政主要负责人" in leadership and "人民政府党政" not in leadership


# -- a draft before the year is over, next year's tasks, variety -----------------------------
def test_a_draft_made_during_the_year_counts_as_of_that_day():
    going = sample_task("规范合同审查", "推进中", notes=((D(2025, 8, 1), "起草指引初稿", False),))
    idle = sample_task("建立队伍", "未开始", due=D(2025, 12, 31))
    texts = draft_annual(_only(going, idle, as_of=D(2025, 11, 20)))
    assert "截至11月20日，正在推进1项，尚未启动1项。" in texts.opening
    assert "规范合同审查" not in texts.problems and "建立队伍" not in texts.problems
    assert "2项工作任务中，没有超过完成时限未完成的" in texts.problems
    assert "均已" not in texts.problems  # nothing is completed yet


def test_next_years_tasks_are_cited_in_the_plans_when_imported():
    nxt = (sample_task("甲", "未开始", year=2026, role="lead"), sample_task("乙", "未开始", year=2026))
    plans = draft_annual(sample_annual(next_year_tasks=nxt,
                                       next_plan_titles=("杭州市2026年法治政府建设工作要点",))).plans
    assert "《杭州市2026年法治政府建设工作要点》" in plans and "2项任务（其中牵头1项）" in plans
    assert plans.splitlines()[-1].startswith(("2026年，杭州市司法局", "我们将"))


def test_wording_varies_between_units_but_is_stable_for_one():
    openings = {draft_annual(sample_annual(unit_name=n, institution=n)).opening.split("，")[1]
                for n in ("杭州市司法局", "杭州市财政局", "杭州市民政局", "杭州市商务局", "杭州市审计局")}
    assert len(openings) > 1
    assert draft_annual(sample_annual()) == draft_annual(sample_annual())


@pytest.mark.parametrize("key", ["opening", "measures", "leadership", "problems", "plans"])
def test_every_part_is_drafted_for_the_rich_sample(key):
    text = draft_annual(sample_annual()).text(key)
    assert text.strip() and "【" not in text and "None" not in text and "{" not in text
    assert isinstance(draft_annual(sample_annual()), AnnualTexts)


# -- properties ----------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_STATUSES = ("未开始", "推进中", "已完成", "逾期", "临期")


@st.composite
def _tasks(draw):
    out = []
    for i in range(draw(st.integers(0, 7))):
        status = draw(st.sampled_from(_STATUSES))
        notes = draw(st.lists(st.tuples(st.dates(D(2025, 1, 1), D(2025, 12, 31)),
                                        st.text("起草方案印发通知已完成；。，", max_size=12),
                                        st.booleans()),
                              max_size=3))
        notes = tuple(sorted(notes))
        if status == "未开始":
            notes = ()
        out.append(sample_task(f"第{i + 1}项任务", status, role=draw(st.sampled_from(
            ("lead", "responsible", "assist"))), due=draw(st.none() | st.dates(
                D(2025, 1, 1), D(2026, 6, 30))), notes=notes,
            late=status == "已完成" and draw(st.booleans()),
            task_done=draw(st.booleans()) if status != "已完成" else True,
            lead_units=("市政府办公厅",)))
    return out


@settings(max_examples=60, deadline=None)
@given(tasks=_tasks(), mid_year=st.booleans(), with_heads=st.booleans())
def test_the_draft_never_fails_and_never_overclaims(tasks, mid_year, with_heads):
    report = _only(*tasks, as_of=D(2025, 11, 20) if mid_year else D(2025, 12, 31),
                   heads=sample_annual().heads if with_heads else ())
    if not tasks:
        report = replace(report, sections=())
    texts = draft_annual(report)
    every = "".join(texts.text(k) for k in ("opening", "measures", "leadership", "problems",
                                            "plans"))
    assert "None" not in every and "{" not in every and "}" not in every  # no format left
    done = sum(t.done for t in tasks)
    if tasks and done and done < len(tasks):
        assert f"已完成{done}项" in texts.opening
    if not done:
        assert "已完成" not in texts.opening
    for task in tasks:
        if not task.started:
            assert task.title not in texts.measures
    overdue = [t.title for t in tasks if t.overdue]
    if 0 < len(overdue) <= 3:
        assert all(title in texts.problems for title in overdue)
    elif overdue:
        assert f"等{len(overdue)}项任务已超过完成时限" in texts.problems

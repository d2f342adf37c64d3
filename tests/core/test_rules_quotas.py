"""Each pattern of quantified duty, one small text per pattern."""

from __future__ import annotations

import pytest

from duty_tracker.core.rules import parse_rules_text


def duties(body: str, chapter: str | None = None):
    text = (f"{chapter}\n" if chapter else "") + f"第一条 {body}"
    return parse_rules_text(text).duties


def summary(body: str, chapter: str | None = None):
    return [(d.period, d.min_count, d.title) for d in duties(body, chapter)]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("每年至少组织召开1次党委法治建设议事协调机构会议，研究解决重大问题。", ("year", 1, "党委法治建设议事协调机构会议")),
        ("每年召开法治工作会议不少于2次。", ("year", 2, "法治工作会议")),
        ("政府常务会议每半年至少听取1次法治政府建设情况汇报。", ("half_year", 1, "政府常务会议听取法治政府建设情况汇报")),
        ("每季度至少开展1次执法案卷评查。", ("quarter", 1, "执法案卷评查")),
        ("每个季度听取两次行政复议工作汇报。", ("quarter", 2, "听取行政复议工作汇报")),
        ("每月通报一次行政执法数据。", ("month", 1, "通报行政执法数据")),
        ("每年主持召开法治建设专题会议3次以上。", ("year", 3, "法治建设专题会议")),
        ("每年开展法治督察十次以上。", ("year", 10, "法治督察")),
        ("每年度至少举办1期领导干部法治专题培训班。", ("year", 1, "领导干部法治专题培训班")),
        ("全年集中学法不少于4次。", ("year", 4, "集中学法")),
    ],
)
def test_period_and_count(body, expected):
    assert summary(body) == [expected]


def test_count_without_period_is_yearly_or_takes_the_clause_period():
    # a "once" duty needs a due date; without one the count is read per year, as the ledger is
    assert summary("至少举办1期法治讲座。") == [("year", 1, "法治讲座")]
    assert summary("每季度召开1次执法协调会议。至少举办1期执法培训班。") == [
        ("quarter", 1, "执法协调会议"), ("quarter", 1, "执法培训班"),
    ]


def test_context_names_the_duty_when_the_count_ends_the_sentence():
    assert summary("健全并落实党委理论学习中心组学法制度，每年学法不少于2次。") == [
        ("year", 2, "党委理论学习中心组学法")
    ]
    assert summary("健全政府常务会议集体学法制度，每年学法不少于4次。") == [("year", 4, "政府常务会议集体学法")]


def test_nested_quota_gives_one_duty_per_level():
    assert summary("政府常务会议会前学法每年不少于24次，每月不少于2次。") == [
        ("year", 24, "政府常务会议会前学法"),
        ("month", 2, "政府常务会议会前学法"),
    ]
    # also when the levels are separate sentences of the clause
    assert [d.period for d in duties("会前学法每年不少于12次；每季度不少于3次。")] == ["year", "quarter"]


def test_separately_heard_reports_expand_per_body():
    found = duties("每年分别听取本级人大、政府、政协、法院、检察院党组工作汇报，及时研究解决重大问题。")
    assert [(d.target, d.title, d.period, d.min_count) for d in found] == [
        ("人大", "听取人大党组工作汇报", "year", 1),
        ("政府", "听取政府党组工作汇报", "year", 1),
        ("政协", "听取政协党组工作汇报", "year", 1),
        ("法院", "听取法院党组工作汇报", "year", 1),
        ("检察院", "听取检察院党组工作汇报", "year", 1),
    ]
    assert len({d.source_text for d in found}) == 1


def test_expansion_with_and_and_a_count():
    found = duties("每半年分别听取法院和检察院工作情况汇报1次。")
    assert [(d.target, d.period, d.min_count) for d in found] == [("法院", "half_year", 1), ("检察院", "half_year", 1)]
    assert found[0].title == "听取法院工作情况汇报"


def test_each_year_with_an_action_but_no_number_is_once_a_year():
    assert summary("每年向上级党委书面报告履行推进法治建设第一责任人职责情况。") == [
        ("year", 1, "书面报告履行推进法治建设第一责任人职责情况")
    ]


@pytest.mark.parametrize(
    "body, due",
    [
        ("每年3月1日前向本级党委、人大常委会报告上一年度法治政府建设情况。", "03-01"),
        ("每年二月底前报送上一年度述法报告。", "02-28"),
        ("年底前完成本年度法治机关建设考核。", "12-31"),
        ("每年年底前组织开展法治政府建设督察。", "12-31"),
    ],
)
def test_in_year_deadlines(body, due):
    found = duties(body)
    assert [(d.period, d.min_count, d.due) for d in found] == [("year", 1, due)]


def test_deadline_title():
    assert duties("每年3月1日前向本级党委、人大常委会报告上一年度法治政府建设情况。")[0].title == (
        "报告上一年度法治政府建设情况"
    )


@pytest.mark.parametrize(
    "body, due",
    [
        ("县长2021年6月30日前完成规范性文件全面清理。", "2021-06-30"),
        ("政府主要负责人应当于2022年底前建成行政执法监督平台。", "2022-12-31"),
        ("区委书记2020年9月底前主持出台配套制度。", "2020-09-30"),
    ],
)
def test_once_deadlines_of_a_leader(body, due):
    assert [(d.period, d.min_count, d.due) for d in duties(body)] == [("once", 1, due)]


def test_once_deadline_under_a_heads_chapter():
    found = duties("2021年6月30日前完成规范性文件全面清理。", "第三章 政府主要负责人职责")
    assert [(d.period, d.due, d.role) for d in found] == [("once", "2021-06-30", "government")]


@pytest.mark.parametrize(
    "body",
    [
        "2021年6月30日前完成规范性文件全面清理。",
        "主要执法部门在2017年年底前全部建立政府法律顾问队伍。（责任单位：市政府相关部门）",
        "于2022年底前建成行政执法监督平台，2023年6月底前实现全覆盖。",
    ],
)
def test_one_off_work_plan_tasks_are_not_duties(body):
    rules = parse_rules_text(f"第一条 {body}")
    assert rules.duties == []
    assert any("一次性工作任务" in w for w in rules.warnings)


def test_deadline_attaches_to_a_counted_yearly_duty():
    found = duties("每年12月10日前召开1次述法评议会议。")
    assert [(d.period, d.min_count, d.due, d.title) for d in found] == [("year", 1, "12-10", "述法评议会议")]


@pytest.mark.parametrize(
    "body",
    [
        "定期听取有关工作汇报，及时研究解决重大问题。",
        "把依法办事作为领导班子民主生活会重要内容，经常性提醒督促。",
        "每年组织旁听庭审不超过3次。",
        "每两年组织一次第三方评估。",
        "落实一次性告知制度。",
        "第一次会议由主任召集。",
        "健全并执行党委工作规则。",
        "本办法自2019年10月24日起施行。",
    ],
)
def test_unquantified_or_unsupported_clauses_give_no_duty(body):
    assert duties(body) == []


def test_implicit_annual_report_and_debrief():
    assert summary("落实法治政府建设年度报告制度。年度报告应当向社会公开。") == [("year", 1, "法治政府建设年度报告")]
    assert summary("党政主要负责人应将履行第一责任人职责情况列入年终述职重要内容。") == [("year", 1, "年终述职")]
    assert duties("党政主要负责人应将履行第一责任人职责情况列入年终述职重要内容。")[0].role == "all"


@pytest.mark.parametrize(
    "chapter, body, role",
    [
        ("第二章 党委主要负责人职责", "每年至少召开1次会议。", "party"),
        ("第二章 县委主要负责人职责", "每年至少召开1次会议。", "party"),
        ("第三章 政府主要负责人职责", "每年至少召开1次会议。", "government"),
        ("第三章 党政主要负责人共同职责", "每年至少召开1次会议。", "all"),
        (None, "党委常委会每年听取1次法治建设汇报。", "party"),
        (None, "政府常务会议每年听取1次法治政府建设汇报。", "government"),
        (None, "党政主要负责人每年至少参加1次述法评议。", "all"),
        (None, "每年至少召开1次法治工作会议。", "all"),
    ],
)
def test_roles(chapter, body, role):
    found = duties(body, chapter)
    assert [d.role for d in found] == [role]


def test_chapter_role_wins_over_words():
    found = duties("每年分别听取本级人大、政府党组工作汇报。", "第二章 党委主要负责人职责")
    assert {d.role for d in found} == {"party"}


def test_clause_words_give_the_role():
    rules = parse_rules_text(
        "第一条 职责分工。\n（一）党委常委会每年至少听取1次法治建设汇报。\n（二）政府常务会议每季度学法1次。"
    )
    assert [(d.clause, d.role) for d in rules.duties] == [(1, "party"), (2, "government")]


def test_duty_points_at_article_and_clause():
    rules = parse_rules_text("第十四条 组织领导。\n（一）制定计划。\n（二）每年至少召开1次工作会议。")
    assert [(d.article, d.clause) for d in rules.duties] == [(14, 2)]
    rules = parse_rules_text("第二十条 每年至少召开1次工作会议。")
    assert [(d.article, d.clause) for d in rules.duties] == [(20, None)]

"""One small text per pattern of the texts clerks paste from other provinces, cities, counties
and departments: prose without numbering, numbering the parser did not know, deadlines,
ranges, roles, quotas in hours — and the numbers that must never become duties."""

from __future__ import annotations

import pytest

from duty_tracker.core.rules import parse_rules_text


def summary(text: str):
    return [(d.period, d.min_count, d.unit, d.due, d.title) for d in parse_rules_text(text).duties]


def periods(text: str):
    return [(d.period, d.min_count, d.unit, d.due) for d in parse_rules_text(text).duties]


# -- 1. texts without clause markers --------------------------------------------------------------

def test_paragraphs_are_articles_numbered_and_labelled_in_order():
    text = (
        "关于进一步加强领导干部学法用法工作的通知\n\n"
        "\u3000\u3000各乡镇、县直各单位：\n\n"
        "\u3000\u3000为推动领导干部带头尊法学法守法用法，现将有关事项通知如下。\n\n"
        "\u3000\u3000各单位主要负责人每年至少主持召开1次本单位法治建设专题会议。\n\n"
        "\u3000\u3000各单位领导班子每季度集体学法不少于1次。\n\n"
        "\u3000\u3000特此通知。\n"
    )
    rules = parse_rules_text(text)
    assert rules.title == "关于进一步加强领导干部学法用法工作的通知"
    assert [(a.number, a.label, a.kind) for a in rules.articles] == [
        (1, "第1段", "paragraph"), (2, "第2段", "paragraph"), (3, "第3段", "paragraph"),
        (4, "第4段", "paragraph"),
    ]
    assert rules.articles[1].text == "各单位主要负责人每年至少主持召开1次本单位法治建设专题会议。"
    assert [(d.article, d.period, d.min_count, d.role) for d in rules.duties] == [
        (2, "year", 1, "other"), (3, "quarter", 1, "other"),
    ]


def test_a_block_without_line_breaks_is_cut_into_sentences():
    text = (
        "近日，某县印发《某县党政主要负责人履行推进法治建设第一责任人职责规定》。《规定》明确，县委主要负责人"
        "每年至少主持召开2次县委全面依法治县委员会会议。县长每年至少听取1次法治政府建设情况汇报。"
        "《规定》自印发之日起施行。"
    )
    rules = parse_rules_text(text)
    assert rules.title == "某县党政主要负责人履行推进法治建设第一责任人职责规定"  # the rule it reports
    assert [(a.label, a.kind) for a in rules.articles] == [
        ("第1句", "sentence"), ("第2句", "sentence"), ("第3句", "sentence"), ("第4句", "sentence"),
    ]
    assert [(d.article, d.role, d.min_count) for d in rules.duties] == [(2, "party", 2), (3, "government", 1)]
    assert any("按句子拆分为4句" in w for w in rules.warnings)


def test_lines_broken_mid_sentence_join_into_one_paragraph():
    text = (
        "党政主要负责人每年至少召开1次法治建设工作会议，研究部署年度\n"
        "重点工作。\n"
        "政府常务会议每半年至少听取1次法治政府建设情况\n汇报。\n"
    )
    rules = parse_rules_text(text)
    assert [a.text for a in rules.articles] == [
        "党政主要负责人每年至少召开1次法治建设工作会议，研究部署年度重点工作。",
        "政府常务会议每半年至少听取1次法治政府建设情况汇报。",
    ]
    assert [d.title for d in rules.duties] == ["法治建设工作会议", "政府常务会议听取法治政府建设情况汇报"]


def test_headings_between_paragraphs_are_chapters_and_name_the_role():
    text = (
        "某区落实第一责任人职责工作办法\n"
        "党委主要负责人职责\n"
        "每年至少召开2次会议专题研究法治建设。\n"
        "政府主要负责人职责\n"
        "每年至少召开1次会议专题研究法治政府建设。\n"
    )
    rules = parse_rules_text(text)
    assert [a.chapter for a in rules.articles] == ["党委主要负责人职责", "政府主要负责人职责"]
    assert [(d.role, d.min_count) for d in rules.duties] == [("party", 2), ("government", 1)]


def test_text_without_any_quota_gives_articles_and_says_why_there_are_no_duties():
    text = "某镇关于加强法治建设的意见\n坚持党的领导，健全工作机制。\n加强组织保障，落实工作责任。\n"
    rules = parse_rules_text(text)
    assert [a.label for a in rules.articles] == ["第1段", "第2段"]
    assert rules.duties == []
    assert any("没有生成履职事项" in w and "全部内容已作为条文保留" in w for w in rules.warnings)


# -- 2. numbering 1、 1. （1） ① as markers; one top-level marker is enough ------------------------

@pytest.mark.parametrize(
    "first, second, label",
    [("1、", "2、", "1."), ("1.", "2.", "1."), ("1．", "2．", "1."), ("(1)", "(2)", "（1）"),
     ("（1）", "（2）", "（1）"), ("①", "②", "①"), ("1）", "2）", "1.")],
)
def test_arabic_and_circled_numbering_as_top_level(first, second, label):
    text = f"某局法治建设工作要求\n{first}每年召开2次法治工作会议。\n{second}每季度开展1次执法检查。\n"
    rules = parse_rules_text(text)
    assert [(a.number, a.kind) for a in rules.articles] == [(1, "item"), (2, "item")]
    assert rules.articles[0].label == label
    assert [(d.article, d.period, d.min_count) for d in rules.duties] == [(1, "year", 2), (2, "quarter", 1)]


def test_arabic_items_with_sub_items():
    text = "1、学法制度。\n（1）每年集中学法不少于4次；\n（2）每月自学1次。\n2、其他事项。"
    rules = parse_rules_text(text)
    assert [a.label for a in rules.articles] == ["1.", "2."]
    assert [c.label for c in rules.articles[0].clauses] == ["（1）", "（2）"]
    assert [(d.article, d.clause, d.period) for d in rules.duties] == [(1, 1, "year"), (1, 2, "month")]


@pytest.mark.parametrize("marker", ["一、", "（一）", "1、", "1.", "①"])
def test_a_single_top_level_marker_is_not_refused(marker):
    text = f"某局通知\n为加强法治建设，通知如下：\n{marker}局主要负责人每年至少听取2次法治工作汇报。\n"
    rules = parse_rules_text(text)
    assert len(rules.articles) == 1 and rules.articles[0].kind == "item"
    assert [(d.period, d.min_count, d.role) for d in rules.duties] == [("year", 2, "other")]


def test_numbers_of_seasons_are_no_item_labels():
    rules = parse_rules_text("一、二季度各召开1次执法协调会议。\n三、四季度各开展1次执法检查。")
    assert [a.kind for a in rules.articles] == ["paragraph", "paragraph"]


# -- 3. one-off dated tasks of a work plan are not duties --------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "一、深化法治政府建设\n主要执法部门在2017年年底前全部建立政府法律顾问队伍。（责任单位：市政府相关部门）",
        "2022年6月底前，各区完成行政执法“三项制度”落实情况评估。",
        "（三）2023年底前，实现行政复议案件网上办理全覆盖。",
    ],
)
def test_work_plan_deadlines_are_left_out_and_reported(text):
    rules = parse_rules_text(text)
    assert rules.duties == []
    assert any("一次性工作任务" in w for w in rules.warnings)


def test_a_leader_bound_one_off_stays():
    rules = parse_rules_text("第五条 县委书记于2021年12月31日前主持完成县委法律顾问制度建设。")
    assert [(d.period, d.due, d.role) for d in rules.duties] == [("once", "2021-12-31", "party")]
    assert not any("一次性工作任务" in w for w in rules.warnings)


# -- 4. a mere mention of an annual report is not a duty ----------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "第一条 根据法治政府建设年度报告反映的情况，查找问题短板。",
        "第一条 《某市2022年法治政府建设年度报告》显示，全市行政复议纠错率下降。",
        "第一条 各单位在法治政府建设年度报告中要如实反映问题。",
        "五、法治政府建设年度报告\n各单位要高度重视，精心组织。",
        "第一条 为贯彻“法治政府建设年度报告”有关精神，制定本办法。",
    ],
)
def test_annual_report_mentions_are_not_duties(text):
    assert parse_rules_text(text).duties == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一条 落实法治政府建设年度报告制度。", [("year", 1, "times", None, "法治政府建设年度报告")]),
        ("第一条 每年3月1日前报送法治政府建设年度报告。",
         [("year", 1, "times", "03-01", "报送法治政府建设年度报告")]),
    ],
)
def test_explicit_annual_reports_are_duties(text, expected):
    assert summary(text) == expected


# -- 5. a range gives its lower number ----------------------------------------------------------

@pytest.mark.parametrize(
    "body, count",
    [("每年召开1—2次法治工作会议。", 1), ("每年开展2至3次法治督察。", 2), ("每半年听取1-2次汇报。", 1),
     ("每季度开展一至两次执法检查。", 1), ("每年组织两到三次旁听庭审。", 2), ("每年开展一两次专题学法。", 1),
     ("每年举办3~5期法治讲座。", 3), ("每年召开３－５次会议研究法治工作。", 3)],
)
def test_ranges_take_the_lower_number(body, count):
    assert [d.min_count for d in parse_rules_text(f"第一条 {body}").duties] == [count]


# -- period words of other texts ----------------------------------------------------------------

@pytest.mark.parametrize(
    "body, expected",
    [
        ("党委常委会每年上、下半年各听取1次法治建设工作汇报。",
         ("half_year", 1, "党委常委会听取法治建设工作汇报")),
        ("每年上下半年各召开一次法治工作会议。", ("half_year", 1, "法治工作会议")),
        ("党委常委会一年至少两次听取法治建设工作汇报。", ("year", 2, "党委常委会听取法治建设工作汇报")),
        ("政府常务会议原则上半年听取一次法治政府建设情况汇报。",
         ("half_year", 1, "政府常务会议听取法治政府建设情况汇报")),
        ("按季度听取行政执法工作情况汇报。", ("quarter", 1, "听取行政执法工作情况汇报")),
        ("党委常委会至少每年听取1次法治建设工作汇报。", ("year", 1, "党委常委会听取法治建设工作汇报")),
        ("召开法治工作会议，每年1次。", ("year", 1, "法治工作会议")),
        ("每年举办不少于3期、每期不少于2天的领导干部法治培训班。", ("year", 3, "领导干部法治培训班")),
        ("每年组织开展一次以上“法治进机关”活动。", ("year", 1, "法治进机关活动")),
    ],
)
def test_period_words_and_titles_of_other_texts(body, expected):
    assert [(d.period, d.min_count, d.title) for d in parse_rules_text(f"第一条 {body}").duties] == [expected]


@pytest.mark.parametrize(
    "body", ["每两个月召开一次联席会议。", "每周召开一次例会。", "一年来，全市共开展学法活动30次以上。"]
)
def test_frequencies_the_ledger_cannot_count_give_nothing(body):
    assert parse_rules_text(f"第一条 {body}").duties == []


# -- 6. several deadlines in one article --------------------------------------------------------

def test_each_deadline_keeps_its_date_and_its_task():
    text = ("第八条 各地每年1月底前报送上一年度法治建设工作总结，6月30日前报送半年工作进展情况，"
            "12月10日前报送下一年度工作计划。")
    assert [(d.due, d.title) for d in parse_rules_text(text).duties] == [
        ("01-31", "报送上一年度法治建设工作总结"),
        ("06-30", "报送半年工作进展情况"),
        ("12-10", "报送下一年度工作计划"),
    ]


@pytest.mark.parametrize(
    "body, title",
    [
        ("每年3月1日前，向市委、市政府报告上一年度法治政府建设情况。", "报告上一年度法治政府建设情况"),
        ("年度述法报告应于每年1月31日前报送县委依法治县办。", "报送年度述法报告"),
        ("每年年底前，组织开展法治政府建设督察。", "法治政府建设督察"),
    ],
)
def test_deadline_titles_name_the_task_not_the_date(body, title):
    found = parse_rules_text(f"第一条 {body}").duties
    assert [d.title for d in found] == [title]
    assert not any(ch.isdigit() for ch in found[0].title)


# -- 7. deadline forms ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, due",
    [
        ("县长每年第一季度向县人大常委会报告上一年度法治政府建设情况。", "03-31"),
        ("县长每年一季度向县委报告法治政府建设情况。", "03-31"),
        ("每年第三季度组织开展行政执法案卷评查。", "09-30"),
        ("每年上半年组织1次法治专题讲座。", "06-30"),
        ("每年11月至12月期间，组织开展领导干部述法评议。", "12-31"),
        ("每年12月期间，组织开展述法评议。", "12-31"),
        ("每年3月向县委报告上一年度法治建设情况。", "03-31"),
    ],
)
def test_yearly_deadline_forms(body, due):
    assert periods(f"第一条 {body}") == [("year", 1, "times", due)]


@pytest.mark.parametrize(
    "body, due",
    [("每年12月20日至31日期间开展述法。", "12-31"), ("每年1至2月组织年终述法。", "02-28"),
     ("各级党委每年年底或次年年初组织开展述法评议。", None), ("每年年初制定年度普法工作计划。", None)],
)
def test_yearly_windows(body, due):
    assert periods(f"第一条 {body}") == [("year", 1, "times", due)]


@pytest.mark.parametrize(
    "body, period, title",
    [("每季度第一个月10日前报送上季度执法数据。", "quarter", "报送上季度执法数据"),
     ("每月5日前报送上月行政复议案件情况。", "month", "报送上月行政复议案件情况")],
)
def test_a_day_inside_a_quarter_or_month_keeps_the_duty(body, period, title):
    assert summary(f"第一条 {body}") == [(period, 1, "times", None, title)]


@pytest.mark.parametrize(
    "body, due, title",
    [
        ("述法报告于次年1月底前报送县委依法治县办。", "01-31", "报送述法报告"),
        ("每年元月召开全县法治工作会议。", "01-31", "全县法治工作会议"),
        ("报告应当于每年4月1日之前通过报刊、网站等新闻媒体向社会公开。", "04-01", "公开报告"),
        ("每年“12·4”国家宪法日前后组织开展宪法宣传周活动。", None, "宪法宣传周活动"),
    ],
)
def test_more_yearly_deadline_forms(body, due, title):
    assert summary(f"第一条 {body}") == [("year", 1, "times", due, title)]


def test_two_subjects_with_their_own_periods_share_the_quota():
    found = parse_rules_text("第一条 乡镇党委每半年、政府每季度至少听取1次法治建设汇报。").duties
    assert [(d.role, d.period, d.min_count, d.title) for d in found] == [
        ("party", "half_year", 1, "听取法治建设汇报"), ("government", "quarter", 1, "听取法治建设汇报"),
    ]


def test_a_window_into_the_next_year_has_no_due_day():
    assert periods("第一条 每年12月至次年1月期间，组织开展年终述法。") == [("year", 1, "times", None)]


def test_a_day_without_a_year_in_a_dated_notice_is_a_one_off_of_that_year():
    text = ("关于报送述法报告的通知\n各部门主要负责人于4月30日前报送本人述法报告。\n"
            "某县依法治县办\n2023年3月2日")
    assert [(d.period, d.due, d.role) for d in parse_rules_text(text).duties] == [("once", "2023-04-30", "other")]


def test_a_day_already_past_in_the_notice_year_falls_in_the_next_year():
    text = "关于述法的通知\n局主要负责人于1月31日前报送本人述法报告。\n某县依法治县办\n2023年11月20日"
    assert [d.due for d in parse_rules_text(text).duties] == ["2024-01-31"]


def test_a_day_without_a_year_in_an_undated_rule_recurs():
    assert periods("第一条 政府主要负责人应于3月1日前向本级党委报告上一年度法治政府建设情况。") == [
        ("year", 1, "times", "03-01")
    ]


# -- 8. roles --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, role",
    [
        ("各部门主要负责人每年向本级党委报告1次履职情况。", "other"),
        ("市直各部门党组（党委）书记每年至少主持召开1次党组会议研究法治建设。", "other"),
        ("部门（单位）主要负责人每年至少讲授1次法治课。", "other"),
        ("市政府各部门于每年3月1日前向市委、市政府报告上一年度法治政府建设情况。", "other"),
        ("各乡镇（街道）党政主要负责人每年至少听取2次法治建设工作汇报。", "all"),
        ("县委书记每年至少听取1次部门主要负责人述法。", "party"),
        ("督促部门主要负责人每年至少述法1次。", "other"),  # the 述法 is theirs to do
        ("区委常委会每年至少听取2次法治建设汇报。", "party"),
        ("国有企业主要负责人每年至少组织1次合规培训。", "other"),
        ("县委每年召开一次全会专题研究法治建设。", "party"),
        ("行政机关负责人出庭应诉每年不少于1次。", "government"),
        ("县级以上地方各级政府每年第一季度要向同级党委报告上一年度法治政府建设情况。", "government"),
        ("政府部门每年至少开展1次行政执法案卷评查。", "other"),
        ("县级政府工作部门应当于每年1月31日前报送上一年度法治政府建设情况报告。", "other"),
    ],
)
def test_roles_of_heads(body, role):
    assert [d.role for d in parse_rules_text(f"第一条 {body}").duties] == [role]


def test_each_piece_of_a_sentence_keeps_its_own_subject():
    text = ("第十九条 县级以上地方各级政府每年第一季度要向同级党委、人大常委会报告上一年度法治政府建设情况，"
            "政府部门每年第一季度要向本级党委和政府报告上一年度法治政府建设情况。")
    assert [(d.role, d.due) for d in parse_rules_text(text).duties] == [
        ("government", "03-31"), ("other", "03-31"),
    ]


def test_a_chapter_of_department_heads():
    text = "第四章 部门主要负责人职责\n第十条 每年至少召开1次法治建设专题会议。"
    assert [d.role for d in parse_rules_text(text).duties] == ["other"]


def test_the_title_names_whom_the_document_binds():
    text = ("某市市级部门主要负责人履行推进法治建设第一责任人职责规定\n"
            "第一条 每年至少召开1次法治建设专题会议。\n第二条 县委书记每年听取1次汇报。")
    assert [d.role for d in parse_rules_text(text).duties] == ["other", "party"]


def test_clause_lead_in_names_department_heads():
    text = ("第二条 市级部门主要负责人应当履行下列职责：\n（一）每年至少主持召开2次部门党组（党委）会议；\n"
            "（二）其中至少1次为宪法专题学习。")
    found = parse_rules_text(text).duties
    assert [(d.clause, d.role, d.title) for d in found] == [(1, "other", "部门党组会议"), (2, "other", "宪法专题学习")]


def test_department_heads_named_after_the_quota_do_not_change_the_chapter_role():
    text = ("第三章 政府主要负责人职责\n第九条 健全政府常务会议集体学法制度，每年学法不少于4次，"
            "探索开展政府部门主要负责人讲法工作。")
    assert [d.role for d in parse_rules_text(text).duties] == ["government"]


# -- 9. structure ---------------------------------------------------------------------------------

def test_a_second_article_run_into_the_line_is_split():
    text = "第一条 为了规范，制定本办法。第二条 党委主要负责人每年听取2次汇报。 第三条 本办法自印发之日起施行。"
    rules = parse_rules_text(text)
    assert [a.number for a in rules.articles] == [1, 2, 3]
    assert [(d.article, d.min_count) for d in rules.duties] == [(2, 2)]


def test_chapter_and_article_on_one_line_after_a_web_paste():
    text = ("某县规定 第一章 总则 第一条 为了规范，制定本规定。 第二章 县委主要负责人职责 第二条 每年听取2次汇报。"
            "第三条 依照第二条规定执行。")
    rules = parse_rules_text(text)
    assert [(a.number, a.chapter) for a in rules.articles] == [
        (1, "第一章 总则"), (2, "第二章 县委主要负责人职责"), (3, "第二章 县委主要负责人职责"),
    ]
    assert rules.articles[2].text == "依照第二条规定执行。"  # a cross-reference is no heading
    assert [(d.article, d.role) for d in rules.duties] == [(2, "party")]


def test_cross_references_mid_line_are_not_split():
    rules = parse_rules_text("第一条 甲。\n第二条 依照第三条执行，第三条规定的除外。\n第三条 丙。")
    assert [a.number for a in rules.articles] == [1, 2, 3]
    assert rules.articles[1].text == "依照第三条执行，第三条规定的除外。"


def test_a_run_on_yi_item_is_split():
    rules = parse_rules_text("一、落实责任。每年召开1次会议。二、强化学法。每季度学法1次。")
    assert [a.label for a in rules.articles] == ["一、", "二、"]
    assert [(d.article, d.period) for d in rules.duties] == [(1, "year"), (2, "quarter")]


def test_an_inline_list_in_prose_stays_inside_its_paragraph():
    text = (
        "《规定》明确了党委主要负责人的三项职责：（一）每年至少听取2次法治建设工作汇报；"
        "（二）每年至少召开1次专题会议；（三）定期督促检查。\n"
        "《规定》还要求，政府主要负责人每季度至少听取1次行政执法情况汇报。\n"
    )
    rules = parse_rules_text(text)
    assert [(a.label, a.kind) for a in rules.articles] == [("第1段", "paragraph"), ("第2段", "paragraph")]
    assert [c.label for c in rules.articles[0].clauses] == ["（一）", "（二）", "（三）"]
    assert rules.articles[1].text.startswith("《规定》还要求")
    assert [(d.article, d.clause, d.role, d.period) for d in rules.duties] == [
        (1, 1, "party", "year"), (1, 2, "party", "year"), (2, None, "government", "quarter"),
    ]


def test_prose_with_a_quota_before_the_first_item_is_kept():
    text = (
        "某县出台法治建设新规\n"
        "近日，某县印发《规定》，要求县委主要负责人每年至少主持召开2次县委全面依法治县委员会会议。\n"
        "《规定》还明确了以下职责：\n"
        "一、县长每季度至少听取1次行政执法情况汇报。\n"
        "二、各部门主要负责人每年述法1次。\n"
    )
    rules = parse_rules_text(text)
    assert [(a.number, a.label, a.kind) for a in rules.articles] == [
        (1, "第1段", "paragraph"), (2, "一、", "item"), (3, "二、", "item"),
    ]
    assert [(d.article, d.role, d.period, d.min_count) for d in rules.duties] == [
        (1, "party", "year", 2), (2, "government", "quarter", 1), (3, "other", "year", 1),
    ]


# -- 10. table junk -------------------------------------------------------------------------------

def test_a_flattened_web_table_leaves_no_borders_in_the_text():
    text = (
        "某区党政主要负责人法治建设职责清单\n"
        "| 序号 | 职责内容 | 频次要求 |\n|---|---|---|\n"
        "|1.|区委书记主持召开区委全面依法治区委员会会议|每年至少2次|\n"
        "|2.|区长听取法治政府建设情况汇报|每半年至少1次|\n"
        "|3.|区政府常务会议会前学法|每年不少于12次|\n"
    )
    rules = parse_rules_text(text)
    assert [a.label for a in rules.articles] == ["1.", "2.", "3."]
    assert all("|" not in a.text for a in rules.articles)
    assert all("|" not in d.source_text and "|" not in d.title for d in rules.duties)
    assert [(d.article, d.role, d.period, d.min_count) for d in rules.duties] == [
        (1, "party", "year", 2), (2, "government", "half_year", 1), (3, "government", "year", 12),
    ]


# -- 11. quotas in hours -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, expected",
    [
        ("领导干部年度学法不少于40学时。", [("year", 40, "hours", None, "领导干部年度学法")]),
        ("每年集中学法不少于2天。", [("year", 12, "hours", None, "集中学法")]),
        ("县级领导干部每年参加法治培训累计不少于半天。", [("year", 3, "hours", None, "县级领导干部法治培训")]),
        ("每年参加集中培训累计不少于3天或者18学时。", [("year", 18, "hours", None, "集中培训")]),
        ("每季度自学法律知识不少于8个小时。", [("quarter", 8, "hours", None, "自学法律知识")]),
        ("每年学法不少于4次，累计不少于16学时。",
         [("year", 4, "times", None, "学法"), ("year", 16, "hours", None, "学法")]),
    ],
)
def test_quotas_in_hours(body, expected):
    assert summary(f"第一条 {body}") == expected


@pytest.mark.parametrize(
    "body",
    [
        "会前学法每次不少于半小时。",
        "每次学法时间不少于1小时。",
        "举办为期3天的法治专题培训班。",
        "法治讲座时长不少于2小时。",
        "行政复议申请应在5个工作日内审查。",
    ],
)
def test_durations_of_one_session_are_no_duties(body):
    assert parse_rules_text(f"第一条 {body}").duties == []


def test_the_duration_stays_in_the_text_of_the_duty():
    found = parse_rules_text("第一条 政府常务会议会前学法每年不少于12次，每次不少于半小时。").duties
    assert [(d.min_count, d.unit) for d in found] == [(12, "times")]
    assert "每次不少于半小时" in found[0].source_text


# -- numbers that are never duties ---------------------------------------------------------------

@pytest.mark.parametrize(
    "body",
    [
        "各单位要配备1至2名专职法治工作人员。",
        "每个乡镇至少配备1名公职律师。",
        "去年全市开展学法活动24次。",
        "2022年，全市共举办法治讲座120场以上。",
        "今年以来已召开3次专题会议。",
        "全市累计开展执法检查1200余次。",
        "行政机关负责人出庭应诉率不低于90%。",
        "每年规范性文件备案审查率达到100%。",
        "深入贯彻“两个确立”，增强“四个意识”。",
        "坚定拥护两个确立，坚决做到两个维护。",
        "深化“最多跑一次”改革，推行一次性告知。",
        "深化最多跑一次改革。",
        "学习贯彻党的二十大和二十届三中全会精神。",
        "每年组织旁听庭审不超过3次。",
        "全市已建成法治文化阵地120个，开展法治宣传活动3000余场。",
        "近三年来，累计开展学法活动60次。",
        "截至目前，已召开常务会议学法12次。",
        "力争到2025年，行政复议纠错率控制在15%以内。",
        "每年邀请2至3名法律专家授课。",
        "全年共召开法治工作会议2次。",
        "全年组织两期行政执法人员培训班，合格率86%。",
        "述法报告字数一般不少于3000字。",
        "会议要求，在本单位公示不少于5个工作日。",
    ],
)
def test_negative_numbers_never_become_duties(body):
    assert parse_rules_text(f"第一条 {body}").duties == []

"""Each way a work-points text names units, roles and deadlines, one test per pattern."""

from __future__ import annotations

import pytest

from duty_tracker.core.workpoints import ASSIST, LEAD, RESPONSIBLE, parse_workpoints_text
from duty_tracker.core.workpoints.clauses import find_clauses, prose_roles
from duty_tracker.core.workpoints.deadlines import choose_due, find_deadlines
from duty_tracker.core.workpoints.lines import canonical
from duty_tracker.core.workpoints.units import is_unit_name, parse_unit_list

L, R, A = LEAD, RESPONSIBLE, ASSIST


def roles(text: str) -> list[tuple[str, str]]:
    return [(r.name, r.role) for r in parse_unit_list(text)]


def clause_roles(text: str) -> list[tuple[str, str]]:
    found = find_clauses(canonical(text))
    assert found, text
    return [(r.name, r.role) for c in found for r in c.roles]


def one_task(body: str, year: int = 2019):
    """A minimal document around one task, so the whole parser is exercised."""
    parsed = parse_workpoints_text(f"某市{year}年法治政府建设工作要点\n\n一、测试部分\n{body}\n")
    assert len(parsed.tasks) == 1, [t.to_dict() for t in parsed.tasks]
    return parsed.tasks[0]


# --- unit lists --------------------------------------------------------------------------------

def test_enumeration_comma_list():
    assert roles("市政府办公厅、市法制办") == [("市政府办公厅", R), ("市法制办", R)]


def test_lead_group_and_responsible_group():
    assert roles("市司法局、市发改委牵头，市财政局、市审计局负责") == [
        ("市司法局", L), ("市发改委", L), ("市财政局", R), ("市审计局", R)]


def test_lead_and_assist_words():
    assert roles("市司法局牵头，市发改委、市财政局配合") == [("市司法局", L), ("市发改委", A), ("市财政局", A)]


def test_marker_in_brackets_after_a_name():
    assert roles("市司法局（牵头）、市财政局") == [("市司法局", L), ("市财政局", R)]


def test_collective_names_with_their_own_separators_stay_whole():
    assert roles("各区、县（市）政府，市政府各部门") == [("各区、县（市）政府", R), ("市政府各部门", R)]
    assert roles("各县（市、区）人民政府") == [("各县（市、区）人民政府", R)]
    assert roles("各乡镇人民政府、街道办事处") == [("各乡镇人民政府、街道办事处", R)]


def test_he_splits_only_between_two_unit_names():
    assert roles("市委宣传部和市司法局") == [("市委宣传部", R), ("市司法局", R)]
    assert roles("市人力资源和社会保障局") == [("市人力资源和社会保障局", R)]
    assert roles("市发展和改革委员会及市财政局") == [("市发展和改革委员会", R), ("市财政局", R)]


def test_spaces_separate_names_in_a_table_cell():
    assert roles("县司法局 县财政局") == [("县司法局", R), ("县财政局", R)]


def test_trailing_deng_is_dropped():
    assert roles("市发改委等") == [("市发改委", R)]


def test_a_unit_named_twice_keeps_its_strongest_role():
    assert roles("市司法局牵头，市司法局、市财政局配合") == [("市司法局", L), ("市财政局", A)]


@pytest.mark.parametrize("name", ["市司法局", "杭州仲裁委", "富阳区政府", "团市委", "市政府各部门",
                                  "各区、县（市）政府", "国家税务总局杭州市税务局", "市交通运输综合行政执法总队"])
def test_unit_names(name):
    assert is_unit_name(name)


@pytest.mark.parametrize("text", ["加强组织领导", "召开专题会", "2017年", "中发〔2015〕36号", "试行", "完善工作机制"])
def test_not_unit_names(text):
    assert not is_unit_name(text)


# --- clauses -----------------------------------------------------------------------------------

def test_half_width_responsible_clause():
    assert clause_roles("加强备案审查。(责任单位:市法制办、市政府办公厅)") == [("市法制办", R), ("市政府办公厅", R)]


def test_full_width_responsible_clause_with_roles():
    assert clause_roles("推进改革。（责任单位：市审管办、市编委办牵头，市政府各部门负责）") == [
        ("市审管办", L), ("市编委办", L), ("市政府各部门", R)]


def test_lead_and_assist_fields():
    assert clause_roles("推进公开。（牵头单位：省政府办公厅；配合单位：省财政厅、省发展改革委）") == [
        ("省政府办公厅", L), ("省财政厅", A), ("省发展改革委", A)]


def test_lead_and_assist_fields_with_commas_and_half_width_colons():
    assert clause_roles("推进公开。(牵头单位:省政府办公厅,配合单位:省财政厅)") == [("省政府办公厅", L), ("省财政厅", A)]


def test_square_bracket_clause():
    assert clause_roles("推进审批改革。【牵头单位：市发改委；配合单位：市审管办】") == [("市发改委", L), ("市审管办", A)]


def test_bracket_of_role_words_without_field_name():
    assert clause_roles("开展督察。（省司法厅牵头，省绩效办配合）") == [("省司法厅", L), ("省绩效办", A)]


def test_bare_bracket_of_unit_names_at_the_end_of_a_sentence():
    assert clause_roles("推进政务公开（市政府办公厅、市大数据局）。") == [("市政府办公厅", R), ("市大数据局", R)]


def test_brackets_that_are_no_units_are_left_alone():
    text = canonical("贯彻《法治政府建设实施纲要（2015—2020年）》（中发〔2015〕36号）和《办法（试行）》")
    assert find_clauses(text) == []


def test_unbracketed_fields_in_running_text():
    found = find_clauses("建立制度。责任单位：市司法局、市财政局。完成时限：年底前。")
    assert [(r.name, r.role) for c in found for r in c.roles] == [("市司法局", R), ("市财政局", R)]
    assert [v for c in found for v in c.deadline_values] == ["年底前"]


def test_nested_brackets_inside_a_clause():
    assert clause_roles("（责任单位：各区、县（市）政府，市政府各部门）") == [("各区、县（市）政府", R), ("市政府各部门", R)]


def test_units_line_on_its_own_line_belongs_to_the_task_above():
    task = one_task("（一）深化商事制度改革，全面推行“证照分离”。\n责任单位：市市场监管局\n完成时限：下半年")
    assert task.units == ["市市场监管局"] and task.due == "2019-12-31"


def test_units_spanning_a_broken_line():
    task = one_task("1.深化商事制度改革。（责任单位：市工商局、市质监局、\n市食药监局）")
    assert task.units == ["市工商局", "市质监局", "市食药监局"]


def test_field_lines_with_lead_and_assist_on_separate_lines():
    task = one_task("（四）实施负面清单制度。\n牵头单位：省发展改革委、省商务厅\n配合单位：省市场监管局")
    assert [(r.name, r.role) for r in task.roles] == [("省发展改革委", L), ("省商务厅", L), ("省市场监管局", A)]


# --- prose -------------------------------------------------------------------------------------

def test_prose_you_a_huitong_b():
    found = prose_roles("由市司法局会同市发改委、市财政局制定实施办法。")
    assert [(r.name, r.role) for r in found] == [("市司法局", L), ("市发改委", A), ("市财政局", A)]


def test_prose_huitong_with_a_full_name_ending_in_weiyuanhui():
    found = prose_roles("由市发展和改革委员会会同市财政局和市审计局研究制定。")
    assert [(r.name, r.role) for r in found] == [("市发展和改革委员会", L), ("市财政局", A), ("市审计局", A)]


def test_prose_lead_then_assist():
    found = prose_roles("开展清理，由局法规处牵头，各处室、各直属单位配合，年内完成。")
    assert [(r.name, r.role) for r in found] == [("局法规处", L), ("各处室", A), ("各直属单位", A)]


def test_prose_lead_assist_without_you():
    found = prose_roles("深化综合执法改革，市综合行政执法局牵头，市环保局、市农业局配合，上半年完成。")
    assert [(r.name, r.role) for r in found] == [("市综合行政执法局", L), ("市环保局", A), ("市农业局", A)]


def test_prose_you_a_fuze():
    assert [(r.name, r.role) for r in prose_roles("由市司法局负责组织实施。")] == [("市司法局", R)]


def test_prose_that_names_no_unit():
    assert prose_roles("由各地根据实际情况确定。") == []
    assert prose_roles("加强组织领导，牵头抓总，形成合力。") == []


def test_two_sentences_with_their_own_units_are_two_tasks():
    parsed = parse_workpoints_text(
        "某局2021年工作计划\n一、完善制度\n修订条例，由局法规处会同运输处负责起草，6月底前形成送审稿。"
        "同时开展文件清理，由局法规处牵头，各处室配合，年内完成。\n")
    assert [t.units for t in parsed.tasks] == [["局法规处", "运输处"], ["局法规处", "各处室"]]
    assert [t.due for t in parsed.tasks] == ["2021-06-30", "2021-12-31"]


def test_two_clauses_in_one_paragraph_are_two_tasks():
    parsed = parse_workpoints_text(
        "某市2018年法治政府建设工作要点\n一、规范执法\n开展案卷评查。（责任单位：市法制办）"
        "推进执法公示。（责任单位：市政府各部门）\n")
    assert [t.units for t in parsed.tasks] == [["市法制办"], ["市政府各部门"]]
    assert parsed.tasks[0].text == "开展案卷评查。"


def test_first_listed_is_lead_when_the_document_says_so():
    parsed = parse_workpoints_text(
        "某县2020年重点任务分解方案\n注：责任单位排在第一位的为牵头单位。\n"
        "一、依法决策\n1.编制决策事项目录。（责任单位：县政府办、县司法局）\n")
    assert parsed.tasks[0].lead_units == ["县政府办"]


def test_without_that_note_no_unit_is_made_lead():
    task = one_task("1.编制决策事项目录。（责任单位：县政府办、县司法局）")
    assert task.lead_units == []


def test_prose_names_the_lead_among_the_clause_units():
    task = one_task("1.由市司法局会同市财政局制定办法。（责任单位：市司法局、市财政局）")
    assert task.lead_units == ["市司法局"]


# --- inheritance -------------------------------------------------------------------------------

def test_task_without_units_takes_its_sections():
    parsed = parse_workpoints_text(
        "某市2018年工作要点\n一、推进立法\n（牵头单位：市法制办）\n1、完成三件法规草案。\n2、开展规章清理，9月底前公布。\n"
        "二、其他工作\n1、加强培训。（责任单位：市人社局）\n")
    assert [t.units for t in parsed.tasks] == [["市法制办"], ["市法制办"], ["市人社局"]]
    assert [t.units_from for t in parsed.tasks] == ["section", "section", "task"]
    assert parsed.tasks[0].lead_units == ["市法制办"]


def test_task_without_units_takes_its_items():
    parsed = parse_workpoints_text(
        "某省2019年依法行政工作要点\n一、政务公开\n（一）推进政务公开。（牵头单位：省政府办公厅）\n"
        "1.加大主动公开力度。\n2.修订信息公开办法。（牵头单位：省司法厅）\n")
    assert [t.units for t in parsed.tasks] == [["省政府办公厅"], ["省司法厅"]]
    assert parsed.tasks[0].units_from == "item" and parsed.tasks[0].item == "（一）1."


def test_deadline_field_of_an_item_is_inherited():
    parsed = parse_workpoints_text(
        "某省2019年工作要点\n一、政务公开\n（一）推进政务公开。（牵头单位：省政府办公厅；完成时限：6月底前）\n"
        "1.加大主动公开力度。\n2.修订办法，10月1日前提请审议。\n")
    assert [t.due for t in parsed.tasks] == ["2019-06-30", "2019-10-01"]


# --- deadlines ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "due"), [
    ("主要执法部门在2017年年底前全部建立政府法律顾问队伍", "2017-12-31"),
    ("2018年底前完成", "2018-12-31"),
    ("6月底前完成清理", "2017-06-30"),
    ("六月底前完成清理", "2017-06-30"),
    ("5月份出台实施方案", "2017-05-31"),
    ("上半年出台", "2017-06-30"),
    ("下半年完成", "2017-12-31"),
    ("年内完成", "2017-12-31"),
    ("全年开展学法4次", "2017-12-31"),
    ("年底前全面推行", "2017-12-31"),
    ("第三季度完成清理", "2017-09-30"),
    ("三季度末前完成", "2017-09-30"),
    ("一季度完成", "2017-03-31"),
    ("10月1日前提请审议", "2017-10-01"),
    ("十月一日前提请审议", "2017-10-01"),
    ("2019年12月31日前完成", "2019-12-31"),
    ("次年3月底前报送", "2018-03-31"),
    ("到2020年基本建成", "2020-12-31"),
    ("9月完成清理", "2017-09-30"),
])
def test_deadline_in_running_text(text, due):
    found = choose_due(find_deadlines(text, 2017))
    assert found is not None and found.iso == due


@pytest.mark.parametrize("text", [
    "杭州市2017年法治政府建设工作要点", "6月26日国际禁毒日当天开展宣传", "贯彻《纲要（2015—2020年）》",
    "（中发〔2015〕36号）", "持续推进法治政府建设", "每季度开展一次评查",
])
def test_no_deadline_in_running_text(text):
    assert not [d for d in find_deadlines(text, 2017) if d.iso]


@pytest.mark.parametrize(("value", "due"), [
    ("6月", "2017-06-30"), ("6月份", "2017-06-30"), ("2019年3月", "2019-03-31"), ("2018年", "2018-12-31"),
    ("长期坚持", None), ("持续推进", None), ("长期", None), ("每季度", None),
])
def test_deadline_field_values(value, due):
    found = choose_due(find_deadlines(value, 2017, field=True))
    assert found is not None and found.iso == due


def test_latest_of_several_deadlines_is_the_due_date():
    found = choose_due(find_deadlines("5月份出台方案，年底前全面推行", 2017))
    assert found.iso == "2017-12-31" and found.phrase == "年底前"


def test_ongoing_phrase_gives_no_date_but_is_kept():
    task = one_task("1.落实出庭应诉制度。（牵头单位：市司法局；完成时限：长期坚持）")
    assert task.due is None and task.deadline_text == "长期坚持"


def test_deadline_without_a_year_when_the_document_has_none():
    parsed = parse_workpoints_text("法治政府建设工作要点\n一、决策\n1.编制目录，6月底前公布。（责任单位：市司法局）\n")
    assert parsed.year is None and parsed.tasks[0].due is None and parsed.tasks[0].deadline_text == "6月底前"
    assert any("年度" in note for note in parsed.notes)


def test_year_given_by_the_clerk_fills_deadlines():
    parsed = parse_workpoints_text("法治政府建设工作要点\n一、决策\n1.编制目录，6月底前公布。（责任单位：市司法局）\n",
                                   year=2022)
    assert parsed.year == 2022 and parsed.tasks[0].due == "2022-06-30"


def test_bracket_of_units_and_a_deadline():
    found = find_clauses("推进综合行政执法改革（市委编办、市司法局，年底前）。")
    assert [(r.name, r.role) for r in found[0].roles] == [("市委编办", R), ("市司法局", R)]
    assert found[0].deadline_values == ["年底前"]


def test_bracket_at_the_start_of_an_item():
    assert clause_roles("【市委组织部、市司法局】组织开展领导干部法治专题培训") == [("市委组织部", R), ("市司法局", R)]


def test_prose_units_with_their_role_as_a_clause():
    found = prose_roles("落实重大行政决策程序规定，县政府办、县司法局负责，长期坚持。")
    assert [(r.name, r.role) for r in found] == [("县政府办", R), ("县司法局", R)]


def test_prose_unit_as_the_subject():
    assert [(r.name, r.role) for r in prose_roles("县司法局负责审查县政府各类合同。")] == [("县司法局", R)]
    assert prose_roles("各级政府负责同志要带头学法。") == []


def test_field_names_that_are_no_units_are_ignored():
    found = find_clauses("推进。（牵头领导：王某某；牵头单位：市司法局；责任人：李某）")
    assert [(r.name, r.role) for r in found[0].roles] == [("市司法局", L)]


def test_sub_items_numbered_inside_one_paragraph():
    parsed = parse_workpoints_text(
        "某市2018年工作要点\n一、规范执法\n（一）规范执法。1.开展案卷评查（责任单位：市法制办）；"
        "2.推进执法公示（责任单位：市政府各部门）。\n")
    assert [(t.item, t.title, t.units) for t in parsed.tasks] == [
        ("（一）1.", "开展案卷评查", ["市法制办"]), ("（一）2.", "推进执法公示", ["市政府各部门"])]
    assert parsed.tasks[0].item_title == "规范执法" and parsed.sections[0].items[0].title == "规范执法"


def test_a_pasted_piece_without_title_gets_a_plain_one():
    parsed = parse_workpoints_text("一、依法决策\n1.编制决策事项目录，向社会公布。（责任单位：市司法局）\n")
    assert parsed.title == "工作要点" and parsed.tasks[0].units == ["市司法局"]

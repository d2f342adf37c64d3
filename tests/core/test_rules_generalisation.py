"""Rules texts other than Hangzhou's: the parser must work on documents it has never seen.

tests/data/rules/ holds realistic texts written for these tests (fictitious places, real
formats): a province 实施办法 with "一、（一）" numbering pasted from a web page, a county 规定
with Arabic "第1条" articles and PDF line breaks, and a department's 工作措施 with inline clauses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from duty_tracker.core.rules import parse_rules_text, read_rules_file

DATA = Path(__file__).resolve().parents[1] / "data" / "rules"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def load(name: str):
    return parse_rules_text(read_rules_file(DATA / name))


def keys(rules):
    return [(d.article, d.clause, d.role, d.period, d.min_count, d.title, d.target, d.due) for d in rules.duties]


def test_province_measures_with_yi_numbering_and_web_junk():
    rules = load("province-implementing-measures.txt")
    assert rules.title == "江川省党政主要负责人履行推进法治建设第一责任人职责实施办法"
    assert rules.issuer == "中共江川省委办公厅 江川省人民政府办公厅"
    assert rules.doc_number == "川委办发〔2020〕15号"
    assert rules.effective_date == "2020-03-10"  # 自印发之日起施行 → the 通知 date
    assert [a.number for a in rules.articles] == list(range(1, 14))
    assert rules.articles[0].chapter == "一、总体要求" and rules.articles[0].text.startswith("为深入贯彻落实")
    assert rules.articles[1].label == "（一）" and rules.articles[1].chapter == "二、党委主要负责人职责"
    assert "附件" not in rules.articles[-1].text and "扫一扫" not in rules.articles[-1].text
    assert keys(rules) == [
        (2, None, "party", "year", 2, "党委常委会会议", None, None),
        (3, None, "party", "year", 1, "听取人大常委会党组工作汇报", "人大常委会", None),
        (3, None, "party", "year", 1, "听取政府党组工作汇报", "政府", None),
        (3, None, "party", "year", 1, "听取法院党组工作汇报", "法院", None),
        (3, None, "party", "year", 1, "听取检察院党组工作汇报", "检察院", None),
        (4, None, "party", "year", 2, "党委理论学习中心组集体学法", None, None),
        (6, None, "party", "year", 1, "书面报告履行推进法治建设第一责任人职责情况", None, None),
        (7, None, "government", "year", 1, "政府常务会议专题研究法治政府建设工作", None, None),
        (8, None, "government", "year", 12, "政府常务会议会前学法", None, None),
        (9, None, "government", "year", 1, "报告上一年度法治政府建设情况", None, "03-01"),
        (10, None, "government", "year", 1, "出庭应诉", None, None),
        (11, None, "government", "quarter", 1, "听取行政复议和行政应诉工作情况汇报", None, None),
        (12, None, "all", "year", 1, "年终述职", None, None),
    ]


def test_county_rules_with_arabic_articles_and_pdf_line_breaks():
    rules = load("county-arabic-articles.txt")
    assert rules.title == "清河县党政主要负责人履行推进法治建设第一责任人职责规定"
    assert rules.issuer == "中共清河县委 清河县人民政府"
    assert rules.effective_date == "2021-02-01"
    assert [(a.number, a.label) for a in rules.articles] == [(n, f"第{n}条") for n in range(1, 9)]
    assert rules.articles[0].text.startswith("为推动全县党政主要负责人履行推进法治建设第一责任人职责，根据")
    assert rules.articles[4].text == "县委主要负责人依照本规定第3条规定履行职责的情况，应当作为年终述职的重要内容。"
    assert rules.articles[7].text == "本规定自2021年2月1日起施行。"
    assert [c.label for c in rules.articles[2].clauses] == ["（1）", "（2）", "（3）"]
    assert len(rules.articles[5].clauses) == 10
    assert keys(rules) == [
        (3, 1, "party", "year", 2, "县委全面依法治县委员会会议", None, None),
        (3, 2, "party", "half_year", 1, "听取法治建设工作汇报", None, None),
        (3, 3, "party", "year", 1, "听取县人大常委会党组工作汇报", "县人大常委会", None),
        (3, 3, "party", "year", 1, "听取县政府党组工作汇报", "县政府", None),
        (3, 3, "party", "year", 1, "听取县政协党组工作汇报", "县政协", None),
        (4, None, "party", "year", 4, "中心组学法", None, None),
        (4, None, "party", "year", 1, "宪法专题学习", None, None),
        (5, None, "party", "year", 1, "年终述职", None, None),
        (6, 1, "government", "year", 1, "县政府全体会议研究部署法治政府建设工作", None, None),
        (6, 2, "government", "year", 24, "县政府常务会议会前学法", None, None),
        (6, 2, "government", "month", 2, "县政府常务会议会前学法", None, None),
        (6, 3, "government", "quarter", 1, "听取行政执法工作情况汇报", None, None),
        (6, 4, "government", "year", 1, "报告上一年度法治政府建设情况", None, "03-31"),
        (6, 5, "government", "once", 1, "完成县政府规范性文件全面清理", None, "2021-06-30"),
        (6, 7, "government", "year", 1, "法治政府建设督察", None, "12-31"),
        (6, 8, "government", "year", 40, "领导干部法治培训", None, None),
    ]
    # 40学时 is a quota of hours; the one-off 6(5) stands in the county head's list, so it stays
    assert [d.unit for d in rules.duties].count("hours") == 1 and rules.duties[-1].unit == "hours"
    # 不超过3次 (a maximum), 每两年 (no such period), 定期/及时: no duties
    assert {d.clause for d in rules.duties if d.article == 6} == {1, 2, 3, 4, 5, 7, 8}


def test_department_measures_with_inline_clauses():
    rules = load("department-yi-numbering.txt")
    assert rules.title == "市司法局关于落实主要负责人履行推进法治建设第一责任人职责的工作措施"
    assert [a.label for a in rules.articles] == ["一、", "二、", "三、", "四、"]
    assert [c.label for c in rules.articles[0].clauses] == ["（一）", "（二）", "（三）"]
    # the 局党委's head is a department head: role "other", even where 市委 is named
    assert keys(rules) == [
        (1, 1, "other", "year", 2, "局党委会议专题研究法治机关建设", None, None),
        (1, 2, "other", "half_year", 1, "书面报告法治建设情况", None, None),
        (2, 1, "all", "year", 10, "局长办公会议会前学法", None, None),
        (2, 2, "all", "year", 1, "全局干部法治专题培训班", None, None),
        (3, 1, "all", "quarter", 1, "执法案卷评查", None, None),
        (3, 2, "all", "month", 1, "通报行政执法数据", None, None),
        (3, 3, "all", "year", 1, "完成本年度法治机关建设考核", None, "12-31"),
    ]


def test_hangzhou_2017_work_points():
    path = SEEDS / "hangzhou-2017-workpoints.txt"
    if not path.exists():
        pytest.skip("seed texts not available")
    rules = parse_rules_text(read_rules_file(path))
    assert rules.title == "杭州市2017年法治政府建设工作要点"
    assert rules.doc_number == "杭政办函〔2017〕62号"
    assert rules.issuer == "杭州市人民政府办公厅"
    assert rules.effective_date == "2017-06-20"
    assert [a.label for a in rules.articles][:2] == ["一、", "二、"]
    assert rules.articles[0].text.startswith("贯彻落实法治建设决策要求\n贯彻落实《中共中央办公厅")
    # "主要执法部门在2017年年底前全部建立政府法律顾问队伍" is a task of the work plan, not a
    # duty of a leader: no duties, and the warning says where such tasks belong
    assert rules.duties == []
    assert any("一次性工作任务" in w and "工作要点" in w for w in rules.warnings)


def test_sample_reports_do_not_crash():
    path = SEEDS / "sample-annual-reports.txt"
    if not path.exists():
        pytest.skip("seed texts not available")
    rules = parse_rules_text(read_rules_file(path))
    numbers = [a.number for a in rules.articles]
    assert numbers == sorted(set(numbers))

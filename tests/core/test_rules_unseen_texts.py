"""Whole texts of kinds the parser was not built on, as clerks paste them (fictitious places,
real formats): a news report in prose, a notice numbered 1、2、3、 and an opinion written in
paragraphs saved as GB18030 with full-width digits. Each expected duty is what a careful reader
lists; each absent one is a trap (duration, headcount, tally, rate, slogan, work-plan task)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from duty_tracker.core.rules import parse_rules_text, read_rules_file

DATA = Path(__file__).resolve().parents[1] / "data" / "rules"


def load(name: str):
    return parse_rules_text(read_rules_file(DATA / name))


def keys(rules):
    return [(d.article, d.role, d.period, d.min_count, d.unit, d.due, d.title) for d in rules.duties]


def test_news_report_in_prose():
    rules = load("news-report-prose.txt")
    assert rules.title == "我市出台党政主要负责人履行推进法治建设第一责任人职责规定"
    assert [(a.number, a.label, a.kind) for a in rules.articles] == [
        (n, f"第{n}段", "paragraph") for n in range(1, 6)
    ]
    assert rules.articles[0].text.startswith("本报讯")  # the dateline and the page furniture are gone
    assert "责任编辑" not in rules.articles[-1].text
    assert keys(rules) == [
        (2, "party", "year", 2, "times", None, "党委常委会会议专题研究法治建设工作"),
        (2, "party", "year", 1, "times", None, "听取下级党委主要负责人履职情况汇报"),  # 1—2次
        (2, "party", "year", 2, "times", None, "党委理论学习中心组集体学法"),
        (3, "government", "year", 1, "times", None, "政府常务会议专题研究法治政府建设"),
        (3, "government", "quarter", 1, "times", None, "听取行政执法工作情况汇报"),
        (3, "government", "year", 1, "times", "03-31", "报告上一年度法治政府建设情况"),
        (3, "government", "year", 12, "times", None, "政府常务会议会前学法"),  # not 每次半小时
        (4, "all", "year", 40, "hours", None, "领导干部年度学法"),
        (4, "all", "year", 12, "hours", None, "集中学法"),  # 2天 = 12 学时
    ]
    # 去年…1200余次 (a tally), 98% (a rate), “两个确立” (a slogan), 1至2名 (a headcount)
    assert not [d for d in rules.duties if d.article == 5]
    assert any("按段落拆分为5段" in w for w in rules.warnings)


def test_notice_numbered_with_arabic_items():
    rules = load("notice-arabic-numbering.txt")
    assert rules.title.startswith("中共青山县委全面依法治县委员会办公室关于进一步落实")
    assert rules.doc_number == "青法办〔2023〕3号"
    assert rules.effective_date == "2023-03-02"
    assert [(a.label, a.kind) for a in rules.articles] == [(f"{n}.", "item") for n in range(1, 9)]
    assert keys(rules) == [
        (1, "other", "year", 1, "times", None, "本部门法治建设专题会议"),
        (2, "other", "year", 4, "times", None, "集中学法"),
        (2, "other", "year", 1, "times", None, "宪法专题学习"),
        (2, "other", "year", 30, "hours", None, "部门领导班子成员年度学法"),
        # three deadlines of one sentence, each with its own date and task
        (3, "other", "year", 1, "times", "01-31", "报送上年度法治建设工作总结"),
        (3, "other", "year", 1, "times", "07-15", "报送半年工作情况"),
        (3, "other", "year", 1, "times", "12-20", "报送全年工作要点落实情况"),
        (4, "other", "year", 1, "times", "03-31", "书面述法"),  # 每年第一季度
        (5, "other", "year", 1, "times", "12-31", "部门主要负责人述法评议"),  # 每年11月至12月期间
        # a one-off for the heads in a notice of 2023: due in 2023
        (7, "other", "once", 1, "times", "2023-04-30", "报送履行推进法治建设第一责任人职责情况报告"),
    ]
    # item 6 is the departments' work-plan tasks with dates: left out, and said so
    assert any("2项限期完成的一次性工作任务" in w for w in rules.warnings)


def test_opinion_in_paragraphs_gb18030_fullwidth():
    path = DATA / "opinion-paragraphs-gb18030.txt"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    rules = load("opinion-paragraphs-gb18030.txt")
    assert rules.title == "关于加强新时代市直部门法治建设的实施意见"
    assert rules.issuer == "中共云州市委办公室"
    assert rules.effective_date == "2023-05-08"
    chapters = [a.chapter for a in rules.articles]
    assert chapters == [None, "总体要求", "主要任务", "主要任务", "主要任务", "主要任务", "保障措施", "保障措施"]
    assert rules.articles[1].text.endswith("市直部门法治建设水平显著提升。")  # a broken line joined
    assert keys(rules) == [
        (3, "other", "year", 2, "times", None, "听取本部门法治建设工作汇报"),
        (3, "other", "half_year", 1, "times", None, "党组会议研究法治建设重大事项"),
        (4, "other", "year", 1, "times", None, "到市委党校讲授法治课"),
        (4, "other", "year", 18, "hours", None, "法治专题培训"),  # 累计不少于3天
        (4, "other", "year", 4, "times", None, "集中学法"),  # not 每次…1小时
        (5, "other", "year", 1, "times", "03-31", "报送上一年度法治建设情况报告"),
        (5, "other", "year", 1, "times", "03-01", "公开法治政府建设年度报告"),
        (6, "other", "year", 1, "times", "01-31", "完成上一年度行政执法数据统计公开工作"),
        (7, "all", "year", 2, "times", None, "法治督察"),  # 2至3次
    ]
    # “四个意识”, 到2025年, 《法治政府建设年度报告》编写要求: no duties
    assert not [d for d in rules.duties if d.article in (1, 2, 8)]
    assert len([d for d in rules.duties if d.article == 7]) == 1


def test_the_same_opinion_as_a_docx(tmp_path):
    text = read_rules_file(DATA / "opinion-paragraphs-gb18030.txt")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "实施意见.docx"
    document.save(str(path))
    from_docx = parse_rules_text(read_rules_file(path))
    assert keys(from_docx) == keys(load("opinion-paragraphs-gb18030.txt"))
    assert from_docx.title == "关于加强新时代市直部门法治建设的实施意见"


def test_json_carries_the_new_fields():
    data = load("notice-arabic-numbering.txt").to_dict()
    assert {a["kind"] for a in data["articles"]} == {"item"}
    assert {d["unit"] for d in data["duties"]} == {"times", "hours"}
    assert {d["role"] for d in data["duties"]} == {"other"}
    assert data["warnings"] and all(w.endswith("。") for w in data["warnings"])


def test_news_report_with_enumerated_points():
    rules = load("news-enumerated-points.txt")
    assert rules.title == "南岭县召开党政主要负责人述法工作会议"
    assert keys(rules) == [
        (1, "party", "year", 2, "times", None, "县委常委会听取全县法治建设工作汇报"),  # 一是…
        (1, "government", "quarter", 1, "times", None, "县政府常务会议专题学法"),
        (1, "government", "year", 12, "times", None, "县政府常务会议专题学法"),  # 全年…12次
        (1, "party", "year", 1, "times", None, "书面述法"),  # 乡镇党委书记
        (1, "party", "year", 1, "times", "01-15", "报送述法报告"),
        (2, "other", "year", 1, "times", None, "旁听庭审活动"),
        (2, "all", "half_year", 1, "times", None, "县委依法治县办通报述法工作情况"),
    ]
    assert not [d for d in rules.duties if d.article == 3]  # 2022年…36名…15场次: a tally


def test_debrief_measures_with_windows_and_sizes():
    rules = load("province-debrief-measures.txt")
    assert rules.title == "某省领导干部述法工作实施办法（试行）"
    assert rules.effective_date == "2022-01-01"
    assert keys(rules) == [
        (3, "all", "year", 1, "times", None, "领导干部述法"),
        (4, "all", "year", 1, "times", "12-31", "报送述法报告"),  # the task, not "报送"
        (5, "all", "year", 1, "times", None, "述法评议"),  # 每年年底或次年年初: no due day
        (6, "all", "year", 1, "times", "03-31", "报告上一年度述法工作情况"),
    ]
    # 3人次 (people), 不超过3000字 (a size), 公示不少于5个工作日 (a period of notice): no duties


def test_city_measures_wrapped_in_a_notice_without_guanyu():
    rules = load("city-measures-wrapper.txt")
    assert rules.title == "某市贯彻落实〈党政主要负责人履行推进法治建设第一责任人职责规定〉实施办法"
    assert rules.issuer == "中共某市委办公厅 某市人民政府办公厅"
    bodies = [(d.target, d.due) for d in rules.duties if d.article == 3 and d.clause == 3]
    assert bodies == [(body, "12-31") for body in ("人大常委会", "政府", "政协", "法院", "检察院")]
    assert [(d.clause, d.due, d.title) for d in rules.duties if d.article == 4 and d.clause == 3] == [
        (3, "03-31", "报告上年度法治政府建设情况"),
        (3, "04-01", "公开上年度法治政府建设情况"),  # "4月1日前…向社会公开" names its object
    ]
    assert [(d.clause, d.min_count) for d in rules.duties if d.article == 4 and d.clause == 4] == [(4, 1)]
    assert len(rules.duties) == 14


LIST_DUTIES = [
    (1, "other", "year", 2, "times", "12-31", "本部门法治建设专题会议"),
    (2, "other", "year", 4, "times", None, "部门党组理论学习中心组学法"),
    (3, "other", "year", 1, "times", "01-31", "书面述法"),
    (4, "other", "year", 1, "times", None, "本部门领导干部旁听庭审"),
    (5, "other", "year", 1, "times", "02-28", "报送法治政府建设年度报告"),
]


def test_duty_list_pasted_from_a_table():
    """A 职责清单 whose rows are "序号 事项 要求 时限" separated by spaces: the header row is
    dropped, the rows are items, and the list's title (市直部门主要负责人) gives the role."""
    rules = load("department-duty-list-table.txt")
    assert rules.title == "某市市直部门主要负责人履行推进法治建设第一责任人职责清单"
    assert [(a.label, a.kind) for a in rules.articles] == [(f"{n}.", "item") for n in range(1, 6)]
    assert keys(rules) == LIST_DUTIES


def test_duty_list_as_a_word_table(tmp_path):
    lines = (DATA / "department-duty-list-table.txt").read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    document.add_paragraph(lines[0])
    rows = [line.split(" ") for line in lines[1:]]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    path = tmp_path / "清单.docx"
    document.save(str(path))
    assert keys(parse_rules_text(read_rules_file(path))) == LIST_DUTIES


def test_duty_list_by_head_title_chapters():
    """Chapters named by the head's title (县委书记职责, 县长职责) bind their items to that head,
    hours included; the last chapter's department heads stay "other"."""
    rules = load("county-duty-list-by-head.txt")
    got = [(d.article, d.role, d.period, d.min_count, d.unit, d.due) for d in rules.duties]
    assert got[0] == (1, "party", "year", 1, "times", None)
    assert [g[1] for g in got if g[0] in (1, 2, 3, 4)] == ["party"] * 8
    assert [g[1:] for g in got if g[0] >= 5] == [
        ("government", "quarter", 1, "times", None),
        ("government", "year", 4, "times", None),  # "每次学法时间不少于30分钟" is a detail
        ("government", "year", 40, "hours", None),
        ("government", "year", 1, "times", "03-31"),
        ("other", "year", 1, "times", None),
    ]

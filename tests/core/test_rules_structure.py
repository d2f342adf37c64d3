"""Titles, chapters, articles and clauses in the numbering schemes that rules texts use."""

from __future__ import annotations

import pytest

from duty_tracker.core.rules import parse_rules_text
from duty_tracker.core.rules.numerals import chinese_to_int, numeral_to_int


@pytest.mark.parametrize(
    "text, value",
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("廿三", 23), ("卅", 30),
     ("九十九", 99), ("一百零五", 105), ("两", 2), ("二〇一九", 2019), ("一百二十", 120)],
)
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "十百", "abc", "一a", "百百"])
def test_malformed_numerals(text):
    assert chinese_to_int(text) is None


def test_arabic_and_fullwidth_numerals():
    assert numeral_to_int("12") == 12
    assert numeral_to_int("１２") == 12
    assert numeral_to_int("十二") == 12


def test_chinese_article_numbers_including_nian_forms():
    text = "\n".join(f"第{label}条 内容{n}。" for n, label in [(1, "一"), (2, "二"), (10, "十"), (19, "十九"), (20, "二十"), (21, "廿一"), (99, "九十九")])
    rules = parse_rules_text(text)
    assert [a.number for a in rules.articles] == [1, 2, 10, 19, 20, 21, 99]
    assert rules.articles[5].label == "第廿一条"
    assert rules.articles[6].text == "内容99。"


def test_arabic_article_numbers_and_spaces_in_labels():
    rules = parse_rules_text("第 1 条  为了规范。\n第2条：适用范围。\n第 3条 施行日期。")
    assert [(a.number, a.label, a.text) for a in rules.articles] == [
        (1, "第1条", "为了规范。"), (2, "第2条", "适用范围。"), (3, "第3条", "施行日期。"),
    ]


def test_cross_reference_at_line_start_is_not_an_article():
    text = "第一条 目的。\n第二条 依照\n第一条规定执行，\n第十条的情形除外。\n第三条 附则。"
    rules = parse_rules_text(text)
    assert [a.number for a in rules.articles] == [1, 2, 3]
    assert rules.articles[1].text == "依照第一条规定执行，第十条的情形除外。"


def test_article_numbers_never_go_backwards():
    rules = parse_rules_text("第一条 甲。\n第二条 乙。\n第一条 这是引用的旧文。\n第三条 丙。")
    assert [a.number for a in rules.articles] == [1, 2, 3]
    assert rules.articles[1].text == "乙。\n第一条这是引用的旧文。"


def test_a_big_jump_that_later_headings_fill_is_a_reference():
    rules = parse_rules_text("第一条 甲。\n第二条 乙，参照\n第九十条 执行。\n第三条 丙。")
    assert [a.number for a in rules.articles] == [1, 2, 3]


def test_chapters_with_spaced_names():
    rules = parse_rules_text("第一章  总    则\n第一条 目的。\n第二章 党委主要负责人职责\n第二条 职责。")
    assert [a.chapter for a in rules.articles] == ["第一章 总则", "第二章 党委主要负责人职责"]


def test_no_chapters():
    rules = parse_rules_text("第一条 甲。\n第二条 乙。")
    assert [a.chapter for a in rules.articles] == [None, None]


@pytest.mark.parametrize(
    "first, second, label",
    [("（一）", "（二）", "（一）"), ("(一)", "(二)", "（一）"), ("一、", "二、", "一、"),
     ("1.", "2.", "1."), ("1、", "2、", "1."), ("（1）", "（2）", "（1）"), ("(1)", "(2)", "（1）"),
     ("①", "②", "①")],
)
def test_clause_styles(first, second, label):
    rules = parse_rules_text(f"第五条 加强领导。\n{first}健全制度。\n{second}每年听取汇报。")
    article = rules.articles[0]
    assert [c.number for c in article.clauses] == [1, 2]
    assert article.clauses[0].label == label
    assert article.clauses[0].text == "健全制度。"
    assert article.text.split("\n")[0] == "加强领导。"


def test_sub_items_stay_inside_their_clause():
    rules = parse_rules_text("第五条 职责。\n（一）学法：\n1.每年学法2次；\n2.每月学法1次。\n（二）其他。")
    article = rules.articles[0]
    assert [c.label for c in article.clauses] == ["（一）", "（二）"]
    assert article.clauses[0].text == "学法：\n1.每年学法2次；\n2.每月学法1次。"


def test_lines_broken_mid_sentence_are_joined():
    text = "第一条 党政主要负责人应当每年至少召开1次法治建\n设工作会议，研究部署年度重点工作。\n第二条 另一条。"
    rules = parse_rules_text(text)
    assert rules.articles[0].text == "党政主要负责人应当每年至少召开1次法治建设工作会议，研究部署年度重点工作。"
    assert rules.duties[0].title == "法治建设工作会议"


def test_paragraphs_of_one_article_stay_separate_lines():
    rules = parse_rules_text("第二十条 第一款内容。\n第二款内容。\n第二十一条 下一条。")
    assert rules.articles[0].text == "第一款内容。\n第二款内容。"


def test_inline_clauses_are_split():
    rules = parse_rules_text("第三条 党委主要负责人应当履行下列职责：（一）健全制度；（二）每年听取1次汇报；（三）其他。")
    article = rules.articles[0]
    assert [c.number for c in article.clauses] == [1, 2, 3]
    assert article.clauses[1].text == "每年听取1次汇报；"
    assert rules.duties[0].clause == 2


def test_yi_numbering_without_tiao_gives_articles_in_order():
    text = "某局工作措施\n一、落实责任。\n（一）每年召开2次会议研究法治工作。\n（二）定期检查。\n二、强化学法。\n三、本措施自印发之日起施行。"
    rules = parse_rules_text(text)
    assert rules.title == "某局工作措施"
    assert [(a.number, a.label) for a in rules.articles] == [(1, "一、"), (2, "二、"), (3, "三、")]
    assert [c.label for c in rules.articles[0].clauses] == ["（一）", "（二）"]
    assert rules.duties[0].article == 1 and rules.duties[0].clause == 1


def test_yi_headings_named_like_chapters_become_chapters():
    text = (
        "某省实施办法\n一、总体要求\n为了推进法治建设，制定本办法。\n二、党委主要负责人职责\n"
        "（一）每年至少听取1次法治建设情况汇报。\n（二）健全制度。\n三、政府主要负责人职责\n（一）每年学法不少于4次。"
    )
    rules = parse_rules_text(text)
    assert [(a.number, a.label, a.chapter) for a in rules.articles] == [
        (1, "一、", "一、总体要求"),
        (2, "（一）", "二、党委主要负责人职责"),
        (3, "（二）", "二、党委主要负责人职责"),
        (4, "（一）", "三、政府主要负责人职责"),
    ]
    assert [(d.article, d.role) for d in rules.duties] == [(2, "party"), (4, "government")]


def test_only_paren_items():
    rules = parse_rules_text("（一）每年听取1次汇报。\n（二）每季度学法1次。")
    assert [a.label for a in rules.articles] == ["（一）", "（二）"]
    assert [d.period for d in rules.duties] == ["year", "quarter"]


def test_title_split_over_lines_with_subtitle_note():
    text = "某市党政主要负责人履行推进法治建设\n\n第一责任人职责实施细则\n（2020年1月1日市委常委会会议通过）\n第一章 总则\n第一条 目的。"
    rules = parse_rules_text(text)
    assert rules.title == "某市党政主要负责人履行推进法治建设第一责任人职责实施细则"


def test_title_missing():
    assert parse_rules_text("第一条 目的。").title == "未命名规则"


def test_notice_wrapper_metadata():
    text = (
        "某市人民政府办公厅关于印发《某市法治政府建设实施办法》的通知\n某政办发〔2021〕8号\n"
        "各区人民政府：\n现将《某市法治政府建设实施办法》印发给你们，请认真贯彻执行。\n"
        "某市人民政府办公厅\n2021年3月5日\n某市法治政府建设实施办法\n"
        "第一条 目的。\n第二条 本办法自印发之日起施行。"
    )
    rules = parse_rules_text(text)
    assert rules.title == "某市法治政府建设实施办法"
    assert rules.issuer == "某市人民政府办公厅"
    assert rules.doc_number == "某政办发〔2021〕8号"
    assert rules.effective_date == "2021-03-05"
    assert [a.number for a in rules.articles] == [1, 2]


def test_closing_signature_and_attachment_are_not_article_text():
    text = (
        "第一条 目的。\n第二条 本办法自二〇二一年五月一日起施行。\n\n中共某县委\n某县人民政府\n"
        "2021年4月20日\n附件：职责清单\n1.每年学法2次"
    )
    rules = parse_rules_text(text)
    assert rules.articles[-1].text == "本办法自二〇二一年五月一日起施行。"
    assert rules.effective_date == "2021-05-01"
    assert rules.issuer == "中共某县委 某县人民政府"
    assert rules.duties == []

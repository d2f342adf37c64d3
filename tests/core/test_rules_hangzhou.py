"""End to end on the default rule set: the official Hangzhou 2019 text as shipped in resources/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duty_tracker.core.rules import (
    default_rules_path,
    load_default_rules,
    parse_rules_text,
    read_rules_file,
)

ROOT = Path(__file__).resolve().parents[2]
HANGZHOU = ROOT / "resources" / "rules" / "hangzhou-2019.txt"


@pytest.fixture(scope="module")
def rules():
    return parse_rules_text(read_rules_file(HANGZHOU))


def duty_keys(rules):
    return {(d.article, d.clause, d.role, d.period, d.min_count, d.target) for d in rules.duties}


def test_metadata(rules):
    assert rules.title == "杭州市党政主要负责人履行推进法治建设第一责任人职责实施细则"
    assert rules.issuer == "中共杭州市委办公厅 杭州市人民政府办公厅"
    assert rules.doc_number is None  # the published text carries no 文号
    assert rules.effective_date == "2019-10-24"


def test_all_articles_in_order_with_chapters(rules):
    assert [a.number for a in rules.articles] == list(range(1, 24))
    assert rules.articles[0].label == "第一条"
    assert rules.articles[22].label == "第二十三条"
    chapters = {a.number: a.chapter for a in rules.articles}
    assert chapters[1] == "第一章 总则"
    assert chapters[4] == chapters[13] == "第二章 党委主要负责人职责"
    assert chapters[14] == chapters[19] == "第三章 政府主要负责人职责"
    assert chapters[20] == chapters[23] == "第四章 附则"


def test_clauses_and_whole_article_text(rules):
    article = rules.article(14)
    assert [c.number for c in article.clauses] == [1, 2, 3, 4, 5]
    assert [c.label for c in article.clauses][:2] == ["（一）", "（二）"]
    assert article.clauses[1].text.startswith("每年至少召开1次法治政府建设工作会议")
    lines = article.text.split("\n")
    assert lines[0] == "加强法治政府建设组织领导。"
    assert lines[2].startswith("（二）每年至少召开1次")
    assert len(lines) == 6
    assert "第十四条" not in article.text
    # articles without clauses keep their whole text
    assert rules.article(11).clauses == []
    assert rules.article(11).text.startswith("推动破解法治工作难题。统筹破解执行难")
    assert rules.article(23).text == "本实施细则自2019年10月24日起施行。"


def test_required_duties(rules):
    keys = duty_keys(rules)
    required = {
        (4, 2, "party", "year", 1, None),
        (9, 2, "party", "year", 2, None),
        (14, 2, "government", "year", 1, None),
        (14, 2, "government", "half_year", 1, None),
        (19, 2, "government", "year", 4, None),
        (19, 3, "government", "year", 1, None),
        (14, 5, "government", "year", 1, None),
        (20, None, "all", "year", 1, None),
    }
    required |= {(7, 1, "party", "year", 1, body) for body in ("人大", "政府", "政协", "法院", "检察院")}
    assert required <= keys


def test_duty_titles_are_short_and_readable(rules):
    titles = {(d.article, d.clause, d.period): d.title for d in rules.duties if d.target is None}
    assert titles[(4, 2, "year")] == "党委法治建设议事协调机构会议"
    assert titles[(9, 2, "year")] == "党委理论学习中心组学法"
    assert titles[(14, 2, "year")] == "法治政府建设工作会议"
    assert titles[(14, 2, "half_year")] == "政府常务会议听取法治政府建设情况汇报"
    assert titles[(14, 5, "year")] == "法治政府建设年度报告"
    assert titles[(19, 2, "year")] == "政府常务会议集体学法"
    assert titles[(19, 3, "year")] == "领导干部法治专题培训班"
    assert titles[(20, None, "year")] == "年终述职"
    expanded = [d for d in rules.duties if d.article == 7]
    assert [d.title for d in expanded] == [
        "听取人大党组工作汇报", "听取政府党组工作汇报", "听取政协党组工作汇报",
        "听取法院党组工作汇报", "听取检察院党组工作汇报",
    ]
    assert all(len(d.title) <= 24 for d in rules.duties)


def test_source_text_is_the_sentence(rules):
    duty = next(d for d in rules.duties if d.period == "half_year")
    assert duty.source_text == "政府常务会议每半年至少听取1次法治政府建设情况汇报，研究解决重大问题并及时向党委请示汇报。"


def test_no_duties_from_unquantified_clauses(rules):
    # "定期", "及时", "经常性" clauses stay articles: exactly the 13 duties, nothing else
    assert len(rules.duties) == 13
    assert {d.article for d in rules.duties} == {4, 7, 9, 14, 19, 20}
    # 8(五) mentions 年终述职 too, but the joint duty of article 20 covers it
    assert not [d for d in rules.duties if d.article == 8]


def test_to_dict_is_the_spec_shape(rules):
    data = json.loads(json.dumps(rules.to_dict(), ensure_ascii=False))
    assert set(data) == {"title", "issuer", "doc_number", "effective_date", "articles", "duties",
                         "warnings"}
    assert data["warnings"] == []  # numbered articles and quotas: nothing to warn about
    article = data["articles"][3]
    assert set(article) == {"number", "label", "kind", "chapter", "text", "clauses"}
    assert article["number"] == 4 and article["label"] == "第四条" and article["kind"] == "article"
    assert set(article["clauses"][0]) == {"number", "label", "text"}
    duty = data["duties"][0]
    assert set(duty) == {"article", "clause", "role", "period", "min_count", "title", "source_text",
                         "target", "due", "unit"}
    assert duty["article"] == 4 and duty["clause"] == 2 and duty["min_count"] == 1
    assert {d["unit"] for d in data["duties"]} == {"times"}


def test_default_rules_are_the_shipped_text():
    assert default_rules_path() == HANGZHOU
    parsed, text = load_default_rules()
    assert text == HANGZHOU.read_text(encoding="utf-8")
    assert len(parsed.duties) == 13


def test_shipped_text_is_the_official_seed():
    seed = ROOT.parent / "shared" / "seeds" / "hangzhou-2019-first-responsible-rules.txt"
    if not seed.exists():
        pytest.skip("seed texts not available in this checkout")
    assert seed.read_bytes() == HANGZHOU.read_bytes()


def test_parses_the_gbk_and_pasted_variants_identically(tmp_path, rules):
    text = HANGZHOU.read_text(encoding="utf-8")
    gb18030 = tmp_path / "细则.txt"
    gb18030.write_bytes(text.encode("gb18030"))
    assert parse_rules_text(read_rules_file(gb18030)).to_dict() == rules.to_dict()
    gbk = tmp_path / "细则-gbk.txt"  # GBK has no U+00A0: Notepad writes a plain space
    gbk.write_bytes(text.replace("\u00a0", " ").encode("gbk"))
    assert parse_rules_text(read_rules_file(gbk)).to_dict() == rules.to_dict()
    # pasted from a browser: CRLF, full-width parentheses/colons, no-break spaces
    pasted = text.replace("\n", "\r\n").replace("(", "（").replace(")", "）").replace(":", "：")
    pasted = pasted.replace("  第", "\u00a0\u00a0第")
    assert parse_rules_text(pasted).to_dict() == rules.to_dict()

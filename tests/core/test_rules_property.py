"""The parser never raises anything but RulesTextError, never hangs, and keeps articles in order."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_tracker.core.rules import ParsedRules, RulesTextError, parse_rules_text
from duty_tracker.core.rules.model import ARTICLE_KINDS
from duty_tracker.core.rules.text_input import MAX_TEXT_CHARS

_PIECES = st.sampled_from([
    "第一条", "第二条", "第十条", "第廿一条", "第3条", "第一章", "第二章 党委主要负责人职责", "（一）", "(二)",
    "一、", "二、", "1.", "（1）", "①", "每年", "每半年", "每季度", "每月", "至少", "不少于", "1次", "两次",
    "十次以上", "分别听取", "人大、政府、政协", "党组工作汇报", "3月1日前", "年底前", "2020年6月30日前",
    "年度报告", "年终述职", "，", "。", "；", "：", "\n", " ", "\u3000", "定期", "及时", "召开", "会议",
    "学法", "听取", "关于印发《", "》的通知", "2019年10月24日", "自印发之日起施行", "附件：",
    "1、", "2.", "（1）", "(2)", "②", "一是", "二是", "40学时", "2天", "半天", "每次不少于1小时",
    "每年第一季度", "于4月30日前", "7月15日前", "每年11月至12月期间", "次年", "1—2次", "2至3次",
    "各部门主要负责人", "局党委", "县委书记", "县长", "|", "|---|", "《规定》明确，", "“两个确立”",
    "近日，", "2023年6月底前", "去年", "共开展", "配备1至2名", "98%", "\n\n", "&nbsp;", "<p>",
])
_RULESY = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join)


def _check(result: ParsedRules) -> None:
    numbers = [a.number for a in result.articles]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert result.articles and result.title
    for position, article in enumerate(result.articles, start=1):
        assert article.kind in ARTICLE_KINDS and article.label
        if article.kind in ("paragraph", "sentence", "item"):
            assert article.number == position  # numbered in order
        if article.kind == "paragraph":
            assert article.label == f"第{position}段"
        if article.kind == "sentence":
            assert article.label == f"第{position}句"
    if not result.duties:
        assert any("没有生成履职事项" in w for w in result.warnings)
    assert all(w and w.endswith("。") for w in result.warnings)
    article_numbers = set(numbers)
    for duty in result.duties:
        assert duty.article in article_numbers
        assert duty.period in {"year", "half_year", "quarter", "month", "once"}
        assert duty.role in {"party", "government", "all", "other"}
        assert duty.unit in {"times", "hours"}
        assert duty.min_count >= 1 and duty.title and duty.source_text
        assert (duty.period == "once") == (duty.due is not None and len(duty.due) == 10)
        if duty.due:
            date.fromisoformat(duty.due if len(duty.due) == 10 else f"2000-{duty.due}")
        article = next(a for a in result.articles if a.number == duty.article)
        if duty.clause is not None:
            assert duty.clause in {c.number for c in article.clauses}
    result.to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises_anything_else(text):
    try:
        result = parse_rules_text(text)
    except RulesTextError as exc:
        assert str(exc)
        return
    _check(result)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RULESY)
def test_rules_like_text_never_raises_and_keeps_order(text):
    try:
        result = parse_rules_text(text)
    except RulesTextError as exc:
        assert str(exc)
        return
    _check(result)


_SENTENCES = st.sampled_from([
    "党委主要负责人每年至少听取2次法治建设工作汇报。", "政府常务会议每季度学法1次。",
    "领导干部年度学法不少于40学时。", "各部门于每年1月31日前报送工作总结，7月15日前报送半年情况。",
    "去年全市共开展学法活动24次。", "各单位要配备1至2名法治工作人员。", "深入贯彻“两个确立”。",
    "2023年底前完成清理。", "每年11月至12月期间组织述法评议。", "本办法自印发之日起施行。",
    "坚持党的领导，健全工作机制，", "会前学法每次不少于半小时。", "（一）每年召开1次会议；（二）每月通报1次。",
])
_PROSE = st.lists(st.tuples(_SENTENCES, st.sampled_from(["", "\n", "\n\n", "\r\n", " "])),
                  max_size=25).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROSE)
def test_prose_of_rules_sentences_never_raises_and_numbers_units_in_order(text):
    try:
        result = parse_rules_text(text)
    except RulesTextError as exc:
        assert str(exc)
        return
    _check(result)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=30))
def test_article_numbers_come_out_in_order(numbers):
    from duty_tracker.core.rules.numerals import chinese_to_int

    def chinese(n: int) -> str:
        digits = "零一二三四五六七八九"
        if n < 10:
            return digits[n]
        if n < 20:
            return "十" + (digits[n % 10] if n % 10 else "")
        if n < 100:
            return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
        rest = n % 100
        tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else digits[rest // 10] + "十" + (digits[rest % 10] if rest % 10 else ""))
        return "一百" + tail

    text = "\n".join(f"第{chinese(n)}条 内容。" for n in numbers)
    assert all(chinese_to_int(chinese(n)) == n for n in numbers)
    result = parse_rules_text(text)
    got = [a.number for a in result.articles]
    assert got == sorted(set(got))
    assert set(got) <= set(numbers)
    if numbers == sorted(set(numbers)):
        assert got == numbers  # an ordinary document keeps every article


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "为空"),
        ("   \n\u3000\n", "为空"),
        ("Terms and conditions: see section 2.", "没有中文正文"),
        ("当前位置：首页 > 政务公开\n字号：【大 中 小】【打印本页】", "没有中文正文"),
        ("\x00\x01\x02\x03\x04" * 100, "乱码"),
        ("\ufffd" * 500 + "第一条 内容。", "乱码"),
    ],
)
def test_bad_input_gives_a_clear_message(text, message):
    with pytest.raises(RulesTextError, match=message):
        parse_rules_text(text)


def test_prose_without_numbering_or_quota_is_kept_with_a_message():
    result = parse_rules_text("这是一段普通的文字，没有任何条款编号。今天天气很好。")
    assert [(a.number, a.label, a.kind) for a in result.articles] == [(1, "第1段", "paragraph")]
    assert result.duties == []
    assert any("没有找到规定次数、学时或期限" in w for w in result.warnings)
    assert any("按段落拆分为1段" in w for w in result.warnings)


def test_absurdly_large_text_is_refused_quickly():
    text = "第一条 内容。" * (MAX_TEXT_CHARS // 7 + 10)
    started = time.perf_counter()
    with pytest.raises(RulesTextError, match="过长"):
        parse_rules_text(text)
    assert time.perf_counter() - started < 2


def test_non_text_argument():
    with pytest.raises(RulesTextError):
        parse_rules_text(None)  # type: ignore[arg-type]


def test_two_hundred_pages_do_not_hang():
    article = (
        "第{n}条 每年至少召开1次法治工作会议，定期听取汇报，研究解决重大问题并及时向党委请示汇报。\n"
        "（一）健全制度机制，加强组织领导，推动工作落实，形成工作合力。\n（二）每季度学法1次。\n"
    )
    text = "".join(article.format(n=n) for n in range(1, 2801))
    assert len(text) > 200_000
    pathological = "第一条 " + "每年至少召开" * 60_000 + "\n第二条 " + "（一）（" * 50_000
    started = time.perf_counter()
    result = parse_rules_text(text)
    parse_rules_text(pathological)
    assert time.perf_counter() - started < 20  # generous: this guards against hangs, not speed
    assert len(result.articles) == 2800 and len(result.duties) == 5600

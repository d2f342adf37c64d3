"""The parser never raises anything but RulesTextError, never hangs, and keeps articles in order."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_tracker.core.rules import ParsedRules, RulesTextError, parse_rules_text
from duty_tracker.core.rules.text_input import MAX_TEXT_CHARS

_PIECES = st.sampled_from([
    "第一条", "第二条", "第十条", "第廿一条", "第3条", "第一章", "第二章 党委主要负责人职责", "（一）", "(二)",
    "一、", "二、", "1.", "（1）", "①", "每年", "每半年", "每季度", "每月", "至少", "不少于", "1次", "两次",
    "十次以上", "分别听取", "人大、政府、政协", "党组工作汇报", "3月1日前", "年底前", "2020年6月30日前",
    "年度报告", "年终述职", "，", "。", "；", "：", "\n", " ", "\u3000", "定期", "及时", "召开", "会议",
    "学法", "听取", "关于印发《", "》的通知", "2019年10月24日", "自印发之日起施行", "附件：",
])
_RULESY = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join)


def _check(result: ParsedRules) -> None:
    numbers = [a.number for a in result.articles]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert result.articles and result.title
    article_numbers = set(numbers)
    for duty in result.duties:
        assert duty.article in article_numbers
        assert duty.period in {"year", "half_year", "quarter", "month", "once"}
        assert duty.role in {"party", "government", "all", "other"}
        assert duty.unit in {"times", "hours"}
        assert duty.min_count >= 1 and duty.title and duty.source_text
        assert (duty.period == "once") == (duty.due is not None and len(duty.due) == 10)
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

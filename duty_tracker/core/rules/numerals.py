"""Chinese and Arabic numerals as they appear in rules texts: 第二十三条, 廿一, （十二）, 两次, 二〇一九年.

Only what official documents use is supported; anything else gives ``None`` rather than a guess,
so that callers can ignore a token that merely looks like a number.
"""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: 廿 = 20, 卅 = 30, 卌 = 40 (old forms still seen in article numbers).
TENS: dict[str, int] = {"廿": 20, "卅": 30, "卌": 40}

#: Characters that can make up a Chinese numeral (for building regular expressions).
CHINESE_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千廿卅卌壹贰叁肆伍陆柒捌玖拾佰仟"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese numeral (十 → 10, 十二 → 12, 二十三 → 23, 廿三 → 23, 一百零五 → 105).

    Digit-by-digit forms of years and dates are also understood (二〇一九 → 2019).
    Returns None for empty or malformed input.
    """
    if not text or len(text) > 12 or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    if not any(ch in UNITS or ch in TENS for ch in text):
        # 二〇一九: one digit per position.
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total = 0
    current = 0  # pending digit
    last_unit = 10_000
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in TENS:
            if total or current:
                return None
            total = TENS[ch]
            last_unit = 10
        else:
            unit = UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 百百 …
            total += (current or 1) * unit
            current = 0
            last_unit = unit
    return total + current


def numeral_to_int(text: str) -> int | None:
    """Value of an Arabic (also full-width) or Chinese numeral; None if it is neither."""
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    return chinese_to_int(text)


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled_to_int(ch: str) -> int | None:
    """① → 1 … ⑳ → 20."""
    index = _CIRCLED.find(ch)
    return index + 1 if index >= 0 and len(ch) == 1 else None


CIRCLED_CHARS = _CIRCLED

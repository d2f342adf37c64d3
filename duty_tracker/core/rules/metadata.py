"""Title, issuing body, document number (文号) and effective date of a rules text.

Rules copied from a government site usually come wrapped in the 通知 that published them:
"XX办公厅关于印发《…实施细则》的通知", the recipients, one sentence, the signature and the date,
then the rules' own title. The name inside 《》 is the most reliable title; the signature lines
just above the 通知 date are the issuer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from duty_tracker.core.rules.numerals import CHINESE_NUMERAL_CHARS, numeral_to_int
from duty_tracker.core.rules.structure import RE_DATE_LINE, is_org_line

_NUM = f"[{CHINESE_NUMERAL_CHARS}0-9]"
RE_WRAPPER = re.compile(r"(?:关于)?(?:印发|转发|颁布|发布|公布)《(.{4,120}?)》(?:的)?(?:通知|决定)")
RE_WRAPPER_PLAIN = re.compile(r"关于(?:印发|转发|颁布|发布|公布)(.{4,120}?)的(?:通知|决定)")
RE_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{2,8}\s?[〔\[［【（]\s?(?:19|20)\d{2}\s?[〕\]］】）]\s?第?\s?\d{1,4}\s?号"
)
RE_DATE = re.compile(
    rf"((?:19|20)\d{{2}}|[一二][〇○零一二三四五六七八九]{{3}})\s?年\s?({_NUM}{{1,3}})\s?月\s?({_NUM}{{1,3}})\s?日"
)
RE_EFFECTIVE = re.compile(
    rf"自\s?((?:19|20)\d{{2}}|[一二][〇○零一二三四五六七八九]{{3}})\s?年\s?({_NUM}{{1,3}})\s?月\s?({_NUM}{{1,3}})\s?日\s?起\s?(?:施行|实施|执行|生效|试行)"
)
RE_EFFECTIVE_ON_ISSUE = re.compile(r"自\s?(?:印发|发布|公布|下发|颁布|签发)之日起\s?(?:施行|实施|执行|生效|试行)")
_TITLE_MAX = 80
_PLACEHOLDER_TITLE = "未命名规则"


@dataclass(slots=True)
class Metadata:
    title: str
    issuer: str | None
    doc_number: str | None
    effective_date: str | None
    notice_date: str | None = None  # the date of the 通知 or signature, if any


def iso_date(year: str, month: str, day: str) -> str | None:
    """"2019","10","24" (or Chinese numerals) → "2019-10-24"; None if not a real date."""
    values = [numeral_to_int(part) for part in (year, month, day)]
    if None in values:
        return None
    try:
        return date(values[0], values[1], values[2]).isoformat()  # type: ignore[arg-type]
    except ValueError:
        return None


def _date_of_line(line: str) -> str | None:
    match = RE_DATE_LINE.match(line)
    return iso_date(*match.groups()) if match else None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_title(preamble: list[str]) -> str:
    """The rules' title: the name in "关于印发《…》的通知" if the text has a wrapper, else the
    short lines just above the first heading (a title is often split over two lines)."""
    joined = _compact("".join(preamble))
    wrapped = RE_WRAPPER.search(joined) or RE_WRAPPER_PLAIN.search(joined)
    if wrapped:
        return wrapped.group(1)[:_TITLE_MAX]
    collected: list[str] = []
    for line in reversed(preamble):
        if not line:
            continue
        if re.fullmatch(r"（[^（）]*）", line) and not collected:
            continue  # "（2019年10月24日市委常委会会议通过）" under the title
        if (
            len(line) > _TITLE_MAX
            or any(ch in line for ch in "。；：")
            or RE_DATE_LINE.match(line)
            or RE_DOC_NUMBER.fullmatch(line)
            or (is_org_line(line) and collected)
            or len(collected) >= 4
        ):
            break
        collected.insert(0, line)
    title = _compact("".join(collected))
    if len(title) >= 4:
        return title[:_TITLE_MAX]
    for line in preamble:
        if line and len(line) <= _TITLE_MAX and not any(ch in line for ch in "。；"):
            return _compact(line)
    return _PLACEHOLDER_TITLE


def find_issuer(preamble: list[str], trailer: list[str]) -> str | None:
    """Signature lines above the 通知 date (in the wrapper or after the last article), else the
    organisation before "关于" in the wrapper title."""
    for lines in (preamble, trailer):
        for index, line in enumerate(lines):
            if not _date_of_line(line):
                continue
            names: list[str] = []
            for above in reversed(lines[:index]):
                if not above:
                    continue
                if not is_org_line(above) or len(names) >= 4:
                    break
                names.insert(0, above)
            if names:
                return " ".join(names)
    for line in preamble:
        for word in ("关于", "印发", "转发"):
            head, sep, _ = line.partition(word)
            head = head.strip()
            if sep and head and is_org_line(head):
                return head
    return None


def find_doc_number(preamble: list[str]) -> str | None:
    """The first 文号 (杭政办函〔2017〕62号) in the wrapper."""
    match = next((m for line in preamble if (m := RE_DOC_NUMBER.search(line))), None)
    if not match:
        return None
    number = re.sub(r"^.*?(?:通知|决定|意见|办法|细则|规定)", "", _compact(match.group(0)))
    return number.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")


def find_notice_date(preamble: list[str], trailer: list[str]) -> str | None:
    """The date line of the 通知 or of the signature after the rules."""
    for lines in (preamble, trailer):
        for line in lines:
            iso = _date_of_line(line)
            if iso:
                return iso
    return None


def find_effective_date(body_text: str, notice_date: str | None) -> str | None:
    """"自2019年10月24日起施行" → that date; "自印发之日起施行" or nothing → the 通知 date."""
    match = RE_EFFECTIVE.search(body_text)
    if match:
        iso = iso_date(*match.groups())
        if iso:
            return iso
    if RE_EFFECTIVE_ON_ISSUE.search(body_text):
        return notice_date
    return notice_date


#: The name of a rule quoted in a news report or notice: 《…规定》, 《…实施办法》 …
RE_QUOTED_RULE = re.compile(r"《([^《》]{4,80}?(?:规定|办法|细则|意见|方案|措施|清单|制度|要点))》")


def title_from_body(body_text: str) -> str:
    """A text without a title line (a news report pasted from its first paragraph): the rule it
    is about, "近日，…印发《某县…规定》" → "某县…规定"; else the placeholder."""
    compact = _compact(body_text[:2000])
    match = RE_WRAPPER.search(compact) or RE_QUOTED_RULE.search(compact)
    return match.group(1)[:_TITLE_MAX] if match else _PLACEHOLDER_TITLE


def extract_metadata(preamble: list[str], trailer: list[str], body_text: str) -> Metadata:
    notice_date = find_notice_date(preamble, trailer)
    title = find_title(preamble)
    if title == _PLACEHOLDER_TITLE:
        title = title_from_body(body_text)
    return Metadata(
        title=title,
        issuer=find_issuer(preamble, trailer),
        doc_number=find_doc_number(preamble),
        effective_date=find_effective_date(body_text, notice_date),
        notice_date=notice_date,
    )

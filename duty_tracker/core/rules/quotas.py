"""Finding the quantified duties (履职事项) in the articles of a rules text.

A duty is an obligation with an explicit frequency or deadline:

* a period word and a count: 每年至少召开1次…, 每年学法不少于2次, 每半年至少听取1次…,
  每季度…, 每月…, N次以上; one duty per (period, count) pair, so "会前学法每年不少于24次，每月
  不少于2次" gives a yearly and a monthly duty;
* a period word and an action without a count (每年分别听取…): one per period;
* a count without a period word (至少举办1期…): the period named earlier in the same clause,
  else yearly — the ledger is kept and debriefed per year, and a "once" duty needs a due date;
* a deadline (每年3月1日前…, 年底前…, 2020年6月30日前…) as ``due``;
* "分别听取A、B、C…汇报": one duty per body (``target``);
* the annual reports every such document implies without a number (…年度报告, 年终述职).

"定期", "及时", "经常性" carry no number: those clauses remain articles only.

Roles: the chapter (党委主要负责人职责 → party, 政府主要负责人职责 → government), else the
words of the sentence, clause or article (党委常委会, 政府常务会议 …), else "all".
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from duty_tracker.core.rules.model import ParsedArticle, ParsedDuty
from duty_tracker.core.rules.numerals import numeral_to_int

_CN_COUNT = "一二两三四五六七八九十"
_CJK = r"\u4e00-\u9fff"

#: Period words. "weak" ones (全年, 年内) only count together with an explicit number.
_PERIODS: list[tuple[str, str | None, bool]] = [
    # (regex, period or None for a frequency we cannot represent, weak)
    (r"每半年|每半个?年度", "half_year", False),
    (r"每两年|每二年|每三年|每五年|每两个月|每双月|每周|每星期|每旬|每届(?:任期)?|任期内", None, False),
    (r"每一?个?季度?|每个季度", "quarter", False),
    (r"每一?个?月|每个月份?", "month", False),
    (r"每一?年度?|每个年度", "year", False),
    (r"全年|年内|一年内", "year", True),
]
RE_PERIOD = re.compile("|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _, _) in enumerate(_PERIODS)))

RE_COUNT = re.compile(
    rf"(?<![第每单逐初])(?P<n>\d{{1,3}}|[{_CN_COUNT}]{{1,3}})\s?个?(?P<unit>次|期|场|回|轮|篇|份)"
    rf"(?!性|数|要|生|级|序|方|贷|品|次)(?P<above>以上|及以上|或以上)?"
)
RE_MAXIMUM = re.compile(r"(不超过|不多于|至多|最多|不得超过|不宜超过|控制在)\s?$")
RE_QUANTIFIER = re.compile(r"至少|不少于|不低于|不得少于|最少|以上")

_DAY = rf"(\d{{1,2}}|[{_CN_COUNT}]{{1,3}})"
_DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"每年(?:的)?{_DAY}月{_DAY}日(?:之|以)?前"), "year_md"),
    (re.compile(rf"每年(?:的)?{_DAY}月(?:底|末|份)(?:之|以)?前"), "year_month_end"),
    (re.compile(r"(?:每年|(?<![0-9年]))(?:年底|年末|年终)(?:之|以)?前"), "year_end"),
    (re.compile(rf"((?:19|20)\d{{2}})年{_DAY}月{_DAY}日(?:之|以)?前"), "date"),
    (re.compile(rf"((?:19|20)\d{{2}})年{_DAY}月(?:底|末)(?:之|以)?前"), "date_month_end"),
    (re.compile(r"((?:19|20)\d{2})年(?:年底|底|年末|末)(?:之|以)?前"), "date_year_end"),
]

#: Actions that make "每年…" an obligation even without a number (每年分别听取…).
RE_ACTION = re.compile(
    r"^(?:(?:都|要|应当|应|须|必须|需|均|至少|定期|分别|亲自|主动|带头|组织|专题|集体|向[^，。；]{1,20}?)\s?)*"
    r"(听取|召开|主持|举办|举行|开展|报告|汇报|述职|述法|研究|学法|学习|讲法|授课|培训|参加|部署|督查|检查|"
    r"提交|报送|公开|发布|撰写|审议|分析|评估|调研|约谈|作出|签订|组织)"
)

_LEAD_WORDS = re.compile(
    r"^(?:并且|并|同时|还|要|应当|应|须|必须|需要|需|都|均|原则上|一般|定期|至少|不少于|不低于|"
    r"不得少于|最少|分别|亲自|主动|带头|积极|认真|及时|全部|逐步|按时|每年|其中|由|在|书面)+"
)
_CONTEXT_LEAD = re.compile(
    r"^(?:并且|并|同时|带头|其中|健全并落实|健全并执行|建立健全|健全完善|完善并落实|健全|落实|完善|建立|执行|"
    r"严格执行|坚持|实行|推行|推动|全面|深化|加强|认真|切实|要|应当|应)+"
)
_CONTEXT_TAIL = re.compile(r"(?:工作)?(?:制度|机制|规定|要求)$")
_GENERIC_VERBS = re.compile(r"^(?:主持召开|组织召开|组织开展|组织举办|召开|举办|举行|开展|组织|参加|进行|安排|主持)")
_GENERIC_VERB_END = re.compile(r"(?:召开|举办|举行|开展|组织|参加|进行|安排|主持)$")
_DEADLINE_LEAD = re.compile(
    rf"^(?:(?:19|20)\d{{2}}年)?(?:{_DAY}月{_DAY}日|{_DAY}月(?:底|末|份)|年底|年末|年终)(?:之|以)?前"
)
_TITLE_MAX = 24

_PARTY_WORDS = re.compile(
    r"党委(?:（党组）)?(?:主要负责人|书记|常委会|理论学习中心组|中心组|法治建设议事协调|全会|会议)|"
    r"党组(?:（党委）)?书记|党委会|中心组|[省市县区州旗]委(?:主要负责人|书记|常委会)"
)
#: 党委/党组 or a committee named by its level (县委, 市委 …, but not 县委员会 …).
_PARTY_CHAPTER = re.compile(r"党委|党组|[省市县区州旗乡镇]委(?!员)")
_GOVERNMENT_CHAPTER = re.compile(r"政府|行政首长")
_GOVERNMENT_WORDS = re.compile(
    r"政府(?:主要负责人|常务会议|全体会议|党组)|常务会议|行政首长|(?:省|市|县|区|乡|镇)长(?![期效远])|"
    r"行政机关负责人"
)
_BOTH_WORDS = re.compile(r"党政主要负责人|党政领导")

_IMPLICIT_REPORT = re.compile(rf"([{_CJK}]{{2,14}})年度报告")
_IMPLICIT_DEBRIEF = re.compile(r"(?:年终|年度)(?:述职述法|述法述职|述职|述法)")
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_ENUM_RE = re.compile(
    r"分别(?P<verb>听取|向|召开|组织|开展|参加|审议)?(?P<level>本级|同级|下级|上级)?(?P<items>[^，。；：]{3,80})"
)
_ENUM_SUFFIXES = ("党组", "党委", "工作", "汇报", "报告", "情况", "的", "意见", "负责人", "述职")


def role_of_chapter(chapter: str | None) -> str | None:
    """党委主要负责人职责 → party; 政府主要负责人职责 → government; else None."""
    if not chapter:
        return None
    party = bool(_PARTY_CHAPTER.search(chapter))
    government = bool(_GOVERNMENT_CHAPTER.search(chapter))
    if party and not government:
        return "party"
    if government and not party:
        return "government"
    return None


def role_of_words(text: str) -> str | None:
    """Role named by the text itself (党委常委会 → party, 政府常务会议 → government)."""
    if _BOTH_WORDS.search(text):
        return "all"
    party = bool(_PARTY_WORDS.search(text))
    government = bool(_GOVERNMENT_WORDS.search(text))
    if party and government:
        return "all"
    if party:
        return "party"
    if government:
        return "government"
    return None


@dataclass(slots=True)
class _Found:
    """A duty before it knows its article and role."""

    period: str
    min_count: int
    title: str
    source: str
    target: str | None = None
    due: str | None = None
    implicit: bool = False


def extract_duties(articles: list[ParsedArticle]) -> list[ParsedDuty]:
    """All duties of all articles, in document order, without duplicates."""
    duties: list[ParsedDuty] = []
    seen: set[tuple[object, ...]] = set()
    for article in articles:
        lead = article.text.split("\n")
        lead_text = "\n".join(lead[: max(0, len(lead) - len(article.clauses))])
        units: list[tuple[int | None, str]] = []
        if article.clauses:
            if lead_text:
                units.append((None, lead_text))
            units.extend((clause.number, clause.text) for clause in article.clauses)
        else:
            units.append((None, article.text))
        chapter_role = role_of_chapter(article.chapter)
        for clause_number, text in units:
            for found in find_in_text(text):
                role = (
                    chapter_role
                    or role_of_words(found.source)
                    or role_of_words(text)
                    or role_of_words(lead_text)
                    or "all"
                )
                key = (article.number, clause_number, found.period, found.title, found.target, found.due)
                if key in seen:
                    continue
                seen.add(key)
                duties.append(
                    ParsedDuty(
                        article=article.number,
                        clause=clause_number,
                        role=role,
                        period=found.period,
                        min_count=found.min_count,
                        title=found.title,
                        source_text=found.source,
                        target=found.target,
                        due=found.due,
                    )
                )
                if found.implicit:
                    seen.add(("implicit", found.title, role))
    return _drop_redundant_implicit(duties)


def _drop_redundant_implicit(duties: list[ParsedDuty]) -> list[ParsedDuty]:
    """"年终述职" mentioned in a party clause and again for both heads: keep the joint one."""
    joint_titles = {
        (d.title, d.period) for d in duties if d.role == "all" and _is_implicit_title(d.title)
    }
    kept: list[ParsedDuty] = []
    for duty in duties:
        if duty.role != "all" and _is_implicit_title(duty.title) and (duty.title, duty.period) in joint_titles:
            continue
        kept.append(duty)
    return kept


def _is_implicit_title(title: str) -> bool:
    return bool(_IMPLICIT_DEBRIEF.fullmatch(title)) or title.endswith("年度报告")


#: A "sentence" longer than this is not prose (a table pasted as one line, junk): it is cut
#: into pieces so that the work per sentence stays bounded.
_MAX_SENTENCE = 600
#: Period words or counts beyond this number in one sentence are junk, not obligations.
_MAX_TOKENS = 12


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        while len(sentence) > _MAX_SENTENCE:
            cut = sentence.rfind("，", 0, _MAX_SENTENCE)
            cut = cut + 1 if cut > 0 else _MAX_SENTENCE
            yield sentence[:cut]
            sentence = sentence[cut:]
        yield sentence


def find_in_text(text: str) -> Iterator[_Found]:
    """Duties in the text of one clause (or of an article without clauses)."""
    previous_title: str | None = None
    previous_period = "year"
    for sentence in _sentences(text):
        if len(sentence) < 4:
            continue
        found = list(_in_sentence(sentence, previous_title, previous_period))
        for match in RE_PERIOD.finditer(sentence):
            period, weak = _period_of(match)
            if period and not weak:
                previous_period = period
        if not found:
            found = list(_implicit(sentence))
        for item in found:
            previous_title = item.title
            yield item


def _in_sentence(sentence: str, previous_title: str | None, implied_period: str = "year") -> Iterator[_Found]:
    periods = list(itertools.islice(RE_PERIOD.finditer(sentence), _MAX_TOKENS))
    all_counts = list(itertools.islice(RE_COUNT.finditer(sentence), _MAX_TOKENS))
    counts = [c for c in all_counts if _is_minimum(sentence, c)]
    deadlines = list(_deadlines(sentence))
    results: list[_Found] = []
    last_title = previous_title

    if periods:
        for index, period_match in enumerate(periods):
            period, weak = _period_of(period_match)
            seg_start = period_match.end()
            seg_end = periods[index + 1].start() if index + 1 < len(periods) else len(sentence)
            if period is None:
                continue  # 每两年, 每届任期内 …: a frequency the ledger cannot count
            seg_counts = [c for c in counts if seg_start <= c.start() < seg_end]
            subject = _subject(sentence, period_match.start())
            context = _context(sentence, period_match.start())
            segment = sentence[seg_start:seg_end]
            enum = _enumeration(segment)
            if seg_counts:
                for count in seg_counts:
                    n = numeral_to_int(count.group("n")) or 1
                    if enum:
                        results.extend(_expand(enum, period, n, sentence))
                        break
                    before = sentence[seg_start:count.start()]
                    after = sentence[count.end():seg_end]
                    title = _title(subject, before, after, context, last_title) or _snippet(sentence)
                    results.append(_Found(period, n, title, sentence))
                    last_title = title
            elif weak or not RE_ACTION.match(segment.lstrip()):
                continue
            elif any(seg_start <= c.start() < seg_end for c in all_counts) or RE_QUANTIFIER.search(segment):
                continue  # 不超过3次 (a maximum), 不少于40学时 (hours, not events)
            elif enum:
                results.extend(_expand(enum, period, 1, sentence))
            else:
                clause_part = re.split(r"[，,]", segment, maxsplit=1)[0]
                title = _title(subject, clause_part, "", context, last_title) or _snippet(sentence)
                results.append(_Found(period, 1, title, sentence))
                last_title = title
    else:
        for count in counts:
            if not RE_QUANTIFIER.search(sentence[max(0, count.start() - 8):count.end() + 4]):
                continue
            n = numeral_to_int(count.group("n")) or 1
            start = _segment_start(sentence, count.start())
            before = sentence[start:count.start()]
            after = sentence[count.end():]
            title = _title("", before, after, _context(sentence, start), last_title) or _snippet(sentence)
            results.append(_Found(implied_period, n, title, sentence))
            last_title = title

    for kind, due, match in deadlines:
        recurring = kind.startswith("year")
        attached = False
        for item in results:
            if item.due is None and ((recurring and item.period == "year") or (not recurring and item.period == "once")):
                item.due = due
                attached = True
        if attached:
            continue
        after = re.split(r"[，。；,]", sentence[match.end():], maxsplit=1)[0]
        action = _strip_addressee(_strip_lead(after))
        title = _cap(_GENERIC_VERBS.sub("", action) or action) or last_title or _snippet(sentence)
        results.append(_Found("year" if recurring else "once", 1, title, sentence, due=due))
    yield from results


def _period_of(match: re.Match[str]) -> tuple[str | None, bool]:
    for index, (_, period, weak) in enumerate(_PERIODS):
        if match.group(f"p{index}"):
            return period, weak
    return None, False  # pragma: no cover


def _is_minimum(sentence: str, count: re.Match[str]) -> bool:
    """A count that sets a minimum: not "不超过3次", not inside "一次性"."""
    return not RE_MAXIMUM.search(sentence[max(0, count.start() - 6):count.start()])


def _deadlines(sentence: str) -> Iterator[tuple[str, str, re.Match[str]]]:
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DEADLINES:
        for match in pattern.finditer(sentence):
            if any(start <= match.start() < end for start, end in taken):
                continue
            due = _due(kind, match)
            if due:
                taken.append((match.start(), match.end()))
                yield kind, due, match


def _due(kind: str, match: re.Match[str]) -> str | None:
    groups = [numeral_to_int(g) if g else None for g in match.groups()]
    try:
        if kind == "year_md":
            month, day = groups
            calendar.monthrange(2000, month)  # type: ignore[arg-type]
            if not (1 <= (month or 0) <= 12 and 1 <= (day or 0) <= calendar.monthrange(2000, month)[1]):  # type: ignore[arg-type]
                return None
            return f"{month:02d}-{day:02d}"
        if kind == "year_month_end":
            (month,) = groups
            if not 1 <= (month or 0) <= 12:
                return None
            return f"{month:02d}-{calendar.monthrange(2001, month)[1]:02d}"  # type: ignore[arg-type]
        if kind == "year_end":
            return "12-31"
        if kind == "date":
            year, month, day = groups
            return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
        if kind == "date_month_end":
            year, month = groups
            if not _valid(year, month, 1):
                return None
            return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"  # type: ignore[arg-type]
        if kind == "date_year_end":
            (year,) = groups
            return f"{year:04d}-12-31"
    except (TypeError, ValueError):
        return None
    return None


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if not (year and month and day) or not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _segment_start(sentence: str, position: int) -> int:
    """Start of the comma-separated piece of the sentence containing ``position``."""
    cut = max(sentence.rfind(sep, 0, position) for sep in "，,：")
    return cut + 1


def _subject(sentence: str, period_start: int) -> str:
    """What stands before the period word in its piece: 政府常务会议每半年… → 政府常务会议."""
    return sentence[_segment_start(sentence, period_start):period_start].strip()


def _context(sentence: str, position: int) -> str:
    """The piece before, cleaned: "健全并落实党委理论学习中心组学法制度" → "党委理论学习中心组学法"."""
    start = _segment_start(sentence, position)
    if start <= 1:
        return ""
    previous_start = _segment_start(sentence, start - 1)
    piece = sentence[previous_start:start - 1].strip()
    piece = _CONTEXT_LEAD.sub("", piece)
    piece = _CONTEXT_TAIL.sub("", piece)
    if "定期" in piece or "及时" in piece or len(piece) > _TITLE_MAX or len(piece) < 3:
        return ""
    return piece


def _strip_lead(text: str) -> str:
    return _LEAD_WORDS.sub("", text.strip())


_ADDRESSEE = re.compile(r"^向[^，。；]{1,30}?(?=书面报告|报告|汇报|报送|提交|报备|述职|述法)")


def _strip_addressee(text: str) -> str:
    """"向本级党委、人大常委会报告…" → "报告…": the addressee makes a title long, not clearer."""
    return _ADDRESSEE.sub("", text)


def _clean_object(text: str) -> str:
    """The event named after a count: "法治政府建设工作会议，研究…" → "法治政府建设工作会议"."""
    text = re.split(r"[，。；、,;：]|并(?=及时|研究|部署|听取|报告)", text, maxsplit=1)[0]
    text = re.sub(r"^(?:以上|及以上|或以上|左右)?(?:的)?", "", text.strip())
    return text.strip("的 ")


def _title(subject: str, before: str, after: str, context: str, previous: str | None) -> str:
    """A short readable title from the words around a count.

    ``subject`` precedes the period word (政府常务会议), ``before`` lies between the period word
    and the count (至少组织召开), ``after`` follows the count (党委法治建设议事协调机构会议…),
    ``context`` is the cleaned piece before (党委理论学习中心组学法), ``previous`` the title of
    the duty just before in the same clause (for "…每年不少于24次，每月不少于2次").
    """
    subject = _strip_lead(subject)
    verb = _strip_lead(RE_QUANTIFIER.sub("", _strip_lead(_DEADLINE_LEAD.sub("", before.strip()))))
    verb = re.sub(r"(?:至少|不少于|不低于|不得少于|最少|达到|为|共|累计)$", "", verb)
    verb = _strip_addressee(re.split(r"[，,]", verb)[-1])
    action = _GENERIC_VERBS.sub("", verb)
    obj = _clean_object(after)
    if len(obj) >= 2:
        title = subject + action + obj if action and not _GENERIC_VERB_END.search(action) else obj
        return _cap(title)
    if not subject and not verb:
        return previous or (_cap(context) if context else "")
    action = action or verb
    title = subject + action if action not in subject else subject
    if context and not subject:
        if action in context:
            title = context
        elif len(action) >= 2 and context.endswith(action[-2:]):
            title = context[:-2] + action  # 中心组学法 + 集体学法 → 中心组集体学法
        elif len(title) < 4:
            title = context + action
    return _cap(title) if len(title) >= 2 else ""


def _cap(title: str) -> str:
    """Titles stay short: no parenthetical remarks, at most ``_TITLE_MAX`` characters."""
    title = re.sub(r"（[^（）]{0,12}）", "", title)
    title = title.strip("，。；、：的 ")
    return title[:_TITLE_MAX]


def _snippet(sentence: str) -> str:
    return _cap(_strip_lead(re.split(r"[，。；]", sentence, maxsplit=1)[0]))


def _enumeration(segment: str) -> tuple[str, str, list[str], str] | None:
    """"分别听取本级人大、政府、政协党组工作汇报" → ("听取", "本级", [人大, 政府, 政协], "党组工作汇报")."""
    match = _ENUM_RE.search(segment)
    if not match:
        return None
    items = re.split(r"、|以及|和|及|与", RE_COUNT.sub("", match.group("items")))
    items = [item.strip() for item in items if item.strip()]
    if len(items) < 2:
        return None
    last = items[-1]
    cut = min((last.find(s) for s in _ENUM_SUFFIXES if last.find(s) >= 1), default=-1)
    suffix = ""
    if cut >= 1:
        items[-1], suffix = last[:cut], last[cut:]
    # "县人大常委会党组、县政府党组、县政协党组工作汇报": the suffix's first word repeats.
    for word in _ENUM_SUFFIXES:
        if suffix.startswith(word):
            items = [item[: -len(word)] if item.endswith(word) and len(item) > len(word) else item for item in items]
            break
    if any(len(item) > 12 or len(item) < 2 for item in items):
        return None
    return match.group("verb") or "", match.group("level") or "", items, suffix


def _expand(enum: tuple[str, str, list[str], str], period: str, count: int, sentence: str) -> list[_Found]:
    verb, _level, items, suffix = enum
    return [
        _Found(period, count, _cap(f"{verb}{item}{suffix}"), sentence, target=item) for item in items
    ]


def _implicit(sentence: str) -> Iterator[_Found]:
    """Annual duties every rules text implies without a number: …年度报告, 年终述职."""
    report = _IMPLICIT_REPORT.search(sentence)
    if report:
        subject = _CONTEXT_LEAD.sub("", report.group(1))
        institutional = sentence[report.end():report.end() + 2] == "制度"
        if (
            len(subject) >= 2
            and not subject.endswith(("上一", "工作", "本"))
            and (institutional or re.search("法治|依法|履职|述法", subject))
        ):
            yield _Found("year", 1, _cap(subject + "年度报告"), sentence, implicit=True)
    debrief = _IMPLICIT_DEBRIEF.search(sentence)
    if debrief:
        yield _Found("year", 1, debrief.group(0), sentence, implicit=True)

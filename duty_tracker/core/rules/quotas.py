"""Finding the quantified duties (履职事项) in the articles of a rules text.

A duty is an obligation with an explicit frequency, quota or deadline:

* a period word and a count: 每年至少召开1次…, 每年学法不少于2次, 每半年至少听取1次…,
  每季度…, 每月…, N次以上; one duty per (period, count) pair, so "会前学法每年不少于24次，每月
  不少于2次" gives a yearly and a monthly duty; a range (1—2次) sets its lower number;
* hours of study: 年度学法不少于40学时, 每年集中学法不少于2天 (unit "hours", see :mod:`counts`);
* a period word and an action without a count (每年分别听取…): one per period;
* a count without a period word (至少举办1期…): the period named earlier in the same clause,
  else yearly — the ledger is kept and debriefed per year, and a "once" duty needs a due date;
* a deadline (每年3月1日前…, 年底前…, 每年第一季度…, 2020年6月30日前…) as ``due``; each
  deadline of a sentence keeps its own date and names its own task (:mod:`deadlines`);
* "分别听取A、B、C…汇报": one duty per body (``target``);
* the annual reports a rules text imposes without a number (落实…年度报告制度, 列入年终述职).

Not duties: "定期", "及时", "经常性" (no number); maxima, past tallies, headcounts, rates and
numbers in quotations; a one-off dated task of a work plan ("2017年年底前完成…") unless a
leader is bound to it — those belong to the work points, and are reported as skipped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from duty_tracker.core.rules.counts import (
    RE_COUNT,
    count_value,
    is_alternative,
    is_quota,
    quoted_spans,
)
from duty_tracker.core.rules.deadlines import Deadline, DeadlineContext, find_deadlines
from duty_tracker.core.rules.model import ParsedArticle, ParsedDuty
from duty_tracker.core.rules.roles import choose_role, names_a_head, role_of_chapter
from duty_tracker.core.rules.titles import (
    LEAD_TIME,
    RE_QUANTIFIER,
    cap,
    complete_bare_verb,
    context_before,
    deadline_title,
    make_title,
    segment_end,
    segment_start,
    snippet,
    strip_lead,
    subject_before,
)

_CJK = r"\u4e00-\u9fff"

#: Period words. "weak" ones (全年, 年内) only count together with an explicit number.
_PERIODS: list[tuple[str, str | None, bool]] = [
    # (regex, period or None for a frequency we cannot represent, weak)
    (r"每半年|每半个?年度|(?:每年)?上、?下半年各|按半年", "half_year", False),
    (r"每两年|每二年|每三年|每五年|每两个月|每双月|每周|每星期|每旬|每届(?:任期)?|任期内", None, False),
    (r"每一?个?季度?|每个季度|按季度?", "quarter", False),
    (r"每一?个?月|每个月份?|按月", "month", False),
    (r"每一?年度?|每个年度|按年度?", "year", False),
    (r"全年|年内|一年内|(?<![上下每同第近前后这那])一年(?![来内度级])", "year", True),
    (r"(?<=原则上)半年|(?<![上下每前后近大多])半年(?![度来内期])", "half_year", True),
]
RE_PERIOD = re.compile("|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _, _) in enumerate(_PERIODS)))

_VERBS = (
    r"听取|召开|主持|举办|举行|开展|报告|汇报|述职|述法|研究|学法|学习|讲法|授课|讲授|培训|参加|部署|"
    r"督查|检查|提交|报送|公开|发布|撰写|审议|分析|评估|调研|约谈|作出|签订|组织"
)
#: Actions that make "每年…" an obligation even without a number (每年分别听取…). Each
#: repetition of the prefix is atomic, so that a long run of 向/要/组织 cannot make the match
#: backtrack exponentially.
RE_ACTION = re.compile(
    r"^(?:(?>都|要|应当|应|须|必须|需|均|至少|定期|分别|亲自|主动|带头|组织|专题|集体|一并|书面|按时|"
    rf"按规定|向[^，。；]{{1,20}}?(?={_VERBS})|结合[^，。；]{{1,12}}?(?=一并|同时|{_VERBS}))\s?)*({_VERBS})"
)

#: What makes a count after 全年/年内 a minimum rather than a tally.
_WEAK_MINIMUM = re.compile(r"至少|不少于|不低于|不得少于|最少|以上|应当|应|须|必须|要|原则上")
_IMPLICIT_REPORT = re.compile(rf"([{_CJK}]{{2,14}})年度报告")
_IMPLICIT_DEBRIEF = re.compile(r"(?:年终|年度)(?:述职述法|述法述职|述职|述法)")
_CONTEXT_LEAD = re.compile(
    r"^(?:并且|并|同时|带头|其中|健全并落实|健全并执行|建立健全|健全完善|完善并落实|健全|落实|完善|建立|执行|"
    r"严格执行|坚持|实行|推行|推动|全面|深化|加强|认真|切实|要|应当|应)+"
)
#: A mention, not an obligation: 根据…年度报告, 年度报告显示…
_GUIDING = re.compile(r"^(?:根据|按照|依据|依照|对照|参照|结合|围绕|通过|从)")
_MENTION_AFTER = re.compile(r"^(?:中|显示|指出|表明|提到|反映|中的|里)")
_OBLIGATION_CUE = re.compile(
    r"应当|应|须|必须|要|需|落实|执行|实行|建立|健全|坚持|撰写|报送|提交|形成|编制|公开|发布|列入|纳入|作为"
)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_ENUM_RE = re.compile(
    r"分别(?P<verb>听取|向|召开|组织|开展|参加|审议)?(?P<level>本级|同级|下级|上级)?(?P<items>[^，。；：]{3,80})"
)
_BODIES_RE = re.compile(r"(?P<verb>听取)(?P<level>本级|同级|下级)?(?P<items>[^，。；：]{8,80}?(?:汇报|报告))")
#: The names of bodies (人大常委会, 政府, 政协, 法院, 检察院, 纪委监委 …).
_BODY_END = re.compile(r"(?:人大|常委会|政府|政协|法院|检察院|委|监委|院|局|厅|办)$")
_ENUM_SUFFIXES = ("党组", "党委", "工作", "汇报", "报告", "情况", "的", "意见", "负责人", "述职")


@dataclass(slots=True)
class _Found:
    """A duty before it knows its article and role; ``anchor`` is where its quota stands."""

    period: str
    min_count: int
    title: str
    source: str
    target: str | None = None
    due: str | None = None
    implicit: bool = False
    unit: str = "times"
    anchor: int = 0


@dataclass(slots=True)
class DutyScan:
    """The duties of a text, and the titles of the one-off work-plan tasks left out."""

    duties: list[ParsedDuty] = field(default_factory=list)
    skipped_tasks: list[str] = field(default_factory=list)


def extract_duties(
    articles: list[ParsedArticle], doc_date: date | None = None, default_role: str = "all"
) -> DutyScan:
    """All duties of all articles, in document order, without duplicates. ``doc_date`` (the
    date of a notice) gives the year of a one-off deadline written without one; a duty whose
    text names nobody takes ``default_role`` (from the document's title)."""
    scan = DutyScan()
    seen: set[tuple[object, ...]] = set()
    for article in articles:
        lines = article.text.split("\n")
        lead_text = "\n".join(lines[: max(0, len(lines) - len(article.clauses))])
        units: list[tuple[int | None, str]] = []
        if article.clauses:
            if lead_text:
                units.append((None, lead_text))
            units.extend((clause.number, clause.text) for clause in article.clauses)
        else:
            units.append((None, article.text))
            lead_text = _lead_of(article.text)
        for clause_number, text in units:
            context = DeadlineContext(doc_date=doc_date)
            for found in find_in_text(text, context):
                if found.period == "once" and not _leader_bound(found.source, article.chapter, lead_text):
                    scan.skipped_tasks.append(found.title)
                    continue
                unit_text = "" if article.kind in ("paragraph", "sentence") else text
                role = choose_role(
                    found.source, found.anchor, article.chapter, unit_text, lead_text, default_role
                )
                key = (article.number, clause_number, role, found.period, found.title, found.target,
                       found.due, found.unit)
                if key in seen:
                    continue
                seen.add(key)
                scan.duties.append(ParsedDuty(
                    article=article.number, clause=clause_number, role=role, period=found.period,
                    min_count=found.min_count, title=found.title, source_text=found.source,
                    target=found.target, due=found.due, unit=found.unit,
                ))
    scan.duties = _drop_redundant_implicit(scan.duties)
    return scan


def _lead_of(text: str) -> str:
    """"县长应当履行下列职责：…" → the words before the colon that introduce a list."""
    head, sep, _ = text.partition("：")
    return head if sep and len(head) <= 40 else ""


def _leader_bound(sentence: str, chapter: str | None, lead_text: str) -> bool:
    """A one-off task is a duty only when a leader answers for it: under a heads' chapter, or
    a head named in the sentence or in the words that introduce the clauses."""
    return role_of_chapter(chapter) is not None or names_a_head(sentence) or names_a_head(lead_text)


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


#: A sentence without any of these can hold no period, count, deadline or annual report: it is
#: skipped without running the patterns (most sentences of a rules text).
_TRIGGER = re.compile(
    r"每|按|全年|年|[次期场回轮篇份堂天]|学时|课时|小时|月|季度|述职|述法"
)


def find_in_text(text: str, context: DeadlineContext | None = None) -> Iterator[_Found]:
    """Duties in the text of one clause (or of an article without clauses)."""
    context = context or DeadlineContext()
    previous_title: str | None = None
    previous_period = "year"
    for sentence in _sentences(text):
        if len(sentence) < 4 or not _TRIGGER.search(sentence):
            continue
        found = _in_sentence(sentence, previous_title, previous_period, context)
        for match in RE_PERIOD.finditer(sentence):
            period, weak = _period_of(match)
            if period and not weak:
                previous_period = period
        if not found:
            found = list(_implicit(sentence))
        for item in found:
            previous_title = item.title
            yield item


def _in_sentence(
    sentence: str, previous_title: str | None, implied_period: str, context: DeadlineContext
) -> list[_Found]:
    quoted = quoted_spans(sentence)
    periods = [m for m in itertools.islice(RE_PERIOD.finditer(sentence), _MAX_TOKENS)
               if not any(a <= m.start() < b for a, b in quoted)]
    all_counts = list(itertools.islice(RE_COUNT.finditer(sentence), _MAX_TOKENS))
    counts = _quota_counts(sentence, all_counts, quoted)
    deadlines = find_deadlines(sentence, context)
    if periods:
        # "领导干部年度学法不少于40学时，每年集中学法不少于2天": a count before the first period
        # word has none of its own
        early = [c for c in counts if c.end() <= periods[0].start()]
        results = _unperiodic(sentence, early, previous_title, implied_period)
        starts = [deadline.start for deadline in deadlines]
        results += _periodic(sentence, periods, counts, all_counts, previous_title, starts)
    else:
        results = _unperiodic(sentence, counts, previous_title, implied_period)
    _add_deadlines(sentence, results, deadlines, previous_title)
    return results


def _quota_counts(
    sentence: str, all_counts: list[re.Match[str]], quoted: list[tuple[int, int]]
) -> list[re.Match[str]]:
    kept: list[re.Match[str]] = []
    previous: re.Match[str] | None = None
    for count in all_counts:
        if is_quota(sentence, count, quoted) and count_value(count) and not is_alternative(
            sentence, count, previous
        ):
            kept.append(count)
        previous = count
    return kept


def _periodic(
    sentence: str, periods: list[re.Match[str]], counts: list[re.Match[str]],
    all_counts: list[re.Match[str]], previous_title: str | None, deadline_starts: list[int],
) -> list[_Found]:
    """Duties of a sentence with period words: each period word governs the text up to the next."""
    results: list[_Found] = []
    last_title = previous_title
    shared: list[tuple[str, int]] = []  # "乡镇党委每半年、政府每季度至少听取1次…"
    for index, period_match in enumerate(periods):
        period, weak = _period_of(period_match)
        seg_start = period_match.end()
        seg_end = periods[index + 1].start() if index + 1 < len(periods) else len(sentence)
        if period is None:
            continue  # 每两年, 每届任期内 …: a frequency the ledger cannot count
        mark = len(results)
        if shared and index > 0 and periods[index - 1].start() == shared[-1][1]:
            pending = shared.pop()
        else:
            pending = None
        if _SHARES_NEXT.match(sentence[seg_start:seg_end]) and index + 1 < len(periods):
            shared.append((period, period_match.start()))
            continue
        seg_counts = [c for c in counts if seg_start <= c.start() < seg_end]
        if weak:  # "全年组织两期…" reports a year; "全年学法不少于4次" sets its minimum
            piece_start = segment_start(sentence, period_match.start())
            seg_counts = [c for c in seg_counts if _WEAK_MINIMUM.search(sentence[piece_start:c.end() + 4])]
        segment = sentence[seg_start:seg_end]
        enum = _enumeration(segment)
        if seg_counts:
            for count in seg_counts:
                value = count_value(count)
                if value is None:
                    continue
                if enum:
                    results.extend(_expand(enum, period, value[0], sentence, count.start()))
                    break
                title = _count_title(sentence, period_match, count, seg_end, last_title)
                results.append(_Found(period, value[0], title, sentence, unit=value[1], anchor=count.start()))
                last_title = title
        elif weak or not RE_ACTION.match(LEAD_TIME.sub("", segment.lstrip(), count=1)):
            continue
        elif any(period_match.start() <= start <= seg_start + 1 for start in deadline_starts):
            continue  # "每年3月1日前报送…": the deadline names this duty and its task
        elif any(seg_start <= c.start() < seg_end for c in all_counts) or RE_QUANTIFIER.search(segment):
            continue  # 不超过3次 (a maximum), 去年开展了3次 (a tally): nothing to count
        elif enum:
            results.extend(_expand(enum, period, 1, sentence, period_match.start()))
        else:
            clause_part = re.split(r"[，,]", LEAD_TIME.sub("", segment.lstrip(), count=1), maxsplit=1)[0]
            subject = subject_before(sentence, period_match.start())
            context = context_before(sentence, period_match.start())
            title = make_title(subject, clause_part, "", context, last_title) or snippet(sentence)
            results.append(_Found(period, 1, title, sentence, anchor=period_match.start()))
            last_title = title
        if pending is not None:
            results[mark:mark] = [replace(item, period=pending[0], anchor=pending[1]) for item in results[mark:]]
    return results


#: The text after a period word that only adds a second subject with its own period word.
_SHARES_NEXT = re.compile(r"^\s?[、和与及][^，。；、每]{1,10}$")


def _count_title(
    sentence: str, period_match: re.Match[str], count: re.Match[str], seg_end: int,
    last_title: str | None,
) -> str:
    """Title of a counted duty: the subject before the period word belongs only to the piece
    of the sentence it stands in ("各部门党组每年集中学法不少于4次，其中宪法专题学习…")."""
    same_piece = segment_start(sentence, count.start()) <= period_match.start()
    subject = subject_before(sentence, period_match.start()) if same_piece else ""
    context = context_before(sentence, period_match.start()) if same_piece else ""
    before = sentence[period_match.end():count.start()]
    after = sentence[count.end():seg_end]
    return make_title(subject, before, after, context, last_title) or snippet(sentence)


def _unperiodic(
    sentence: str, counts: list[re.Match[str]], previous_title: str | None, implied_period: str
) -> list[_Found]:
    """Counts with a minimum word and no period word: the clause's period, else yearly."""
    results: list[_Found] = []
    last_title = previous_title
    for count in counts:
        if not RE_QUANTIFIER.search(sentence[max(0, count.start() - 8):count.end() + 4]):
            continue
        value = count_value(count)
        if value is None:
            continue
        start = segment_start(sentence, count.start())
        before = sentence[start:count.start()]
        after = sentence[count.end():]
        title = make_title("", before, after, context_before(sentence, start), last_title) or snippet(sentence)
        results.append(_Found(implied_period, value[0], title, sentence, unit=value[1], anchor=count.start()))
        last_title = title
    return results


def _add_deadlines(
    sentence: str, results: list[_Found], deadlines: list[Deadline], previous_title: str | None
) -> None:
    """Each deadline goes to the counted duty in its own piece of the sentence; otherwise it is a
    duty of its own, named by its own task."""
    for deadline in deadlines:
        piece = (segment_start(sentence, deadline.start), segment_end(sentence, deadline.end))
        owners = [item for item in results if item.due is None and deadline.recurring
                  and item.period == "year" and piece[0] <= item.anchor < piece[1]]
        for owner in owners:  # several when "分别听取A、B、C…" shares the deadline
            owner.due = deadline.due
        if owners:
            continue
        if not deadline.recurring and deadline.due is None:
            continue
        period = "year" if deadline.recurring else "once"
        enum = _enumeration(sentence[deadline.end:piece[1]])
        if enum:
            for item in _expand(enum, period, 1, sentence, deadline.start):
                item.due = deadline.due
                results.append(item)
            continue
        title = deadline_title(sentence, deadline.start, deadline.end) or previous_title or snippet(sentence)
        earlier = results[-1].title if results else None
        title = complete_bare_verb(title, earlier, sentence)
        results.append(_Found(period, 1, title, sentence, due=deadline.due, anchor=deadline.start))


def _period_of(match: re.Match[str]) -> tuple[str | None, bool]:
    for index, (_, period, weak) in enumerate(_PERIODS):
        if match.group(f"p{index}"):
            return period, weak
    return None, False  # pragma: no cover


def _enumeration(segment: str) -> tuple[str, str, list[str], str] | None:
    """"分别听取本级人大、政府、政协党组工作汇报" → ("听取", "本级", [人大, 政府, 政协], "党组工作汇报");
    without 分别 only a list of three or more bodies heard one by one ("听取本级人大常委会、
    政府、政协、法院、检察院党组…汇报")."""
    match = _ENUM_RE.search(segment)
    separately = match is not None
    if not match:
        match = _BODIES_RE.search(segment)
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
    if not separately and (len(items) < 3 or not all(_BODY_END.search(item) for item in items)):
        return None
    suffix = re.sub(r"关于|的(?=汇报|报告)", "", suffix)
    return match.group("verb") or "", match.group("level") or "", items, suffix


def _expand(
    enum: tuple[str, str, list[str], str], period: str, count: int, sentence: str, anchor: int
) -> list[_Found]:
    verb, _level, items, suffix = enum
    return [
        _Found(period, count, cap(f"{verb}{item}{suffix}"), sentence, target=item, anchor=anchor)
        for item in items
    ]


def _implicit(sentence: str) -> Iterator[_Found]:
    """Annual duties a rules text imposes without a number (落实…年度报告制度, 列入年终述职) —
    only as an obligation: not in a heading, a quotation, or a sentence that merely refers to
    the report ("根据…年度报告", "年度报告显示…")."""
    if not sentence or (sentence[-1] not in "。；！？" and len(sentence) <= 30):
        return  # a heading ("（五）法治政府建设年度报告")
    quoted = quoted_spans(sentence)
    report = _IMPLICIT_REPORT.search(sentence)
    if report and _is_obligation(sentence, report, quoted):
        subject = _CONTEXT_LEAD.sub("", strip_lead(report.group(1)))
        institutional = sentence[report.end():report.end() + 2] == "制度"
        if (
            len(subject) >= 2
            and not subject.endswith(("上一", "工作", "本"))
            and (institutional or re.search("法治|依法|履职|述法", subject))
        ):
            yield _Found("year", 1, cap(subject + "年度报告"), sentence, implicit=True, anchor=report.start())
    debrief = _IMPLICIT_DEBRIEF.search(sentence)
    if debrief and _is_obligation(sentence, debrief, quoted):
        yield _Found("year", 1, debrief.group(0), sentence, implicit=True, anchor=debrief.start())


def _is_obligation(sentence: str, match: re.Match[str], quoted: list[tuple[int, int]]) -> bool:
    if any(a <= match.start() < b for a, b in quoted):
        return False
    piece = sentence[segment_start(sentence, match.start()):match.start()]
    if _GUIDING.search(piece) or _MENTION_AFTER.search(sentence[match.end():]):
        return False
    return bool(_OBLIGATION_CUE.search(sentence))

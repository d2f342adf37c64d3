"""Short, readable titles for the duties found in a sentence.

A title names the task ("党委法治建设议事协调机构会议", "报送上年度法治建设工作总结"), never the
date or the leader: the leader is the duty's role, the date its ``due``. Titles stay at most
:data:`TITLE_MAX` characters, without parenthetical remarks.
"""

from __future__ import annotations

import re

from duty_tracker.core.rules.roles import is_head_subject

TITLE_MAX = 24

_DAY = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
RE_QUANTIFIER = re.compile(r"至少|不少于|不低于|不得少于|最少|以上|累计")

_LEAD_WORDS = re.compile(
    r"^(?:并且|并|同时|还|要求|要|应当|应|须|必须|需要|需|都|均|原则上|一般|定期|至少|不少于|不低于|"
    r"不得少于|最少|分别|亲自|主动|带头|积极|认真|及时|全部|逐步|按时|每年|其中|由|在|书面|于|可|"
    r"本人)+"
)
#: How news reports and notices introduce a rule's content: "《规定》明确，…", "意见要求…".
_PROSE_LEAD = re.compile(
    r"^(?:(?:[一二三四五六七八九十]是|首先|其次|再次|最后|此外|另外)[，、]?)?"
    r"(?:(?:《[^》]{1,60}》|规定|办法|细则|意见|通知|方案|会议)?(?:还|进一步|同时)?"
    r"(?:明确|要求|提出|规定|指出|强调)(?:了)?[，：]?)?"
    r"(?:结合[^，。；]{1,12}?一并)?"
)
_CONTEXT_LEAD = re.compile(
    r"^(?:并且|并|同时|带头|其中|健全并落实|健全并执行|建立健全|健全完善|完善并落实|健全|落实|完善|建立|执行|"
    r"严格执行|坚持|实行|推行|推动|全面|深化|加强|认真|切实|要|应当|应)+"
)
_CONTEXT_TAIL = re.compile(r"(?:工作)?(?:制度|机制|规定|要求)$")
GENERIC_VERBS = re.compile(r"^(?:主持召开|组织召开|组织开展|组织举办|召开|举办|举行|开展|组织|参加|进行|安排|主持)")
_GENERIC_VERB_END = re.compile(r"(?:召开|举办|举行|开展|组织|参加|进行|安排|主持)$")
#: A time inside the period that opens what follows a period word: "每年3月1日前向…报告",
#: "每年第一季度向…述法", "每季度第一个月10日前报送…", "每年年底前组织…".
LEAD_TIME = re.compile(
    rf"^(?:(?:(?:19|20)\d{{2}}年)?(?:的)?(?:{_DAY}月(?:{_DAY}日|底|末|份|上旬|中旬|下旬)?|{_DAY}日|"
    r"第[一二三四五六七八九十\d]{1,2}个?月|首月|[上中下]旬|月底|月末|季末|季度末|年底|年末|年终|年初|年中|"
    r"[上下]半年|第?[一二三四1-4]季度|[^，。；]{1,12}?(?:前后|期间|之际))(?:之|以)?(?:前|内|期间|末|底)?[，,]?)+"
)
_DEADLINE_LEAD = LEAD_TIME
_TRAILING_HEDGES = re.compile(r"(?:至少|不少于|不低于|不得少于|最少|达到|为|共|累计|一般|原则上|均|都|应当|应|要|须)+$")
_ADDRESSEE = re.compile(
    r"^向[^，。；]{1,30}?(?=书面报告|书面述法|书面述职|报告|汇报|报送|提交|报备|述职|述法)"
)
_LOCATION = re.compile(
    r"^(?:(?:并|应|须|要)?(?:在|通过|到|于))[^，。；]{1,14}?(?=公开|发布|公布|报送|提交|召开|举办|开展|讲授|述法)"
)
#: "将X报送Y": the task is "报送X".
_BA = re.compile(r"^将(?P<obj>[^，。；]{2,40})(?P<verb>报送|提交|上报|报告|公开|发布|印发)")
#: A task verb at the start of the text after a deadline.
_TASK_VERB = re.compile(
    r"^(?:报送|提交|上报|报告|报备|完成|召开|举办|开展|组织|公开|发布|公布|印发|出台|制定|建立|建成|"
    r"述法|述职|部署|总结|审议|听取|考核|评议|清理)"
)
_ORG_END = re.compile(r"(?:委|办|局|政府|党委|党组|部|厅|院|会|组|中心|机关)$")
_NOISE = re.compile(r"本人|(?:19|20)\d{2}年度?|（[^（）]{0,12}）")


def strip_lead(text: str) -> str:
    """Drop obligation and connective words at the start ("并及时…" → "…")."""
    text = _PROSE_LEAD.sub("", text.strip())
    return _LEAD_WORDS.sub("", text)


def strip_addressee(text: str) -> str:
    """"向本级党委、人大常委会报告…" → "报告…": the addressee makes a title long, not clearer."""
    return _ADDRESSEE.sub("", text)


def segment_start(sentence: str, position: int) -> int:
    """Start of the comma-separated piece of the sentence containing ``position``."""
    cut = max(sentence.rfind(sep, 0, position) for sep in "，,：；")
    return cut + 1


def segment_end(sentence: str, position: int) -> int:
    """End of the comma-separated piece of the sentence containing ``position``."""
    ends = [i for sep in "，,；。" if (i := sentence.find(sep, position)) >= 0]
    return min(ends) if ends else len(sentence)


def subject_before(sentence: str, period_start: int) -> str:
    """What stands before the period word in its piece: 政府常务会议每半年… → 政府常务会议; a
    leader or an obligation word alone is no part of the title ("党委主要负责人每年…")."""
    subject = strip_lead(sentence[segment_start(sentence, period_start):period_start].strip())
    subject = _TRAILING_HEDGES.sub("", subject)  # "党委常委会至少每年…"
    return "" if is_head_subject(subject) else _strip_head(subject)


def _strip_head(subject: str) -> str:
    """"部门领导班子成员年度学法" keeps its words; "县委书记要" is a leader, not a subject."""
    return re.sub(r"(?:要|应当|应|须|必须)$", "", subject)


def context_before(sentence: str, position: int) -> str:
    """The piece before, cleaned: "健全并落实党委理论学习中心组学法制度" → "党委理论学习中心组学法"."""
    start = segment_start(sentence, position)
    if start <= 1:
        return ""
    previous_start = segment_start(sentence, start - 1)
    piece = sentence[previous_start:start - 1].strip()
    piece = _CONTEXT_LEAD.sub("", _PROSE_LEAD.sub("", piece))
    piece = _CONTEXT_TAIL.sub("", piece)
    if "定期" in piece or "及时" in piece or len(piece) > TITLE_MAX or len(piece) < 3:
        return ""
    if re.search(r"每[年月季半]|\d\s?次|[一二两三四五六七八九十]次", piece):
        return ""  # a piece with its own quota names that duty, not this one
    if is_head_subject(piece) or "《" in piece:
        return ""
    return GENERIC_VERBS.sub("", piece) if len(GENERIC_VERBS.sub("", piece)) >= 3 else piece


def clean_object(text: str) -> str:
    """The event named after a count: "法治政府建设工作会议，研究…" → "法治政府建设工作会议"."""
    piece = re.split(r"[，。；,;：]", text, maxsplit=1)[0]
    text = re.split(
        r"[、]|并(?=及时|研究|部署|听取|报告)|或者?(?=[0-9一二两三四五六七八九十半])", piece, maxsplit=1
    )[0]
    text = re.sub(r"^(?:以上|及以上|或以上|左右)?(?:的)?(?:为期[^的，。；]{1,8}的)?(?:为|是)?", "", text.strip()).strip("的 ")
    if len(text) < 2:  # "3期、每期不少于2天的领导干部法治培训班": the noun after 的
        noun = re.search(r"的([^的、]{2,20})$", piece)
        if noun:
            return noun.group(1)
    return text


def make_title(subject: str, before: str, after: str, context: str, previous: str | None) -> str:
    """A short readable title from the words around a count.

    ``subject`` precedes the period word (政府常务会议), ``before`` lies between the period word
    and the count (至少组织召开), ``after`` follows the count (党委法治建设议事协调机构会议…),
    ``context`` is the cleaned piece before (党委理论学习中心组学法), ``previous`` the title of
    the duty just before in the same clause (for "…每年不少于24次，每月不少于2次").
    """
    subject = strip_addressee(strip_lead(subject))
    verb = strip_lead(RE_QUANTIFIER.sub("", strip_lead(_DEADLINE_LEAD.sub("", before.strip()))))
    verb = _TRAILING_HEDGES.sub("", verb)
    verb = re.split(r"[，,；]", verb.rstrip("；。！？"))[-1]
    verb = _TRAILING_HEDGES.sub("", strip_addressee(strip_lead(verb)))
    action = GENERIC_VERBS.sub("", verb)
    obj = clean_object(after)
    if len(obj) >= 2:
        if action and not _GENERIC_VERB_END.search(action):
            return cap(subject + action + obj)
        if subject and not action and _TASK_VERB.match(obj) and not GENERIC_VERBS.match(obj):
            return cap(subject + obj)  # "党委常委会一年至少两次听取…汇报"
        return cap(obj)
    if not subject and not verb:
        return previous or (cap(context) if context else "")
    if subject and not action and GENERIC_VERBS.fullmatch(verb):
        return cap(subject)  # "领导干部学法考试每年举行一次"
    action = action or verb
    if subject and not action and len(GENERIC_VERBS.sub("", subject)) >= 4:
        subject = GENERIC_VERBS.sub("", subject)  # "主持召开本部门法治建设专题会议 每年至少2次"
    if not subject and previous and len(action) >= 2 and action in previous:
        return previous  # "…每季度至少专题学法一次，全年学法不少于12次"
    title = subject + action if action not in subject else subject
    if context and not subject:
        if action in context:
            title = context
        elif len(action) >= 2 and context.endswith(action[-2:]):
            title = context[:-2] + action  # 中心组学法 + 集体学法 → 中心组集体学法
        elif len(title) < 4:
            title = context + action
    return cap(title) if len(title) >= 2 else ""


#: The long name of the duty these texts are about, said short when a title runs too long.
_LONG_DUTY_NAME = re.compile(r"履行推进法治建设第一责任人职责(?:的)?")


def cap(title: str) -> str:
    """Titles stay short: no parenthetical remarks, at most :data:`TITLE_MAX` characters."""
    title = re.sub(r"（[^（）]{0,12}）", "", title).replace("“", "").replace("”", "")
    title = title.strip("，。；、：的 ")
    if len(title) > TITLE_MAX:
        title = _LONG_DUTY_NAME.sub("履职", title)
    return title[:TITLE_MAX]


def snippet(sentence: str) -> str:
    """The first piece of a sentence as a last-resort title (never empty: a duty needs one)."""
    for piece in re.split(r"[，。；]", sentence):
        title = cap(strip_lead(piece))
        if len(title) >= 2:
            return title
    return cap(sentence) or "履职事项"


#: An office named before the task: "县委依法治县办组织开展…" → "组织开展…".
_ORG_SUBJECT = re.compile(
    r"^[^，。；]{2,14}?(?:办公室|办|委员会|委|局|厅|政府|部门|单位)(?=组织|开展|召开|举办|听取|部署|督查|检查|评议|考核)"
)


def _task(text: str) -> str:
    """A task phrase cleaned of lead words, the office that does it, the addressee, the
    location and the "将…报送" inversion."""
    text = strip_lead(_LOCATION.sub("", _NOISE.sub("", text).strip()))
    text = _ORG_SUBJECT.sub("", text)
    ba = _BA.match(text)
    if ba:
        text = ba.group("verb") + ba.group("obj")
    text = _LOCATION.sub("", strip_addressee(text))
    return GENERIC_VERBS.sub("", text) if len(GENERIC_VERBS.sub("", text)) >= 4 else text


#: Where the noun that opens a sentence ends: "述法报告一般不超过3000字" → "述法报告".
_NOUN_END = re.compile(r"一般|应当|应|须|要|不超过|不少于|由|经|于|在|每年|原则上|需")


def complete_bare_verb(title: str, previous: str | None, sentence: str) -> str:
    """A deadline's task that is only a verb ("报送", "公开") takes its object from the duty
    before it in the sentence ("报告上年度…情况，4月1日前…向社会公开" → "公开上年度…情况"), else
    from the noun that opens the sentence ("述法报告…，于每年12月底前报送" → "报送述法报告")."""
    verb = _TASK_VERB.fullmatch(title)
    if not verb:
        return title
    if previous:
        earlier = _TASK_VERB.match(previous)
        obj = previous[earlier.end():] if earlier else previous
        if len(obj) >= 2:
            return cap(title + obj)
    first = re.split(r"[，,；：]", sentence, maxsplit=1)[0]
    cut = _NOUN_END.search(first)
    noun = strip_lead(first[: cut.start()] if cut else first)
    before_modal = bool(cut) and cut.group(0) in ("应当", "应", "须", "要", "需", "一般", "原则上")
    if 2 <= len(noun) <= 16 and not is_head_subject(noun) and (
        before_modal or not _TASK_VERB.fullmatch(noun)  # "报告应当…公开": 报告 is the noun
    ):
        return cap(title + noun)
    return title


def deadline_title(sentence: str, start: int, end: int) -> str:
    """The task of a deadline at ``start:end``: the words after it in its piece ("每年3月1日前
    向…报告上一年度…" → "报告上一年度…"), the next piece when the deadline closes its own
    ("每年3月1日前，报送…"), or the noun before it with the verb after it ("年度述法报告须于
    每年1月底前报送县委" → "报送年度述法报告")."""
    piece_end = segment_end(sentence, end)
    after = _task(sentence[end:piece_end])
    if not after and piece_end < len(sentence) and sentence[piece_end] in "，,":
        after = _task(sentence[piece_end + 1:segment_end(sentence, piece_end + 1)])
    before = sentence[segment_start(sentence, start):start]
    before = re.sub(r"(?:应当|应|须|必须|要|需)?(?:于|在)?$", "", before.strip())
    before = "" if is_head_subject(strip_lead(before)) else _task(before)
    verb = _TASK_VERB.match(after)
    rest = after[verb.end():] if verb else after
    if verb and len(before) >= 4 and (not rest or (len(rest) <= 8 and _ORG_END.search(rest))):
        return cap(verb.group(0) + before)
    if len(after) >= 2:
        return cap(after)
    return cap(before) if len(before) >= 2 else snippet(sentence)

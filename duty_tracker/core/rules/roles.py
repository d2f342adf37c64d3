"""Whom a duty binds: the party head, the government head, both, or other heads (departments,
units, enterprises: 部门、单位主要负责人).

The order of evidence: heads of departments or units named as the subject of the sentence
("各部门主要负责人每年…", "市政府各部门于每年1月底前…"); else the chapter (党委主要负责人职责 →
party); else the words of the sentence, clause or article (党委常委会 → party, 政府常务会议 →
government, 局党委会议 → other). A department's own party organ (局党委, 部门党组（党委）书记)
binds that department's heads, not the party head of the region, so it is read before 党委/党组.
"""

from __future__ import annotations

import re

_PAREN = r"(?:（[^（）]{1,8}）)?"
#: Heads and organs of departments and units: 部门（单位）主要负责人, 各部门党组（党委）书记,
#: 局党委, 部门领导班子成员 …
_OTHER_HEADS = re.compile(
    rf"(?:部门|单位|(?<!行政)机关|直属机构|事业单位|国有企业|国企|企业|院校|学校|局|厅|"
    rf"(?<![省市县区州旗乡镇党])委(?=党))"
    rf"{_PAREN}(?:党组|党委|党总支|党支部)?{_PAREN}"
    r"(?:主要负责人|负责人|(?:党组|党委)?书记|领导班子(?:成员)?|班子成员|一把手|(?<=[组委部）])(?!员))"
)
#: Departments addressed as a whole: "各部门于每年3月1日前…", "市政府各部门…".
_DEPARTMENTS = re.compile(
    r"^(?P<before>[^，。；]{0,10}?)(?:各有关部门|各有关单位|各直属单位|各部门|各单位|"
    r"(?:[省市县区](?:政府|直|级)?|政府)各(?:部门|单位)|"
    r"(?:政府)?(?:工作)?部门(?=每|应|要|须|必须|均|都|至少|于|在))"
)
#: Words before a name that make it the object, not the subject: 督促部门主要负责人…
_OBJECT_VERBS = re.compile(
    r"(?:督促|推动|要求|指导|支持|对|听取|约谈|带领|引导|考核|加强对|监督|组织|开展|评议|提醒|任用|选拔)$"
)

_PARTY_WORDS = re.compile(
    r"党委(?:（党组）)?(?:主要负责人|书记|常委会|理论学习中心组|中心组|法治建设议事协调|全会|会议)|"
    r"党组(?:（党委）)?书记|党委会|中心组|[省市县区州旗]委(?:主要负责人|书记|常委会|全会|全体会议)|"
    r"党[（(]?工[）)]?委书记|"
    # a party committee as the subject: "县委每年召开…", "党委每年至少听取…" (not "党委（党组）",
    # which names the departments' party groups too)
    r"^[^，。；]{0,4}?(?:[省市县区州旗]委|党委)(?=每|应|要|须|必须|至少|定期)"
)
#: 党委/党组 or a committee named by its level (县委, 市委 …, but not 县委员会 …).
_PARTY_CHAPTER = re.compile(r"党委|党组|党[（(]?工[）)]?委|[省市县区州旗乡镇]委(?!员)")
#: A chapter of the government head's duties: 政府…, 行政首长, or the head by his title
#: (县长职责, 区长, 乡镇长 — not 局长/院长, heads of departments).
_GOVERNMENT_CHAPTER = re.compile(r"政府|行政首长|(?:^|[、，和及与\s）]|[一二三四五六七八九十]、)"
                                 r"(?:[省市县区州旗乡镇]|市州|县市区)?[省市县区州旗乡镇]长(?![期效远])")
_GOVERNMENT_WORDS = re.compile(
    r"政府(?:主要负责人|常务会议|全体会议|党组)|常务会议|行政首长|(?:省|市|县|区|乡|镇)长(?![期效远])|"
    r"行政机关负责人|"
    # a government as the subject: "县级以上地方各级政府每年第一季度要…", "政府每季度至少…"
    r"^[^，。；]{0,10}?政府(?=每|应|要|须|必须|至少|定期)"
)
_BOTH_WORDS = re.compile(r"党政主要负责人|党政领导|党政一把手")
#: Someone a leader-bound obligation can name: a head, not an office or the cadres at large.
_HEAD_WORDS = re.compile(
    r"主要负责人|第一责任人|书记|(?:省|市|县|区|州|乡|镇)长(?![期效远])|局长|厅长|主任(?!委员)|"
    r"行政首长|一把手|党政领导|领导班子|负责同志"
)
_QUOTED = re.compile(r"《[^《》]{0,80}》|“[^“”]{0,80}”")


def without_quotes(text: str) -> str:
    """The text with titles in 《》 and quotations in “” blanked (same length)."""
    if "《" not in text and "“" not in text:
        return text
    return _QUOTED.sub(lambda m: "□" * len(m.group(0)), text)


def role_of_chapter(chapter: str | None) -> str | None:
    """党委主要负责人职责 → party; 政府主要负责人职责 → government; 部门主要负责人职责 → other;
    else None."""
    if not chapter:
        return None
    if _BOTH_WORDS.search(chapter):
        return None
    if _OTHER_HEADS.search(chapter) and not re.search(r"党委主要负责人|政府主要负责人", chapter):
        return "other"
    party = bool(_PARTY_CHAPTER.search(chapter))
    government = bool(_GOVERNMENT_CHAPTER.search(chapter))
    if party and not government:
        return "party"
    if government and not party:
        return "government"
    return None


def role_of_words(text: str) -> str | None:
    """Role named by the text itself (党委常委会 → party, 政府常务会议 → government, 局党委 →
    other); None when it names nobody."""
    text = without_quotes(text)
    if _BOTH_WORDS.search(text):
        return "all"
    other = _OTHER_HEADS.search(text)
    if other:
        text = _OTHER_HEADS.sub("□", text)
    party = bool(_PARTY_WORDS.search(text))
    government = bool(_GOVERNMENT_WORDS.search(text))
    if party and government:
        return "all"
    if party:
        return "party"
    if government:
        return "government"
    return "other" if other else None


def other_heads_subject(sentence: str, anchor: int) -> bool:
    """Whether the sentence binds heads of departments or units: they (or the departments as a
    whole) stand before the quota at ``anchor`` as its subject, with no party or government
    head named before them."""
    head = without_quotes(sentence[:anchor + 1])  # with the period word's 每 (部门每年…)
    piece = head[max(head.rfind(sep) for sep in "，,；：") + 1:]
    if piece != head and _DEPARTMENTS.search(piece) and not _OBJECT_VERBS.search(
        _DEPARTMENTS.search(piece).group("before")  # type: ignore[union-attr]
    ):
        return True  # "…，政府部门每年第一季度要向…报告…": the piece has a subject of its own
    departments = _DEPARTMENTS.search(head)
    if departments and not _OBJECT_VERBS.search(departments.group("before")):
        return not (_PARTY_WORDS.search(head) or _GOVERNMENT_WORDS.search(head))
    for match in _OTHER_HEADS.finditer(head):
        if _OBJECT_VERBS.search(head[max(0, match.start() - 3):match.start()]):
            continue
        before = head[:match.start()]
        if _PARTY_WORDS.search(before) or _GOVERNMENT_WORDS.search(before) or _BOTH_WORDS.search(before):
            return False
        return True
    return False


def names_a_head(text: str) -> bool:
    """Whether the text names a leader (主要负责人, 书记, 县长 …) outside quotations."""
    return bool(_HEAD_WORDS.search(without_quotes(text)))


def is_head_subject(text: str) -> bool:
    """A title's subject that is only the leader ("党委主要负责人", "县长"): not part of the
    name of the duty."""
    return bool(_HEAD_SUBJECT.fullmatch(text))


_HEAD_SUBJECT = re.compile(
    rf"(?:[一二三四五六七八九十]是)?(?:[^，。；]{{0,10}}?(?:党委|党组|党工委|政府|党政)?"
    rf"(?:{_HEAD_WORDS.pattern}|{_OTHER_HEADS.pattern}|党委|政府|党政)|"
    r"各(?:地|级|单位|部门|有关部门|有关单位|乡镇（街道）|乡镇|县（市、区）|区县|县市区|区|县))"
    r"(?:要|应|应当|须|必须|均|都)?"
)


def _local_subject(sentence: str, anchor: int) -> str:
    """The words before a quota back to the last 、 or comma: "乡镇党委每半年、政府每季度至少
    听取1次…" gives "政府每季度至少听取" for the quarterly duty and "乡镇党委" for the other."""
    start = max(sentence.rfind(sep, 0, anchor) for sep in "、，,；：") + 1
    return sentence[start:anchor + 2]  # with the period word's first characters ("党委每…")


def choose_role(
    sentence: str, anchor: int, chapter: str | None, unit_text: str, lead_text: str,
    default: str = "all",
) -> str:
    """The role of a duty found at ``anchor`` in ``sentence`` of a clause (``unit_text``) of an
    article whose text before its clauses is ``lead_text``. Pass an empty ``unit_text`` for a
    paragraph of prose: its other sentences often speak of somebody else. ``default`` is the
    role the document's title names ("市直部门主要负责人…职责清单" → other), else "all"."""
    if other_heads_subject(sentence, anchor):
        return "other"
    return (
        role_of_chapter(chapter)
        or role_of_words(_local_subject(sentence, anchor))
        or role_of_words(sentence)
        or (role_of_words(unit_text) if unit_text else None)
        or role_of_words(lead_text)
        or default
    )

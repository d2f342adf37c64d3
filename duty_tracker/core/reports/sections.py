"""The sections of a 述职述法报告's body and which duties and records belong to each.

Real reports are organised by what the head did, not by the articles of the rules: how he
led and organised the work, how he studied and kept the law himself, how he decided and
governed by law, how he spread the law and settled disputes; then the shortcomings and the
plans. This module is the one place that says which section a duty or a record belongs to
(:data:`CLASSIFICATION`, first match wins), so that the draft, the renderers and the window
agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

#: The sections drafted from records, in print order.
WORK_SECTIONS = ("leadership", "study", "decisions", "publicity")
#: Every section of the body in print order ("achievements" is the earlier layout's one
#: 主要做法和成效 block, printed only when a clerk wrote it).
SECTION_ORDER = (*WORK_SECTIONS, "achievements", "problems", "plans")

_TITLES = {
    "leadership": "履行第一责任人职责、统筹部署法治建设",
    "study": "带头尊法学法守法用法",
    "publicity": "推动法治宣传、化解矛盾纠纷",
    "problems": "存在的问题和不足",
    "plans": "下一步工作打算",
}
#: The third work section speaks of how each head exercises power.
_DECISIONS_TITLE = {
    "party": "坚持依法决策、依法执政",
    "government": "坚持依法决策、依法行政",
}
_DECISIONS_DEFAULT = "坚持依法决策、依法办事"

#: Words of a duty's title (then of its clause, then of a record's title) → its section.
#: Order matters: "政府常务会议集体学法" is study, not a meeting.
CLASSIFICATION: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("study", ("学法", "学习", "培训", "讲法", "法治课", "旁听", "庭审", "述法",
               "法律知识考试", "尊法", "讲座")),
    ("decisions", ("合法性审查", "合法合规性审查", "合法性审核", "法律顾问", "公职律师",
                   "重大行政决策", "依法决策", "出庭应诉", "行政应诉", "行政复议", "规范性文件",
                   "决策", "行政执法", "党内法规", "备案审查", "司法建议", "检察建议")),
    ("publicity", ("普法", "法治宣传", "以案释法", "宣传", "矛盾纠纷", "信访", "调解",
                   "依法治理", "民主法治村", "法治乡镇", "法治文化", "谁执法谁普法")),
    ("leadership", ("议事协调", "工作会议", "常务会议", "常委会", "专题研究", "听取", "汇报",
                    "部署", "年度报告", "述职", "督察", "督查", "考核", "工作规则", "规划",
                    "计划")),
)
#: A record linked to no duty and with no telling words in its title, by its kind.
KIND_SECTION = {"学法": "study", "培训": "study", "会议": "leadership",
                "听取汇报": "leadership", "报告": "leadership", "述职": "leadership"}
DEFAULT_SECTION = "leadership"


def section_title(key: str, role: str = "") -> str:
    """The heading of a section (without its number)."""
    if key == "decisions":
        return _DECISIONS_TITLE.get(role, _DECISIONS_DEFAULT)
    if key == "achievements":
        return "主要做法和成效"
    return _TITLES[key]


def _by_words(*texts: str) -> str | None:
    for text in texts:
        if not text:
            continue
        for key, words in CLASSIFICATION:
            if any(w in text for w in words):
                return key
    return None


def classify_duty(title: str, source_text: str = "") -> str:
    """The section of a duty: by the words of its title, else of its clause."""
    return _by_words(title) or _by_words(source_text) or DEFAULT_SECTION


def classify_record(title: str, kind: str, duty_sections: Iterable[str] = ()) -> str:
    """The section of a record: that of the first duty it counts for; a record for no duty
    by the words of its title, else by its kind."""
    for key in duty_sections:
        if key:
            return key
    return _by_words(title) or KIND_SECTION.get(kind, DEFAULT_SECTION)


@dataclass(frozen=True, slots=True)
class SectionText:
    """One section of the body: its key, heading and the text to print (maybe empty)."""

    key: str
    title: str
    text: str
    #: The earlier layout's 主要做法和成效 block (never reported as a missing section).
    legacy: bool = False


class _Narrative(Protocol):
    def text(self, key: str) -> str: ...


def section_texts(narrative: _Narrative, role: str = "") -> list[SectionText]:
    """The body's sections in print order. The earlier layout's 主要做法和成效 follows the
    work sections, titled 其他做法和成效 when some of them have text of their own."""
    work_written = any(narrative.text(k).strip() for k in WORK_SECTIONS)
    out = []
    for key in SECTION_ORDER:
        title = section_title(key, role)
        if key == "achievements" and work_written:
            title = "其他做法和成效"
        out.append(SectionText(key, title, narrative.text(key), legacy=key == "achievements"))
    return out

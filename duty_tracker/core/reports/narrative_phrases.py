"""Phrases the draft is made of: the verb a duty's title needs, the purpose its clause gives,
dates read as Chinese prose, and the varied wordings the draft picks from.

Everything here turns facts into words; nothing decides what is true (``narrative`` does).
Wordings are chosen by a seed made from the leader's name and the year, so the same report
always reads the same, and two reports do not read alike.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from datetime import date

_BOOK_TITLE = re.compile(r"《[^《》]{1,60}》")
#: Titles that already begin with what the head did.
_STARTS_WITH_VERB = ("听取", "召开", "组织", "举办", "开展", "报告", "报送", "主持", "参加",
                     "带头", "推动", "落实", "督促", "支持", "述", "研究", "审议", "审定", "旁听",
                     "出庭", "讲授", "部署", "学习", "制定", "修订", "健全", "完善", "建立")
#: Verbs inside a title after the body that does it ("政府常务会议听取……汇报").
_INNER_VERBS = ("听取", "研究", "审议", "部署", "学习")
_ORDINALS = "一二三四五六七八九十"


def seed_of(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode("utf-8"))


def pick(options: Sequence[str], seed: int, salt: str = "") -> str:
    """One of ``options``, the same for the same seed and salt."""
    return options[(seed ^ zlib.crc32(salt.encode("utf-8"))) % len(options)]


def ordinal(i: int) -> str:
    """一是, 二是 … for the i-th point (0-based)."""
    return (_ORDINALS[i] if i < len(_ORDINALS) else str(i + 1)) + "是"


def month_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def join_words(items: Sequence[str], last: str = "和") -> str:
    """"甲" / "甲和乙" / "甲、乙和丙"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


def dates_phrase(days: Sequence[date]) -> str:
    """"于3月12日" / "先后于3月12日、6月5日和9月8日" / "" (more than four: counts say it)."""
    days = sorted(set(days))
    if not days or len(days) > 4:
        return ""
    if len(days) == 1:
        return f"于{month_day(days[0])}"
    return "先后于" + join_words([month_day(d) for d in days])


def action(title: str) -> str:
    """What the head did, as a verb phrase made from a duty's title: a noun title gets the
    verb it needs ("党委法治建设议事协调机构会议" → "主持召开党委法治建设议事协调机构会议");
    a meeting that does something is chaired ("政府常务会议听取……" → "主持政府常务会议听取……")."""
    title = title.strip()
    if title.startswith(_STARTS_WITH_VERB):
        return title
    cut = min((i for i in (title.find(v) for v in _INNER_VERBS) if i > 0), default=-1)
    if cut > 0 and title[:cut].endswith(("会议", "会", "中心组")):
        return "主持" + title
    if title.endswith(("学法", "学习")) and ("会议" in title or "中心组" in title):
        return "主持" + title
    if title.endswith(("会议", "例会", "座谈会")):
        return "主持召开" + title
    if title.endswith(("培训班", "讲座", "专题班")):
        return "举办" + title
    if title.endswith("报告"):
        return "组织编制并报送" + title
    if title.endswith("述职"):
        return "在" + title + "中报告履职情况"
    return "开展" + title


def count_word(title: str, unit: str = "次") -> str:
    """The measure word: 期 for a training class, else the duty's unit (次, 学时)."""
    if unit != "次":
        return unit
    return "期" if title.endswith(("培训班", "专题班")) else "次"


def purpose(title: str, source_text: str) -> str:
    """What the clause says the duty is for, when it says so right after it:
    "每年至少召开1次法治政府建设工作会议，研究部署年度重点工作。" → "研究部署年度重点工作"."""
    text = " ".join((source_text or "").split())
    if not text or not title:
        return ""
    tail = title[-4:]
    at = text.find(tail)
    if at < 0:
        return ""
    rest = text[at + len(tail):]
    if not rest.startswith("，"):
        return ""
    clause = re.split(r"[。；;，]", rest[1:], maxsplit=1)[0]
    if not clause or len(clause) > 20 or any(ch.isdigit() for ch in clause):
        return ""
    return clause


def books_in(titles: Sequence[str], limit: int = 5) -> tuple[str, int]:
    """"《民法典》《行政复议法》" from record titles (书名号之间不加顿号), and how many."""
    books: list[str] = []
    for t in titles:
        for book in _BOOK_TITLE.findall(t):
            if book not in books:
                books.append(book)
    shown = "".join(books[:limit]) + ("等" if len(books) > limit else "")
    return shown, len(books)


def family_title(title: str, target: str, targets: Sequence[str]) -> str:
    """"听取人大党组工作汇报" with targets 人大、政协 → "听取本级人大、政协党组工作汇报"."""
    if not target or target not in title:
        return title
    joined = "、".join(targets)
    return title.replace(target, ("本级" if "本级" not in title else "") + joined, 1)


# -- varied wordings ------------------------------------------------------------------------------
OPENINGS = {
    "leadership": (
        "{period}，本人认真履行推进法治建设第一责任人职责，对法治建设重要工作亲自部署、重大问题亲自过问。",
        "{period}，本人坚持把法治建设摆在全局工作的重要位置，与中心工作同部署、同推进。",
        "{period}，本人把推进法治建设作为分内之责，亲自研究、亲自推动。",
    ),
    "study": (
        "本人坚持把学法作为履职的基本功，",
        "本人注重发挥“关键少数”的示范作用，带头学法、带头守法，",
        "本人坚持以上率下，带头尊法学法，",
    ),
    "decisions": (
        "本人坚持重大事项依法决策，",
        "本人注重运用法治思维和法治方式推动工作，",
        "本人坚持在法治轨道上研究问题、作出决策，",
    ),
    "publicity": (
        "本人注重推动法治宣传和矛盾纠纷化解，",
        "本人坚持把普法和依法化解矛盾纠纷抓在手上，",
        "本人重视法治宣传教育和源头化解矛盾，",
    ),
}
CAUSES = {
    "leadership": (
        "对法治建设的统筹谋划和跟踪督办还不够有力，有的规定动作没有按期落实",
        "抓法治建设的计划性不强，对规定事项的时间节点把握不够",
    ),
    "study": (
        "带头学法的计划性、经常性还不够，有时因事务性工作挤占了学法时间",
        "对学法重要性认识还不够到位，学法安排缺乏刚性",
    ),
    "decisions": (
        "运用法治思维和法治方式推动决策、解决问题的自觉性还需增强",
        "依法决策的制度执行还不够严格，程序意识有待加强",
    ),
    "publicity": (
        "推动普法和依法化解矛盾纠纷的办法还不多、力度还不够",
        "对法治宣传和矛盾纠纷化解的督促推动还不够经常",
    ),
}
RESPONSIBILITY = (
    "作为第一责任人，本人对此负有直接责任。",
    "这些问题的责任在本人，须切实加以整改。",
    "对此，本人作为第一责任人负有直接责任，将认真反思、抓好整改。",
)
#: (heading, text) variants of a plan point, per section.
PLANS_FOR_SECTION = {
    "leadership": (
        ("压实第一责任人职责", "定期听取法治建设工作汇报，对重点任务逐项明确责任和时限，及时研究解决重大问题"),
        ("加强统筹部署", "把法治建设纳入年度工作计划，与中心工作同部署、同检查、同考核"),
        ("抓好督促落实", "对法治建设重要工作跟踪问效，对重大问题亲自过问、亲自协调"),
    ),
    "study": (
        ("坚持带头学法", "严格执行领导干部学法制度，把学法安排进年度计划，做到学法有计划、有记录、有成效"),
        ("提升法治素养", "坚持会前学法和集中学法相结合，突出与本职工作密切相关的法律法规"),
        ("抓好学法用法", "把学习宪法法律和党内法规作为经常性任务，带动班子成员学法守法用法"),
    ),
    "decisions": (
        ("推进依法决策", "严格落实重大决策合法性审查、法律顾问参与决策等制度，未经合法性审查的不提交讨论"),
        ("规范决策程序", "重大决策坚持调查研究、专家论证、风险评估、合法性审查和集体讨论决定"),
        ("发挥法律顾问作用", "让法律顾问、公职律师全程参与重大决策和重要文件的合法性把关"),
    ),
    "publicity": (
        ("抓好普法和矛盾化解", "落实“谁执法谁普法”普法责任制，推动矛盾纠纷源头预防、依法化解"),
        ("深化法治宣传", "面向群众开展以案释法，推动办事依法、遇事找法、解决问题用法"),
        ("依法化解矛盾纠纷", "完善矛盾纠纷多元化解机制，把矛盾纠纷化解在基层、化解在萌芽状态"),
    ),
}
EVIDENCE_PLANS = (
    ("规范履职纪实", "做到会议纪要、照片等佐证材料随办随录，确保履职情况有据可查"),
    ("做实履职留痕", "每项履职活动当月登记、材料齐全，年终述职有据可依"),
)
FIX_PLANS = (
    ("抓好问题整改", "针对{items}没有按要求完成的问题，把相关事项列入{year}年工作计划，明确时间节点，确保按期足额完成"),
    ("对账销号抓整改", "对{items}逐项制定整改措施，在{year}年第一季度前补上短板，整改情况纳入下一年度述法"),
)
HURRY_PLANS = (
    ("抓紧补齐短板", "对{items}倒排时间，在规定期限内完成，不留尾巴"),
    ("按期完成剩余任务", "盯住{items}的时间节点，确保在期限内完成"),
)
KEEP_PLANS = (
    ("巩固已有做法", "坚持{items}等行之有效的做法，推动形成常态长效"),
    ("推动常态长效", "把{items}等做法固定下来，持续抓、经常抓"),
)
CLOSINGS = (
    "本人将以更高标准履行第一责任人职责，推动法治建设各项任务落地见效。",
    "本人将自觉接受监督，把第一责任人职责扛在肩上、落到实处。",
    "本人将坚持问题导向，持续提升运用法治思维和法治方式推动工作的能力。",
    "本人将以此次述法为契机，对照职责清单查漏补缺，推动法治建设再上新台阶。",
)
ALL_DONE = (
    "对照年度法定履职事项，各项均已达到规定次数，但与新形势新任务的要求相比，还存在一些不足。",
    "对照年度法定履职事项，各项均已按规定完成；对照更高要求，仍有需要改进的地方。",
)
#: Shortcomings the records show, each in a few wordings ({n}: records, {k}: of them, {names}).
WEAK_POINTS = {
    "no_evidence": (
        "履职纪实都还没有上传会议纪要、照片等佐证材料，履职留痕不够完整",
        "已记录的{n}条履职纪实均未附佐证材料，留痕还不够规范",
        "佐证材料的收集整理滞后，{n}条履职纪实都没有附件",
    ),
    "some_evidence": (
        "有{k}条履职纪实没有上传佐证材料，履职留痕不够完整",
        "{n}条履职纪实中有{k}条未附佐证材料，留痕还不够规范",
    ),
    "no_minutes": (
        "{k}次会议、学法活动没有登记纪要文号",
        "有{k}次会议、学法活动缺少纪要文号，记录不够严谨",
    ),
    "bunched": (
        "履职活动较多集中在{names}，平时用力还不够均衡",
        "{names}的履职活动明显多于其他时段，工作节奏不够均衡",
    ),
    "empty": (
        "在{names}方面没有形成履职纪实，相关工作抓得还不够具体",
        "{names}方面的履职还缺少记录，工作推进不够有力",
        "{names}方面没有履职记录，是需要补齐的短板",
    ),
}
WEAK_LEAD = ("从履职纪实看，", "对照履职纪实台账，", "从已有的履职记录看，")
#: Short names of the work sections, for a sentence ("在依法决策方面…").
SECTION_SHORT = {"leadership": "统筹部署法治建设", "study": "带头学法", "decisions": "依法决策",
                 "publicity": "普法与矛盾纠纷化解"}

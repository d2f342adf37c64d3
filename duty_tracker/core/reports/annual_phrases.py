"""Wordings the annual report's draft is made of: lists of tasks read aloud, dates, and the
varied phrasings the draft picks from (by a seed made of the unit's name and the year, so that
one report always reads the same and two units' reports do not read alike).

Nothing here decides what is true; ``annual_narrative`` does, and only calls a phrase when its
facts hold. A phrase that speaks of quality ("认真", "扎实") is used only where the data bears it
out (every task completed, every duty met).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from duty_tracker.core.reports.layout import chinese_number
from duty_tracker.core.reports.narrative_phrases import pick

#: Tasks named in a list before "等N项".
LIST_LIMIT = 3


def month_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def quote(text: str) -> str:
    """“text”, its own double quotes turned single (引号内再用引号时用单引号)."""
    return "“" + text.strip().replace("“", "‘").replace("”", "’") + "”"


def quoted(titles: Sequence[str], noun: str = "任务", limit: int = LIST_LIMIT) -> str:
    """"“甲”任务" / "“甲”“乙”2项任务" / "“甲”“乙”“丙”等5项任务" (书名号、引号之间不加顿号)."""
    titles = list(dict.fromkeys(t.strip() for t in titles if t.strip()))
    shown = "".join(quote(t) for t in titles[:limit])
    if len(titles) == 1:
        return f"{shown}{noun}"
    more = "等" if len(titles) > limit else ""
    return f"{shown}{more}{len(titles)}项{noun}"


def books(titles: Sequence[str]) -> str:
    """"《甲》" / "《甲》《乙》" for the 工作要点 the report follows."""
    return "".join(t if t.startswith("《") else f"《{t}》" for t in dict.fromkeys(titles) if t)


def sentence(text: str) -> str:
    """``text`` ending with a full stop (a clerk's note may end with none, or with "；")."""
    text = text.strip().rstrip("；;，,、 ")
    if not text:
        return ""
    return text if text.endswith(("。", "！", "？", "”", "）")) else text + "。"


def ordinal(i: int) -> str:
    """一是 … 十是, 十一是 … for the i-th point (0-based): a section of the work points may
    hold more than ten of a unit's tasks."""
    return chinese_number(i + 1) + "是"


def choose(options: Sequence[str], seed: int, salt: str) -> str:
    return pick(options, seed, salt)


# -- the opening ---------------------------------------------------------------------------------
#: How the year's work is introduced; the first only when every task was completed.
OPENING_ALL_DONE = (
    "{year}年，{unit}认真贯彻落实{plans}，",
    "{year}年，{unit}全面落实{plans}确定的各项任务，",
)
OPENING = (
    "{year}年，{unit}对照{plans}，",
    "{year}年，{unit}按照{plans}的部署，",
    "{year}年，{unit}根据{plans}，",
)
REPORT_FOLLOWS = ("现将{year}年度法治政府建设情况报告如下。",
                  "现将{unit}{year}年度法治政府建设情况报告如下。")

# -- 主要举措和成效 ------------------------------------------------------------------------------
DONE_ON_TIME = ("已按期完成。", "已在规定时限内完成。")
DONE_ON = ("已于{day}完成。", "该项任务已于{day}完成。")
UNDER_WAY = ("目前正在推进。", "该项工作正在持续推进。", "目前仍在推进中。")
OVERDUE_UNDER_WAY = ("目前仍在推进，尚未完成。", "该项任务尚未完成，仍在推进。")

# -- 党政主要负责人 --------------------------------------------------------------------------------
HEADS_INTRO = (
    "{basis}{year}年{unit}党政主要负责人履行推进法治建设第一责任人职责情况如下。",
    "{basis}{unit}党政主要负责人{year}年度履行推进法治建设第一责任人职责的情况如下。",
)
HEADS_ALL_DONE = (
    "{unit}党政主要负责人认真履行推进法治建设第一责任人职责，{year}年度各项法定履职事项均已按规定完成。",
    "{year}年，{unit}党政主要负责人切实履行推进法治建设第一责任人职责，适用的法定履职事项均已按规定完成。",
)

# -- 存在的不足和原因 ---------------------------------------------------------------------------
PROBLEMS_LEAD = (
    "对照年度工作任务和第一责任人职责要求，{unit}{year}年度的法治政府建设工作还存在以下不足：",
    "{year}年，{unit}对照年度任务和职责要求查找问题，主要有以下不足：",
)
PROBLEMS_LEAD_HEADS = (
    "对照第一责任人职责要求，{unit}{year}年度还存在以下不足：",
    "{year}年，{unit}对照第一责任人职责要求查找问题，主要有以下不足：",
)
CAUSES = {
    "tasks": ("对年度重点任务的统筹调度和跟踪督办还不够有力，有的任务推进节奏偏慢",
              "对工作要点的任务分解还不够细，时间节点把握不够严格"),
    "heads": ("对第一责任人职责清单中规定动作的计划安排还不够到位",
              "抓法治建设的计划性不强，有的法定职责没有按规定频次履行"),
    "evidence": ("工作留痕意识还不够强，佐证材料收集整理不够及时",),
}
RESPONSIBILITY = ("对此，我们将认真分析、切实整改。", "对这些问题，我们将逐项研究，切实加以改进。")
NOTHING_MISSED = (
    "对照法治政府建设的更高要求，工作中还有需要改进的地方，将在下一年度持续加以改进。",
    "但对照更高标准和群众期盼，法治政府建设仍有提升空间，需要在今后工作中持续用力。",
)

# -- 下一年度工作安排 ---------------------------------------------------------------------------
#: (heading, text) variants of a plan point.
UNFINISHED_PLANS = (
    ("抓好未完成任务的推进落实", "对尚未完成的{items}，逐项明确责任人和完成时限，加快推进，确保尽快完成"),
    ("对账销号抓好整改", "对尚未完成的{items}列出清单、倒排工期，完成一项、销号一项"),
)
#: The same for a single task (nothing to do "逐项").
UNFINISHED_PLAN_ONE = (
    ("抓好未完成任务的推进落实", "对尚未完成的{items}，明确责任人和完成时限，加快推进，确保尽快完成"),
)
NEXT_PLAN_PLANS = (
    ("落实{year}年度工作要点", "对照{plans}，抓好本单位承担的{n}项任务{lead}，逐项分解、按期推进"),
    ("抓好{year}年度任务落实", "围绕{plans}，把本单位承担的{n}项任务{lead}分解到岗、落实到人"),
)
NEW_YEAR_PLANS = (
    ("谋划好{year}年度工作", "对照上级部署，及时制定本单位{year}年度法治政府建设工作安排，把各项任务分解到岗、落实到人"),
    ("科学安排{year}年度任务", "结合上级工作要点和本单位实际，明确{year}年度法治政府建设的重点任务和完成时限"),
)
HEAD_FIX_PLANS = (
    ("压实第一责任人职责", "督促党政主要负责人对照职责清单，补齐{items}方面的短板，按规定频次履行法定职责"),
    ("抓好第一责任人职责整改", "针对{items}没有按要求完成的问题，明确时间节点，确保下一年度按期足额完成"),
)
HEAD_KEEP_PLANS = (
    ("落实第一责任人职责", "党政主要负责人按照职责清单，定期听取法治政府建设工作汇报，及时研究解决重大问题"),
    ("坚持抓好“关键少数”", "推动党政主要负责人带头尊法学法守法用法，按规定频次履行各项法定职责"),
)
EVIDENCE_PLANS = (
    ("规范工作留痕", "任务进展和佐证材料随办随报，做到工作有记录、成效有依据"),
    ("做实过程管理", "每项任务的进展按月填报、材料齐全，年终总结有据可查"),
)
CLOSINGS = (
    "{year}年，{unit}将坚持问题导向，推动法治政府建设各项任务落地见效。",
    "{year}年，{unit}将以更高标准推进法治政府建设，为经济社会发展提供有力法治保障。",
    "我们将对照年度任务持续发力，推动法治政府建设再上新台阶。",
)

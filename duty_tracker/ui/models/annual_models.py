"""The 年度报告 page's models: the units that owe the year's 法治政府建设年度报告 (with their
state and deadline, coloured by state, filtered), what in a report is still to write (empty
parts, 【…】 notes left by the draft), and the facts the draft was made from as a tree the clerk
checks every claim against.

Why the open items are worked out here from the text in the editors, not taken from the saved
report: the clerk sees them change while typing, before anything is saved. The rule is the
report's own (``core/reports/annual_model.py``): a part without text is left out of the print,
and a 【…】 note is kept in print so that a report with a gap never looks finished.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.annual_document import ROLE_WORDS, task_state
from duty_tracker.core.reports.annual_model import (
    ANNUAL_KEYS,
    PLACEHOLDER_CLOSE,
    PLACEHOLDER_OPEN,
    SECTION_TITLES,
    AnnualReport,
    HeadFact,
    TaskFact,
)
from duty_tracker.core.reports.debrief_model import chinese_date
from duty_tracker.core.services.annual_due import AnnualReportDue
from duty_tracker.ui import look
from duty_tracker.ui.models.roles import FOREGROUND
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, Row, SimpleTableModel
from duty_tracker.ui.widgets.status_style import status_colour

#: The opening has no heading in print; the window calls it 开头 (as the report's lists do).
OPENING = "开头"
#: Submission states → the compliance colours every page uses; 未到期 keeps the plain look.
STATE_LOOK: dict[str, Status] = {"已报送": Status.DONE, "临期": Status.WARNING,
                                 "逾期": Status.FAILED}
#: The state filter of the unit list: label → states shown (None: all).
STATE_FILTERS: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("全部状态", None),
    ("未报送", frozenset({"未到期", "临期", "逾期"})),
    ("临期和逾期", frozenset({"临期", "逾期"})),
    ("已报送", frozenset({"已报送"})),
    ("未到期", frozenset({"未到期"})),
)
#: A task's 完成情况 (``annual_document.task_state``) → colour.
TASK_LOOK: dict[str, Status] = {"已完成": Status.DONE, "逾期完成": Status.DONE,
                                "推进中": Status.IN_PROGRESS, "逾期未完成": Status.FAILED}
_NOTE = re.compile(re.escape(PLACEHOLDER_OPEN) + r"[^" + re.escape(PLACEHOLDER_OPEN)
                   + re.escape(PLACEHOLDER_CLOSE) + r"]*" + re.escape(PLACEHOLDER_CLOSE) + "?")
_CHINESE_NUMBERS = "一二三四五六七八九十"


# -- the parts ------------------------------------------------------------------------------
def part_heading(key: str) -> str:
    """"开头", "一、主要举措和成效" … as the full report numbers its parts."""
    if key == "opening":
        return OPENING
    numbered = [k for k in ANNUAL_KEYS if k != "opening"]
    return f"{_CHINESE_NUMBERS[numbered.index(key)]}、{SECTION_TITLES[key]}"


def part_name(key: str) -> str:
    """The part without its number, as the export's warnings name it."""
    return OPENING if key == "opening" else SECTION_TITLES[key]


def characters(text: str) -> int:
    """Characters written, not counting spaces and line breaks."""
    return len("".join(text.split()))


def part_state(text: str) -> str:
    """The part list's second line: "空白 · 导出时略去", "已撰写 812 字", "… · 【】待填写 2 处"."""
    chars = characters(text)
    if not chars:
        return "空白 · 导出时略去"
    notes = len(_NOTE.findall(text))
    return f"已撰写 {chars} 字" + (f" · 【】待填写 {notes} 处" if notes else "")


@dataclass(frozen=True, slots=True)
class OpenItem:
    """Something the clerk must still do before the report is sent: a part to write
    (``note`` empty, ``start`` -1) or a 【…】 note at ``start``..``end`` of the part's text."""

    key: str
    note: str = ""
    start: int = -1
    end: int = -1

    @property
    def empty(self) -> bool:
        return self.start < 0

    @property
    def text(self) -> str:
        """One line for the list: "开头：尚未撰写（导出时略去）" / "一、主要举措和成效：【…】"."""
        if self.empty:
            return f"{part_heading(self.key)}：尚未撰写（导出时略去）"
        return f"{part_heading(self.key)}：{' '.join(self.note.split())}"


def open_items(texts: Mapping[str, str]) -> list[OpenItem]:
    """The parts without text and every 【…】 note, in print order (an unclosed 【 counts to
    the end of its text: the export also counts it as still to fill)."""
    out: list[OpenItem] = []
    for key in ANNUAL_KEYS:
        text = texts.get(key) or ""
        if not text.strip():
            out.append(OpenItem(key))
            continue
        out.extend(OpenItem(key, m.group(0), m.start(), m.end()) for m in _NOTE.finditer(text))
    return out


def open_summary(items: list[OpenItem]) -> str:
    """"待完善：2 个部分尚未撰写，3 处【】待填写" ("" when nothing is left)."""
    empty = sum(item.empty for item in items)
    notes = len(items) - empty
    parts = ([f"{empty} 个部分尚未撰写"] if empty else []) + ([f"{notes} 处【】待填写"] if notes else [])
    return "待完善：" + "，".join(parts) if parts else ""


# -- the unit list ----------------------------------------------------------------------------
def due_rows(states: list[AnnualReportDue]) -> list[Row]:
    """Rows of the unit list (the state itself under ``due``)."""
    return [{"id": s.unit_id, "name": s.unit_name, "institution": s.institution, "due": s}
            for s in states]


def _due(row: Row) -> AnnualReportDue:
    return row["due"]


def short_label(state: AnnualReportDue) -> str:
    """The state cell, short enough for a narrow list: "临期 9天", "今日到期", "逾期 5天"."""
    if state.status == "临期":
        return "今日到期" if state.days_left == 0 else f"临期 {state.days_left}天"
    if state.status == "逾期":
        return f"逾期 {-state.days_left}天"
    return state.status


def _state_tip(row: Row) -> str:
    state = _due(row)
    if state.submitted_on:
        return f"已于{chinese_date(state.submitted_on)}报送"
    return state.message


#: Column of the state (coloured).
STATE_COLUMN = 2


class AnnualUnitModel(SimpleTableModel):
    """单位 | 报送期限 | 状态 | 报告 — one row per unit that owes the year's report."""

    COLUMNS = (
        Column("单位", lambda r: r["name"], tooltip=lambda r: r["institution"]),
        Column("报送期限", lambda r: f"{_due(r).deadline.month}月{_due(r).deadline.day}日",
               sort=lambda r: _due(r).deadline.isoformat(), align=ALIGN_CENTER,
               tooltip=lambda r: f"应于{chinese_date(_due(r).deadline)}前报送"),
        Column("状态", lambda r: short_label(_due(r)), align=ALIGN_CENTER,
               sort=lambda r: (_due(r).status == "已报送", _due(r).days_left), tooltip=_state_tip),
        Column("报告", lambda r: "已撰写" if _due(r).written else "未撰写", align=ALIGN_CENTER),
    )

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == STATE_COLUMN and role in (
                Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            status = STATE_LOOK.get(_due(self.row_at(index.row())).status)
            if status is not None:
                return status_colour(status, role == FOREGROUND)
        return super().data(index, role)

    def counts(self) -> dict[str, int]:
        """State → units in it (every state, in the list's order)."""
        out = dict.fromkeys(("逾期", "临期", "未到期", "已报送"), 0)
        for row in self.rows():
            out[_due(row).status] = out.get(_due(row).status, 0) + 1
        return out


class AnnualUnitFilter(QSortFilterProxyModel):
    """The unit list by state and by a piece of the unit's name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._states: frozenset[str] | None = None
        self._text = ""

    def set_states(self, states: frozenset[str] | None) -> None:
        self._refilter(lambda: setattr(self, "_states", states))

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", text.strip().casefold()))

    def _refilter(self, change: Any) -> None:
        """Qt 6.9 and later announce a filter change; earlier ones are told afterwards."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def active(self) -> bool:
        return self._states is not None or bool(self._text)

    def filterAcceptsRow(self, source_row: int,  # noqa: N802 - Qt API
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AnnualUnitModel):
            return True
        row = model.row_at(source_row)
        if self._states is not None and _due(row).status not in self._states:
            return False
        return not self._text or self._text in f"{row['name']} {row['institution']}".casefold()


# -- the facts of the draft -----------------------------------------------------------------
FACT_HEADERS = ("项目", "职责", "完成情况", "完成时限", "依据")


def _item(text: str, tip: str = "", status: Status | None = None, *, bold: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if tip:
        item.setToolTip(look.plain(tip))
    if status is not None:
        item.setBackground(status_colour(status))
        item.setForeground(status_colour(status, True))
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def _task_basis(task: TaskFact) -> tuple[str, str]:
    """The 依据 cell and its tooltip: progress notes, files and records with their dates."""
    notes = [n for n in task.notes if n.text.strip() or n.done]
    files = sum(n.attachments for n in task.notes)
    parts = ([f"进展 {len(notes)} 条"] if notes else []) + ([f"佐证 {files} 份"] if files else []) \
        + ([f"纪实 {len(task.records)} 条"] if task.records else [])
    lines = [f"{n.day:%Y-%m-%d} {' '.join(n.text.split())}" + ("（已完成）" if n.done else "")
             for n in notes]
    lines += [f"{r.day:%Y-%m-%d} 纪实：{r.title}" for r in task.records]
    if task.lead_units and task.task_done and not task.done:
        lines.append(f"牵头单位（{'、'.join(task.lead_units)}）已完成该项任务")
    return ("，".join(parts) or "无进展记录"), "\n".join(lines)


def _deadline(task: TaskFact) -> str:
    if task.due is not None:
        return task.due.isoformat()
    return task.deadline_text or "—"


def _task_row(task: TaskFact) -> list[QStandardItem]:
    state = task_state(task)
    basis, tip = _task_basis(task)
    return [_item(task.title, task.text or task.title), _item(ROLE_WORDS.get(task.role, "")),
            _item(state, status=TASK_LOOK.get(state)), _item(_deadline(task)), _item(basis, tip)]


def _tasks_branch(report: AnnualReport) -> list[QStandardItem]:
    tasks = report.tasks
    done = sum(t.done for t in tasks)
    plans = "、".join(f"《{p}》" for p in report.plan_titles)
    title = (f"本单位的工作任务 {len(tasks)} 项（{report.as_of_phrase}已完成 {done} 项）" if tasks
             else f"本单位在{report.year}年度的工作要点中没有任务（尚未导入工作要点，或任务未指定本单位）")
    top = [_item(title, f"来自{plans}" if plans else "", bold=True),
           _item(""), _item(""), _item(""), _item("")]
    for section in report.sections:
        finished = sum(t.done for t in section.tasks)
        branch = [_item(section.heading or "其他工作", section.heading),
                  _item(""), _item(f"已完成 {finished}/{len(section.tasks)}"), _item(""), _item("")]
        for task in section.tasks:
            branch[0].appendRow(_task_row(task))
        top[0].appendRow(branch)
    return top


def _tenure(head: HeadFact) -> str:
    """"" for the whole year, else "（7月1日至12月31日）"."""
    debrief = head.debrief
    if not debrief.terms or debrief.full_year:
        return ""
    return "（任职" + "、".join(t.short_text for t in debrief.terms) + "）"


def _head_row(head: HeadFact) -> list[QStandardItem]:
    debrief, tally = head.debrief, head.tally
    problems = tally.problems_text()
    who = f"{head.name}　{debrief.effective_institution}{_tenure(head)}"
    records = len(debrief.records)
    basis = "，".join(([problems] if problems else []) + [f"纪实 {records} 条" if records else "无纪实"])
    row = [_item(who, f"{who}\n{debrief.role_label}，{debrief.terms_text}"), _item(""),
           _item(f"达标 {tally.completion_text()}", tally.tooltip(),
                 tally.status if tally.applicable else None),
           _item(""), _item(basis)]
    for duty in debrief.compliance:
        if not duty.applicable:
            continue
        state = Status(duty.status)
        row[0].appendRow([_item(f"{duty.article_label} {duty.duty_title}", duty.source_text),
                          _item(""), _item(state.value, status=state), _item(""),
                          _item(f"完成 {duty.done} {duty.unit}，应 {duty.required} {duty.unit}")])
    return row


def _heads_branch(report: AnnualReport) -> list[QStandardItem]:
    heads = report.heads
    title = (f"党政主要负责人 {len(heads)} 名（履职事项达标情况）" if heads
             else "尚未登记本单位的党政主要负责人（在“负责人与单位”中登记后，草稿据其履职纪实撰写）")
    top = [_item(title, bold=True), _item(""), _item(""), _item(""), _item("")]
    for head in heads:
        top[0].appendRow(_head_row(head))
    return top


def facts_model_empty(parent: Any = None) -> QStandardItemModel:
    """The facts view before a unit is chosen: the headers only."""
    model = QStandardItemModel(parent)
    model.setHorizontalHeaderLabels(list(FACT_HEADERS))
    return model


def facts_model(report: AnnualReport, parent: Any = None) -> QStandardItemModel:
    """The facts the draft is written from: the unit's tasks by section (role, 完成情况,
    deadline, the notes and records behind it) and the heads with their duties' compliance."""
    model = QStandardItemModel(parent)
    model.setHorizontalHeaderLabels(list(FACT_HEADERS))
    model.appendRow(_tasks_branch(report))
    model.appendRow(_heads_branch(report))
    return model


def facts_intro(report: AnnualReport) -> str:
    """The line above the facts: as of which day, from which documents."""
    plans = "、".join(f"《{p}》" for p in report.plan_titles)
    source = f"任务来自{plans}；" if plans else ""
    return (f"草稿依据：{source}任务状态{report.as_of_phrase}，负责人履职情况为{report.year}年度。"
            "草稿只写这里列出的事实，请逐项核对。")

"""Models of the 规则与事项 page and of the rules-import review: rule sets, duties, and the
parser's proposed duties (checkable and editable before anything is stored)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from duty_tracker.core.domain import DUTY_ROLES, PERIOD_LABELS, ROLE_LABELS, Period, Role
from duty_tracker.core.rules import ParsedDuty, ParsedRules
from duty_tracker.ui import look
from duty_tracker.ui.models.roles import (
    ALIGNMENT,
    BACKGROUND,
    CHECK_STATE,
    DISPLAY,
    EDIT,
    FOREGROUND,
    HORIZONTAL,
    TOOLTIP,
)
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, Row, SimpleTableModel


def use_text(rule_set: Row) -> str:
    """"默认", "主规则", "补充 2025年起", "补充 2024—2025年", "补充 各年度"."""
    if rule_set.get("scope") != "supplement":
        return "默认" if rule_set.get("is_default") else "主规则"
    first, last = rule_set.get("from_year"), rule_set.get("to_year")
    if first and last:
        return f"补充 {first}—{last}年" if first != last else f"补充 {first}年"
    if first:
        return f"补充 {first}年起"
    return f"补充 至{last}年" if last else "补充 各年度"


def role_text(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role or ""


def period_text(period: str) -> str:
    try:
        return PERIOD_LABELS[Period(period)]
    except ValueError:
        return period or ""


#: What a quota counts, as the clerk says it.
UNIT_LABELS = {"times": "次", "hours": "学时"}


def unit_text(unit: str | None) -> str:
    return UNIT_LABELS.get(unit or "times", unit or "")


def quota_amount(row: Row) -> str:
    """"2次", "40学时"."""
    return f"{row['min_count']}{unit_text(row.get('unit'))}"


#: How the parser cut a text, by ``articles.kind``: the word for one unit, the heading of the
#: article list, and the note that tells the clerk why there are no 第X条.
ARTICLE_KINDS = {
    "article": ("条", "章 / 条", ""),
    "item": ("项", "章 / 编号项", "原文按“一、”“（一）”“1.”等编号分项，每项作为一条"),
    "paragraph": ("段", "段落", "原文没有条款编号，按段落拆分，每段作为一条"),
    "sentence": ("句", "句子", "原文没有条款编号，也没有分段，按句子拆分，每句作为一条"),
}


def kind_of(article: object) -> str:
    kind = article.get("kind") if isinstance(article, dict) else getattr(article, "kind", None)
    return kind if kind in ARTICLE_KINDS else "article"


def articles_count_text(kinds: Iterable[str]) -> str:
    """"12 条", "8 段", "10 条、3 段" — the units of a rule set in the clerk's words."""
    counts = Counter(k if k in ARTICLE_KINDS else "article" for k in kinds)
    return "、".join(f"{counts[k]} {ARTICLE_KINDS[k][0]}" for k in ARTICLE_KINDS if counts[k]) or "0 条"


def articles_note(kinds: Iterable[str]) -> str:
    """Why the articles are paragraphs, sentences or items ("" for numbered articles)."""
    found = [k for k in ARTICLE_KINDS if k in set(kinds) and ARTICLE_KINDS[k][2]]
    return "；".join(ARTICLE_KINDS[k][2] for k in found)


def articles_heading(kinds: Iterable[str]) -> str:
    """The heading of the list of articles: "章 / 条", "段落", "句子" (mixed: "条文")."""
    present = set(kinds) or {"article"}
    return ARTICLE_KINDS[present.pop()][1] if len(present) == 1 else "条文"


def due_text(due: str | None) -> str:
    if not due:
        return ""
    parts = due.split("-")
    if len(parts) == 2:
        return f"{int(parts[0])}月{int(parts[1])}日前"
    return f"{due} 前"


class RuleSetTableModel(SimpleTableModel):
    """规则名称 | 文号 | 施行日期 | 条文 | 事项 | 用途 (默认 / 主规则 / 补充 2025年起)."""

    COLUMNS = (
        Column("规则名称", lambda r: r["title"], tooltip=lambda r: "\n".join(
            x for x in (r["title"], r.get("issuer") or "") if x)),
        Column("文号", lambda r: r.get("doc_number") or "—"),
        Column("施行日期", lambda r: r.get("effective_date") or "—", align=ALIGN_CENTER),
        Column("条文", lambda r: r.get("article_count", 0), align=ALIGN_CENTER),
        Column("事项", lambda r: r.get("duty_count", 0), align=ALIGN_CENTER),
        Column("用途", lambda r: use_text(r), align=ALIGN_CENTER, tooltip=lambda r: (
            "未单独选择规则的年度使用这份规则" if r.get("is_default") and r.get("scope") != "supplement"
            else "与年度适用规则同时计入" if r.get("scope") == "supplement"
            else "在“年度适用规则”中为某一年度选择后才计入")),
    )


class DutyTableModel(SimpleTableModel):
    """条款 | 事项名称 | 适用对象 | 周期 | 最低要求 (2次, 40学时) | 截止 | 状态."""

    COLUMNS = (
        Column("条款", lambda r: r.get("article_ref") or "—", sort=lambda r: (
            r.get("article_number") or 0, r.get("clause_number") or 0)),
        Column("事项名称", lambda r: r["title"], tooltip=lambda r: r.get("source_text") or None),
        Column("适用对象", lambda r: role_text(r["role"])),
        Column("周期", lambda r: period_text(r["period"]), align=ALIGN_CENTER,
               sort=lambda r: list(Period).index(Period(r["period"])) if r["period"] in set(Period) else 9),
        Column("最低要求", quota_amount, align=ALIGN_CENTER,
               sort=lambda r: (r.get("unit") or "times", int(r["min_count"])),
               tooltip=lambda r: "按学时计算：纪实中填写每次学习的学时，全年合计" if r.get("unit") == "hours"
               else None),
        Column("截止", lambda r: due_text(r.get("due")), align=ALIGN_CENTER),
        Column("状态", lambda r: "启用" if r.get("active") else "停用", align=ALIGN_CENTER),
    )

    def is_muted(self, row: Row) -> bool:
        return not row.get("active")


# -- import review ---------------------------------------------------------------------------
(REVIEW_KEEP, REVIEW_TITLE, REVIEW_REF, REVIEW_ROLE, REVIEW_PERIOD, REVIEW_COUNT, REVIEW_UNIT,
 REVIEW_DUE) = range(8)
#: What an editor gets and sets for the columns edited with a choice list.
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 20
INVALID_BRUSH = QBrush(QColor("#fde2e1"))


def article_ref_label(rules: ParsedRules, article: int, clause: int | None) -> str:
    found = rules.article(article)
    if found is None:
        return f"第{article}条"
    label = found.label
    if clause:
        match = next((c for c in found.clauses if c.number == clause), None)
        label += match.label if match else f"（{clause}）"
    return label


class ProposedDutiesModel(QAbstractTableModel):
    """The parser's proposed duties as the clerk reviews them: a 保留 checkbox and editable
    title, article/clause, role, period, minimum count and deadline; the source sentence as
    tooltip. ``kept_duties()`` gives back the edited ParsedDuty objects to store."""

    HEADERS = ("保留", "事项名称", "条款", "适用对象", "周期", "不少于", "单位", "截止")

    def __init__(self, rules: ParsedRules, parent: Any = None) -> None:
        super().__init__(parent)
        self.rules = rules
        self._duties: list[ParsedDuty] = [replace(d) for d in rules.duties]
        self._keep: list[bool] = [True] * len(self._duties)
        self._invalid: set[int] = set()
        self.ref_choices: list[tuple[str, tuple[int, int | None]]] = []
        for article in rules.articles:
            self.ref_choices.append((article.label, (article.number, None)))
            for clause in article.clauses:
                self.ref_choices.append((article.label + clause.label, (article.number, clause.number)))
        self.role_choices = [(ROLE_LABELS[r], r.value) for r in DUTY_ROLES]
        self.period_choices = [(PERIOD_LABELS[p], p.value) for p in Period]
        self.unit_choices = [(label, value) for value, label in UNIT_LABELS.items()]

    # -- API -------------------------------------------------------------------------------
    def duty(self, row: int) -> ParsedDuty:
        return self._duties[row]

    def is_kept(self, row: int) -> bool:
        return self._keep[row]

    def set_kept(self, row: int, keep: bool) -> None:
        self.setData(self.index(row, REVIEW_KEEP),
                     Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)

    def set_all_kept(self, keep: bool) -> None:
        self._keep = [keep] * len(self._duties)
        if self._duties:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._duties) - 1, 0))

    def kept_duties(self) -> list[ParsedDuty]:
        return [d for d, keep in zip(self._duties, self._keep, strict=True) if keep]

    def kept_count(self) -> int:
        return sum(self._keep)

    def mark_invalid(self, rows: set[int]) -> None:
        self._invalid = set(rows)
        if self._duties:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._duties) - 1, self.columnCount() - 1))

    def choices(self, column: int) -> list[tuple[str, Any]]:
        return {REVIEW_REF: self.ref_choices, REVIEW_ROLE: self.role_choices,
                REVIEW_PERIOD: self.period_choices, REVIEW_UNIT: self.unit_choices}.get(column, [])

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._duties)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is HORIZONTAL and role == DISPLAY:
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical and role == DISPLAY:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == REVIEW_KEEP:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        duty = self._duties[row]
        if role == CHECK_STATE and col == REVIEW_KEEP:
            return Qt.CheckState.Checked if self._keep[row] else Qt.CheckState.Unchecked
        if role == DISPLAY:
            return {
                REVIEW_TITLE: duty.title,
                REVIEW_REF: article_ref_label(self.rules, duty.article, duty.clause),
                REVIEW_ROLE: role_text(duty.role),
                REVIEW_PERIOD: period_text(duty.period),
                REVIEW_COUNT: str(duty.min_count),
                REVIEW_UNIT: unit_text(getattr(duty, "unit", "times")),
                REVIEW_DUE: due_text(duty.due),
            }.get(col)
        if role == EDIT:
            return {
                REVIEW_TITLE: duty.title,
                REVIEW_COUNT: duty.min_count,
                REVIEW_DUE: duty.due or "",
            }.get(col)
        if role == CHOICE_ROLE:
            return {REVIEW_REF: (duty.article, duty.clause), REVIEW_ROLE: duty.role,
                    REVIEW_PERIOD: duty.period, REVIEW_UNIT: getattr(duty, "unit", "times")}.get(col)
        if role == TOOLTIP:
            source = duty.source_text or ""
            return look.plain(f"原文：{source}") if source else None
        if role == ALIGNMENT and col in (REVIEW_COUNT, REVIEW_UNIT, REVIEW_PERIOD,
                                                                 REVIEW_DUE):
            return ALIGN_CENTER
        if role == FOREGROUND and not self._keep[row]:
            return QBrush(QColor("#9aa0a8"))
        if role == BACKGROUND and row in self._invalid:
            return INVALID_BRUSH
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        row, col = index.row(), index.column()
        duty = self._duties[row]
        if role == CHECK_STATE and col == REVIEW_KEEP:
            self._keep[row] = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return True
        if role == EDIT and col == REVIEW_TITLE:
            duty.title = str(value).strip() or duty.title
        elif role == EDIT and col == REVIEW_COUNT:
            try:
                duty.min_count = max(1, int(value))
            except (TypeError, ValueError):
                return False
        elif role == EDIT and col == REVIEW_DUE:
            duty.due = str(value).strip() or None
        elif role == CHOICE_ROLE and col == REVIEW_REF:
            duty.article, duty.clause = value
        elif role == CHOICE_ROLE and col == REVIEW_ROLE:
            duty.role = value
        elif role == CHOICE_ROLE and col == REVIEW_PERIOD:
            duty.period = value
        elif role == CHOICE_ROLE and col == REVIEW_UNIT:
            duty.unit = value
        else:
            return False
        self._invalid.discard(row)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

"""Models of the 负责人与单位 page: the unit tree, a unit's leaders and a leader's terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from duty_tracker.core.domain import ROLE_LABELS, Role
from duty_tracker.ui import look
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, Row, SimpleTableModel

UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 10


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def term_text(term: Row | None) -> str:
    if not term:
        return "—"
    return f"{term['start_date']} 至 {term['end_date'] or '今'}"


def current_term(terms: list[Row], today: date) -> Row | None:
    """The term containing ``today``; else the latest one (or None)."""
    iso = today.isoformat()
    for term in terms:
        if term["start_date"] <= iso and (term["end_date"] is None or iso <= term["end_date"]):
            return term
    return terms[-1] if terms else None


def office_state(terms: list[Row], today: date) -> str:
    """在任 / 离任 / 待任 (a term starting later) / 无任期."""
    if not terms:
        return "无任期"
    iso = today.isoformat()
    if any(t["start_date"] <= iso and (t["end_date"] is None or iso <= t["end_date"]) for t in terms):
        return "在任"
    if any(t["start_date"] > iso for t in terms):
        return "待任"
    return "离任"


class UnitTreeModel(QStandardItemModel):
    """Units as a tree (parent units above their subordinate units): 单位名称 | 层级 | 负责人."""

    HEADERS = ("单位", "层级", "负责人")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))

    def set_units(self, units: list[Row], leader_counts: dict[int, int] | None = None) -> None:
        leader_counts = leader_counts or {}
        self.removeRows(0, self.rowCount())  # not clear(): that drops the header's resize modes
        by_id = {u["id"]: u for u in units}
        items: dict[int, QStandardItem] = {}

        def make_row(unit: Row) -> list[QStandardItem]:
            name = QStandardItem(unit["name"])
            name.setData(unit["id"], UNIT_ID_ROLE)
            name.setToolTip(look.plain(unit["name"]))
            level = QStandardItem(unit["level"])
            count = QStandardItem(str(leader_counts.get(unit["id"], 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            row = [name, level, count]
            for item in row:
                item.setEditable(False)
            items[unit["id"]] = name
            return row

        pending = sorted(units, key=lambda u: u["id"])
        # parents first: repeat until every unit found its place (a missing parent → top level)
        while pending:
            rest = []
            for unit in pending:
                parent_id = unit.get("parent_id")
                if parent_id is None or parent_id not in by_id:
                    self.appendRow(make_row(unit))
                elif parent_id in items:
                    items[parent_id].appendRow(make_row(unit))
                else:
                    rest.append(unit)
            if len(rest) == len(pending):  # a cycle: show the rest at the top level
                for unit in rest:
                    self.appendRow(make_row(unit))
                break
            pending = rest

    def index_of_unit(self, unit_id: int):  # noqa: ANN201 - QModelIndex
        matches = self.match(self.index(0, 0), UNIT_ID_ROLE, unit_id, 1,
                             Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return matches[0] if matches else None


class LeaderTableModel(SimpleTableModel):
    """A unit's leaders: 姓名 | 职务 | 类别 | 当前任期 | 状态."""

    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.COLUMNS = (
            Column("姓名", lambda r: r["name"]),
            Column("职务", lambda r: r.get("position") or ""),
            Column("类别", lambda r: role_label(r["role"])),
            Column("当前任期", lambda r: term_text(current_term(r["terms"], self.today)),
                   tooltip=lambda r: "\n".join(term_text(t) for t in r["terms"]) or "无任期记录"),
            Column("状态", lambda r: office_state(r["terms"], self.today), align=ALIGN_CENTER),
        )

    def is_muted(self, row: Row) -> bool:
        return office_state(row["terms"], self.today) != "在任"


class TermTableModel(SimpleTableModel):
    """Terms being edited in the leader dialog: 开始日期 | 结束日期 | 天数."""

    COLUMNS = (
        Column("任职开始", lambda r: r["start_date"], align=ALIGN_CENTER),
        Column("任职结束", lambda r: r["end_date"] or "至今（在任）", align=ALIGN_CENTER),
    )

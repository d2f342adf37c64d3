"""Table models of the dashboard, all fed by one ``core.status.year_status`` call per year.

- ``core.dashboard.DashboardData`` groups that one result by leader (no further queries when
  the clerk clicks through leaders or filters by unit); these models only present it;
- :class:`LeaderSummaryModel`: one row per leader — unit, name, position, term in the year,
  达标 x/y, 未达标, 预警, overall status, and how many duties are behind an even pace;
- :class:`DutyGridModel`: the selected leader's duties × periods. The period columns are the
  finest period any duty of the year needs (months, quarters, half-years or just the year);
  a coarser period spans the columns it covers (the view reads :meth:`DutyGridModel.spans`);
- :class:`ReminderModel`: 预警 and 未达标 periods, soonest first, then the periods under way
  behind an even pace (进度落后).

The summary and the reminders expose a batch of rows at a time (``canFetchMore``/``fetchMore``,
:data:`BATCH`) and work a row's texts out in ``data()`` when it is painted: a city's 2,000
leaders cost the first paint what a screenful costs. A sort or a search through
:class:`FetchAllProxy` fetches the rest first.

Pace marks never change a status or its colour: a cell behind shows "进度落后" in bold, in the
pace colour, with "应完成约N次，已完成M次" as its tooltip.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from duty_tracker.core.compliance import PeriodStatus
from duty_tracker.core.dashboard import PERIOD_MONTHS as _MONTHS
from duty_tracker.core.dashboard import DashboardData, DutyInfo, LeaderRow, pace_text
from duty_tracker.core.domain import STATUS_SEVERITY, Period, Status, worst_status
from duty_tracker.ui import look
from duty_tracker.ui.models.batched import FetchInBatches
from duty_tracker.ui.models.roles import (
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    FONT,
    FOREGROUND,
    HORIZONTAL,
    TOOLTIP,
)
from duty_tracker.ui.widgets.status_style import PACE_LABEL, pace_colour, pace_font, status_colour

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PERIOD_ROLE = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)


# -- fetched a batch at a time -----------------------------------------------------------
class _Batched(FetchInBatches, QAbstractTableModel):
    """A list of ``_keys`` shown ``BATCH`` rows at a time (see ``batched``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._keys: list[Any] = []
        self._shown = 0

    def _reset_keys(self, keys: list[Any]) -> None:
        """Call between beginResetModel and endResetModel."""
        self._keys = keys
        self._first_batch()

    def _batch_total(self) -> int:
        return len(self._keys)

    def total(self) -> int:
        """Rows of the list, fetched or not."""
        return len(self._keys)


class FetchAllProxy(QSortFilterProxyModel):
    """Sorts and searches a list fetched a batch at a time: a sort or a search asked for
    fetches the rest first, so that it covers every row, not the batch."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= 0:
            self._fetch_all()
        super().sort(column, order)

    def search(self, text: str) -> None:
        """Keep the rows whose text contains ``text`` (every row when blank)."""
        if text:
            self._fetch_all()
        self.setFilterFixedString(text)

    def _fetch_all(self) -> None:
        fetch_all = getattr(self.sourceModel(), "fetch_all", None)
        if callable(fetch_all):
            fetch_all()


# -- the per-leader summary ------------------------------------------------------------------
class LeaderSummaryModel(_Batched):
    """One row per leader of the year, in roster order; a row is
    :meth:`DashboardData.row` of its leader, worked out when first shown."""

    COLUMNS = ("单位", "姓名", "职务", "本年任期", "达标", "未达标", "预警", "状态", PACE_LABEL)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._unit_id: int | None = None
        self._text = ""
        self._data: DashboardData | None = None

    def set_data(self, data: DashboardData | None) -> None:
        self.beginResetModel()
        self._data = data
        self._reset_keys(self._filtered())
        self.endResetModel()

    def set_filter(self, unit_id: int | None = None, text: str = "") -> None:
        self.beginResetModel()
        self._unit_id, self._text = unit_id, text.strip()
        self._reset_keys(self._filtered())
        self.endResetModel()

    def _filtered(self) -> list[int]:
        data = self._data
        if data is None:
            return []
        ids = data.leader_ids
        if self._unit_id is not None:
            ids = [i for i in ids if data.specs[i].unit_id == self._unit_id]
        if self._text:
            ids = [i for i in ids if data.matches(i, self._text)]
        return ids

    def row_at(self, row: int) -> LeaderRow:
        assert self._data is not None
        return self._data.row(self._keys[row])

    def row_of(self, leader_id: int) -> int:
        """The leader's row (fetched up to it), -1 when not in the list."""
        try:
            row = self._keys.index(leader_id)
        except ValueError:
            return -1
        self.fetch_to(row)
        return row


    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is HORIZONTAL and role == DISPLAY:
            return self.COLUMNS[section]
        if orientation is HORIZONTAL and role == TOOLTIP:
            return {4: "达标事项数 / 应履行事项数", 5: "已过期仍未完成的事项数",
                    6: "30 天内到期尚未完成的事项数", 7: "各事项中最差的状态",
                    8: "按周期均匀安排，截至今天应完成而尚未完成的事项数（不改变状态）"}.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._data is None:
            return None
        row = self._data.row(self._keys[index.row()])
        col = index.column()
        if role == DISPLAY:
            return (row.unit, row.name, row.position, row.tenure, f"{row.done}/{row.required}",
                    str(row.failed) if row.failed else "", str(row.warning) if row.warning else "",
                    row.status.value, f"{row.behind}项" if row.behind else "")[col]
        if role == SORT_ROLE:
            return (row.unit, row.name, row.position, row.tenure,
                    row.done / row.required if row.required else 2.0, row.failed, row.warning,
                    STATUS_SEVERITY[row.status], row.behind)[col]
        if col == 8 and row.behind:
            if role == FOREGROUND:
                return pace_colour()
            if role == FONT:
                return pace_font()
            if role == TOOLTIP and self._data is not None:
                return look.plain(f"{PACE_LABEL}：\n{self._data.behind_text(row.leader_id)}")
        if role == ID_ROLE:
            return row.leader_id
        if role == ALIGNMENT and col >= 4:
            return _ALIGN_CENTER
        if col == 7 and role == BACKGROUND:
            return status_colour(row.status)
        if role == FOREGROUND:
            if col == 7:
                return status_colour(row.status, foreground=True)
            if col == 5 and row.failed:
                return status_colour(Status.FAILED, foreground=True)
            if col == 6 and row.warning:
                return status_colour(Status.WARNING, foreground=True)
            if col == 3 and row.tenure != "全年":
                return status_colour(Status.IN_PROGRESS, foreground=True)
        if role == TOOLTIP and col == 3 and row.tenure != "全年":
            return f"本年度部分任期：{row.tenure}。只对任期覆盖过半的周期负责。"
        return None


def _pace_marked(p: PeriodStatus) -> bool:
    """Behind an even pace and still 进行中 (a 预警 says more than its pace)."""
    return p.behind and p.status is Status.IN_PROGRESS


def _word(unit: str) -> str:
    return "学时" if unit == "hours" else "次"


# -- the grid of one leader ------------------------------------------------------------------
def _slot_headers(slot_months: int) -> list[str]:
    if slot_months == 12:
        return ["全年"]
    if slot_months == 6:
        return ["上半年", "下半年"]
    if slot_months == 3:
        return ["第一季度", "第二季度", "第三季度", "第四季度"]
    return [f"{m}月" for m in range(1, 13)]


class DutyGridModel(QAbstractTableModel):
    """Rows: the duties that bind the leader; columns: 履职事项, 条款, 要求, the period slots,
    全年状态. A cell of a period spanning several slots is the first slot of the span."""

    FIXED = ("履职事项", "条款依据", "要求")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._data: DashboardData | None = None
        self._leader_id: int | None = None
        self._duties: list[DutyInfo] = []
        self._cells: dict[tuple[int, int], PeriodStatus] = {}
        self._spans: list[tuple[int, int, int]] = []  # (row, column, column span)
        self._year_status: list[Status] = []
        self._headers = _slot_headers(12)

    @property
    def leader_id(self) -> int | None:
        return self._leader_id

    def set_leader(self, data: DashboardData | None, leader_id: int | None) -> None:
        self.beginResetModel()
        self._data, self._leader_id = data, leader_id
        self._duties, self._cells, self._spans, self._year_status = [], {}, [], []
        self._headers = _slot_headers(data.slot_months if data else 12)
        if data is not None and leader_id is not None:
            per_duty: dict[int, list[PeriodStatus]] = defaultdict(list)
            for p in data.by_leader.get(leader_id, ()):
                per_duty[p.duty_id].append(p)
            first = len(self.FIXED)
            slots = len(self._headers)
            for duty_id in data.duty_order:
                periods = per_duty.get(duty_id)
                if not periods:
                    continue
                row = len(self._duties)
                self._duties.append(data.duties[duty_id])
                self._year_status.append(worst_status([p.status for p in periods]))
                for p in periods:
                    if data.duties[duty_id].period in (Period.YEAR, Period.ONCE):
                        col, span = 0, slots
                    else:
                        col = (p.period.start.month - 1) // data.slot_months
                        months = _MONTHS[data.duties[duty_id].period]
                        span = max(1, months // data.slot_months)
                    self._cells[(row, first + col)] = p
                    if span > 1:
                        self._spans.append((row, first + col, span))
        self.endResetModel()

    def spans(self) -> list[tuple[int, int, int]]:
        return list(self._spans)

    def period_at(self, index: Index) -> PeriodStatus | None:
        return self._cells.get((index.row(), index.column())) if index.isValid() else None

    def duty_at(self, row: int) -> DutyInfo:
        return self._duties[row]

    def row_of_duty(self, duty_id: int) -> int:
        return next((i for i, d in enumerate(self._duties) if d.id == duty_id), -1)

    def cell_of(self, duty_id: int, period_label: str | None = None) -> QModelIndex:
        """Index of the duty's cell (its first period, or the one with that label)."""
        row = self.row_of_duty(duty_id)
        for (r, c), p in sorted(self._cells.items()):
            if r == row and (period_label is None or p.period.label == period_label):
                return self.index(r, c)
        return QModelIndex()

    def year_column(self) -> int:
        return len(self.FIXED) + len(self._headers)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._duties)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.FIXED) + len(self._headers) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is HORIZONTAL and role == DISPLAY:
            labels = [*self.FIXED, *self._headers, "全年状态"]
            return labels[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        duty = self._duties[row]
        if col < len(self.FIXED):
            if role == DISPLAY:
                return (duty.title, duty.article_ref, duty.requirement)[col]
            if role == TOOLTIP and col == 0:
                return look.plain(duty.title)
            if role == ALIGNMENT and col > 0:
                return _ALIGN_CENTER
            return None
        if col == self.year_column():
            status = self._year_status[row]
            if role == DISPLAY:
                return status.value
            if role == TOOLTIP:
                return f"全年状态：{status.value}（各周期中最差的状态）"
            return self._status_look(status, role)
        p = self._cells.get((row, col))
        if p is None:
            return None
        if role == DISPLAY:
            return self.cell_text(p)
        if role == TOOLTIP:  # worked out only when asked: a paint asks every other role
            return look.plain(self._tooltip(duty, p))
        if role == PERIOD_ROLE:
            return p
        if _pace_marked(p) and role == FOREGROUND:
            return pace_colour()  # the status keeps its background; the pace shows in the text
        if _pace_marked(p) and role == FONT:
            return pace_font()
        return self._status_look(p.status, role)

    @staticmethod
    def cell_text(p: PeriodStatus) -> str:
        if p.status is Status.NOT_APPLICABLE:
            return "不适用"
        mark = "*" if p.partial else ""
        # a deadline ("3月1日前", "一次性") is not what the column header says: show it
        label = f"{p.period.label} " if p.period.label == "一次性" or p.period.label.endswith("前") else ""
        pace = f" {PACE_LABEL}" if _pace_marked(p) else ""
        return f"{label}{p.done}/{p.required}{mark} {p.status.value}{pace}"

    @staticmethod
    def _status_look(status: Status, role: int) -> Any:
        """A status cell's colours and alignment."""
        if role == BACKGROUND:
            return status_colour(status)
        if role == FOREGROUND:
            return status_colour(status, foreground=True)
        if role == ALIGNMENT:
            return _ALIGN_CENTER
        return None

    @staticmethod
    def _tooltip(duty: DutyInfo, p: PeriodStatus) -> str:
        lines = [f"{duty.title}", f"{p.period.label}：{p.period.start} 至 {p.period.end}"]
        if p.status is Status.NOT_APPLICABLE:
            lines.append("不适用：任期未覆盖该周期的一半以上。")
        else:
            lines.append(f"要求 {p.required} {_word(duty.unit)}，已完成 {p.done:g} {_word(duty.unit)}"
                         f" —— {p.status.value}")
            if p.behind:
                lines.append(f"{PACE_LABEL}：{pace_text(p, duty.unit)}（按周期均匀安排计算）")
            if p.partial and p.window_start and p.window_end:
                lines.append(f"* 部分任期：{p.window_start} 至 {p.window_end}")
        lines.append("双击：查看对应纪实" + ("" if p.done else "（无记录时新建）"))
        return "\n".join(lines)


# -- reminders -------------------------------------------------------------------------------
class ReminderModel(_Batched):
    """预警 and 未达标 (soonest first), then 进度落后; rows fetched a batch at a time, their
    counts kept for the whole list."""

    COLUMNS = ("状态", "负责人", "单位", "履职事项", "周期", "完成/要求", "截止日期", "剩余")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._data: DashboardData | None = None
        self._all: list[PeriodStatus] = []
        self._unit_id: int | None = None
        self._today = date.today()
        self._counts = (0, 0, 0)

    def set_data(self, data: DashboardData | None, unit_id: int | None = None) -> None:
        self.beginResetModel()
        self._data = data
        self._all = (data.reminders + data.pace) if data else []
        self._today = data.status.today if data else date.today()
        self._unit_id = unit_id
        self._refilter()
        self.endResetModel()

    def set_unit(self, unit_id: int | None) -> None:
        self.beginResetModel()
        self._unit_id = unit_id
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        rows = self._all
        if self._unit_id is not None and self._data is not None:
            specs = self._data.specs
            rows = [p for p in rows if specs[p.leader_id].unit_id == self._unit_id]
        self._reset_keys(rows)
        tally = Counter(p.status for p in rows)
        self._counts = (tally[Status.WARNING], tally[Status.FAILED], tally[Status.IN_PROGRESS])

    def period_at(self, row: int) -> PeriodStatus:
        return self._keys[row]

    def counts(self) -> tuple[int, int]:
        """(预警, 未达标) of the whole list, fetched or not."""
        return self._counts[0], self._counts[1]

    def behind_count(self) -> int:
        """Rows that are there only for their pace (进度落后, still 进行中)."""
        return self._counts[2]

    @staticmethod
    def is_pace(p: PeriodStatus) -> bool:
        return p.status is Status.IN_PROGRESS

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is HORIZONTAL and role == DISPLAY:
            return self.COLUMNS[section]
        return None

    def row_texts(self, row: int) -> list[str]:
        return [self.data(self.index(row, c)) or "" for c in range(len(self.COLUMNS))]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._data is None:
            return None
        p = self._keys[index.row()]
        col = index.column()
        if role == DISPLAY:
            end = p.window_end or p.period.end
            days = (end - self._today).days
            left = f"还剩 {days} 天" if days > 0 else ("今天到期" if days == 0 else f"逾期 {-days} 天")
            duty = self._data.duties.get(p.duty_id)
            state = PACE_LABEL if self.is_pace(p) else p.status.value
            return (state, self._data.leader_name(p.leader_id), self._data.unit_of(p.leader_id),
                    duty.title if duty else "", p.period.label, f"{p.done}/{p.required}",
                    end.isoformat(), left)[col]
        if role == PERIOD_ROLE:
            return p
        pace = self.is_pace(p)
        if col == 0 and role == BACKGROUND:
            return status_colour(p.status)
        if role == FOREGROUND and col in (0, 7):
            return pace_colour() if pace else status_colour(p.status, foreground=True)
        if pace and role == TOOLTIP and col in (0, 5):
            return (f"状态：{p.status.value}。{PACE_LABEL}："
                    f"{pace_text(p, self._data.unit_word(p.duty_id))}（按周期均匀安排计算）")
        if role == ALIGNMENT and col in (0, 4, 5, 6, 7):
            return _ALIGN_CENTER
        if role == TOOLTIP and col == 3:
            duty = self._data.duties.get(p.duty_id)
            return look.plain(f"{duty.article_ref} {duty.title}") if duty else None
        return None

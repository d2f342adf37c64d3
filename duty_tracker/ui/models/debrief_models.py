"""The leader list of the 述职报告 page: who reports for the year, how far their duties are
done, and whether the narrative has been written."""

from __future__ import annotations

from duty_tracker.core.reports.sections import SECTION_ORDER
from duty_tracker.core.status import LeaderTally
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, Row, SimpleTableModel

_NO_TALLY = LeaderTally({})


def _tally(row: Row) -> LeaderTally:
    return row.get("tally") or _NO_TALLY


def narrative_state(row: Row) -> str:
    saved = row.get("debrief") or {}
    if any((saved.get(k) or "").strip() for k in SECTION_ORDER):
        return "已撰写"
    return "未撰写"


class DebriefLeaderModel(SimpleTableModel):
    """姓名 | 单位 | 达标 | 问题 | 报告. Rows carry ``tally`` (``LeaderTally``) and ``debrief``."""

    COLUMNS = (
        Column("姓名", lambda r: r["name"], tooltip=lambda r: f"{r['name']}　{r.get('position') or ''}"),
        Column("单位", lambda r: r.get("unit_name") or "", tooltip=lambda r: r.get("unit_name")),
        Column("达标", lambda r: _tally(r).completion_text(), align=ALIGN_CENTER,
               sort=lambda r: _tally(r).done, tooltip=lambda r: _tally(r).tooltip()),
        Column("问题", lambda r: _tally(r).problems_text(),
               sort=lambda r: _tally(r).failed, tooltip=lambda r: _tally(r).tooltip()),
        Column("报告", narrative_state, align=ALIGN_CENTER),
    )

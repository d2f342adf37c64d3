"""The leader list of the 述职报告 page: who reports for the year, how far their duties are
done, and whether the narrative has been written."""

from __future__ import annotations

from duty_tracker.core.domain import Status
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, Row, SimpleTableModel


def completion_text(counts: dict[Status, int] | None) -> str:
    """"9/12" — duties 达标 of the duties that apply."""
    if not counts:
        return "—"
    applicable = sum(n for s, n in counts.items() if s != Status.NOT_APPLICABLE)
    return f"{counts.get(Status.DONE, 0)}/{applicable}" if applicable else "—"


def problems_text(counts: dict[Status, int] | None) -> str:
    if not counts:
        return ""
    parts = []
    if counts.get(Status.FAILED):
        parts.append(f"未达标{counts[Status.FAILED]}")
    if counts.get(Status.WARNING):
        parts.append(f"预警{counts[Status.WARNING]}")
    return " ".join(parts)


def counts_tooltip(counts: dict[Status, int] | None) -> str | None:
    if not counts:
        return "本年度没有适用的履职事项"
    return "　".join(f"{status.value} {n} 项" for status, n in counts.items() if n)


def narrative_state(row: Row) -> str:
    saved = row.get("debrief") or {}
    if any((saved.get(k) or "").strip() for k in ("achievements", "problems", "plans")):
        return "已撰写"
    return "未撰写"


class DebriefLeaderModel(SimpleTableModel):
    """姓名 | 单位 | 达标 | 问题 | 报告. Rows carry ``counts`` (Status → duties) and ``debrief``."""

    COLUMNS = (
        Column("姓名", lambda r: r["name"], tooltip=lambda r: f"{r['name']}　{r.get('position') or ''}"),
        Column("单位", lambda r: r.get("unit_name") or "", tooltip=lambda r: r.get("unit_name")),
        Column("达标", lambda r: completion_text(r.get("counts")), align=ALIGN_CENTER,
               sort=lambda r: (r.get("counts") or {}).get(Status.DONE, 0),
               tooltip=lambda r: counts_tooltip(r.get("counts"))),
        Column("问题", lambda r: problems_text(r.get("counts")),
               sort=lambda r: (r.get("counts") or {}).get(Status.FAILED, 0),
               tooltip=lambda r: counts_tooltip(r.get("counts"))),
        Column("报告", narrative_state, align=ALIGN_CENTER),
    )

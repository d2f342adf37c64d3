"""The detail pane of the 工作要点 page as rich text: the whole task — its document and section,
deadline, every unit with its role and status, the full text, the dated progress notes with
their evidence files, and the records that evidence it. Links carry what a click should do
(``att:ID`` open a file, ``edit:ID``/``del:ID`` an entry, ``rec:ID`` open a record); everything
the clerk typed is escaped, so a name such as "<b>" shows as written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from duty_tracker.core.services.workpoints import TaskView
from duty_tracker.ui import look
from duty_tracker.ui.models.workpoints_models import STATUS_LOOK, role_label, verdict_of
from duty_tracker.ui.widgets.status_style import status_css

esc = look.esc


def _status_pill(view: TaskView, unit_id: int | None = None) -> str:
    verdict = verdict_of(view, unit_id)
    css = status_css(STATUS_LOOK[verdict.status]) if verdict.status in STATUS_LOOK else ""
    return f"<span style='{css}'>&nbsp;{esc(verdict.label)}&nbsp;</span>"


def _heading(text: str) -> str:
    return f"<p style='margin:10px 0 2px 0'><b>{esc(text)}</b></p>"


def _units_table(view: TaskView, unit_id: int | None) -> str:
    if not view.units:
        named = "、".join(n["name"] for n in view.named_units)
        said = f"文件中写的是“{named}”，" if named else ""
        return (f"<p>{look.span(said + '尚未对应到本程序中的单位。点击“编辑任务…”指定责任单位。', 'warning')}</p>")
    rows = []
    for unit in view.units:
        name = esc(unit.unit_name)
        if unit.unit_id == unit_id:
            name = f"<b>{name}</b>"
        last = f"{unit.verdict.last_on:%Y-%m-%d}" if unit.verdict.last_on else "—"
        css = status_css(STATUS_LOOK[unit.status]) if unit.status in STATUS_LOOK else ""
        rows.append(f"<tr><td>{name}</td><td>{esc(role_label(unit.role))}</td>"
                    f"<td style='{css}'>{esc(unit.verdict.label)}</td><td>{last}</td></tr>")
    head = ("<tr>" + "".join(f"<td>{look.span(h, 'hint')}</td>" for h in ("单位", "职责", "状态", "最近填报"))
            + "</tr>")
    return f"<table cellspacing='0' cellpadding='3'>{head}{''.join(rows)}</table>"


def _entries(view: TaskView, attachments: Mapping[int, Sequence[dict[str, Any]]]) -> str:
    entries = sorted((e for u in view.units for e in u.entries), key=lambda e: (e["reported_on"], e["id"]))
    if not entries:
        return f"<p>{look.span('尚未填报进展。选中任务后点击“填报进展…”（或按 Enter）。', 'hint')}</p>"
    lines = []
    for entry in entries:
        done = look.span("（已完成）", "ok") if entry["done"] else ""
        who = f"{esc(entry['unit_name'])}：" if len(view.units) > 1 else ""
        note = esc(entry["note"] or "").replace("\n", "<br>")
        files = "　".join(f"<a href='att:{a['id']}'>{esc(a['file_name'])}</a>"
                         for a in attachments.get(entry["id"], ()))
        source = look.span(f"（来自{entry['source']}）", "hint") if entry.get("source") else ""
        actions = (f"<nobr><a href='edit:{entry['id']}'>修改</a>&nbsp;&nbsp;"
                   f"<a href='del:{entry['id']}'>删除</a></nobr>")
        lines.append(f"<p style='margin:2px 0'>{look.span(entry['reported_on'], 'hint')}　{who}{note}{done}{source}"
                     + (f"<br>{look.span('附件：', 'hint')}{files}" if files else "")
                     + f"　<small>{actions}</small></p>")
    return "".join(lines)


def _records(view: TaskView) -> str:
    if not view.records:
        return f"<p>{look.span('没有关联的履职纪实（可在纪实表单的“佐证任务”中关联）。', 'hint')}</p>"
    return "".join(
        f"<p style='margin:2px 0'><a href='rec:{r['record_id']}'>{esc(r['performed_on'])} {esc(r['title'])}</a></p>"
        for r in view.records)


def task_html(view: TaskView, attachments: Mapping[int, Sequence[dict[str, Any]]],
              unit_id: int | None = None) -> str:
    """The whole task; ``attachments``: progress id → its evidence files."""
    parts = [f"<p style='margin:0'><b style='font-size:11pt'>{view.number}. {esc(view.title)}</b>"
             f"　{_status_pill(view)}</p>"]
    where = " · ".join(esc(p) for p in (f"《{view.plan_title}》", view.section) if p)
    due = f"{view.due:%Y-%m-%d}" if view.due else "未定"
    said = f"（文件原文：{esc(view.deadline_text)}）" if view.deadline_text else ""
    mine = ""
    if unit_id is not None and view.unit(unit_id) is not None:
        unit = view.unit(unit_id)
        mine = (f"<br>{look.span('本单位：', 'hint')}{esc(unit.unit_name)}（{esc(role_label(unit.role))}）"
                f"　{_status_pill(view, unit_id)}")
    parts.append(f"<p style='margin:2px 0'>{look.span('所属：', 'hint')}{where}<br>"
                 f"{look.span('完成时限：', 'hint')}{due}{said}{mine}</p>")
    parts.append(_heading("责任单位"))
    parts.append(_units_table(view, unit_id))
    parts.append(_heading("任务内容"))
    parts.append(f"<p style='margin:2px 0'>{esc(view.text or view.title).replace(chr(10), '<br>')}</p>")
    count = sum(len(u.entries) for u in view.units)
    parts.append(_heading(f"进展情况（{count} 条）" if count else "进展情况"))
    parts.append(_entries(view, attachments))
    parts.append(_heading("佐证纪实"))
    parts.append(_records(view))
    return "".join(parts)

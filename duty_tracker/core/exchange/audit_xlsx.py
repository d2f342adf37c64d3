"""The 操作日志 (audit log) as an .xlsx workbook: who changed what, when, before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from duty_tracker.core.exchange.xlsx_common import Column, new_workbook, save_workbook, write_sheet
from duty_tracker.core.storage.audit_queries import ACTION_LABELS, TABLE_LABELS, AuditFilter, diff


def export_audit_log(store: Any, path: Path | str, flt: AuditFilter | None = None, *,
                     limit: int = 200_000) -> int:
    """The entries that match ``flt`` (newest first, at most ``limit``); returns how many."""

    columns = (Column("时间", 20), Column("用户", 12), Column("操作", 8), Column("数据", 12),
               Column("内容", 40, wrap=True), Column("修改前", 50, wrap=True), Column("修改后", 50, wrap=True))

    def rows():
        offset = 0
        while offset < limit:
            chunk = store.audit_log.page(flt, limit=1000, offset=offset)
            if not chunk:
                return
            for r in chunk:
                changes = diff(r)
                yield [r["at"].replace("T", " "), r["actor"], ACTION_LABELS.get(r["action"], r["action"]),
                       TABLE_LABELS.get(r["table_name"], r["table_name"]), r["summary"],
                       "\n".join(f"{k}：{b}" for k, b, _a in changes if b),
                       "\n".join(f"{k}：{a}" for k, _b, a in changes if a)]
            offset += len(chunk)

    wb = new_workbook()
    written = write_sheet(wb.create_sheet("操作日志"), columns, rows())
    save_workbook(wb, path)
    return written

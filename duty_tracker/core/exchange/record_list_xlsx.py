"""The record list as the clerk sees it, as an .xlsx workbook (导出当前列表): the records the
filter matches, in the list's order, with the columns shown in the list, in the list's order.

The column names here are the record list's own (the window's table model reads them from
:data:`LIST_COLUMNS`), so the list and its export never spell a column differently."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.exchange.xlsx_common import (
    Column,
    ExchangeError,
    new_workbook,
    save_workbook,
    write_sheet,
)
from duty_tracker.core.storage.records_repo import RecordFilter
from duty_tracker.core.storage.store import Store


@dataclass(frozen=True, slots=True)
class ListColumn:
    header: str
    width: float
    wrap: bool = False


#: The record list's columns by key, in their default order.
LIST_COLUMNS: dict[str, ListColumn] = {
    "performed_on": ListColumn("日期", 12),
    "title": ListColumn("标题", 40, wrap=True),
    "kind": ListColumn("类型", 10),
    "leaders": ListColumn("负责人", 20, wrap=True),
    "duties": ListColumn("履职事项", 36, wrap=True),
    "place": ListColumn("地点", 16, wrap=True),
    "minutes_number": ListColumn("纪要文号", 18),
    "attachment_count": ListColumn("附件", 8),
    "created_at": ListColumn("录入时间", 18),
    "hours": ListColumn("学时", 8),
}
#: In the recycle bin the last column is when a record was deleted.
DELETED_HEADER = "删除时间"
CHUNK = 1000


def header_of(key: str, *, deleted: bool = False) -> str:
    return DELETED_HEADER if key == "created_at" and deleted else LIST_COLUMNS[key].header


def export_record_list(store: Store, path: Path | str, flt: RecordFilter, columns: Sequence[str], *,
                       order_by: str = "performed_on", descending: bool = True,
                       limit: int = 1_000_000) -> int:
    """Write the matching records (at most ``limit``) with ``columns``; returns how many."""
    unknown = [key for key in columns if key not in LIST_COLUMNS]
    if unknown or not columns:
        raise ExchangeError(f"无法导出：列表的列不正确（{'、'.join(unknown) or '没有列'}）。")
    sheet_columns = [Column(header_of(k, deleted=flt.deleted), LIST_COLUMNS[k].width,
                            is_date=k == "performed_on", wrap=LIST_COLUMNS[k].wrap) for k in columns]

    def rows() -> Iterator[list[Any]]:
        offset = 0
        while offset < limit:
            chunk = store.records.search(flt, order_by=order_by, descending=descending,
                                         limit=min(CHUNK, limit - offset), offset=offset)
            if not chunk:
                return
            for row in chunk:
                yield [_cell(row, key, flt.deleted) for key in columns]
            offset += len(chunk)

    wb = new_workbook()
    written = write_sheet(wb.create_sheet("履职纪实列表"), sheet_columns, rows())
    save_workbook(wb, path)
    return written


def _cell(row: dict[str, Any], key: str, deleted: bool) -> Any:
    if key == "performed_on":
        return date.fromisoformat(row["performed_on"])
    if key == "created_at":
        value = row.get("deleted_at") if deleted else row.get("created_at")
        return (value or "").replace("T", " ")[:16]
    if key == "attachment_count":
        return int(row.get(key) or 0)
    if key == "hours":  # a number the clerk can sum in Excel; empty when none was entered
        return "" if row.get("hours") is None else float(row["hours"])
    value = row.get(key)
    return "" if value is None else value

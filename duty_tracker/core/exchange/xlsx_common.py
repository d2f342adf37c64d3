"""Shared pieces of the .xlsx exports and imports: writing a sheet that looks right in Chinese
Excel/WPS (bold header, frozen first row, widths, real dates), reading a sheet by its header
names, lenient date parsing, and the row-by-row error list."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duty_tracker.core.helpers import parse_date  # noqa: F401 - the cell date reader
from duty_tracker.core.storage.errors import StorageError

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DCE7F5")
HEADER_FONT = Font(name="宋体", bold=True, size=11)
BODY_FONT = Font(name="宋体", size=11)
THIN = Side(style="thin", color="B8C2CC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
#: Cells longer than this wrap instead of widening the column.
MAX_WIDTH = 60
#: openpyxl refuses control characters in cells; they are replaced on export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExchangeError(StorageError):
    """A file cannot be read or written, or is not what it should be; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float = 12
    is_date: bool = False
    wrap: bool = False


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row of an imported sheet (``row`` is the Excel row number)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}（{self.column}）：{self.message}" if self.column else f"{where}：{self.message}"


def clean_text(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub(" ", value)
    return value


def write_sheet(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Header row (bold, filled, frozen, auto-filter) and data rows; returns the row count."""
    ws.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for values in rows:
        count += 1
        ws.append([clean_text(v) for v in values])
        r = count + 1
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=index)
            cell.font = BODY_FONT
            cell.border = BORDER
            if column.is_date and isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
    ws.freeze_panes = "A2"
    if count:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    ws.row_dimensions[1].height = 22
    ws.sheet_view.zoomScale = 100
    return count


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def save_workbook(wb: Workbook, path: Path | str) -> Path:
    """Save through a temporary name so a failed write (full disk) never leaves a broken file
    with the final name, nor a half-written temporary one."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    tmp = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExchangeError(f"无法保存 {path}：{exc.strerror or exc}（磁盘已满、只读，或文件正在被 Excel 打开？）") from exc
    return path


def iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- reading -----------------------------------------------------------------------------------
def open_sheet(path: Path | str, preferred: Sequence[str] = ()) -> Worksheet:
    path = Path(path)
    if not path.is_file():
        raise ExchangeError(f"文件不存在：{path}")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ExchangeError(f"无法读取 {path.name}：不是有效的 .xlsx 文件（{type(exc).__name__}）。") from exc
    for name in preferred:
        if name in wb.sheetnames:
            return wb[name]
    return wb.worksheets[0]


def _normalise_header(value: Any) -> str:
    text = str(value or "").strip()
    return re.sub(r"[\s*＊（(].*$", "", text) if text else ""


def read_rows(
    ws: Worksheet, aliases: dict[str, Sequence[str]], required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Rows of a sheet as ``(excel_row, {field: value})`` by header names, skipping empty rows.

    ``aliases`` maps a field to the header texts accepted for it (the first is the official
    one). A missing required column is a file-level error (row 0).
    """
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return [], [RowError(0, "", "工作表是空的。")]
    lookup = {alias: key for key, names in aliases.items() for alias in names}
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        key = lookup.get(_normalise_header(value))
        if key and key not in positions:
            positions[key] = index
    missing = [aliases[k][0] for k in required if k not in positions]
    if missing:
        return [], [RowError(1, "", f"缺少列：{'、'.join(missing)}（请使用程序导出的模板）")]
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        out.append((number, {k: values[i] if i < len(values) else None for k, i in positions.items()}))
    return out, []


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()



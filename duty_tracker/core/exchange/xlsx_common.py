"""Shared pieces of the .xlsx exports and imports: writing a sheet that looks right in Chinese
Excel/WPS (bold header, frozen first row, widths, real dates), reading a sheet by its header
names, lenient date parsing, and the row-by-row error list.

Writing: text that begins with ``=``, ``+``, ``-`` or ``@`` is written as text (a string cell
with Excel's quote prefix), never as a live formula — ``=HYPERLINK(…)`` in a title would
otherwise send data away when clicked, and come back empty on re-import.

Reading is defensive, because a workbook is a zip of XML that anybody can craft:

- declared sizes are checked before anything is inflated (a 1.5 MB file may claim to unpack
  to 1.5 GB): too large in total, per member, or compressed suspiciously well is refused;
- the sheet read is the preferred (or first) *visible* one; a hidden sheet is never read
  silently — it is refused when it is the one to import, and reported otherwise;
- rows are streamed (read-only mode, declared dimensions ignored), and capped in number;
- a cell that is a formula, an Excel error, part of a merged range (only its first row has
  the value), or in a hidden row gets its own message instead of turning into "empty".
"""

from __future__ import annotations

import re
import uuid as uuidlib
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from duty_tracker.core.helpers import parse_date  # noqa: F401 - the cell date reader
from duty_tracker.core.storage import leftovers
from duty_tracker.core.storage.backup import os_error_text
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
#: Text starting with one of these would be a formula in Excel (or WPS, or LibreOffice).
FORMULA_STARTS = ("=", "+", "-", "@")
#: What a workbook may unpack to: in total, per member, and how well a large member may
#: compress (XML of a real ledger compresses about 10:1; a decompression bomb 1000:1).
MAX_UNPACKED = 256 << 20
MAX_MEMBER = 200 << 20
MAX_RATIO, RATIO_FROM = 200, 8 << 20
#: Rows read from one sheet at most (a unit's ledger has thousands, not millions).
MAX_ROWS = 100_000


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
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, not a formula
                cell.quotePrefix = True  # and it stays text when the clerk edits the cell
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
    tmp = path.with_name(f".{path.name}.{uuidlib.uuid4().hex[:8]}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        leftovers.sweep(path.parent, prefix=f".{path.name}.")  # what a killed earlier save left
        with leftovers.claimed(tmp) as claim:
            wb.save(claim.path)
            claim.replace(path)
    except OSError as exc:
        raise ExchangeError(f"无法保存 {path}：{os_error_text(exc)}（磁盘已满、只读，或文件正在被 Excel 打开？）") from exc
    return path


def iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- reading -----------------------------------------------------------------------------------
def check_archive(path: Path) -> None:
    """Refuse, before anything is inflated, a workbook that would unpack beyond sane limits.

    Python's zipfile never inflates a member beyond its declared size (a lie fails the CRC
    check), so the declared sizes are what the limits are checked against."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise ExchangeError(f"无法读取 {path.name}：不是有效的 .xlsx 文件（{type(exc).__name__}）。") from exc
    total = sum(i.file_size for i in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            raise ExchangeError(f"{path.name} 中的“{info.filename}”解压后达 {info.file_size / 1e6:.0f} MB，"
                                "超出正常表格的大小（可能是恶意构造的文件），已拒绝，未读取。")
    if total > MAX_UNPACKED:
        raise ExchangeError(f"{path.name} 解压后共 {total / 1e6:.0f} MB，超出正常表格的大小"
                            f"（上限 {MAX_UNPACKED / 1e6:.0f} MB），已拒绝。请分成几个文件导入。")


@dataclass
class Sheet:
    """The sheet to import, with what the workbook's XML says about its rows."""

    ws: Worksheet
    hidden_rows: set[int] = field(default_factory=set)
    #: (min_col, min_row, max_col, max_row, "A2:A5") of every merged range
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    #: file-level remarks: the other sheets that were not read, hidden ones above all
    notices: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.ws.title


def open_sheet(path: Path | str, preferred: Sequence[str] = ()) -> Sheet:
    path = Path(path)
    if not path.is_file():
        raise ExchangeError(f"文件不存在：{path}")
    check_archive(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ExchangeError(f"无法读取 {path.name}：不是有效的 .xlsx 文件（{type(exc).__name__}）。") from exc
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    chosen = next((wb[name] for name in preferred if name in wb.sheetnames), None)
    if chosen is not None and chosen.sheet_state != "visible":
        raise ExchangeError(f"工作表“{chosen.title}”在 Excel 中是隐藏的。为免导入看不见的内容，未导入；"
                            "请在 Excel 中取消隐藏、确认内容后再导入。")
    if chosen is None:
        if not visible:
            raise ExchangeError(f"{path.name} 中没有可见的工作表。")
        chosen = visible[0]
    chosen.reset_dimensions()  # the declared size may be a lie; read what is there
    sheet = Sheet(chosen)
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    others = [ws.title for ws in visible if ws is not chosen]
    if hidden:
        sheet.notices.append(f"隐藏的工作表“{'、'.join(hidden)}”未导入。")
    if others:
        sheet.notices.append(f"只导入了工作表“{chosen.title}”，其他工作表“{'、'.join(others)}”未导入。")
    try:
        _read_layout(wb, sheet)
    except Exception as exc:  # noqa: BLE001 - a broken or hostile sheet XML
        raise ExchangeError(f"无法读取 {path.name}：工作表内容已损坏或格式不正确（{type(exc).__name__}）。") from exc
    return sheet


def _read_layout(wb: Any, sheet: Sheet) -> None:
    """Hidden rows and merged ranges, streamed from the sheet's XML (read-only mode of
    openpyxl does not read them)."""
    archive, member = getattr(wb, "_archive", None), getattr(sheet.ws, "_worksheet_path", None)
    if archive is None or member is None:
        return
    with archive.open(member) as source:
        for _event, element in iterparse(source):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "row":
                if element.get("hidden") in ("1", "true") and (element.get("r") or "").isdigit():
                    sheet.hidden_rows.add(int(element.get("r")))
                element.clear()
            elif tag == "mergeCell" and element.get("ref"):
                try:
                    sheet.merged.append((*range_boundaries(element.get("ref")), element.get("ref")))
                except (TypeError, ValueError):
                    pass
            elif tag == "c":
                element.clear()


def _normalise_header(value: Any) -> str:
    text = str(value or "").strip()
    return re.sub(r"[\s*＊（(].*$", "", text) if text else ""


@dataclass
class SheetRow:
    """One data row: its Excel number, the values by field, and the problems of its cells
    that no validation of the value can see (a formula, a merged or hidden cell …)."""

    number: int
    values: dict[str, Any]
    issues: list[RowError] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        """``number, values = row`` as before the cell problems were added (a reader that does
        not look at ``issues`` gets None for such a cell, as it used to)."""
        return iter((self.number, self.values))


def _cell_issue(number: int, header: str, cell: Any, sheet: Sheet, column: int) -> RowError | None:
    kind = getattr(cell, "data_type", None)
    value = getattr(cell, "value", None)
    if kind == "f":
        return RowError(number, header, f"单元格是公式（{str(value)[:40]}），导入只接受直接填写的内容；"
                                        "请在 Excel 中复制后“选择性粘贴为数值”再导入")
    if kind == "e":
        return RowError(number, header, f"单元格是 Excel 错误值 {value}，请改正后再导入")
    if value is None:
        for min_col, min_row, max_col, max_row, ref in sheet.merged:
            if min_col <= column <= max_col and min_row <= number <= max_row and number != min_row:
                return RowError(number, header, f"该单元格属于合并单元格 {ref}，只有第一行有内容；"
                                                "请取消合并并在每一行填写完整后再导入")
    return None


def read_rows(
    sheet: Sheet, aliases: dict[str, Sequence[str]], required: Sequence[str]
) -> tuple[list[SheetRow], list[RowError]]:
    """Rows of a sheet by header names, skipping empty rows, each with its cell problems.

    ``aliases`` maps a field to the header texts accepted for it (the first is the official
    one). A missing required column is a file-level error (row 0); so are too many rows.
    A sheet whose XML is broken or hostile (entity expansion …) is an :class:`ExchangeError`.
    """
    try:
        return _read_rows(sheet, aliases, required)
    except ExchangeError:
        raise
    except Exception as exc:  # noqa: BLE001 - the XML parser and openpyxl raise many kinds
        raise ExchangeError(f"无法读取工作表“{sheet.title}”：文件内容已损坏或格式不正确"
                            f"（{type(exc).__name__}），未导入任何数据。") from exc


def _read_rows(
    sheet: Sheet, aliases: dict[str, Sequence[str]], required: Sequence[str]
) -> tuple[list[SheetRow], list[RowError]]:
    rows = sheet.ws.iter_rows()
    header = next(rows, None)
    if header is None:
        return [], [RowError(0, "", "工作表是空的。")]
    lookup = {alias: key for key, names in aliases.items() for alias in names}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = lookup.get(_normalise_header(getattr(cell, "value", None)))
        if key and key not in positions:
            positions[key] = index
    missing = [aliases[k][0] for k in required if k not in positions]
    if missing:
        return [], [RowError(1, "", f"缺少列：{'、'.join(missing)}（请使用程序导出的模板）")]
    out: list[SheetRow] = []
    for number, cells in _numbered(rows):
        if not cells:
            continue  # a gap between rows (openpyxl fills it in, one empty row at a time)
        if len(out) >= MAX_ROWS:
            return out, [RowError(0, "", f"工作表超过 {MAX_ROWS} 行，已停止读取；请分成几个文件导入。")]
        values = {k: _value(cells, i) for k, i in positions.items()}
        issues = [issue for k, i in positions.items() if (issue := _cell_issue(
            number, aliases[k][0], cells[i] if i < len(cells) else None, sheet, i + 1))]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()) and not issues:
            continue
        if number in sheet.hidden_rows:
            issues.insert(0, RowError(number, "", "该行在 Excel 中是隐藏的；请取消隐藏、确认内容后再导入"))
        out.append(SheetRow(number, values, issues))
    return out, []


def _numbered(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, cells); the number comes from the cells, so gaps are kept."""
    expected = 2
    for cells in rows:
        number = next((getattr(c, "row", None) for c in cells if getattr(c, "row", None)), None)
        number = number or expected
        expected = number + 1
        yield number, cells


def _value(cells: tuple[Any, ...], index: int) -> Any:
    if index >= len(cells):
        return None
    cell = cells[index]
    if getattr(cell, "data_type", None) in ("f", "e"):
        return None
    return getattr(cell, "value", None)


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



"""Reading a work-points file: .txt in any Chinese encoding, or .docx with its tables in place.

Decoding is the rules reader's (:mod:`duty_tracker.core.rules.text_input`). Word documents are
read here because a 任务分解方案 is usually a table *between* its section headings: the rules
reader appends all tables after the paragraphs, which would take every task out of its section.
Here the body is read in order and each table row becomes one line with its cells separated
by a tab, the form the parser recognises as a table row (also what copying a table out of
Word or a web page gives).
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Any

from duty_tracker.core.rules.model import RulesTextError
from duty_tracker.core.rules.text_input import MAX_FILE_BYTES, decode_bytes
from duty_tracker.core.workpoints.model import WorkPointsError

_TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ""}
_UNSUPPORTED = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文档（.wps）",
    ".pdf": "PDF 文件",
    ".xls": "旧版 Excel 表格（.xls）",
    ".rtf": "RTF 文档",
    ".ofd": "OFD 版式文件",
}
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-3])", re.IGNORECASE)
_HAS_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十0-9]{1,3}[)）]|"
                        r"\d{1,2}[.、．]|第[一二三四五六七八九十]{1,3}[部章])")
_CN_DIGITS = "一二三四五六七八九十"


def read_workpoints_file(path: str | os.PathLike[str]) -> str:
    """Text of a work-points file; :class:`WorkPointsError` with a Chinese message otherwise."""
    file_path = Path(path)
    suffix = file_path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise WorkPointsError(
            f"不支持{_UNSUPPORTED[suffix]}：{file_path.name}。请在 Word/WPS 中另存为 .docx 或"
            "“纯文本（.txt）”后再导入，或直接复制粘贴工作要点的文字。"
        )
    try:
        if file_path.is_dir():
            raise WorkPointsError(f"{file_path} 是文件夹，请选择一个工作要点文件。")
        size = file_path.stat().st_size
    except FileNotFoundError:
        raise WorkPointsError(f"找不到文件：{file_path}。") from None
    except OSError as exc:
        raise WorkPointsError(f"无法读取文件 {file_path}：{exc.strerror or exc}。") from None
    if size > MAX_FILE_BYTES:
        raise WorkPointsError(
            f"文件过大（{size / 1024 / 1024:.1f} MB），不像是一份工作要点；"
            f"可导入的文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB。"
        )
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise WorkPointsError(f"无法读取文件 {file_path}：{exc.strerror or exc}。") from None
    if data.startswith(b"PK\x03\x04") or suffix in (".docx", ".xlsx"):
        if suffix == ".xlsx":
            raise WorkPointsError(
                f"{file_path.name} 是 Excel 表格。请把任务分解表复制到 Word 或记事本中保存后再导入。"
            )
        return read_docx_in_order(file_path)
    if suffix not in _TEXT_SUFFIXES and zipfile.is_zipfile(file_path):
        return read_docx_in_order(file_path)
    try:
        return decode_bytes(data, name=file_path.name)
    except RulesTextError as exc:
        # The decoder speaks of "规则文本"; here the clerk is importing work points.
        raise WorkPointsError(str(exc).replace("规则文本", "工作要点文本")) from None


def read_docx_in_order(path: Path) -> str:
    """Paragraphs and table rows of a .docx in document order, one per line (cells by tab)."""
    document = _open_docx(path)
    lines: list[str] = []
    counters = [0, 0, 0]
    for kind, element in _body_blocks(document):
        if kind == "p":
            lines.append(_paragraph_line(element, counters))
        else:
            lines.extend(_table_lines(element))
            lines.append("")
    text = "\n".join(lines)
    if not text.strip():
        raise WorkPointsError(f"Word 文档 {path.name} 中没有文字。")
    return text


def _open_docx(path: Path) -> Any:
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - dependency is declared
        raise WorkPointsError("缺少 python-docx 组件，无法读取 .docx 文件。") from None
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise WorkPointsError(
            f"无法打开 Word 文档 {path.name}：文件已损坏或不是 .docx 格式（{type(exc).__name__}）。"
        ) from None
    except Exception as exc:  # python-docx raises assorted lxml errors on damaged files
        raise WorkPointsError(f"无法读取 Word 文档 {path.name}：{exc}。") from None


def _body_blocks(document: Any) -> list[tuple[str, Any]]:
    """("p", Paragraph) and ("tbl", Table) in the order of the document body."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[tuple[str, Any]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(("p", Paragraph(child, document)))
        elif tag == "tbl":
            blocks.append(("tbl", Table(child, document)))
    return blocks


def _paragraph_line(paragraph: Any, counters: list[int]) -> str:
    """A paragraph's text; a heading styled 标题1/标题2 whose number Word draws itself (so it
    is not in the text) gets the label it shows (一、 / （一）), so the structure survives."""
    text = paragraph.text
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    match = _HEADING_STYLE.search(style)
    if not match or not text.strip() or _HAS_LABEL.match(text):
        return text
    level = int(match.group(1)) - 1
    if level >= 2:
        return text
    counters[level] += 1
    for deeper in range(level + 1, len(counters)):
        counters[deeper] = 0
    number = counters[level]
    if number > 10:
        return text
    numeral = _CN_DIGITS[number - 1]
    return f"{numeral}、{text}" if level == 0 else f"（{numeral}）{text}"


def _table_lines(table: Any) -> list[str]:
    """One line per row. A row merged across the whole width (a section heading inside the
    table) gives its text alone; otherwise every grid cell is kept, merged ones repeated, so
    that columns stay aligned with the header."""
    lines: list[str] = []
    for row in table.rows:
        try:
            cells = list(row.cells)
        except Exception:  # noqa: BLE001 - malformed grids: fall back to the raw cells
            cells = []
        if not cells:
            continue
        if all(cell._tc is cells[0]._tc for cell in cells):
            lines.append(_cell_text(cells[0]))
        else:
            lines.append("\t".join(_cell_text(cell) for cell in cells))
    return lines


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs (and manual line breaks) on one line: joined with "；" where a piece
    does not already end a sentence, so that "市司法局" / "市发改委" on two lines stay two names."""
    parts = [piece.strip().replace("\t", " ") for p in cell.paragraphs
             for piece in p.text.split("\n") if piece.strip()]
    out = ""
    for part in parts:
        if out and out[-1] not in "。；;，,、：:":
            out += "；"
        out += part
    return out

"""Getting clean text out of what clerks actually have: files in UTF-8/GBK/UTF-16, .docx, and
text pasted from government web pages.

Chinese Windows still writes GBK (GB18030 is its superset, so we decode with that); web pages add
headers ("时间: … 来源: … 浏览次数"), navigation and odd spaces (U+3000, U+00A0); copies mix
full-width and half-width punctuation. Everything downstream works on the normalised text that
:func:`normalise_text` produces, so the parser's patterns need to know only one spelling.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
import zipfile
from pathlib import Path

from duty_tracker.core.rules.docx_text import docx_lines
from duty_tracker.core.rules.model import RulesTextError

#: Largest file we try to read; a rules document is a few dozen KB, a 200-page one under 2 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest text we parse (characters), see :func:`parse_rules_text`.
MAX_TEXT_CHARS = 5_000_000

_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_UNSUPPORTED = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文档（.wps）",
    ".pdf": "PDF 文件",
    ".xls": "Excel 表格",
    ".xlsx": "Excel 表格",
    ".rtf": "RTF 文档",
    ".ofd": "OFD 版式文件",
}


def read_rules_file(path: str | os.PathLike[str]) -> str:
    """Text of a rules file: .txt (UTF-8 with or without BOM, GB18030/GBK, UTF-16 with BOM) or
    .docx. Raises :class:`RulesTextError` with a Chinese message for anything else."""
    file_path = Path(path)
    suffix = file_path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise RulesTextError(
            f"不支持{_UNSUPPORTED[suffix]}：{file_path.name}。"
            "请在 Word/WPS 中另存为 .docx 或“纯文本（.txt）”后再导入，或直接复制粘贴文字。"
        )
    try:
        size = file_path.stat().st_size
    except FileNotFoundError:
        raise RulesTextError(f"找不到文件：{file_path}") from None
    except OSError as exc:
        raise RulesTextError(f"无法读取文件 {file_path}：{exc.strerror or exc}") from None
    if file_path.is_dir():
        raise RulesTextError(f"{file_path} 是文件夹，请选择一个规则文本文件。")
    if size > MAX_FILE_BYTES:
        raise RulesTextError(
            f"文件过大（{size / 1024 / 1024:.1f} MB），不像是一份规则文本；"
            f"可导入的文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB。"
        )
    if suffix == ".docx" or (suffix not in _TEXT_SUFFIXES and zipfile.is_zipfile(file_path)):
        return read_docx(file_path)
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise RulesTextError(f"无法读取文件 {file_path}：{exc.strerror or exc}") from None
    if data.startswith(b"PK\x03\x04") and zipfile.is_zipfile(file_path):
        return read_docx(file_path)  # a .docx saved with a .txt name
    return decode_bytes(data, name=file_path.name)


def read_docx(path: Path) -> str:
    """Paragraphs and table rows of a .docx in document order, one per line, with the labels of
    Word's automatic numbering written out (see :mod:`docx_text`)."""
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - dependency is declared
        raise RulesTextError("缺少 python-docx 组件，无法读取 .docx 文件。") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RulesTextError(
            f"无法打开 Word 文档 {path.name}：文件已损坏或不是 .docx 格式（{type(exc).__name__}）。"
        ) from None
    except Exception as exc:  # python-docx raises assorted lxml errors on damaged files
        raise RulesTextError(f"无法读取 Word 文档 {path.name}：{exc}") from None
    try:
        lines = docx_lines(document)
    except (ValueError, KeyError, AttributeError) as exc:  # odd numbering definitions
        raise RulesTextError(f"无法读取 Word 文档 {path.name} 的段落：{exc}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise RulesTextError(f"Word 文档 {path.name} 中没有文字。")
    return text


def decode_bytes(data: bytes, name: str = "文件") -> str:
    """Decode the bytes of a text file: BOMs first, then strict UTF-8, then GB18030 (covers
    GBK/GB2312). Binary data raises :class:`RulesTextError`."""
    if not data.strip():
        raise RulesTextError(f"{name} 是空文件。")
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name)
            except UnicodeDecodeError:
                raise RulesTextError(f"{name} 的编码标记为 {encoding}，但内容无法按此解码。") from None
    if b"\x00" in data:
        # UTF-16 without BOM: every other byte of CJK/ASCII text is often zero.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                return _checked(data.decode(encoding), name)
            except (UnicodeDecodeError, RulesTextError):
                continue
        raise _binary_error(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), name)
        except UnicodeDecodeError:
            continue
    raise RulesTextError(
        f"无法识别 {name} 的文字编码（不是 UTF-8 也不是 GBK/GB18030），"
        "请用记事本“另存为”UTF-8 编码后再导入。"
    )


def _binary_error(name: str) -> RulesTextError:
    return RulesTextError(f"{name} 不是文本文件（像是二进制数据），请选择 .txt 或 .docx 格式的规则文本。")


def _checked(text: str, name: str) -> str:
    if junk_ratio(text) > 0.05:
        raise _binary_error(name)
    return text


def junk_ratio(text: str) -> float:
    """Share of characters that never occur in a real document (controls, U+FFFD, private use,
    unassigned): decides whether decoded bytes or pasted text are binary junk."""
    if not text:
        return 0.0
    sample = text[:200_000]
    # Characters of ordinary text are never junk: only the rest is looked up one by one.
    rest = _RE_ORDINARY.sub("", sample)
    bad = 0
    for ch in rest:
        category = unicodedata.category(ch)
        if category in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd":
            bad += 1
    return bad / len(sample)


#: Printable ASCII, whitespace, CJK (unified ideographs and extension A), CJK punctuation and
#: full-width forms: assigned characters of no junk category.
_RE_ORDINARY = re.compile(r"[\n\r\t\f\v\x20-\x7e\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e“”‘’…—·、]+")


# --- normalisation -------------------------------------------------------------------------

_SPACE_CHARS = "\u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\t\x0b\x0c"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRANSLATE = {ord(ch): " " for ch in _SPACE_CHARS}
_TRANSLATE.update({ord(ch): None for ch in _ZERO_WIDTH})
# Full-width ASCII letters and digits → ASCII (punctuation is handled by context below).
_TRANSLATE.update({code: code - 0xFEE0 for code in range(ord("０"), ord("９") + 1)})
_TRANSLATE.update({code: code - 0xFEE0 for code in range(ord("Ａ"), ord("Ｚ") + 1)})
_TRANSLATE.update({code: code - 0xFEE0 for code in range(ord("ａ"), ord("ｚ") + 1)})
_TRANSLATE.update({ord("．"): ".", ord("﹝"): "〔", ord("﹞"): "〕", ord("〖"): "〔", ord("〗"): "〕"})
_TRANSLATE.update({ord("﹙"): "（", ord("﹚"): "）", ord("﹐"): "，", ord("﹑"): "、", ord("﹔"): "；"})

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_OR_FW = _CJK + r"\u3000-\u303f\uff00-\uffef“”‘’《》、"
#: Half-width punctuation next to Chinese text becomes the full-width form official texts use.
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_RE_HALF_PUNCT = re.compile(rf"(?<=[{_CJK_OR_FW}])\s*([,:;!?])|([,:;!?])(?=\s*[{_CJK}“《（])")
#: A period after Chinese text ends a sentence: "制定本办法." / "制定本办法．" → "制定本办法。"
#: (never after a digit: "1." is a label, "1.5" a number).
_RE_CJK_FULL_STOP = re.compile(rf"(?<=[{_CJK}”》）])\.(?!\d)")
_RE_PAREN = re.compile(r"\(\s*([^()\n]{0,60}?)\s*\)")
_RE_SPACES = re.compile(r" {2,}")
_RE_CJK_SPACE = re.compile(rf"(?<=[{_CJK_OR_FW}]) +(?=[{_CJK_OR_FW}])")


#: Cell borders of a web table flattened into text ("| 3. | 每年… |"), and lines that are only
#: a table's ruling ("+----+", "|---|---|", "───").
_RE_TABLE_BORDER = re.compile(r"\s*[|｜│┃]\s*")
_RE_TABLE_RULE = re.compile(r"^[\s|｜│┃+\-=─━┼┌┐└┘├┤┬┴═║╔╗╚╝╠╣╦╩╬:：]+$")
#: HTML left over from a web page: tags, and entities such as &nbsp; &lt;.
_RE_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")


_RE_TABLE_CHARS = re.compile(r"[|｜│┃+\-=─━┼═]")


def _strip_web_leftovers(line: str) -> str:
    if "<" in line:
        line = _RE_HTML_TAG.sub(" ", line)
    if "&" in line:
        line = html.unescape(line)
    if _RE_TABLE_CHARS.search(line):
        if _RE_TABLE_RULE.match(line):
            return ""
        line = _RE_TABLE_BORDER.sub(" ", line)
    return line


def normalise_line(line: str) -> str:
    """One line in canonical form: ordinary single spaces, ASCII digits, full-width Chinese
    punctuation (（一） not (一), ： not :), no indentation, no table borders or HTML left
    over from a web page. Spaces between Chinese characters are kept here (they separate names
    in the 通知 wrapper); see :func:`squeeze_cjk_spaces`."""
    line = _strip_web_leftovers(line).translate(_TRANSLATE)
    if "(" in line:
        line = _RE_PAREN.sub(_paren, line)
    if _RE_ANY_HALF_PUNCT.search(line):
        line = _RE_HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], line)
    if "." in line:
        line = _RE_CJK_FULL_STOP.sub("。", line)
    if "  " in line:
        line = _RE_SPACES.sub(" ", line)
    return line.strip()


_RE_ANY_HALF_PUNCT = re.compile(r"[,:;!?]")


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces between Chinese characters and punctuation: in running Chinese text they
    are layout leftovers ("总    则", "第一条  为推动…")."""
    return _RE_CJK_SPACE.sub("", text)


def _paren(match: re.Match[str]) -> str:
    inner = match.group(1)
    if inner and inner.isascii() and not inner.strip().isdigit():
        return match.group(0)  # (PDF), (a+b): leave Latin text alone
    return f"（{inner}）"


_JUNK_LINE_PATTERNS = [
    re.compile(r"^(发布)?(时间|日期)[：:].{0,60}(来源|浏览|阅读|点击|作者)"),
    re.compile(r"(浏览次数|阅读次数|点击数|访问量|浏览量|阅读量)[：:]?\s*\d*\s*(次)?\s*$"),
    re.compile(r"^发布[：:]\s*\d{4}.{0,40}(阅读|浏览)"),
    re.compile(r"^(当前位置|您现在的位置|你现在的位置|首页\s*[>＞])"),
    re.compile(r"【\s*(打印|关闭|字体|字号|大|中|小|收藏|分享)"),
    re.compile(r"^(字号|字体)[：:]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中"),
    re.compile(r"^(打印本页|关闭窗口|返回顶部|分享到|扫一扫|相关链接|上一篇|下一篇|责任编辑|信息来源|文章来源|来源[：:])"),
    re.compile(r"^索\s*引\s*号[：:]|^(主题分类|发文机关|成文日期|发布日期|公文种类)[：:]"),
    # a news page's dateline: "2022-04-18 09:12 来源：云州日报 作者：李明"
    re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(\d{1,2}[:：]\d{2}([:：]\d{2})?\s*($|来源|作者)"
               r"|(来源|作者|编辑|浏览|阅读|点击))"),
    re.compile(r"^[（(【\[]\s*(责任编辑|编辑|审核|校对|作者|来源|稿源|供稿|纠错|打印|关闭)[^）)】\]]{0,30}[）)】\]]?$"),
    re.compile(r"^(原标题|编辑|审核|校对|作者|稿源|供稿|通讯员)[：:].{0,30}$"),
]
#: The header row of a table: "序号 责任事项 具体要求 完成时限". Not junk of a web page — a
#: work-points reader needs it to find the columns — but no part of a rules text's articles.
_RE_TABLE_HEADER = re.compile(r"^序\s?号(\s+[^\s，。；]{1,10}){2,}$")


_RE_JUNK_LINE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in _JUNK_LINE_PATTERNS))


def is_junk_line(line: str) -> bool:
    """Web-page furniture that is not part of any document."""
    return bool(_RE_JUNK_LINE.search(line))


def is_table_header(line: str) -> bool:
    """The 序号 header row of a table flattened into text."""
    return bool(_RE_TABLE_HEADER.match(line))


def normalise_text(text: str) -> list[str]:
    """The text as a list of normalised lines; blank lines are kept as "" (they separate the
    pieces of a title split over lines in the 通知 wrapper), junk lines are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines: list[str] = []
    for raw in text.split("\n"):
        if not raw or raw.isspace():
            lines.append("")
            continue
        line = normalise_line(raw)
        if line and (is_junk_line(line) or is_table_header(line)):
            continue
        lines.append(line)
    return lines

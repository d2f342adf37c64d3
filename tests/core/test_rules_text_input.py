"""Reading rules files in the encodings and formats clerks have, and cleaning pasted text."""

from __future__ import annotations

import zipfile

import docx
import pytest

from duty_tracker.core.rules import RulesTextError, parse_rules_text, read_rules_file
from duty_tracker.core.rules.text_input import decode_bytes, normalise_line, normalise_text

SAMPLE = "某市实施细则\n第一条 为规范履职，制定本细则。\n第二条 每年至少召开1次法治建设工作会议。\n"


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("gbk", b""),
        ("gb18030", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_text_file_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "rules.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    text = read_rules_file(path)
    assert text.lstrip("\ufeff").replace("\r\n", "\n") == SAMPLE
    assert parse_rules_text(text).duties[0].title == "法治建设工作会议"


def test_utf16_without_bom_is_recognised():
    assert decode_bytes(SAMPLE.encode("utf-16-le")) == SAMPLE


def test_gbk_is_not_mistaken_for_utf8():
    data = "第一条 党委主要负责人每年听取汇报。".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data) == "第一条 党委主要负责人每年听取汇报。"


def test_docx_paragraphs_and_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("某县实施办法")
    document.add_paragraph("第一条 每年至少举办1期领导干部法治专题培训班。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "第二条"
    table.cell(0, 1).text = "每季度听取1次行政执法情况汇报。"
    path = tmp_path / "办法.docx"
    document.save(str(path))
    text = read_rules_file(path)
    assert "某县实施办法" in text and "第二条 每季度听取1次行政执法情况汇报。" in text
    rules = parse_rules_text(text)
    assert [a.number for a in rules.articles] == [1, 2]
    assert [(d.period, d.min_count) for d in rules.duties] == [("year", 1), ("quarter", 1)]


def test_docx_saved_with_txt_name(tmp_path):
    document = docx.Document()
    document.add_paragraph("第一条 每月学法1次。")
    path = tmp_path / "rules.txt"
    document.save(str(path))
    assert read_rules_file(path).strip() == "第一条 每月学法1次。"


def test_damaged_docx(tmp_path):
    path = tmp_path / "坏.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(RulesTextError, match="Word"):
        read_rules_file(path)
    path.write_bytes(b"\x00\x01garbage")
    with pytest.raises(RulesTextError):
        read_rules_file(path)


@pytest.mark.parametrize("suffix", [".doc", ".pdf", ".xlsx", ".wps"])
def test_unsupported_formats_name_the_remedy(tmp_path, suffix):
    path = tmp_path / f"rules{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(RulesTextError, match="docx"):
        read_rules_file(path)


def test_missing_empty_binary_and_directory(tmp_path):
    with pytest.raises(RulesTextError, match="找不到"):
        read_rules_file(tmp_path / "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(RulesTextError, match="空"):
        read_rules_file(empty)
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(RulesTextError, match="不是文本"):
        read_rules_file(binary)
    with pytest.raises(RulesTextError, match="文件夹"):
        read_rules_file(tmp_path)


def test_latin1_junk_is_refused():
    junk = bytes([0x80, 0x81, 0xFF, 0xFE, 0x90] * 100)
    with pytest.raises(RulesTextError):
        decode_bytes(b"x" + junk)


def test_normalise_line_spaces_and_punctuation():
    assert normalise_line("\u3000\u3000(一)健全制度:每年1次") == "（一）健全制度：每年1次"
    assert normalise_line("第\u00a0一\u00a0条\t为了") == "第 一 条 为了"
    assert normalise_line("区县(市)党委,市直属各单位;") == "区县（市）党委，市直属各单位；"
    assert normalise_line("第１２条 每年２次") == "第12条 每年2次"
    assert normalise_line("格式(PDF)文件") == "格式(PDF)文件"
    assert normalise_line("\ufeff\u200b第一条") == "第一条"


def test_web_page_furniture_is_dropped():
    pasted = (
        "当前位置：首页 > 政务公开\n"
        "时间:2019-10-30 15:44 来源:“中国杭州”政府门户网站 浏览次数:\n"
        "发布: 2023-01-07 13:50:08   阅读: 次\n"
        "字号：【大 中 小】【打印本页】【关闭窗口】\n"
        "第一条 正文。\n"
    )
    assert [line for line in normalise_text(pasted) if line] == ["第一条 正文。"]


def _chinese_numbering(document: docx.Document) -> str:
    """Add a two-level list 一、/（一） to the document's numbering part; returns its numId."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(document: docx.Document, text: str, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_docx_automatic_numbering_is_written_out(tmp_path):
    """Word's list numbering is not in paragraph.text: without it the items would be lost."""
    document = docx.Document()
    document.add_paragraph("某区法治建设工作措施")
    num_id = _chinese_numbering(document)
    _numbered(document, "党委主要负责人职责", num_id, 0)
    _numbered(document, "每年至少听取2次法治建设工作汇报。", num_id, 1)
    _numbered(document, "健全党委理论学习中心组学法制度，每年学法不少于4次。", num_id, 1)
    _numbered(document, "政府主要负责人职责", num_id, 0)
    _numbered(document, "每季度至少听取1次行政执法情况汇报。", num_id, 1)
    path = tmp_path / "措施.docx"
    document.save(str(path))
    text = read_rules_file(path)
    assert "一、党委主要负责人职责" in text and "（二）健全党委" in text
    assert "二、政府主要负责人职责\n（一）每季度" in text  # the inner level restarts
    rules = parse_rules_text(text)
    assert [(d.role, d.period, d.min_count) for d in rules.duties] == [
        ("party", "year", 2), ("party", "year", 4), ("government", "quarter", 1),
    ]


def test_docx_tables_stay_where_they_are(tmp_path):
    document = docx.Document()
    document.add_paragraph("第一条 每年至少召开1次法治工作会议。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "第二条"
    table.cell(0, 1).text = "每季度听取1次行政执法情况汇报。"
    document.add_paragraph("第三条 每月通报1次执法数据。")
    path = tmp_path / "表格.docx"
    document.save(str(path))
    lines = [line for line in read_rules_file(path).split("\n") if line]
    assert lines == ["第一条 每年至少召开1次法治工作会议。", "第二条 每季度听取1次行政执法情况汇报。",
                     "第三条 每月通报1次执法数据。"]
    assert [a.number for a in parse_rules_text("\n".join(lines)).articles] == [1, 2, 3]


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("| 3. | 每年至少召开1次会议 | 党委 |", "3. 每年至少召开1次会议 党委"),
        ("|3.每年学法2次|", "3.每年学法2次"),
        ("｜序号｜内容｜", "序号 内容"),
        ("+------+--------+", ""),
        ("|---|:---:|", ""),
        ("<p>每年&nbsp;召开<br/>1次会议</p>", "每年 召开 1次会议"),
        ("﹙一﹚每年听取汇报﹔", "（一）每年听取汇报；"),
    ],
)
def test_web_tables_and_html_leftovers_are_cleaned(raw, clean):
    assert normalise_line(raw) == clean



def test_gb18030_with_fullwidth_punctuation(tmp_path):
    text = (
        "某县法治建设实施办法\r\n"
        "第１条　为推动法治建设，制定本办法．\r\n"
        "第２条　县委主要负责人应当：（１）每年主持召开县委全面依法治县委员会会议２次以上；"
        "（２）每半年听取１次法治建设工作汇报．\r\n"
        "第３条　县长每年学法不少于４０学时．\r\n"
    )
    path = tmp_path / "办法.txt"
    path.write_bytes(text.encode("gb18030"))
    rules = parse_rules_text(read_rules_file(path))
    assert [(a.number, a.label) for a in rules.articles] == [(1, "第1条"), (2, "第2条"), (3, "第3条")]
    assert [c.label for c in rules.articles[1].clauses] == ["（1）", "（2）"]
    assert [(d.article, d.period, d.min_count, d.unit) for d in rules.duties] == [
        (2, "year", 2, "times"), (2, "half_year", 1, "times"), (3, "year", 40, "hours"),
    ]

"""Whole documents: the real Hangzhou 2017 work points, and documents written the way other
provinces, counties and departments write theirs, in UTF-8, GB18030 and .docx."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from duty_tracker.core.workpoints import (
    ASSIST,
    LEAD,
    WorkPointsError,
    parse_workpoints_text,
    read_workpoints_file,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "hangzhou-2017-workpoints.txt"
DATA = ROOT / "tests" / "data" / "workpoints"


def parse(path: Path):
    return parse_workpoints_text(read_workpoints_file(path))


# --- Hangzhou 2017 -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hangzhou():
    if not SEED.exists():
        pytest.skip("shared seeds not available")
    return parse(SEED)


def test_hangzhou_metadata(hangzhou):
    assert hangzhou.title == "杭州市2017年法治政府建设工作要点"
    assert hangzhou.year == 2017
    assert hangzhou.doc_number == "杭政办函〔2017〕62号"
    assert [s.title for s in hangzhou.sections][:2] == ["贯彻落实法治建设决策要求", "深化行政审批制度改革"]
    assert [s.label for s in hangzhou.sections] == [f"{n}、" for n in "一二三四五六七八"]


def test_hangzhou_every_responsibility_clause_is_a_task_with_its_units(hangzhou):
    """Read independently of the parser: each "(责任单位:…)" of the source, in order."""
    source = SEED.read_text(encoding="utf-8")
    clauses = re.findall(r"\(责任单位:([^)]*)\)", source)
    assert len(clauses) == 30
    assert [t.units for t in hangzhou.tasks] == [c.strip().split("、") for c in clauses]
    assert [t.number for t in hangzhou.tasks] == list(range(1, 31))


def test_hangzhou_legal_adviser_task_is_due_at_the_end_of_2017(hangzhou):
    adviser = [t for t in hangzhou.tasks if "法律顾问" in t.text and "2017年年底前" in t.text]
    assert len(adviser) == 1
    task = adviser[0]
    assert task.due == "2017-12-31" and task.deadline_text == "2017年年底前"
    assert task.units == ["市政府相关部门"] and task.section == "三、健全优化依法决策机制"
    assert "法律顾问" in task.title and "2017" not in task.title


def test_hangzhou_tasks_know_their_section(hangzhou):
    by_section = {}
    for task in hangzhou.tasks:
        by_section.setdefault(task.section, []).append(task.number)
    assert by_section["二、深化行政审批制度改革"] == [4]
    assert len(by_section["三、健全优化依法决策机制"]) == 8
    assert all(t.section_number for t in hangzhou.tasks)


def test_hangzhou_titles_are_short_and_say_the_task(hangzhou):
    for task in hangzhou.tasks:
        assert 4 <= len(task.title) <= 30, task.title
        assert not task.title.startswith(("进一步", "贯彻落实《", "根据")), task.title
        assert not re.search(r"\d{4}年", task.title), task.title
    assert hangzhou.tasks[7].title == "规范行政机关合同合法性审查和重大合同报备工作"


def test_hangzhou_text_is_whole_and_without_the_clause(hangzhou):
    task = hangzhou.tasks[3]
    assert task.text.startswith("深入推进“办事最多跑一次”") and task.text.endswith("深入推进智慧电子政务平台建设。")
    assert "责任单位" not in task.text and "责任单位" in task.source_text


def test_hangzhou_preamble_and_wrapper_are_no_tasks(hangzhou):
    assert not any("总体要求" in t.text or "现印发给你们" in t.text for t in hangzhou.tasks)


# --- a province's 依法行政工作要点: 牵头单位/配合单位, items and sub-items, GB18030 ---------------

@pytest.fixture(scope="module")
def province():
    return parse(DATA / "province-yifa-xingzheng-2019.txt")


def test_province_structure(province):
    assert province.title == "湖南省2019年依法行政工作要点" and province.year == 2019
    assert province.doc_number == "湘政办函〔2019〕21号"
    assert len(province.sections) == 6 and len(province.tasks) == 14
    assert [t.item for t in province.tasks[:6]] == ["（一）", "（二）", "（三）", "（四）", "（五）1.", "（五）2."]
    assert province.tasks[4].item_title == "推进政务公开"


def test_province_roles(province):
    first = province.tasks[0]
    assert first.lead_units == ["省司法厅"]
    assert [(r.name, r.role) for r in first.roles][1:] == [("省委宣传部", ASSIST), ("省人力资源社会保障厅", ASSIST)]
    fourth = province.tasks[3]  # units given on their own lines after the item
    assert fourth.lead_units == ["省发展改革委", "省商务厅"] and fourth.units[-1] == "省市场监管局"
    assert province.tasks[12].lead_units == ["省司法厅", "省委组织部"]


def test_province_deadlines(province):
    dues = {t.item: (t.due, t.deadline_text) for t in province.tasks}
    assert dues["（三）"] == ("2019-06-30", "6月底前")
    assert dues["（四）"] == ("2019-09-30", "第三季度")
    assert dues["（五）1."] == ("2019-12-31", "2019年12月底前")
    assert dues["（五）2."] == ("2019-10-01", "10月1日前")
    assert dues["（七）"] == ("2019-06-30", "上半年")
    assert dues["（十）"] == (None, "长期坚持")
    assert dues["（十一）"] == ("2019-09-30", "三季度末前")


def test_province_titles_are_the_item_headings(province):
    assert province.tasks[2].title == "深化“放管服”改革"
    assert province.tasks[1].title == "落实党政主要负责人履行推进法治建设第一责任人职责"


def test_province_closing_remark_is_no_task(province):
    assert not any("本要点" in t.text for t in province.tasks)


def test_province_same_result_from_gb18030_with_half_width_punctuation(province, tmp_path: Path):
    text = (DATA / "province-yifa-xingzheng-2019.txt").read_text(encoding="utf-8")
    half = text.replace("（", "(").replace("）", ")").replace("：", ":").replace("；", ";").replace("，", ",")
    path = tmp_path / "要点.txt"
    path.write_bytes(half.encode("gb18030"))
    again = parse(path)
    assert [(t.item, t.units, t.lead_units, t.due) for t in again.tasks] == [
        (t.item, t.units, t.lead_units, t.due) for t in province.tasks]


# --- a county's 任务分解方案: a table flattened to text ----------------------------------------

@pytest.fixture(scope="module")
def county():
    return parse(DATA / "county-task-table-2020.txt")


def test_county_table_rows_are_tasks(county):
    assert county.title == "桃源县2020年法治政府建设重点任务分解方案" and county.year == 2020
    assert [t.item for t in county.tasks] == [str(n) for n in range(1, 12)]
    assert [s.title for s in county.sections] == ["依法全面履行政府职能", "健全依法决策机制",
                                                  "坚持严格规范公正文明执法", "强化对行政权力的制约和监督"]
    assert county.tasks[8].units == ["县委编办", "县司法局", "各乡镇人民政府、街道办事处"]


def test_county_first_listed_unit_leads_as_its_note_says(county):
    assert all(t.lead_units == [t.units[0]] for t in county.tasks)


def test_county_deadline_column(county):
    assert [t.due for t in county.tasks] == [
        "2020-06-30", "2020-12-31", "2020-09-30", "2020-03-31", "2020-12-31", None,
        "2020-06-30", "2020-11-30", "2020-09-30", None, "2020-12-31"]
    assert county.tasks[5].deadline_text == "长期坚持"


def test_county_table_from_a_space_laid_out_copy(county, tmp_path: Path):
    text = (DATA / "county-task-table-2020.txt").read_text(encoding="utf-8").replace("\t", "    ")
    path = tmp_path / "方案.txt"
    path.write_text(text, encoding="utf-8")
    again = parse(path)
    assert [(t.units, t.due) for t in again.tasks] == [(t.units, t.due) for t in county.tasks]


def test_county_table_one_cell_per_line(county, tmp_path: Path):
    lines = []
    for line in (DATA / "county-task-table-2020.txt").read_text(encoding="utf-8").splitlines():
        lines.extend(line.split("\t"))
    path = tmp_path / "方案.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    again = parse(path)
    assert [(t.units, t.due) for t in again.tasks] == [(t.units, t.due) for t in county.tasks]


# --- a department's 工作计划 in prose, hard-wrapped like a PDF copy ----------------------------

@pytest.fixture(scope="module")
def department():
    return parse(DATA / "department-work-plan-2021.txt")


def test_department_prose_units(department):
    assert department.title == "成都市交通运输局2021年法治政府建设工作计划" and department.year == 2021
    first, second = department.tasks[:2]
    assert [(r.name, r.role) for r in first.roles] == [
        ("局法规处", LEAD), ("运输管理处", ASSIST), ("市交通运输综合行政执法总队", ASSIST)]
    assert first.due == "2021-06-30"
    assert second.lead_units == ["局法规处"] and second.due == "2021-12-31"
    assert department.tasks[5].lead_units == ["局办公室"]


def test_department_lines_broken_inside_a_clause_are_joined(department):
    third = department.tasks[2]
    assert third.units == ["局法规处", "市交通运输综合行政执法总队"] and third.due == "2021-09-30"
    assert "交通运输行政处罚裁量基准" in third.text and "\n" not in third.text
    assert department.tasks[3].units == ["局法规处", "机关纪委"]
    assert department.tasks[6].units == ["局法规处"]  # the clause on the line after the paragraph


def test_department_has_seven_tasks_and_no_introduction(department):
    assert len(department.tasks) == 7
    assert not any("制定本工作计划" in t.text for t in department.tasks)


# --- a city's 工作要点: mixed patterns --------------------------------------------------------

@pytest.fixture(scope="module")
def city():
    return parse(DATA / "city-fazhi-zhengfu-2018.txt")


def test_city_patterns(city):
    assert city.title == "温州市2018年法治政府建设工作要点" and city.doc_number == "温政办〔2018〕35号"
    tasks = city.tasks
    assert len(tasks) == 9
    assert tasks[0].lead_units == ["市审管办", "市编委办"]
    assert tasks[0].units[2:] == ["市政府各部门", "各县（市、区）政府"]
    assert tasks[1].lead_units == ["市发改委"] and "市国土资源局" in tasks[1].units
    assert tasks[2].units == ["市工商局", "市质监局", "市食药监局"] and tasks[2].due == "2018-12-31"
    assert tasks[3].units == ["市法制办"] and tasks[3].units_from == "section"
    assert tasks[5].lead_units == ["市综合行政执法局"] and tasks[5].due == "2018-06-30"
    assert tasks[7].lead_units == ["市政府办公室"] and tasks[7].units == ["市政府办公室", "市法制办"]


# --- .docx: paragraphs and tables in document order -----------------------------------------

def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("西湖区2019年法治政府建设工作任务清单")
    document.add_paragraph("为全面落实区委、区政府关于法治政府建设的部署，制定本任务清单。")
    document.add_heading("推进依法科学民主决策", level=1)  # numbered by Word, no label in the text
    _table(document, [("1", "制定区政府2019年度重大行政决策事项目录并向社会公布", "区政府办公室", "区司法局", "2019年3月"),
                      ("2", "落实重大行政决策合法性审查，审查率达到100%", "区司法局", "区政府各部门", "全年")])
    document.add_paragraph("二、深化行政执法体制改革")
    _table(document, [("3", "推进街道综合行政执法改革", "区委编办\n区司法局", "各街道办事处", "第二季度"),
                      ("4", "开展行政执法人员培训和资格考试", "区司法局", "", "11月底前")])
    document.save(str(path))
    return path


def _table(document, rows) -> None:
    table = document.add_table(rows=1, cols=5)
    for cell, name in zip(table.rows[0].cells, ["序号", "重点任务", "牵头单位", "配合单位", "完成时间"], strict=True):
        cell.text = name
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def test_docx_tables_stay_in_their_sections(tmp_path: Path):
    parsed = parse(_docx(tmp_path / "清单.docx"))
    assert parsed.title == "西湖区2019年法治政府建设工作任务清单" and parsed.year == 2019
    assert [s.heading for s in parsed.sections] == ["一、推进依法科学民主决策", "二、深化行政执法体制改革"]
    assert [t.section_number for t in parsed.tasks] == [1, 1, 2, 2]
    assert [(r.name, r.role) for r in parsed.tasks[2].roles] == [
        ("区委编办", LEAD), ("区司法局", LEAD), ("各街道办事处", ASSIST)]
    assert [t.due for t in parsed.tasks] == ["2019-03-31", "2019-12-31", "2019-06-30", "2019-11-30"]
    assert parsed.tasks[3].units == ["区司法局"]


def test_docx_of_a_prose_document(tmp_path: Path):
    document = docx.Document()
    for line in (DATA / "province-yifa-xingzheng-2019.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "要点.docx"
    document.save(str(path))
    parsed = parse(path)
    assert len(parsed.tasks) == 14 and parsed.tasks[0].lead_units == ["省司法厅"]


# --- what is not a work-points document -----------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\n", "你好", "第一条 为了规范管理，制定本办法。"])
def test_texts_without_tasks_give_a_chinese_message(text):
    with pytest.raises(WorkPointsError) as caught:
        parse_workpoints_text(text)
    assert re.search(r"[\u4e00-\u9fff]", str(caught.value)) and str(caught.value).endswith("。")


def test_unsupported_and_missing_files(tmp_path: Path):
    with pytest.raises(WorkPointsError, match="不支持"):
        read_workpoints_file(tmp_path / "要点.pdf")
    with pytest.raises(WorkPointsError, match="找不到文件"):
        read_workpoints_file(tmp_path / "没有.txt")
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkPointsError, match="Word"):
        read_workpoints_file(broken)
    binary = tmp_path / "乱码.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(WorkPointsError) as caught:
        read_workpoints_file(binary)
    assert "规则" not in str(caught.value)


# --- more layouts: full-width digits, 【】 and mixed brackets; 第X部分; a table with 类别 --------

def test_city_with_full_width_digits_and_mixed_brackets():
    parsed = parse(DATA / "city-2022-fullwidth-digits.txt")
    assert parsed.title == "绍兴市2022年法治政府建设工作要点" and parsed.year == 2022
    tasks = parsed.tasks
    assert [t.item for t in tasks] == ["1.", "2.", "3.", "4.（1）", "4.（2）", "5."]
    assert tasks[0].lead_units == ["市司法局"] and tasks[0].units == ["市司法局", "市政府办公室"]
    assert tasks[1].units == ["市委组织部", "市司法局"] and tasks[1].due == "2022-06-30"
    assert tasks[2].units == ["市司法局", "市直各行政执法单位"] and tasks[2].due == "2022-10-31"
    assert "王某某" not in tasks[2].units
    assert tasks[3].units == ["市交通运输局", "市公安局交警支队"] and tasks[3].item_title.startswith("开展道路交通")
    assert tasks[5].units == ["市委编办", "市司法局"] and tasks[5].due == "2022-12-31"
    assert tasks[5].title == "推进综合行政执法改革"


def test_parts_that_frame_the_plan_hold_no_tasks():
    parsed = parse(DATA / "county-plan-parts-2019.txt")
    assert [s.heading for s in parsed.sections] == ["一、依法全面履行政府职能", "二、健全依法决策机制"]
    assert len(parsed.tasks) == 4 and not parsed.notes
    assert parsed.tasks[2].units == ["县政府办", "县司法局"] and parsed.tasks[2].deadline_text == "长期坚持"
    assert parsed.tasks[3].units == ["县司法局"] and parsed.tasks[3].title == "审查县政府各类合同"
    assert parsed.tasks[1].lead_units == ["县市场监管局"]


def test_table_with_a_category_column_and_pipes():
    parsed = parse(DATA / "district-table-with-category-2021.txt")
    assert parsed.title == "江北区2021年法治政府建设重点工作责任分工表"
    assert [s.title for s in parsed.sections] == ["依法全面履行政府职能", "依法科学民主决策"]
    assert [t.section for t in parsed.tasks] == ["依法全面履行政府职能"] * 2 + ["依法科学民主决策"] * 2
    assert [t.due for t in parsed.tasks] == ["2021-06-30", "2021-12-31", "2021-03-31", None]
    assert parsed.tasks[1].lead_units == ["区发改委"] and parsed.tasks[1].units[1:] == ["区市场监管局", "区商务局"]


def test_gbk_file_with_full_width_punctuation_reads_as_its_utf8_twin(city):
    again = parse(DATA / "city-fazhi-zhengfu-2018-gbk.txt")
    assert (DATA / "city-fazhi-zhengfu-2018-gbk.txt").read_bytes()[:2] != b"\xef\xbb"
    assert again.to_dict() == city.to_dict()


def test_the_package_needs_no_storage_and_no_qt():
    import subprocess
    import sys

    code = ("import sys, duty_tracker.core.workpoints, duty_tracker.cli.task_commands\n"
            "print(','.join(m for m in sys.modules if m.startswith(('PySide6', 'duty_tracker.core.storage'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""

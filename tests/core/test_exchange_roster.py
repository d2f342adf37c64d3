"""Roster .xlsx: export, preview with a row-by-row error list, all-or-nothing apply."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from duty_tracker.core.exchange.roster_xlsx import apply_roster, export_roster, preview_roster
from duty_tracker.core.storage.store import Store


def _workbook(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "负责人名册"
    ws.append(["单位", "单位层级", "上级单位", "姓名", "职务", "类别", "任职开始", "任职结束"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_export_then_import_into_a_fresh_database_gives_the_same_roster(store, unit_id, tmp_path: Path) -> None:
    child = store.people.add_unit("区司法局", "部门", parent_id=unit_id)
    a = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2021-03-01", "2024-06-30")
    store.people.add_term(a, "2024-09-01")
    store.people.add_leader("李清", child, "other", "局长")
    out = tmp_path / "roster.xlsx"
    assert export_roster(store, out) == 3
    ws = load_workbook(out)["负责人名册"]
    assert ws.freeze_panes == "A2"
    assert ws["G2"].is_date and ws["A1"].value == "单位"

    fresh = Store.open(tmp_path / "fresh.db")
    preview = preview_roster(fresh, out)
    assert preview.ok, preview.error_lines()
    result = apply_roster(fresh, preview)
    assert (result.units_added, result.leaders_added, result.terms_added) == (2, 2, 2)
    leaders = {leader["name"]: leader for leader in fresh.people.leaders()}
    assert [(t["start_date"], t["end_date"]) for t in leaders["王建国"]["terms"]] == [
        ("2021-03-01", "2024-06-30"), ("2024-09-01", None)]
    assert leaders["李清"]["role"] == "other" and leaders["李清"]["position"] == "局长"
    units = {u["name"]: u for u in fresh.people.units()}
    assert units["区司法局"]["parent_id"] == units["西湖区"]["id"]
    # Importing the same file again changes nothing.
    again = apply_roster(fresh, preview_roster(fresh, out))
    assert (again.units_added, again.leaders_added, again.terms_added, again.terms_updated) == (0, 0, 0, 0)
    fresh.close()


def test_row_errors_are_listed_and_only_valid_rows_are_applied(store, unit_id, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "r.xlsx", [
        ["西湖区", "", "", "张三", "区长", "政府主要负责人", date(2023, 1, 1), None],
        ["西湖区", "", "", "", "区长", "政府", "2023-01-01", None],            # no name
        ["新单位", "", "", "赵六", "", "党委", "2023-01-01", None],            # new unit, no level
        ["西湖区", "", "", "钱七", "", "书记", "2023-02-30", None],            # bad date
        ["西湖区", "", "", "孙八", "", "校长", "2023-01-01", None],            # bad role
        ["西湖区", "", "", "张三", "区长", "政府", "2023-06-01", None],        # overlaps row 2
        ["西湖区", "", "", "周九", "", "党委", "2023-05-01", "2023-01-01"],    # end before start
    ])
    preview = preview_roster(store, path)
    assert [e.row for e in preview.errors] == [3, 4, 5, 6, 7, 8]
    text = "\n".join(preview.error_lines())
    assert "姓名不能为空" in text and "需要填写层级" in text and "日期不存在" in text
    assert "类别不正确" in text and "重叠" in text and "早于开始" in text
    assert [r.name for r in preview.rows] == ["张三"]
    apply_roster(store, preview)
    assert [leader["name"] for leader in store.people.leaders()] == ["张三"]


def test_missing_columns_is_a_file_error(store, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["名字"])
    wb.save(tmp_path / "x.xlsx")
    preview = preview_roster(store, tmp_path / "x.xlsx")
    assert not preview.rows and "缺少列" in preview.error_lines()[0]

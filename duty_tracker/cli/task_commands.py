"""Commands on the year's work points (工作要点): ``tasks parse`` (store nothing), ``import``,
``map``, ``list``, ``progress``, ``export-xlsx`` and ``import-xlsx``. Each fills the same
use cases the 工作要点 page calls (``core.services.workpoints``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duty_tracker.cli.common import (
    UserError,
    add_db_argument,
    add_today_argument,
    date_argument,
    open_ledger,
    print_json,
    today_of,
)

if TYPE_CHECKING:
    from duty_tracker.core.workpoints import ParsedWorkPoints

IMPORT_EPILOG = """\
单位名称按以下顺序对应到本程序中的单位：以前的选择、完全相同的名称、写法不同的同一单位
（如 杭州市司法局 = 市司法局）、简称和机构改革前后的名称（如 市法制办 → 市司法局）、
“市政府各部门”“各区、县（市）政府”等统称（展开为其所指的各单位）。

还有名称没有对应的单位时，列出这些名称，不导入任何数据，退出码 1。可以：
  --map "市法制办=12"     指定单位编号（多个单位用逗号分隔：--map "各区县=3,4,5"）；
  --map "杭州仲裁委="     确认不是本程序中的单位；
  --yes                   仍然导入，这些名称暂不分配单位（以后可用 tasks map 指定）。
指定的对应关系会被记住，以后导入的文件中同样的名称自动对应。导入前会自动备份数据库。
"""
IMPORT_XLSX_EPILOG = """\
读取用 tasks export-xlsx 导出、由各单位填写了“进展情况”“状态”的任务分解表：进展情况中新增的
内容记为该单位的一条进展（“填报单位”列为空且任务只有一个责任单位时，记为该单位），状态填
“已完成”的标记为完成；没有新内容的行跳过。先逐行检查，有错误的行按“第 N 行（列）：问题”列出：

  全部行有效          直接导入，退出码 0。
  有错误、无 --yes    列出错误，不导入任何数据，退出码 1。
  有错误、加 --yes    列出错误，只导入其余有效的行，退出码 0。

有效的行在同一个事务中一次写入；导入前会自动备份数据库。
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    tasks = subparsers.add_parser("tasks", help="工作要点：解析、导入任务，填报和导出进展")
    tasks_sub = tasks.add_subparsers(dest="tasks_command", metavar="操作", required=True)
    register_parse(tasks_sub)
    register_import(tasks_sub)
    register_list(tasks_sub)
    register_progress(tasks_sub)
    register_sheet(tasks_sub)


def register_parse(tasks_sub: argparse._SubParsersAction) -> None:
    p = tasks_sub.add_parser("parse", help="解析工作要点文本并输出任务，不保存")
    p.add_argument("file", type=Path, help="工作要点文件（.txt 或 .docx）")
    p.add_argument("--year", type=int, default=None, help="年度（默认从标题或正文中识别）")
    p.add_argument("--json", action="store_true", help="输出 JSON（默认即为 JSON）")
    p.set_defaults(func=cmd_tasks_parse)


def register_import(tasks_sub: argparse._SubParsersAction) -> None:
    p = tasks_sub.add_parser(
        "import", help="导入工作要点文件，保存其中的任务和责任单位",
        description="解析工作要点文件，把各项任务及其责任单位保存到数据库。", epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path, help="工作要点文件（.txt 或 .docx）")
    p.add_argument("--year", type=int, default=None, help="年度（默认从标题或正文中识别）")
    p.add_argument("--map", action="append", default=[], metavar="名称=单位编号",
                   help="为文件中的单位名称指定单位（可重复；等号后为空表示不是本程序中的单位）")
    p.add_argument("--home", type=int, metavar="ID",
                   help="发文的单位（“市政府各部门”等统称相对于它展开；默认为唯一的顶级单位）")
    p.add_argument("--yes", action="store_true", help="有名称没有对应的单位时仍然导入")
    p.add_argument("--again", action="store_true", help="同一年度的同一文件已导入过时，再导入一份")
    p.add_argument("--json", action="store_true", help="以 JSON 输出导入结果")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_tasks_import)
    p = tasks_sub.add_parser(
        "map", help="为已导入任务中的单位名称指定单位（会被记住）",
        description="记住名称与单位的对应关系，并给已导入的、写有该名称的任务补上这些单位。")
    p.add_argument("pairs", nargs="+", metavar="名称=单位编号")
    p.add_argument("--year", type=int, help="只补该年度的任务（默认所有年度）")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_tasks_map)


def register_list(tasks_sub: argparse._SubParsersAction) -> None:
    p = tasks_sub.add_parser("list", help="列出某年度的工作任务及各责任单位的进展和状态")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", type=int, metavar="ID", help="只列出该单位的任务（状态为该单位的状态）")
    p.add_argument("--status", action="append", metavar="状态",
                   help="只列出该状态的任务：未开始、推进中、已完成、逾期、临期（可重复）")
    p.add_argument("--due-from", metavar="日期", help="完成时限不早于该日期")
    p.add_argument("--due-to", metavar="日期", help="完成时限不晚于该日期")
    p.add_argument("--json", action="store_true")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_tasks_list)


def register_progress(tasks_sub: argparse._SubParsersAction) -> None:
    p = tasks_sub.add_parser("progress", help="填报一个单位在一项任务上的进展，输出进展编号")
    p.add_argument("task", type=int, metavar="TASK_ID", help="任务编号（见 tasks list）")
    p.add_argument("--unit", type=int, required=True, metavar="ID", help="填报的单位（任务的责任单位之一）")
    p.add_argument("--date", required=True, help="进展日期，如 2017-06-30")
    p.add_argument("--note", default="", help="进展情况")
    p.add_argument("--done", action="store_true", help="该单位已完成这项任务")
    p.add_argument("--attach", type=Path, action="append", default=[], metavar="FILE",
                   help="佐证材料（可重复）")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_tasks_progress)


def register_sheet(tasks_sub: argparse._SubParsersAction) -> None:
    p = tasks_sub.add_parser(
        "export-xlsx", help="导出任务分解表（.xlsx）",
        description="序号、工作任务、牵头单位、责任单位、完成时限、进展情况、状态；加 --unit 只导出"
                    "该单位的任务和进展，供其填写后用 tasks import-xlsx 导回。")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", type=int, metavar="ID", help="只导出该单位的任务")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_tasks_export_xlsx)
    p = tasks_sub.add_parser(
        "import-xlsx", help="导入各单位填写了进展的任务分解表，逐行报告错误",
        description="导入填写了进展的任务分解表。", epilog=IMPORT_XLSX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="有错误的行时，只导入其余有效的行")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果和错误列表")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_tasks_import_xlsx)


# -- parse and import ------------------------------------------------------------------------------
def _check_year(year: int | None) -> None:
    if year is not None and not 1990 <= year <= 2100:
        raise UserError(f"年度不正确：{year}（应为四位年份，如 2019）。", 2)


def parse_file(path: Path, year: int | None = None) -> ParsedWorkPoints:
    """Read and parse a work-points file; errors become :class:`UserError` (Chinese)."""
    from duty_tracker.core.workpoints import (
        WorkPointsError,
        parse_workpoints_text,
        read_workpoints_file,
    )

    _check_year(year)
    try:
        return parse_workpoints_text(read_workpoints_file(path), year=year)
    except WorkPointsError as exc:
        raise UserError(str(exc)) from exc


def cmd_tasks_parse(args: argparse.Namespace) -> int:
    print_json(parse_file(args.file, args.year).to_dict())
    return 0


def parse_map(pairs: list[str]) -> dict[str, list[int]]:
    """``"市法制办=12"`` / ``"各区县=3,4"`` / ``"杭州仲裁委="`` → name → unit ids."""
    out: dict[str, list[int]] = {}
    for pair in pairs:
        name, sep, ids = pair.rpartition("=")
        if not sep or not name.strip():
            raise UserError(f"对应关系格式不正确：{pair}（应为 名称=单位编号，如 市法制办=12）。", 2)
        try:
            out[name.strip()] = [int(i) for i in ids.replace("，", ",").split(",") if i.strip()]
        except ValueError:
            raise UserError(f"单位编号应为数字：{pair}（如 市法制办=12）。", 2) from None
    return out


def cmd_tasks_import(args: argparse.Namespace) -> int:
    from duty_tracker.core.services import workpoints

    _check_year(args.year)
    choices = parse_map(args.map)
    with open_ledger(args) as ledger:
        store = ledger.store
        preview = workpoints.preview_import(store, path=args.file, year=args.year, home_unit_id=args.home)
        workpoints.choose_units(store, preview, choices)
        if preview.unmatched and not args.yes:
            _report_unmatched(preview)
            if args.json:
                print_json({"imported": False, "unmatched": [
                    {"name": n, "candidates": [{"unit_id": i, "unit": u} for i, u in preview.candidates(n)]}
                    for n in preview.unmatched]})
            return 1
        if preview.duplicates and not args.again:
            first = preview.duplicates[0]
            raise UserError(f"{preview.year} 年的《{preview.title}》已经导入过（编号 {first['id']}，"
                            f"{first['task_count']} 项任务），未再导入。如确需再导入一份，请加 --again。")
        result = workpoints.import_workpoints(store, preview, allow_unmatched=args.yes,
                                              allow_duplicate=args.again)
    print(f"已导入《{preview.title}》（{preview.year} 年，编号 {result.plan_id}）：{result.summary()}",
          file=sys.stderr)
    if args.json:
        print_json({"imported": True, "plan_id": result.plan_id, "title": preview.title, "year": preview.year,
                    "task_ids": result.task_ids, "unit_links": result.links,
                    "unmatched": result.unmatched, "backup": str(result.backup) if result.backup else None})
    else:
        print(result.plan_id)
    return 0


def _report_unmatched(preview: Any) -> None:
    print("以下单位名称没有对应到本程序中的单位，未导入任何数据：", file=sys.stderr)
    for name in preview.unmatched:
        count = sum(1 for t in preview.tasks if name in t.unmatched)
        hint = "、".join(f"{n}={i}" for i, n in preview.candidates(name))
        print(f"  {name}（{count} 项任务）" + (f"，可能是：{hint}" if hint else ""), file=sys.stderr)
    print('请用 --map "名称=单位编号" 指定（等号后为空表示不是本程序中的单位），'
          "或加 --yes 暂不分配这些名称后导入。", file=sys.stderr)


def cmd_tasks_map(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.workpoints import assign_unit_name

    choices = parse_map(args.pairs)
    with open_ledger(args, must_exist=True) as ledger:
        for name, ids in choices.items():
            added = assign_unit_name(ledger.store, name, ids, year=args.year)
            target = f"单位 {'、'.join(map(str, ids))}" if ids else "不是本程序中的单位"
            print(f"已记住：{name} → {target}；补上任务单位 {added} 处。", file=sys.stderr)
    return 0


# -- list and progress -----------------------------------------------------------------------------
def cmd_tasks_list(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.workpoints import TaskFilter, TaskStatus, list_tasks

    statuses = None
    if args.status:
        known = {s.value: s for s in TaskStatus}
        wrong = [s for s in args.status if s not in known]
        if wrong:
            raise UserError(f"状态不正确：{'、'.join(wrong)}（可选：{'、'.join(known)}）。", 2)
        statuses = frozenset(known[s] for s in args.status)
    flt = TaskFilter(args.year, unit_id=args.unit, statuses=statuses,
                     due_from=date_argument(args.due_from, "--due-from") if args.due_from else None,
                     due_to=date_argument(args.due_to, "--due-to") if args.due_to else None)
    with open_ledger(args, must_exist=True) as ledger:
        if args.unit is not None:
            ledger.store.people.unit(args.unit)  # "单位不存在" rather than an empty list
        views = list_tasks(ledger.store, flt, today_of(args))
    if args.json:
        print_json([view.to_dict() for view in views])
        return 0
    for view in views:
        status = view.unit(args.unit).verdict.label if args.unit is not None else view.verdict.label
        due = view.due.isoformat() if view.due else "—"
        units = "、".join(u.unit_name for u in view.units) or "（未分配单位）"
        print(f"{view.id}\t{status}\t{due}\t{view.title}\t{units}")
    print(f"共 {len(views)} 项任务。", file=sys.stderr)
    return 0


def cmd_tasks_progress(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.workpoints import ProgressDraft, save_progress

    draft = ProgressDraft(args.task, args.unit, date_argument(args.date, "--date"), args.note,
                          args.done, list(args.attach))
    with open_ledger(args, must_exist=True) as ledger:
        change = save_progress(ledger.store, draft)
    print(f"已保存进展（编号 {change.progress_id}）。", file=sys.stderr)
    print(change.progress_id)
    return 0


# -- the 任务分解表 ----------------------------------------------------------------------------------
def cmd_tasks_export_xlsx(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.workpoints import TaskSheetExport, export_task_sheet

    options = TaskSheetExport(args.output, args.year, today_of(args), args.unit)
    with open_ledger(args, must_exist=True) as ledger:
        count = export_task_sheet(ledger.store, options)
    print(f"已导出任务分解表：{options.target}（{count} 项任务）", file=sys.stderr)
    print(options.target)
    return 0


def cmd_tasks_import_xlsx(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.workpoints import apply_task_sheet, preview_task_sheet

    with open_ledger(args) as ledger:
        preview = preview_task_sheet(ledger.store, args.file, today_of(args))
        errors = preview.error_lines()
        report = {"file": str(args.file), "rows": preview.total_rows, "new": preview.valid_count,
                  "unchanged": preview.unchanged, "errors": errors, "imported": 0}
        for line in errors:
            print(line, file=sys.stderr)
        if errors and not args.yes:
            print(f"共 {preview.total_rows} 行，其中 {preview.invalid_rows} 行有错误，未导入任何数据。"
                  f"请改正后重新导入，或加 --yes 只导入其余 {preview.valid_count} 行。", file=sys.stderr)
            if args.json:
                print_json(report)
            return 1
        if preview.valid_count:
            outcome = apply_task_sheet(ledger.store, preview)
            report["imported"] = outcome.result.added
            print(f"任务进展导入完成：{outcome.result.summary()}", file=sys.stderr)
        else:
            print(f"没有新的进展（{preview.unchanged} 行未改动或已导入过）。", file=sys.stderr)
    if args.json:
        print_json(report)
    return 0

"""Commands that move data in and out: Excel workbooks and data packages ."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from duty_tracker.cli.common import (
    add_db_argument,
    add_today_argument,
    open_ledger,
    print_json,
    today_of,
)

IMPORT_XLSX_EPILOG = """\
导入分两步：先逐行检查（日期、类型、负责人、履职事项、是否已导入过），把有问题的行按
“第 N 行（列）：问题”列出；然后把有效的行在同一个事务中一次写入——要么全部写入，要么一条也不写。

  全部行有效          直接导入，退出码 0。
  有无效行、无 --yes  列出错误，不导入任何数据，退出码 1（改正表格后重新导入）。
  有无效行、加 --yes  列出错误，只导入其余有效的行，退出码 0。

已在数据库中的行（唯一标识相同，或日期、标题、负责人都相同）和表内重复的行会列为“跳过”，
不算错误，也不会重复导入；确需重复录入时加 --allow-duplicates。

导入前会自动备份数据库。模板：用 export-xlsx 导出的台账（或 --roster 时的负责人名册）。
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export-xlsx", help="导出履职纪实台账和/或完成情况表（.xlsx）",
        description="导出某年的履职纪实台账（可只导出一个单位），加 --status 同时导出完成情况表。")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", type=int, help="只导出该单位（编号）")
    p.add_argument("--status", action="store_true", help="同时导出完成情况表（工作表“完成情况”）")
    p.add_argument("--status-only", action="store_true", help="只导出完成情况表")
    p.add_argument("--today", help="以该日期为“今天”计算完成情况（测试用），格式 2025-12-31")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_export_xlsx)

    p = subparsers.add_parser(
        "import-xlsx", help="从 .xlsx 导入履职纪实（或 --roster 导入负责人名册），逐行报告错误",
        description="从 .xlsx 导入履职纪实或负责人名册。", epilog=IMPORT_XLSX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path)
    p.add_argument("--roster", action="store_true", help="导入的是负责人名册（单位、姓名、职务、类别、任期）")
    p.add_argument("--yes", action="store_true", help="有无效行时，只导入其余有效的行")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="与已有纪实（日期、标题、负责人相同）重复的行也导入（默认跳过并列出）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果和错误列表")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_import_xlsx)

    p = subparsers.add_parser("export-roster", help="导出负责人名册（.xlsx）")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_export_roster)

    p = subparsers.add_parser(
        "conflicts", help="列出合并数据包时两边都修改过的内容，或选择保留哪一边",
        description="合并数据包时，同一项内容本机和对方都改过，就列为冲突：本机内容暂时保留，"
                    "两边的内容都保存。用 resolve 选择保留本机（local）或采用数据包（package）；"
                    "选择会随下一个数据包带给对方。")
    conflicts_sub = p.add_subparsers(dest="conflicts_command", metavar="操作")
    p.add_argument("--json", action="store_true")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_conflicts)
    r = conflicts_sub.add_parser("resolve", help="处理一处冲突")
    r.add_argument("id", type=int, help="冲突编号（见 conflicts 列表）")
    r.add_argument("--keep", choices=("local", "package"), required=True,
                   help="local：保留本机的内容；package：采用数据包的内容")
    add_db_argument(r, in_subcommand=True)
    r.set_defaults(func=cmd_conflicts_resolve)

    p = subparsers.add_parser(
        "export-ics", help="把本年度各事项、各周期的截止日期导出为日历文件（.ics，可导入 Outlook/WPS 日历）",
        description="每个履职事项每个周期的截止日期一个全天事件，提前30天和3天提醒；"
                    "说明中列出每名负责人截至今天的完成情况。")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--leader", type=int, metavar="ID", help="只导出该负责人的截止日期")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ics")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_export_ics)

    p = subparsers.add_parser(
        "export-package", help="把一个单位的数据（含附件）导出为一个数据包文件",
        description="导出单位（含下级单位）的负责人、任期、履职纪实、附件、述职报告及所引用的规则，"
                    "附带校验清单，供另一台电脑用 import-package 合并。")
    p.add_argument("--unit", type=int, required=True, help="单位编号")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.dtpkg")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_export_package)

    p = subparsers.add_parser(
        "import-package", help="校验并合并数据包（按唯一标识合并，列出冲突）",
        description="先校验数据包（路径安全、清单与校验值、大小），自动备份数据库，再按唯一标识逐字段合并："
                    "新数据加入，对方改过的字段更新，两边都改过的字段列为冲突（两边的内容都保留，待选择），"
                    "无法导入的行逐行说明原因。")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只显示将会新增、更新和冲突的内容，不修改数据")
    p.add_argument("--json", action="store_true")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_import_package)


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import LedgerExportOptions, export_ledger

    options = LedgerExportOptions(
        path=args.output, year=args.year, unit_id=args.unit, ledger=not args.status_only,
        status=args.status or args.status_only, today=today_of(args) if args.today else None)
    with open_ledger(args, must_exist=True) as ledger:
        counts = export_ledger(ledger.store, options)
    parts = "，".join(f"{sheet} {n} 行" for sheet, n in counts.items())
    print(f"已导出：{options.target}（{parts}）", file=sys.stderr)
    print(options.target)
    return 0


def cmd_export_roster(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import export_roster

    with open_ledger(args, must_exist=True) as ledger:
        count = export_roster(ledger.store, args.output)
    print(f"已导出负责人名册：{count} 行", file=sys.stderr)
    print(args.output)
    return 0


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import SheetKind, apply_xlsx, preview_xlsx

    kind = SheetKind.ROSTER if args.roster else SheetKind.RECORDS
    with open_ledger(args) as ledger:
        preview = preview_xlsx(ledger.store, args.file, kind, allow_duplicates=args.allow_duplicates)
        errors = [str(e) for e in preview.errors]
        skipped = [str(e) for e in preview.skipped]
        report = {"file": str(args.file), "rows": preview.total_rows, "valid": preview.valid_count,
                  "errors": errors, "skipped": skipped, "imported": 0}
        for line in errors:
            print(line, file=sys.stderr)
        for line in skipped:
            print(f"跳过：{line}", file=sys.stderr)
        refused = _refusal(preview, errors, args.yes)
        if refused is not None:
            print(refused, file=sys.stderr)
            if args.json:
                print_json(report)
            return 1 if errors else 0
        outcome = apply_xlsx(ledger.store, preview, kind, args.file)
    report["imported"] = preview.valid_count
    print(f"{kind.label}导入完成：{outcome.result.summary()}"
          + (f"（跳过 {len(errors)} 处错误）" if errors else ""), file=sys.stderr)
    if args.json:
        print_json(report)
    return 0


def _refusal(preview: object, errors: list[str], accept_partial: bool) -> str | None:
    """Why nothing is imported, or None when the valid rows go in."""
    if errors and not accept_partial:
        bad = len({e.row for e in preview.errors})
        return (f"共 {preview.total_rows} 行，其中 {bad} 行有错误，未导入任何数据。"
                f"请改正后重新导入，或加 --yes 只导入其余 {preview.valid_count} 行有效数据。")
    if preview.valid_count == 0:
        return "没有可导入的行。"
    return None


def cmd_conflicts(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import open_conflicts

    with open_ledger(args, must_exist=True) as ledger:
        found = open_conflicts(ledger.store)
    if args.json:
        print_json([{"id": c.id, "what": c.what, "local": c.local_text, "package": c.package_text,
                     "source": c.source, "detected_at": c.detected_at} for c in found])
    elif not found:
        print("没有待处理的冲突。")
    else:
        for c in found:
            print(f"{c.id:>5}  {c}")
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import resolve_conflict

    with open_ledger(args, must_exist=True) as ledger:
        print(resolve_conflict(ledger.store, args.id, args.keep))
    return 0


def cmd_export_ics(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import CalendarExport, export_calendar

    options = CalendarExport(path=args.output, year=args.year, today=today_of(args),
                             leader_id=args.leader)
    with open_ledger(args, must_exist=True) as ledger:
        if args.leader is not None:
            ledger.store.people.leader(args.leader)  # "负责人不存在" before any file is written
        count = export_calendar(ledger.store, options)
    print(f"已导出 {count} 个截止日期事件：{options.target}", file=sys.stderr)
    print(options.target)
    return 0


def cmd_export_package(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import export_package

    with open_ledger(args, must_exist=True) as ledger:
        manifest = export_package(ledger.store, args.unit, args.output)
    counts = manifest["counts"]
    extra = "".join(f"，{counts[key]} {what}" for key, what in (
        ("tasks", "项工作任务"), ("task_progress", "条任务进展"), ("task_attachments", "个进展佐证材料"),
        ("annual_reports", "份年度报告")) if counts.get(key))
    print(f"已导出“{manifest['unit']['name']}”的数据包：{counts['leaders']} 名负责人，"
          f"{counts['records']} 条纪实，{counts['attachments']} 个附件{extra}。", file=sys.stderr)
    print(manifest["path"])
    return 0


def cmd_import_package(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.exchange import import_package, preview_package

    with open_ledger(args) as ledger:
        action = preview_package if args.dry_run else import_package
        result = action(ledger.store, args.file)
    if args.json:
        print_json({**result.to_json(), "dry_run": args.dry_run})
    else:
        head = "预览（未修改数据）" if args.dry_run else "已合并数据包"
        print(f"{head}：{result.unit_name}（导出于 {result.created_at.replace('T', ' ')}）")
        print(result.summary())
        for conflict in result.conflicts:
            print(f"  冲突：{conflict}")
        for line in result.refused:
            print(f"  未导入：{line}")
        if result.backup:
            print(f"合并前的数据已备份到：{result.backup}", file=sys.stderr)
    return 0

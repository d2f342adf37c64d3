"""Report commands: ``report --leader ID --year Y -o FILE.pdf|FILE.docx [--date D]``,
``report --all --year Y -o DIR [--word]``, ``summary --year Y -o FILE.pdf`` and the unit's
annual report, ``annual-report --unit ID --year Y -o FILE.pdf|FILE.docx [--date D] [--draft]``
(also ``--submitted D`` to record it as submitted, ``--due`` to list the reports due). Each
collects the options and makes one call to the reporting use cases
(``core.services.reporting``), the same calls the window makes."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from duty_tracker.cli.common import (
    UserError,
    add_db_argument,
    add_today_argument,
    date_argument,
    db_path_of,
    open_ledger,
    print_json,
    today_of,
)

ANNUAL_EPILOG = """\
生成单位的法治政府建设年度报告（GB/T 9704 公文格式）：开头、一、主要举措和成效（按工作要点的
各部分，取自本单位任务的进展和关联的履职纪实）、二、党政主要负责人履行推进法治建设第一责任人
职责情况（取自负责人的履职纪实和完成情况）、三、存在的不足和原因、四、下一年度工作安排；
附件为工作任务完成情况表（--no-table 不附）。在窗口中保存过的文字照原样印出；未填写的部分
不印出，加 --draft 则用程序根据数据生成的草稿补上（数据不足处以【】标出待填写内容）。

报送时限：部门于次年3月1日前，政府（市、区县、乡镇街道）于次年4月1日前。
  --submitted 2026-02-20   记录该报告已于该日报送（不再提醒）；--submitted 空 则取消。
  --due [--json]           列出截至 --today 临期、逾期未报送的上一年度报告。
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="生成负责人年度述职述法报告（PDF，或 -o 文件.docx 生成Word文件）")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--leader", type=int, metavar="ID", help="负责人编号")
    who.add_argument("--all", action="store_true", help="该年度在任的全部负责人，每人一个PDF")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="PATH",
                   help="报告文件 .pdf 或 .docx（--leader），或文件夹（--all）")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="成文日期（默认：该年12月31日；该年尚未结束时为今天）")
    p.add_argument("--word", action="store_true", help="与 --all 合用：每人生成一个可编辑的 Word 文件（.docx）")
    p.add_argument("--unit", type=int, metavar="ID", help="与 --all 合用：只生成该单位（含下级单位）")
    p.add_argument("--draft", action="store_true",
                   help="未填写的“主要做法和成效”等部分使用程序生成的草稿")
    p.add_argument("--jobs", type=int, default=None, help="并行进程数（默认：CPU 核数，最多 2）")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_report)

    register_annual(subparsers)

    p = subparsers.add_parser("summary", help="生成单位汇总表（横向 PDF）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument("--unit", type=int, metavar="ID", help="只汇总该单位（含下级单位）")
    p.add_argument("--filled-by-unit", default="", metavar="单位", help="填报单位（默认：所汇总的单位）")
    p.add_argument("--filled-by", default="", metavar="姓名", help="填报人（默认留空待签）")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_summary)


def cmd_report(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.reporting import DebriefExport, export_debrief

    if args.all:
        return _report_all(args)
    if args.unit is not None or args.word:
        raise UserError(f"{'--unit' if args.unit is not None else '--word'} 只能与 --all 一起使用；"
                        "单人报告用 -o 文件.docx 生成Word文件。", 2)
    options = DebriefExport(leader_id=args.leader, year=args.year, output=args.output,
                            today=today_of(args), use_draft=args.draft,
                            report_date=_report_date(args))
    with open_ledger(args, must_exist=True) as ledger:
        result = export_debrief(ledger.store, options)
    _say_font_notice(result.font_notice)
    print(result.path)
    return 0


def _report_all(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.reporting import BatchExport, export_debrief_batch

    options = BatchExport(year=args.year, folder=Path(args.output), today=today_of(args),
                          unit_id=args.unit, use_draft=args.draft, jobs=args.jobs,
                          word=args.word, report_date=_report_date(args))
    with open_ledger(args, must_exist=True):  # migrated once here; the workers only read
        result = export_debrief_batch(db_path_of(args), options, progress=_progress)
    if not result.written and not result.failures:
        print(f"{args.year}年度没有在任的负责人，未生成报告。", file=sys.stderr)
        return 0
    print(f"已生成 {len(result.written)} 份报告：{result.folder}")
    for _leader_id, message in result.failures:
        print(f"错误：{message}", file=sys.stderr)
    return 1 if result.failures else 0


def _report_date(args: argparse.Namespace) -> date | None:
    return date_argument(args.date, "--date") if args.date else None


def _progress(done: int, total: int, _text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _say_font_notice(notice: str | None) -> None:
    if notice:
        print(f"提示：{notice}", file=sys.stderr)


def cmd_summary(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.reporting import SummaryExport, export_summary

    options = SummaryExport(year=args.year, output=args.output, today=today_of(args),
                            unit_id=args.unit, filled_by_unit=args.filled_by_unit,
                            filled_by=args.filled_by)
    with open_ledger(args, must_exist=True) as ledger:
        result = export_summary(ledger.store, options)
    _say_font_notice(result.font_notice)
    print(result.path)
    return 0


# -- the unit's annual report -------------------------------------------------------------------
def register_annual(subparsers: argparse._SubParsersAction) -> None:
    """``annual-report``: write the report, record its submission, or list the reports due."""
    p = subparsers.add_parser(
        "annual-report", help="生成单位法治政府建设年度报告（PDF，或 -o 文件.docx 生成Word文件）",
        description="生成单位法治政府建设年度报告，或记录报送、列出待报送的报告。",
        epilog=ANNUAL_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--unit", type=int, metavar="ID", help="单位编号")
    p.add_argument("--year", type=int, help="报告年度")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="报告文件 .pdf 或 .docx")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="成文日期（默认：今天，最晚为报送时限）")
    p.add_argument("--draft", action="store_true", help="未填写的部分使用程序生成的草稿")
    p.add_argument("--no-table", action="store_true", help="不附工作任务完成情况表")
    p.add_argument("--submitted", metavar="YYYY-MM-DD",
                   help="记录该单位该年度的报告已于该日报送（空值取消）")
    p.add_argument("--due", action="store_true", help="列出临期、逾期未报送的上一年度报告")
    p.add_argument("--json", action="store_true", help="与 --due 合用：输出 JSON")
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_annual_report)


def cmd_annual_report(args: argparse.Namespace) -> int:
    """Export (the default), ``--submitted`` or ``--due``; the font notice and the parts still
    to write go to stderr, the file's path to stdout."""
    from duty_tracker.core.services.reporting import AnnualReportExport, export_annual_report

    if args.due:
        return _annual_due(args)
    missing = [name for name, value in (("--unit", args.unit), ("--year", args.year))
               if value is None]
    if missing:
        raise UserError(f"请指定 {' 和 '.join(missing)}（或用 --due 列出待报送的报告）。", 2)
    if args.submitted is not None:
        return _annual_submitted(args)
    if args.output is None:
        raise UserError("请用 -o 指定报告文件（.pdf 或 .docx）。", 2)
    options = AnnualReportExport(unit_id=args.unit, year=args.year, output=args.output,
                                 today=today_of(args), report_date=_report_date(args),
                                 use_draft=args.draft, with_task_table=not args.no_table)
    with open_ledger(args, must_exist=True) as ledger:
        result = export_annual_report(ledger.store, options)
    _say_font_notice(result.font_notice)
    if result.warning:
        print(f"提示：{result.warning}", file=sys.stderr)
    print(result.path)
    return 0


def _annual_submitted(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.reporting import mark_annual_report_submitted

    day = date_argument(args.submitted, "--submitted") if args.submitted.strip() else None
    with open_ledger(args, must_exist=True) as ledger:
        mark_annual_report_submitted(ledger.store, args.unit, args.year, day)
    print(f"已记录：{args.year}年度报告于{day.isoformat()}报送。" if day
          else f"已取消{args.year}年度报告的报送记录。")
    return 0


def _annual_due(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.annual_due import annual_reports_due

    with open_ledger(args, must_exist=True) as ledger:
        due = annual_reports_due(ledger.store, today_of(args))
    if args.json:
        print_json([{"unit_id": d.unit_id, "unit": d.unit_name, "institution": d.institution,
                     "year": d.year, "deadline": d.deadline.isoformat(), "status": d.status,
                     "label": d.label, "days_left": d.days_left, "written": d.written}
                    for d in due])
        return 0
    if not due:
        print("没有临期或逾期未报送的法治政府建设年度报告。")
    for item in due:
        print(item.message)
    return 0

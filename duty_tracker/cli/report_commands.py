"""Report commands: ``report --leader ID --year Y -o FILE.pdf|FILE.docx [--date D]``,
``report --all --year Y -o DIR [--word]`` and ``summary --year Y -o FILE.pdf``. Each collects the options and makes one call to the
reporting use cases (``core.services.reporting``), the same calls the window makes."""

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
    today_of,
)


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

"""Report commands: ``report --leader ID --year Y -o FILE.pdf``, ``report --all --year Y -o DIR``
and ``summary --year Y -o FILE.pdf`` (SPEC.md §5, issue 5).

``report --all`` goes through ``core.reports.batch`` (a pool of spawned processes over both
cores), the same path as the window's 批量导出.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from duty_tracker.cli.common import (
    UserError,
    add_db_argument,
    add_today_argument,
    db_path_of,
    open_store,
    today_of,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="生成负责人年度履职述职报告（PDF）")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--leader", type=int, metavar="ID", help="负责人编号")
    who.add_argument("--all", action="store_true", help="该年度在任的全部负责人，每人一个PDF")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="PATH",
                   help="PDF 文件（--leader）或文件夹（--all）")
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
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_summary)


def cmd_report(args: argparse.Namespace) -> int:
    from duty_tracker.core.reports.errors import ReportError

    year, today = args.year, today_of(args)
    path = db_path_of(args)
    try:
        if args.all:
            return _report_all(path, year, today, Path(args.output), unit_id=args.unit,
                               use_draft=args.draft, jobs=args.jobs)
        if args.unit is not None:
            raise UserError("--unit 只能与 --all 一起使用。", 2)
        from duty_tracker.core.reports.debrief_builder import build_debrief
        from duty_tracker.core.reports.debrief_pdf import render_debrief_pdf

        store = open_store(path, must_exist=True)
        try:
            report = build_debrief(store, args.leader, year, today=today, use_draft=args.draft)
        finally:
            store.close()
        out = render_debrief_pdf(report, args.output)
    except ReportError as exc:
        raise UserError(str(exc)) from exc
    print(out)
    return 0


def _report_all(db: Path, year: int, today: date, folder: Path, *, unit_id: int | None,
                use_draft: bool, jobs: int | None) -> int:
    from duty_tracker.core.reports.batch import export_debriefs
    from duty_tracker.core.reports.debrief_builder import leaders_of_year

    if folder.exists() and not folder.is_dir():
        raise UserError(f"“{folder}”是一个文件，--all 需要一个文件夹。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}") from exc
    store = open_store(db, must_exist=True)  # migrates once here; the workers then open without migrating
    try:
        leaders = [(int(row["id"]), str(row["name"])) for row in leaders_of_year(store, year, unit_id)]
    finally:
        store.close()
    if not leaders:
        print(f"{year}年度没有在任的负责人，未生成报告。", file=sys.stderr)
        return 0

    def progress(done: int, total: int, _text: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    result = export_debriefs(db, year, leaders, folder, today=today, use_draft=use_draft,
                             jobs=jobs, progress=progress)
    print(f"已生成 {len(result.written)} 份报告：{folder}")
    for _leader_id, message in result.failures:
        print(f"错误：{message}", file=sys.stderr)
    return 1 if result.failures else 0


def cmd_summary(args: argparse.Namespace) -> int:
    from duty_tracker.core.reports.debrief_builder import build_unit_summary
    from duty_tracker.core.reports.errors import ReportError
    from duty_tracker.core.reports.summary_pdf import render_summary_pdf

    store = open_store(args, must_exist=True)
    try:
        summary = build_unit_summary(store, args.year, args.unit, today=today_of(args))
    except ReportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    try:
        out = render_summary_pdf(summary, args.output)
    except ReportError as exc:
        raise UserError(str(exc)) from exc
    print(out)
    return 0

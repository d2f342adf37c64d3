"""Commands on the ledger's data: rules, duties, demo data, status, check, backup, restore."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from duty_tracker.cli.common import (
    UserError,
    add_db_argument,
    add_today_argument,
    db_path_of,
    open_ledger,
    print_json,
    today_of,
)
from duty_tracker.core.domain import quota_text


def register(subparsers: argparse._SubParsersAction) -> None:
    rules = subparsers.add_parser("rules", help="解析或导入实施细则文本")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="操作", required=True)
    p = rules_sub.add_parser("parse", help="解析规则文本并输出结果，不保存")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="输出 JSON（默认即为 JSON）")
    p.set_defaults(func=cmd_rules_parse)
    p = rules_sub.add_parser("import", help="解析规则文本并保存为新的规则")
    p.add_argument("file", type=Path)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_rules_import)

    p = subparsers.add_parser("duties", help="列出当年适用规则中的履职事项")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--json", action="store_true")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_duties)

    p = subparsers.add_parser("demo", help="生成演示数据")
    p.add_argument("--leaders", type=int, default=20)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--records", type=int, default=30, help="每名负责人每年的纪实条数")
    p.add_argument("--seed", type=int, default=2019)
    add_today_argument(p)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_demo)

    p = subparsers.add_parser("status", help="每名负责人、每个事项、每个周期的完成情况")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--leader", type=int, action="append", help="只看该负责人（可重复）")
    add_today_argument(p)
    p.add_argument("--warn-days", type=int, default=30)
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_status)

    p = subparsers.add_parser("check", help="检查数据库和附件的完整性")
    p.add_argument("--full", action="store_true",
                   help="完整检查：逐行核对数据库的全部索引和搜索索引（数据量大时需要较长时间）")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser("backup", help="备份数据库和附件（校验后输出备份路径）")
    p.add_argument("-o", "--output", type=Path, help="备份保存到的文件夹（如U盘）")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser("restore", help="从备份恢复（先自动备份当前数据）")
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_restore)


def cmd_rules_parse(args: argparse.Namespace) -> int:
    from duty_tracker.core.services import rules

    print_json(rules.read_rules(args.file).parsed.to_dict())
    return 0


def cmd_rules_import(args: argparse.Namespace) -> int:
    from duty_tracker.core.services import rules

    source = rules.read_rules(args.file)
    with open_ledger(args) as ledger:
        result = rules.import_rules(ledger.store, source.parsed, source.text)
    print(result.message)
    return 0


def cmd_duties(args: argparse.Namespace) -> int:
    year = args.year or date.today().year
    with open_ledger(args) as ledger:
        duties = ledger.store.rules.duties_for_year(year)
    out = [
        {"id": d["id"], "uuid": d["uuid"], "title": d["title"], "role": d["role"],
         "period": d["period"], "min_count": d["min_count"], "due": d["due"], "target": d["target"],
         "article": d["article_number"], "clause": d["clause_number"],
         "article_ref": d["article_ref"], "source_text": d["source_text"]}
        for d in duties
    ]
    if args.json:
        print_json(out)
    else:
        for d in out:
            quota = quota_text(d["period"], d["min_count"])
            print(f"{d['id']:>4}  {d['article_ref']:<10} {d['title']}  {quota}  [{d['role']}]")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from duty_tracker.core.demo import build_demo

    started = time.perf_counter()
    with open_ledger(args) as ledger:
        summary = build_demo(ledger.store, leaders=args.leaders, years=args.years,
                             records=args.records, today=today_of(args), seed=args.seed)
    elapsed = time.perf_counter() - started
    print(f"已生成演示数据：{summary.units} 个单位，{summary.leaders} 名负责人，"
          f"{summary.records} 条纪实（{summary.years[0]}—{summary.years[-1]} 年），用时 {elapsed:.1f} 秒。",
          file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from duty_tracker.core.status import year_status

    with open_ledger(args, must_exist=True) as ledger:
        status = year_status(ledger.store, args.year, today=today_of(args),
                             leader_ids=args.leader, warn_days=args.warn_days)
    rows = status.to_json()
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['leader']}\t{r['duty']}\t{r['period']}\t{r['done']}/{r['required']}\t{r['status']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.safety import check

    path = db_path_of(args)
    report = check(path, full=args.full)
    for note in report.notes:  # what the check found and repaired
        print(note, file=sys.stderr)
    if report.ok:
        print(f"检查通过：数据库 {path} 完好，{report.attachments_checked} 个附件均完整。")
        return 0
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"检查发现 {len(report.problems)} 个问题。", file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.safety import backup_to_folder

    print(backup_to_folder(db_path_of(args), args.output))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from duty_tracker.core.services.safety import describe_backup, restore_file

    path = db_path_of(args)
    info = describe_backup(args.file)
    if not info.ok:
        raise UserError(f"备份未通过校验，未恢复：{'；'.join(info.problems[:3])}")
    print(f"备份创建于 {info.created_at or '未知'}，含 {info.record_count if info.record_count is not None else '?'}"
          f" 条纪实" + (f"、{info.attachment_count} 个附件文件" if info.kind == "完整备份" else "") + "。",
          file=sys.stderr)
    if not args.yes and not _confirmed(f"用 {args.file} 替换 {path} 中的数据？当前数据会先自动备份。[y/N] "):
        print("已取消。", file=sys.stderr)
        return 1
    result = restore_file(path, args.file)
    if result.safety_backup:
        print(f"恢复前的数据已备份到：{result.safety_backup}", file=sys.stderr)
    print(f"已恢复：{path}")
    return 0


def _confirmed(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError("恢复会替换当前数据（当前数据会先自动备份）。请加 --yes 确认。")
    return input(question).strip().lower() in ("y", "yes", "是")

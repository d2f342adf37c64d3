"""``record add``, ``record edit`` and ``record list``: the ledger's records for administrators'
scripts. Saving goes through the same use case as the record form (``core.services.records``):
the same checks, one transaction for the record, its links and its attachments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from duty_tracker.cli.common import UserError, add_db_argument, open_ledger, print_json

LIST_PAGE = 1000


def _add_field_arguments(p: argparse.ArgumentParser, *, editing: bool) -> None:
    p.add_argument("--date", help="履职日期，如 2025-03-20", required=not editing)
    p.add_argument("--title", help="标题", required=not editing)
    p.add_argument("--kind", help="类型：会议/学法/培训/听取汇报/报告/述职/其他（默认按事项推断）")
    p.add_argument("--leader", type=int, action="append", metavar="ID",
                   help="负责人编号（可重复）" + ("；给出时替换原有负责人" if editing else ""))
    p.add_argument("--duty", type=int, action="append", metavar="ID",
                   help="履职事项编号（可重复）" + ("；给出时替换原有事项" if editing else ""))
    p.add_argument("--article", type=int, metavar="ID", help="引用条款编号（未量化的条款）")
    p.add_argument("--place", help="地点")
    p.add_argument("--participants", help="参加人员")
    p.add_argument("--minutes", help="纪要文号")
    p.add_argument("--description", help="内容摘要")
    p.add_argument("--hours", help="学时（按学时计算的学法事项），如 2 或 1.5")
    p.add_argument("--attach", type=Path, action="append", metavar="FILE", help="证明材料（可重复）")
    p.add_argument("--allow-duplicate", action="store_true",
                   help="同一负责人、同一事项、同一天已有纪实时仍然保存")
    add_db_argument(p, in_subcommand=True)


def register(subparsers: argparse._SubParsersAction) -> None:
    record = subparsers.add_parser("record", help="新增、修改或列出履职纪实")
    sub = record.add_subparsers(dest="record_command", metavar="操作", required=True)
    p = sub.add_parser("add", help="新增一条履职纪实，输出其编号")
    _add_field_arguments(p, editing=False)
    p.set_defaults(func=cmd_record_add)
    p = sub.add_parser("edit", help="修改一条履职纪实（只改给出的字段）")
    p.add_argument("id", type=int, help="纪实编号")
    _add_field_arguments(p, editing=True)
    p.add_argument("--remove-attachment", type=int, action="append", metavar="ID",
                   help="取消关联的附件编号（可重复）")
    p.set_defaults(func=cmd_record_edit)
    p = sub.add_parser("list", help="列出履职纪实")
    p.add_argument("--year", type=int)
    p.add_argument("--leader", type=int, metavar="ID")
    p.add_argument("--json", action="store_true")
    add_db_argument(p, in_subcommand=True)
    p.set_defaults(func=cmd_record_list)


def _draft(args: argparse.Namespace, store: Any, current: dict[str, Any] | None) -> Any:
    from duty_tracker.core.services.records import RecordDraft

    base = current or {}
    duty_ids = args.duty if args.duty is not None else list(base.get("duty_ids", []))
    kind = args.kind or base.get("kind")
    if not kind:
        kind = _kind_of_duties(store, duty_ids)

    def value(name: str, key: str) -> Any:
        given = getattr(args, name)
        return given if given is not None else base.get(key, "")

    return RecordDraft(
        performed_on=value("date", "performed_on"), title=value("title", "title"), kind=kind,
        leader_ids=args.leader if args.leader is not None else list(base.get("leader_ids", [])),
        duty_ids=duty_ids, place=value("place", "place"),
        participants=value("participants", "participants"),
        minutes_number=value("minutes", "minutes_number"),
        description=value("description", "description"),
        article_id=args.article if args.article is not None else base.get("article_id"),
        hours=args.hours if args.hours is not None else base.get("hours"),
        new_files=list(args.attach or []),
        removed_attachment_ids=list(getattr(args, "remove_attachment", None) or []))


def _kind_of_duties(store: Any, duty_ids: list[int]) -> str:
    from duty_tracker.core.domain import guess_record_kind
    from duty_tracker.core.storage.errors import NotFoundError

    for duty_id in duty_ids:
        try:
            return guess_record_kind(store.rules.duty(duty_id)["title"])
        except NotFoundError:
            continue  # check_draft / the repository name the unknown duty
    return "其他"


def _save(args: argparse.Namespace, record_id: int | None) -> int:
    from duty_tracker.core.services.records import check_draft, save_record, warnings_for

    with open_ledger(args, must_exist=record_id is not None) as ledger:
        store = ledger.store
        current = store.records.record(record_id) if record_id is not None else None
        draft = _draft(args, store, current)
        problems = check_draft(store, draft)
        if problems:
            raise UserError("；".join(p.message for p in problems))
        for warning in warnings_for(store, draft, record_id):
            if warning.kind == "duplicate" and not args.allow_duplicate:
                raise UserError(f"{warning.message}\n未保存。确认不是重复录入时，请加 --allow-duplicate。")
            print(f"提示：{warning.message}", file=sys.stderr)
        change = save_record(store, draft, record_id)
    verb = "已新增" if record_id is None else ("已修改" if change.changed else "没有改动")
    print(f"{verb}履职纪实“{change.title}”（编号 {change.record_id}）。", file=sys.stderr)
    print(change.record_id)
    return 0


def cmd_record_add(args: argparse.Namespace) -> int:
    return _save(args, None)


def cmd_record_edit(args: argparse.Namespace) -> int:
    return _save(args, args.id)


def cmd_record_list(args: argparse.Namespace) -> int:
    from datetime import date

    from duty_tracker.core.storage.records_repo import RecordFilter

    flt = RecordFilter(leader_id=args.leader)
    if args.year:
        flt.date_from, flt.date_to = date(args.year, 1, 1), date(args.year, 12, 31)
    rows: list[dict[str, Any]] = []
    with open_ledger(args, must_exist=True) as ledger:
        while True:
            page = ledger.store.records.search(flt, order_by="performed_on", descending=False,
                                               limit=LIST_PAGE, offset=len(rows))
            rows += page
            if len(page) < LIST_PAGE:
                break
    out = [{"id": r["id"], "uuid": r["uuid"], "date": r["performed_on"], "title": r["title"],
            "kind": r["kind"], "place": r["place"], "minutes_number": r["minutes_number"],
            "leaders": r["leaders"], "duties": r["duties"], "attachments": r["attachment_count"]}
           for r in rows]
    if args.json:
        print_json(out)
    else:
        for r in out:
            print(f"{r['id']:>6}  {r['date']}  {r['title']}  [{r['leaders']}]  {r['duties']}")
    return 0

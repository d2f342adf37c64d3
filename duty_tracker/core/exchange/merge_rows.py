"""What the merge knows about each table of a data package: the JSON types a row may have,
how a row is recognised when it was entered independently in both offices, how it reads to the
clerk, and how it is written — always through its repository, with the validation of the
window (``write_row``).

Kept apart from the merge itself (``merge``), which only compares versions: a new table needs
its references in ``package_format.REFS`` (with a label), its fields in ``sync_state.SYNCED``,
its types and content key here, and a repository ``put_*``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from duty_tracker.core.errors import InputError
from duty_tracker.core.exchange.package_format import TABLE_LABELS, is_sha256
from duty_tracker.core.exchange.sync_state import (
    SYNCED,
    field_label,
    is_blank,
    ref_field,
)
from duty_tracker.core.helpers import parse_date
from duty_tracker.core.storage.tasks_repo import TASK_ROLES

#: A uuid as every program writes it (any case): what ``uuid.UUID`` prints.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UNKNOWN: Any = object()  # a reference the receiving database cannot resolve, or a field not sent
_S, _I, _L, _N, _B, _F = str, int, list, type(None), bool, float
_TEXT = (False, (_S, _N))
#: The JSON types each column of a package row may have (first: required or not).
SCHEMA: dict[str, dict[str, tuple[bool, tuple[type, ...]]]] = {
    "rule_sets": {"title": (True, (_S,)), "source_text": _TEXT, "issuer": _TEXT, "doc_number": _TEXT,
                  "effective_date": _TEXT, "scope": _TEXT, "from_year": (False, (_I, _N)),
                  "to_year": (False, (_I, _N))},
    "articles": {"rule_set_uuid": (True, (_S,)), "number": (True, (_I,)), "label": (True, (_S,)),
                 "chapter": _TEXT, "text": (True, (_S,))},
    "clauses": {"article_uuid": (True, (_S,)), "number": (True, (_I,)), "label": (True, (_S,)),
                "text": (True, (_S,))},
    "duties": {"rule_set_uuid": (True, (_S,)), "article_uuid": _TEXT, "clause_uuid": _TEXT,
               "title": (True, (_S,)), "role": (True, (_S,)), "period": (True, (_S,)), "min_count": (True, (_I,)),
               "due": _TEXT, "target": _TEXT, "source_text": _TEXT,
               "position": (False, (_I, _N)), "active": (False, (_I, _B, _N))},
    "units": {"name": (True, (_S,)), "level": (True, (_S,)), "parent_uuid": _TEXT},
    "leaders": {"name": (True, (_S,)), "unit_uuid": (True, (_S,)), "position": _TEXT, "role": (True, (_S,))},
    "terms": {"leader_uuid": (True, (_S,)), "start_date": (True, (_S,)), "end_date": _TEXT},
    "records": {"performed_on": (True, (_S,)), "title": (True, (_S,)), "kind": (True, (_S,)),
                "place": _TEXT, "participants": _TEXT, "minutes_number": _TEXT, "description": _TEXT,
                "article_uuid": _TEXT, "deleted_at": _TEXT, "created_at": _TEXT, "hours": (False, (_I, _F, _N)),
                "leader_uuids": (True, (_L,)), "duty_uuids": (False, (_L, _N)), "article_uuids": (False, (_L, _N))},
    "attachments": {"record_uuid": (True, (_S,)), "file_name": (True, (_S,)), "sha256": (True, (_S,)),
                    "size": (True, (_I,)), "added_at": _TEXT},
    "debriefs": {"leader_uuid": (True, (_S,)), "year": (True, (_I,)),
                 **{f: _TEXT for f in SYNCED["debriefs"].plain if f != "year"}},
    "annual_reports": {"unit_uuid": (True, (_S,)), "year": (True, (_I,)),
                       **{f: _TEXT for f in SYNCED["annual_reports"].plain if f != "year"}},
    "work_plans": {"title": (True, (_S,)), "year": (True, (_I,)), "doc_number": _TEXT, "source_name": _TEXT,
                   "source_text": _TEXT, "deleted_at": _TEXT},
    "work_sections": {"plan_uuid": (True, (_S,)), "position": (True, (_I,)), "label": _TEXT,
                      "title": (True, (_S,))},
    "tasks": {"plan_uuid": (True, (_S,)), "section_uuid": _TEXT, "number": (True, (_I,)),
              "position": (True, (_I,)), "title": (True, (_S,)), "text": _TEXT, "due": _TEXT,
              "deadline_text": _TEXT, "item_label": _TEXT, "item_title": _TEXT, "named_units": _TEXT,
              "source_text": _TEXT, "deleted_at": _TEXT},
    "task_units": {"task_uuid": (True, (_S,)), "unit_uuid": (True, (_S,)), "role": (True, (_S,))},
    "task_progress": {"task_uuid": (True, (_S,)), "unit_uuid": (True, (_S,)), "reported_on": (True, (_S,)),
                      "note": _TEXT, "done": (False, (_I, _B, _N)), "source": _TEXT, "deleted_at": _TEXT},
    "task_attachments": {"progress_uuid": (True, (_S,)), "file_name": (True, (_S,)), "sha256": (True, (_S,)),
                         "size": (True, (_I,))},
    "task_records": {"task_uuid": (True, (_S,)), "record_uuid": (True, (_S,)), "unit_uuid": _TEXT,
                     "note": _TEXT},
}
_TYPE_NAMES = {str: "文字", int: "整数", list: "列表", dict: "对象", bool: "是/否", float: "小数", type(None): "空"}
_COLUMN_LABELS = {"uuid": "唯一标识", "rule_set_uuid": "所属规则", "article_uuid": "条文", "clause_uuid": "款项",
                  "parent_uuid": "上级单位", "unit_uuid": "所在单位", "leader_uuid": "负责人", "record_uuid": "所属纪实",
                  "leader_uuids": "负责人", "duty_uuids": "履职事项", "article_uuids": "引用条款",
                  "deleted_at": "删除时间", "file_name": "文件名", "sha256": "校验值", "size": "大小",
                  "number": "编号", "label": "编号", "text": "正文", "min_count": "最低次数", "period": "周期",
                  "due": "截止日期", "plan_uuid": "所属工作要点", "section_uuid": "所属部分", "task_uuid": "工作任务",
                  "progress_uuid": "所属进展", "_clock": "版本信息", "_held": "待定字段"}
#: Content keys that recognise a row entered independently in both offices: the first
#: alternative whose values are all given and that finds a row wins.
CONTENT_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "rule_sets": (("title", "source_text"),), "articles": (("rule_set_id", "number"),),
    "clauses": (("article_id", "number"),), "duties": (("rule_set_id", "title", "period"),),
    "units": (("name", "level"),), "leaders": (("unit_id", "name"),), "terms": (("leader_id", "start_date"),),
    "debriefs": (("leader_id", "year"),), "annual_reports": (("unit_id", "year"),),
    # the same document imported in both offices: its text, else its title
    "work_plans": (("year", "source_text"), ("year", "title")),
    "work_sections": (("plan_id", "position"),),
    "tasks": (("plan_id", "number", "source_text"), ("plan_id", "number", "title")),
    "task_units": (("task_id", "unit_id"),),
    "task_progress": (("task_id", "unit_id", "reported_on", "note"),),
    "task_records": (("task_id", "record_id"),),
}
#: References a row cannot go in without (the others may be unknown here: they stay empty).
REQUIRED_REFS: dict[str, tuple[str, ...]] = {
    "leaders": ("unit_id",), "terms": ("leader_id",), "debriefs": ("leader_id",),
    "annual_reports": ("unit_id",), "work_sections": ("plan_id",), "tasks": ("plan_id",),
    "task_units": ("task_id", "unit_id"), "task_progress": ("task_id", "unit_id"),
    "task_records": ("task_id", "record_id"),
}
#: Date columns, read the one way every import reads dates.
DATE_FIELDS = {"records": ("performed_on",), "terms": ("start_date", "end_date"),
               "debriefs": ("report_date",), "annual_reports": ("report_date", "submitted_on"),
               "tasks": ("due",), "task_progress": ("reported_on",)}


class Refused(InputError):
    """This row cannot go in; the message says why (Chinese)."""


def type_problem(table: str, row: Any) -> str | None:
    """Why a package row has the wrong shape (Chinese), or None."""
    if not isinstance(row, dict):
        return f"一行数据不是对象（实为{_TYPE_NAMES.get(type(row), type(row).__name__)}）"
    uuid = row.get("uuid")
    if not isinstance(uuid, str) or not _UUID.fullmatch(uuid.lower()):
        return f"唯一标识格式不正确：{str(uuid)[:40]}"
    for column, (required, types) in SCHEMA[table].items():
        if column not in row:
            if not required:
                continue
            value = None
        else:
            value = row[column]
            if type(value) in types and type(value) is not list:  # the usual case, at once
                continue
        allowed = () if isinstance(value, bool) and bool not in types else types  # True is no int here
        if not isinstance(value, allowed):
            expected = "或".join(_TYPE_NAMES.get(t, t.__name__) for t in types if t is not type(None)) or "空"
            actual = _TYPE_NAMES.get(type(value), type(value).__name__) if column in row else "缺失"
            return f"字段“{_column_label(table, column)}”应为{expected}，实为{actual}"
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            return f"字段“{_column_label(table, column)}”应为文字的列表"
    if table in ("attachments", "task_attachments") and not is_sha256(row.get("sha256")):
        return "附件的校验值格式不正确"
    for extra in ("_clock", "_held"):
        if extra in row and not isinstance(row[extra], dict if extra == "_clock" else list):
            return f"字段“{_COLUMN_LABELS[extra]}”格式不正确"
    return None


def _column_label(table: str, column: str) -> str:
    if column in _COLUMN_LABELS:
        return _COLUMN_LABELS[column]
    return field_label(table, ref_field(column.removesuffix("_uuid")) if column.endswith("_uuid") else column)


def row_label(table: str, row: dict[str, Any]) -> str:
    """How the clerk recognises a row in a message: its title or name, else what it is about."""
    for key in ("title", "name", "file_name"):
        if isinstance(row.get(key), str) and row[key].strip():
            extra = f"（{row['performed_on']}）" if table == "records" and isinstance(row.get("performed_on"), str) else ""
            return f"“{row[key].strip()[:60]}”{extra}"
    if table == "terms":
        return f"（{row.get('start_date')} 起的任期）"
    if table in ("debriefs", "annual_reports"):
        return f"（{row.get('year')} 年）"
    if table == "task_progress" and isinstance(row.get("reported_on"), str):
        return f"（{row['reported_on']}）"
    return f"（{str(row.get('uuid', ''))[:36]}）"


#: What a row is called in a conflict, read from the local row (the package's uuids are not names).
_LABEL_SQL = {
    "records": "SELECT title, performed_on FROM records WHERE uuid = ?",
    "units": "SELECT name FROM units WHERE uuid = ?",
    "leaders": "SELECT name FROM leaders WHERE uuid = ?",
    "terms": "SELECT start_date FROM terms WHERE uuid = ?",
    "debriefs": "SELECT l.name || '（' || d.year || ' 年）' AS title FROM debriefs d "
                "JOIN leaders l ON l.id = d.leader_id WHERE d.uuid = ?",
    "annual_reports": "SELECT u.name || '（' || a.year || ' 年）' AS title FROM annual_reports a "
                      "JOIN units u ON u.id = a.unit_id WHERE a.uuid = ?",
    "work_plans": "SELECT title FROM work_plans WHERE uuid = ?",
    "work_sections": "SELECT label || title AS title FROM work_sections WHERE uuid = ?",
    "tasks": "SELECT title FROM tasks WHERE uuid = ?",
    "task_units": "SELECT t.title || '（' || u.name || '）' AS title FROM task_units x "
                  "JOIN tasks t ON t.id = x.task_id JOIN units u ON u.id = x.unit_id WHERE x.uuid = ?",
    "task_progress": "SELECT t.title || '（' || u.name || ' ' || x.reported_on || '）' AS title FROM task_progress x "
                     "JOIN tasks t ON t.id = x.task_id JOIN units u ON u.id = x.unit_id WHERE x.uuid = ?",
    "task_records": "SELECT t.title || '（' || r.title || '）' AS title FROM task_records x "
                    "JOIN tasks t ON t.id = x.task_id JOIN records r ON r.id = x.record_id WHERE x.uuid = ?",
}


def local_values_label(conn: sqlite3.Connection, table: str, uuid: str) -> dict[str, Any] | None:
    cur = conn.execute(_LABEL_SQL[table], [uuid])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


_DESCRIBED = {"parent": ("units", "name"), "unit": ("units", "name"), "leader": ("leaders", "name"),
              "article": ("articles", "label"), "articles": ("articles", "label"), "leaders": ("leaders", "name"),
              "duties": ("duties", "title"), "plan": ("work_plans", "title"), "section": ("work_sections", "title"),
              "task": ("tasks", "title"), "record": ("records", "title")}


def describe(conn: sqlite3.Connection, field_name: str, value: Any) -> str:
    """A value as the clerk reads it: names instead of uuids, 已删除 for a deletion, 牵头 for a role."""
    if field_name == "deleted":
        return "已删除" if value else "未删除"
    if field_name == "done":
        return "已完成" if value else "未完成"
    if field_name == "role" and value in TASK_ROLES:
        return TASK_ROLES[value]
    if field_name == "named_units" and isinstance(value, str):
        try:
            named = [(u["name"], TASK_ROLES.get(u.get("role"), "")) for u in json.loads(value or "[]")]
        except (ValueError, TypeError, KeyError):
            return value
        return "、".join(f"{name}（{role}）" if role else name for name, role in named) or "（空）"
    if field_name not in _DESCRIBED:
        return "（空）" if is_blank(value) else str(value)
    table, column = _DESCRIBED[field_name]
    names = []
    for item in value if isinstance(value, list) else [value]:
        row = conn.execute(f"SELECT {column} FROM {table} WHERE uuid = ?", [item]).fetchone() if item else None
        names.append(row[0] if row else "（空）" if not item else "（未知）")
    return "、".join(names) or "（空）"


def normalised_dates(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Dates as a clerk may have typed them in another office ("2025-5-5 10:00", full-width
    digits) read the one way every import reads them, so they compare equal to the stored form.
    The row itself when nothing changes (a package of this program writes stored forms)."""
    changed: dict[str, Any] = {}
    for name in DATE_FIELDS.get(table, ()):
        value = row.get(name)
        if isinstance(value, str) and not value.strip():
            changed[name] = None
        elif value is not None:
            try:
                day = parse_date(value, field_label(table, name)).isoformat()
            except InputError as exc:
                raise Refused(str(exc)) from None
            if day != value:
                changed[name] = day
    return {**row, **changed} if changed else row


def cited_articles(ours: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """The cited articles to write (local uuids), the first (``records.article_id``) first.
    The merge takes ``article`` and ``articles`` field by field, so they may come from
    different sides, and a package of an older program carries ``article`` only: when the
    first changed on its own, the article it replaces leaves the set too."""
    first = values.get("article")
    cited = [a for a in (values.get("articles") or []) if a]
    old_first = ours.get("article")
    if ours and old_first and first != old_first and sorted(cited) == sorted(ours.get("articles") or []):
        cited = [a for a in cited if a != old_first]
    return [first, *(a for a in cited if a != first)] if first else cited


def write_row(store: Any, table: str, uuid: str, v: dict[str, Any], *, created_at: str | None = None,
              ours: dict[str, Any] | None = None) -> int:
    """Insert or update one synchronised row, given in local terms, through its repository
    (the same validation as the window, and the audit trail). ``ours``: the row as it was here
    before (None: a new row). Returns the row id."""
    conn = store.db.conn

    def id_of(ref_table: str, ref: str | None) -> int | None:
        row = conn.execute(f"SELECT id FROM {ref_table} WHERE uuid = ?", [ref]).fetchone() if ref else None
        if ref and row is None:
            raise Refused(f"引用的{TABLE_LABELS[ref_table]}已不存在")
        return int(row[0]) if row else None

    spec = SYNCED[table]
    refs = {column: id_of(target, v.get(ref_field(column))) for column, target in spec.refs}
    plain = {k: v[k] for k in spec.plain if k in v}
    deleted = {"deleted_at": v.get("deleted") or None} if spec.deleted else {}
    if table == "records":
        cited = cited_articles(ours or {}, v)
        return store.records.put_record(
            uuid, leader_ids=[id_of("leaders", u) for u in v["leaders"]],
            duty_ids=[id_of("duties", u) for u in v["duties"]], article_ids=[id_of("articles", a) for a in cited],
            created_at=created_at, **refs, **deleted, **plain)[0]
    if table == "units":
        return store.people.put_unit(uuid, name=v["name"], level=v["level"], parent_id=refs["parent_id"])[0]
    if table == "leaders":
        return store.people.put_leader(uuid, name=v["name"], unit_id=refs["unit_id"], role=v["role"],
                                       position=v["position"])[0]
    if table == "terms":
        return store.people.put_term(uuid, leader_id=refs["leader_id"], start=v["start_date"],
                                     end=v["end_date"])[0]
    if table == "debriefs":
        return store.debriefs.put(uuid, **refs, **plain)[0]
    if table == "annual_reports":
        return store.annual_reports.put(uuid, **refs, **plain)[0]
    put = {"work_plans": store.tasks.put_plan, "work_sections": store.tasks.put_section,
           "tasks": store.tasks.put_task, "task_units": store.tasks.put_task_unit,
           "task_progress": store.tasks.put_progress, "task_records": store.tasks.put_task_record}[table]
    return put(uuid, **refs, **deleted, **plain)[0]

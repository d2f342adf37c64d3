"""Reading the audit log (数据 → 操作日志): filtered pages in SQL, readable before/after with
Chinese field names, export to .xlsx, and bringing deleted rows back.

The log itself is written by triggers (``audit.py``); nothing here writes to it directly —
a restore is an ordinary change and is itself logged.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from duty_tracker.core.storage.errors import NotFoundError, StorageError

ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}
TABLE_LABELS = {
    "records": "履职纪实", "record_leaders": "纪实-负责人", "record_duties": "纪实-事项",
    "record_articles": "纪实-引用条款",
    "attachments": "附件", "leaders": "负责人", "units": "单位", "terms": "任期",
    "duties": "履职事项", "articles": "条文", "clauses": "款项", "rule_sets": "规则",
    "rule_set_years": "年度规则", "debriefs": "述职报告",
    "work_plans": "工作要点", "work_sections": "工作要点-部分", "tasks": "工作任务",
    "task_units": "任务-责任单位", "unit_name_choices": "单位名称对应", "task_progress": "任务进展",
    "task_attachments": "进展附件", "task_records": "任务-纪实", "annual_reports": "法治政府建设年度报告",
}
FIELD_LABELS = {
    "id": "编号", "uuid": "唯一标识", "title": "标题", "name": "名称", "performed_on": "履职日期",
    "kind": "类型", "place": "地点", "participants": "参加人员", "minutes_number": "纪要文号",
    "description": "情况说明", "article_id": "条文", "created_at": "创建时间", "updated_at": "修改时间",
    "deleted_at": "删除时间", "record_id": "纪实", "leader_id": "负责人", "duty_id": "履职事项",
    "unit_id": "单位", "parent_id": "上级单位", "level": "层级", "position": "职务", "role": "类别",
    "start_date": "任职开始", "end_date": "任职结束", "file_name": "文件名", "stored_path": "存储位置",
    "sha256": "校验值", "size": "大小", "added_at": "添加时间", "period": "周期", "min_count": "最低次数",
    "due": "截止日期", "target": "对象", "source_text": "原文", "active": "启用", "rule_set_id": "规则",
    "clause_id": "款项", "number": "序号", "label": "标号", "chapter": "章", "text": "正文",
    "year": "年度", "achievements": "主要做法和成效", "problems": "存在的问题和不足", "plans": "下一步工作打算",
    "issuer": "制定机关", "doc_number": "文号", "effective_date": "施行日期", "is_default": "默认",
    "plan_id": "工作要点", "section_id": "部分", "task_id": "工作任务", "progress_id": "进展",
    "item_label": "项号", "item_title": "项标题", "deadline_text": "时限原文", "named_units": "文件所列单位",
    "source_name": "来源文件", "source": "来源", "reported_on": "进展日期", "note": "进展情况",
    "done": "已完成", "addressee": "主送机关", "signature": "署名", "report_date": "成文日期",
    "opening": "开头", "measures": "主要举措和成效", "leadership": "第一责任人履职情况",
    "submitted_on": "报送日期",
}
#: Fields that are noise in a readable diff.
_QUIET = {"updated_at", "created_at"}


@dataclass(slots=True)
class AuditFilter:
    table: str | None = None
    actor: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    row_uuid: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["1 = 1"], []
        if self.table:
            clauses.append("table_name = ?")
            params.append(self.table)
        if self.actor:
            clauses.append("actor = ?")
            params.append(self.actor)
        if self.action:
            clauses.append("action = ?")
            params.append(self.action)
        if self.date_from:
            clauses.append("at >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append("at < ?")
            params.append((self.date_to + timedelta(days=1)).isoformat())
        if self.row_uuid:
            clauses.append("row_uuid = ?")
            params.append(self.row_uuid)
        text = (self.text or "").strip()
        if text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(before_json LIKE ? ESCAPE '\\' OR after_json LIKE ? ESCAPE '\\')")
            params += [like, like]
        return " AND ".join(clauses), params


def count(db: Any, flt: AuditFilter | None = None) -> int:
    where, params = (flt or AuditFilter()).where()
    return int(db.execute(f"SELECT count(*) FROM audit_log WHERE {where}", params).fetchone()[0])


def page(db: Any, flt: AuditFilter | None = None, *, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Newest first; paging in SQL so a long log never sits in memory."""
    where, params = (flt or AuditFilter()).where()
    cur = db.execute(
        f"SELECT id, at, actor, table_name, row_id, row_uuid, action, before_json, after_json "
        f"FROM audit_log WHERE {where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?", [*params, limit, offset])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    for row in rows:
        row["summary"] = summary(row)
    return rows


def entry(db: Any, audit_id: int) -> dict[str, Any]:
    cur = db.execute("SELECT id, at, actor, table_name, row_id, row_uuid, action, before_json, after_json "
                     "FROM audit_log WHERE id = ?", [audit_id])
    found = cur.fetchone()
    if not found:
        raise NotFoundError(f"操作日志（编号 {audit_id}）不存在。")
    row = dict(zip([d[0] for d in cur.description], found, strict=True))
    row["summary"] = summary(row)
    return row


def distinct(db: Any, column: str) -> list[str]:
    if column not in ("actor", "table_name", "action"):
        raise ValueError(column)
    return [r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM audit_log ORDER BY {column}")]


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def summary(row: dict[str, Any]) -> str:
    """A one-line description of the changed row: its title or name, or what changed."""
    data = _load(row.get("after_json")) or _load(row.get("before_json"))
    for key in ("title", "name", "file_name"):
        if data.get(key):
            text = str(data[key])
            break
    else:
        if "record_id" in data:
            text = f"纪实 {data['record_id']}"
        elif "start_date" in data:
            text = f"{data['start_date']} 至 {data.get('end_date') or '今'}"
        else:
            text = f"编号 {row.get('row_id') or ''}"
    if row.get("action") == "update":
        changed = [FIELD_LABELS.get(k, k) for k, _b, _a in raw_changes(row) if k not in _QUIET]
        if row.get("table_name") == "records":
            before, after = _load(row.get("before_json")), _load(row.get("after_json"))
            if before.get("deleted_at") is None and after.get("deleted_at"):
                return f"{text}（删除到回收站）"
            if before.get("deleted_at") and after.get("deleted_at") is None:
                return f"{text}（从回收站恢复）"
        if changed:
            return f"{text}（修改了{'、'.join(changed[:4])}{'等' if len(changed) > 4 else ''}）"
    return text


def raw_changes(row: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    before, after = _load(row.get("before_json")), _load(row.get("after_json"))
    keys = list(dict.fromkeys([*before, *after]))
    if row.get("action") == "update":
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
    return [(k, before.get(k), after.get(k)) for k in keys]


def diff(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field label, before, after) for display; for an update only the changed fields."""
    out = []
    for key, before, after in raw_changes(row):
        if row.get("action") == "update" and key in _QUIET:
            continue
        out.append((FIELD_LABELS.get(key, key), _show(before), _show(after)))
    return out


def _show(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


# -- restoring ---------------------------------------------------------------------------------
def restorable(db: Any, row: dict[str, Any]) -> bool:
    """A record deleted to the recycle bin, or any row whose deletion is logged and which is
    not back yet."""
    table = row.get("table_name")
    if table not in TABLE_LABELS:
        return False
    if table == "records" and row.get("action") == "update":
        before, after = _load(row.get("before_json")), _load(row.get("after_json"))
        if after.get("deleted_at") and not before.get("deleted_at"):
            current = db.execute("SELECT deleted_at FROM records WHERE id = ?", [row.get("row_id")]).fetchone()
            return bool(current and current[0])
        return False
    if row.get("action") != "delete" or not row.get("before_json"):
        return False
    return not _exists(db, table, _load(row["before_json"]))


def _exists(db: Any, table: str, values: dict[str, Any]) -> bool:
    if "uuid" in values:
        return db.execute(f"SELECT 1 FROM {table} WHERE uuid = ?", [values["uuid"]]).fetchone() is not None
    if "id" in values:
        return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [values["id"]]).fetchone() is not None
    keys = [k for k in values if k.endswith("_id")]
    if not keys:
        return False
    where = " AND ".join(f"{k} = ?" for k in keys)
    return db.execute(f"SELECT 1 FROM {table} WHERE {where}", [values[k] for k in keys]).fetchone() is not None


def restore(store: Any, audit_id: int) -> str:
    """Bring back what the log entry deleted; returns a Chinese sentence saying what came back."""
    db = store.db
    row = entry(db, audit_id)
    if not restorable(db, row):
        raise StorageError("这条记录不需要恢复（它没有被删除，或已经恢复）。")
    table = row["table_name"]
    label = TABLE_LABELS.get(table, table)
    if row["action"] == "update":  # a record in the recycle bin
        store.records.restore_records([row["row_id"]])
        return f"已恢复{label}：{summary({**row, 'action': 'insert'})}"
    values = _load(row["before_json"])
    columns = {c.name for c in db[table].columns}
    values = {k: v for k, v in values.items() if k in columns}
    try:
        with db.atomic():
            _insert(db, table, values)
            children = 0
            if table == "records":  # bring back its links and attachments deleted with it
                for child in ("record_leaders", "record_duties", "record_articles", "attachments"):
                    for (before,) in db.execute(
                        "SELECT before_json FROM audit_log WHERE table_name = ? AND action = 'delete' "
                        "AND json_extract(before_json, '$.record_id') = ? ORDER BY id", [child, values.get("id")],
                    ).fetchall():
                        data = _load(before)
                        if data and not _exists(db, child, data):
                            _insert(db, child, data)
                            children += 1
    except sqlite3.IntegrityError as exc:
        raise StorageError(f"无法恢复：它引用的数据（负责人、单位或事项）已不存在（{exc}）。") from exc
    return f"已恢复{label}：{summary({**row, 'action': 'insert'})}"


def _insert(db: Any, table: str, values: dict[str, Any]) -> None:
    cols = list(values)
    db.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
               [values[c] for c in cols])


# -- the store's view of the log ------------------------------------------------------------------
class AuditLog:
    """The audit log of one store (``store.audit_log``), for the window's 操作日志 and exports."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def count(self, flt: AuditFilter | None = None) -> int:
        return count(self._store.db, flt)

    def page(self, flt: AuditFilter | None = None, *, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
        return page(self._store.db, flt, limit=limit, offset=offset)

    def entry(self, audit_id: int) -> dict[str, Any]:
        return entry(self._store.db, audit_id)

    def actors(self) -> list[str]:
        return distinct(self._store.db, "actor")

    def restorable(self, row: dict[str, Any]) -> bool:
        return restorable(self._store.db, row)

    def restore(self, audit_id: int) -> str:
        return restore(self._store, audit_id)

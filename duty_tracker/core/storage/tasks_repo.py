"""The year's work points: documents (工作要点), their sections and tasks, the units responsible
for each task with their role, progress per task and unit with evidence files, records of
duties that evidence a task, and the clerk's remembered choices of unit for a document's names.

Why it is shaped so:

- A task keeps the units *as the document names them* (``named_units``: "市政府各部门" stays
  one name, as the 任务分解表 prints it) beside the program's units it was mapped to
  (``task_units``: every department, each with its own progress and status).
- Documents, tasks and progress entries are deleted softly (``deleted_at``): the clerk can
  undo, and the audit log shows what was there. Link rows (units, records) are deleted for
  real; the audit log keeps them.
- Evidence files are the content-addressed files of the record attachments
  (:meth:`RecordsRepo.store_attachment_file`): the same scan for a record and a task is stored
  once, and backups, checks and packages handle both alike.
- A unit that has reported progress on a task cannot be taken off it (its entries would be
  orphaned), and a progress entry is only accepted from a unit of the task.

Every change runs in one ``db.atomic()`` transaction (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from duty_tracker.core.helpers import new_uuid, now_iso
from duty_tracker.core.storage.errors import NotFoundError, ValidationError
from duty_tracker.core.storage.fields import as_date, iso_or_none
from duty_tracker.core.storage.records_repo import RecordsRepo, valid_timestamp

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase

#: Roles of a unit in a task (stored codes → the words documents use), strongest first.
TASK_ROLES: dict[str, str] = {"lead": "牵头", "responsible": "负责", "assist": "配合"}
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(TASK_ROLES)}
TASK_FIELDS = ("title", "text", "due", "deadline_text", "section_id", "item_label", "item_title",
               "number", "position", "source_text", "named_units")
PLAN_FIELDS = ("title", "year", "doc_number", "source_name")
PROGRESS_FIELDS = ("reported_on", "note", "done")
ATTACHMENT_KEYS = ("uuid", "file_name", "stored_path", "sha256", "size")
MAX_TITLE, MAX_TEXT = 500, 20_000


@dataclass(slots=True)
class SectionDraft:
    """A section of a document to store ("一、" + "深化行政审批制度改革")."""

    title: str
    label: str = ""


@dataclass(slots=True)
class TaskDraft:
    """A task to store. ``section`` indexes the plan's sections (None: outside any section);
    ``named_units`` are (name, role) as the document says; ``units`` (unit id, role) the
    program's units it was mapped to."""

    title: str
    text: str = ""
    due: date | str | None = None
    deadline_text: str | None = None
    section: int | None = None
    number: int | None = None
    item_label: str | None = None
    item_title: str | None = None
    source_text: str = ""
    named_units: list[tuple[str, str]] = field(default_factory=list)
    units: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class PlanDraft:
    """A whole document to store at once."""

    title: str
    year: int
    doc_number: str | None = None
    source_name: str = ""
    source_text: str = ""
    sections: list[SectionDraft] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values)) or "NULL"


class TasksRepo:
    def __init__(self, db: LedgerDatabase, records: RecordsRepo) -> None:
        self.db = db
        self.records = records  # its attachment files are shared

    # -- documents -------------------------------------------------------------------------
    def add_plan(self, draft: PlanDraft) -> int:
        """Store a document with its sections and tasks in one transaction; returns its id."""
        plan = self._valid_plan({"title": draft.title, "year": draft.year,
                                 "doc_number": draft.doc_number, "source_name": draft.source_name})
        tasks = [self._valid_task_draft(task, len(draft.sections), index)
                 for index, task in enumerate(draft.tasks, start=1)]
        now = now_iso()
        with self.db.atomic():
            plan_id = int(self.db["work_plans"].insert({
                "uuid": new_uuid(), **plan, "source_text": draft.source_text or "",
                "created_at": now, "updated_at": now, "deleted_at": None}).last_pk)
            section_ids = [int(self.db["work_sections"].insert({
                "uuid": new_uuid(), "plan_id": plan_id, "position": position,
                "label": (section.label or "").strip(), "title": section.title.strip() or "（未命名）",
                "created_at": now, "updated_at": now}).last_pk)
                for position, section in enumerate(draft.sections, start=1)]
            for position, (fields, units, section) in enumerate(tasks, start=1):
                self._insert_task(plan_id, {
                    **fields, "position": position,
                    "section_id": section_ids[section] if section is not None else None}, units, now)
        return plan_id

    def plan(self, plan_id: int) -> dict[str, Any]:
        rows = list(self.db.query(
            "SELECT p.*, (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id AND t.deleted_at IS NULL)"
            " AS task_count FROM work_plans p WHERE p.id = ?", [plan_id]))
        if not rows:
            raise NotFoundError(f"工作要点（编号 {plan_id}）不存在。")
        return rows[0]

    def plans(self, year: int | None = None, *, deleted: bool = False) -> list[dict[str, Any]]:
        """Documents (without their source text), newest year first."""
        sql = ("SELECT p.id, p.uuid, p.title, p.year, p.doc_number, p.source_name, p.created_at, "
               "p.updated_at, p.deleted_at, (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id "
               "AND t.deleted_at IS NULL) AS task_count FROM work_plans p WHERE p.deleted_at IS "
               + ("NOT NULL" if deleted else "NULL"))
        params: list[Any] = []
        if year is not None:
            sql += " AND p.year = ?"
            params.append(year)
        return list(self.db.query(sql + " ORDER BY p.year DESC, p.id", params))

    def find_plans(self, title: str, year: int) -> list[dict[str, Any]]:
        """Documents of ``year`` with the same title (a second import of the same document)."""
        return [p for p in self.plans(year) if p["title"].strip() == (title or "").strip()]

    def update_plan(self, plan_id: int, **fields: Any) -> None:
        unknown = set(fields) - set(PLAN_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        current = self.plan(plan_id)
        merged = self._valid_plan({k: fields.get(k, current[k]) for k in PLAN_FIELDS})
        if any(merged[k] != current[k] for k in PLAN_FIELDS):
            with self.db.atomic():
                self.db["work_plans"].update(plan_id, {**merged, "updated_at": now_iso()})

    def delete_plan(self, plan_id: int) -> None:
        """Soft delete: its tasks and progress disappear from every list, and come back with it."""
        self._set_deleted("work_plans", [plan_id], now_iso())

    def restore_plan(self, plan_id: int) -> None:
        self._set_deleted("work_plans", [plan_id], None)

    def sections(self, plan_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT * FROM work_sections WHERE plan_id = ? ORDER BY position", [plan_id]))

    def _valid_plan(self, fields: dict[str, Any]) -> dict[str, Any]:
        title = (fields.get("title") or "").strip()
        if not title:
            raise ValidationError("工作要点的标题不能为空。")
        if len(title) > MAX_TITLE:
            raise ValidationError(f"工作要点的标题过长（超过 {MAX_TITLE} 字）。")
        try:
            year = int(fields.get("year"))
        except (TypeError, ValueError):
            raise ValidationError("请填写工作要点的年度（四位年份，如 2017）。") from None
        if not 1990 <= year <= 2100:
            raise ValidationError(f"年度不正确：{year}（应为四位年份，如 2017）。")
        return {"title": title, "year": year,
                "doc_number": (fields.get("doc_number") or "").strip() or None,
                "source_name": (fields.get("source_name") or "").strip()}

    def _set_deleted(self, table: str, ids: Iterable[int], when: str | None) -> None:
        condition = "deleted_at IS NULL" if when else "deleted_at IS NOT NULL"
        with self.db.atomic():
            for row_id in ids:
                self.db.execute(
                    f"UPDATE {table} SET deleted_at = ?, updated_at = ? WHERE id = ? AND {condition}",
                    [when, now_iso(), row_id])

    # -- tasks -----------------------------------------------------------------------------
    def add_task(self, plan_id: int, draft: TaskDraft, *, section_id: int | None = None) -> int:
        """One more task at the end of a document (a task the parser missed)."""
        self.plan(plan_id)
        fields, units, _section = self._valid_task_draft(draft, 0, 0)
        if section_id is not None and not self.db.execute(
                "SELECT 1 FROM work_sections WHERE id = ? AND plan_id = ?", [section_id, plan_id]).fetchone():
            raise ValidationError(f"该工作要点中没有这一部分（编号 {section_id}）。")
        with self.db.atomic():
            position = 1 + self.db.execute(
                "SELECT coalesce(max(position), 0) FROM tasks WHERE plan_id = ?", [plan_id]).fetchone()[0]
            fields["number"] = draft.number or position
            return self._insert_task(plan_id, {**fields, "position": position, "section_id": section_id},
                                     units, now_iso())

    def _insert_task(self, plan_id: int, fields: dict[str, Any], units: list[tuple[int, str]],
                     now: str) -> int:
        task_id = int(self.db["tasks"].insert({
            "uuid": new_uuid(), "plan_id": plan_id, **fields,
            "created_at": now, "updated_at": now, "deleted_at": None}).last_pk)
        self.db["task_units"].insert_all([
            {"uuid": new_uuid(), "task_id": task_id, "unit_id": unit_id, "role": role,
             "created_at": now, "updated_at": now} for unit_id, role in units])
        return task_id

    def _valid_task_draft(self, draft: TaskDraft, sections: int, index: int
                          ) -> tuple[dict[str, Any], list[tuple[int, str]], int | None]:
        if draft.section is not None and not 0 <= draft.section < sections:
            raise ValidationError(f"第 {index} 项任务所属的部分不存在。")
        fields = self._valid_task_fields({
            "title": draft.title, "text": draft.text, "due": draft.due,
            "deadline_text": draft.deadline_text, "item_label": draft.item_label,
            "item_title": draft.item_title, "source_text": draft.source_text,
            "named_units": _named_json(draft.named_units), "number": draft.number or index})
        return fields, self._valid_units(draft.units), draft.section

    def _valid_task_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        out = dict(fields)
        title = (fields.get("title") or "").strip()
        if not title:
            raise ValidationError("任务名称不能为空。")
        if len(title) > MAX_TITLE:
            raise ValidationError(f"任务名称过长（超过 {MAX_TITLE} 字）。")
        out["title"] = title
        for key, label in (("text", "任务内容"), ("source_text", "原文")):
            if key in fields:
                out[key] = fields.get(key) or ""
                if len(out[key]) > MAX_TEXT:
                    raise ValidationError(f"{label}过长（超过 {MAX_TEXT} 字）。")
        if "due" in fields:
            out["due"] = iso_or_none(fields.get("due"), "完成时限")
        for key in ("deadline_text", "item_label", "item_title"):
            if key in fields:
                out[key] = (fields.get(key) or "").strip() or None
        for key in ("number", "position"):
            if key in fields and fields[key] is not None:
                out[key] = int(fields[key])
        if "named_units" in fields:
            out["named_units"] = _named_json(_named_list(fields["named_units"]))
        return out

    def _valid_units(self, units: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        """A unit once (with its strongest role), known roles, existing units."""
        roles: dict[int, str] = {}
        for unit_id, role in units:
            if role not in TASK_ROLES:
                raise ValidationError(f"单位职责不正确：{role}（可选：牵头、负责、配合）")
            known = roles.get(int(unit_id))
            if known is None or ROLE_RANK[role] < ROLE_RANK[known]:
                roles[int(unit_id)] = role
        if roles:
            ids = list(roles)
            found = {r[0] for r in self.db.execute(
                f"SELECT id FROM units WHERE id IN ({_marks(ids)})", ids)}
            missing = [str(i) for i in ids if i not in found]
            if missing:
                raise ValidationError(f"单位不存在：编号 {'、'.join(missing)}")
        return list(roles.items())

    def task(self, task_id: int) -> dict[str, Any]:
        """A task with its document, section, units and named units (deleted ones too)."""
        rows = self._task_rows("t.id = ?", [task_id])
        if not rows:
            raise NotFoundError(f"工作任务（编号 {task_id}）不存在。")
        return rows[0]

    def tasks(self, year: int | None = None, *, plan_id: int | None = None, unit_id: int | None = None,
              task_ids: Sequence[int] | None = None, deleted: bool = False) -> list[dict[str, Any]]:
        """Tasks of the documents not deleted, in document order; ``unit_id``: that unit's."""
        clauses = ["p.deleted_at IS NULL", "t.deleted_at IS NOT NULL" if deleted else "t.deleted_at IS NULL"]
        params: list[Any] = []
        if year is not None:
            clauses.append("p.year = ?")
            params.append(year)
        if plan_id is not None:
            clauses.append("t.plan_id = ?")
            params.append(plan_id)
        if unit_id is not None:
            clauses.append("t.id IN (SELECT task_id FROM task_units WHERE unit_id = ?)")
            params.append(unit_id)
        if task_ids is not None:
            clauses.append(f"t.id IN ({_marks(task_ids)})")
            params += list(task_ids)
        return self._task_rows(" AND ".join(clauses), params)

    def _task_rows(self, where: str, params: list[Any]) -> list[dict[str, Any]]:
        rows = list(self.db.query(
            "SELECT t.*, p.title AS plan_title, p.year AS year, p.deleted_at AS plan_deleted_at, "
            "s.position AS section_position, s.label AS section_label, s.title AS section_title "
            "FROM tasks t JOIN work_plans p ON p.id = t.plan_id "
            f"LEFT JOIN work_sections s ON s.id = t.section_id WHERE {where} "
            "ORDER BY p.year, p.id, t.position, t.id", params))
        units = self.units_of([r["id"] for r in rows])
        for row in rows:
            row["named_units"] = _named_dicts(row["named_units"])
            row["section"] = (row["section_label"] or "") + (row["section_title"] or "")
            row["units"] = units.get(row["id"], [])
        return rows

    def units_of(self, task_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        """task id → [{unit_id, unit_name, role}], the lead first, then in unit order."""
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for start in range(0, len(task_ids), 500):
            chunk = list(task_ids[start:start + 500])
            for row in self.db.query(
                "SELECT tu.task_id, tu.unit_id, u.name AS unit_name, u.level, tu.role FROM task_units tu "
                f"JOIN units u ON u.id = tu.unit_id WHERE tu.task_id IN ({_marks(chunk)}) "
                "ORDER BY tu.task_id, CASE tu.role WHEN 'lead' THEN 0 WHEN 'responsible' THEN 1 ELSE 2 END, "
                "u.id", chunk):
                out[row.pop("task_id")].append(row)
        return out

    def update_task(self, task_id: int, *, units: Sequence[tuple[int, str]] | None = None,
                    **fields: Any) -> None:
        """Change the given fields and (``units`` not None) make the task's units exactly
        ``units``, in one transaction; only the link rows that changed are touched."""
        unknown = set(fields) - set(TASK_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        current = self.task(task_id)
        before = self._valid_task_fields({k: current[k] for k in TASK_FIELDS})
        merged = self._valid_task_fields({**before, **fields})
        if merged.get("section_id") is not None and not self.db.execute(
                "SELECT 1 FROM work_sections WHERE id = ? AND plan_id = ?",
                [merged["section_id"], current["plan_id"]]).fetchone():
            raise ValidationError("任务所属的部分不在同一份工作要点中。")
        new_units = self._valid_units(units) if units is not None else None
        with self.db.atomic():
            if merged != before:
                self.db["tasks"].update(task_id, {**merged, "updated_at": now_iso()})
            if new_units is not None:
                self._sync_units(task_id, current["units"], new_units)

    def set_task_units(self, task_id: int, units: Sequence[tuple[int, str]]) -> None:
        self.update_task(task_id, units=units)

    def add_task_units(self, task_id: int, units: Sequence[tuple[int, str]]) -> int:
        """Add units to a task (a unit already there keeps the stronger of its two roles);
        returns how many links were added or strengthened."""
        current = {u["unit_id"]: u["role"] for u in self.task(task_id)["units"]}
        merged = dict(current)
        for unit_id, role in self._valid_units(units):
            if unit_id not in merged or ROLE_RANK[role] < ROLE_RANK[merged[unit_id]]:
                merged[unit_id] = role
        if merged != current:
            self.update_task(task_id, units=list(merged.items()))
        return sum(1 for k, v in merged.items() if current.get(k) != v)

    def _sync_units(self, task_id: int, old: list[dict[str, Any]], new: list[tuple[int, str]]) -> None:
        before = {u["unit_id"]: u["role"] for u in old}
        after = dict(new)
        gone = [unit_id for unit_id in before if unit_id not in after]
        if gone:
            reported = self.db.execute(
                f"SELECT DISTINCT u.name FROM task_progress tp JOIN units u ON u.id = tp.unit_id "
                f"WHERE tp.task_id = ? AND tp.deleted_at IS NULL AND tp.unit_id IN ({_marks(gone)})",
                [task_id, *gone]).fetchall()
            if reported:
                names = "、".join(r[0] for r in reported)
                raise ValidationError(f"{names}已填报这项任务的进展，不能从任务中移除（可先删除其进展）。")
        now = now_iso()
        for unit_id in gone:
            self.db.execute("DELETE FROM task_units WHERE task_id = ? AND unit_id = ?", [task_id, unit_id])
        for unit_id, role in after.items():
            if unit_id not in before:
                self.db["task_units"].insert({"uuid": new_uuid(), "task_id": task_id, "unit_id": unit_id,
                                              "role": role, "created_at": now, "updated_at": now})
            elif before[unit_id] != role:
                self.db.execute("UPDATE task_units SET role = ?, updated_at = ? WHERE task_id = ? AND "
                                "unit_id = ?", [role, now, task_id, unit_id])

    def delete_tasks(self, task_ids: Iterable[int]) -> None:
        """Soft delete (an item that is not a task, dropped after the import): undo brings it back."""
        self._set_deleted("tasks", task_ids, now_iso())

    def restore_tasks(self, task_ids: Iterable[int]) -> None:
        self._set_deleted("tasks", task_ids, None)

    def tasks_naming(self, name: str, year: int | None = None) -> list[dict[str, Any]]:
        """Tasks whose document names the unit ``name`` (to apply a choice made later)."""
        name = (name or "").strip()
        return [r for r in self.tasks(year) if any(n["name"] == name for n in r["named_units"])]

    # -- the clerk's unit choices ----------------------------------------------------------
    def unit_choices(self) -> dict[str, list[int]]:
        """name → the unit ids the clerk chose for it; an empty list: "not one of our units"."""
        out: dict[str, list[int]] = {}
        for name, unit_id in self.db.execute(
                "SELECT name, unit_id FROM unit_name_choices ORDER BY name, unit_id"):
            out.setdefault(name, [])
            if unit_id is not None:
                out[name].append(unit_id)
        return out

    def remember_unit_choice(self, name: str, unit_ids: Sequence[int]) -> None:
        """Make the remembered choice for ``name`` exactly ``unit_ids`` (empty: not ours);
        rows that stay keep their uuid."""
        name = (name or "").strip()
        if not name:
            raise ValidationError("单位名称不能为空。")
        wanted = self._valid_units([(int(i), "responsible") for i in unit_ids])
        wanted_ids: set[int | None] = {unit_id for unit_id, _ in wanted} or {None}
        present = {row[0]: row[1] for row in self.db.execute(
            "SELECT id, unit_id FROM unit_name_choices WHERE name = ?", [name])}
        now = now_iso()
        with self.db.atomic():
            for row_id, unit_id in present.items():
                if unit_id not in wanted_ids:
                    self.db.execute("DELETE FROM unit_name_choices WHERE id = ?", [row_id])
            for unit_id in wanted_ids - set(present.values()):
                self.db["unit_name_choices"].insert({"uuid": new_uuid(), "name": name, "unit_id": unit_id,
                                                     "created_at": now, "updated_at": now})

    def forget_unit_choice(self, name: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM unit_name_choices WHERE name = ?", [(name or "").strip()])

    # -- progress --------------------------------------------------------------------------
    def add_progress(self, task_id: int, unit_id: int, reported_on: date | str, note: str = "",
                     done: bool = False, *, attachments: Sequence[dict[str, Any]] = (),
                     source: str = "") -> int:
        """A progress entry of one unit on one task, with its evidence files (stored before by
        :meth:`RecordsRepo.store_attachment_file`), in one transaction."""
        fields = self._valid_progress({"reported_on": reported_on, "note": note, "done": done})
        self._check_unit_of_task(task_id, unit_id)
        now = now_iso()
        with self.db.atomic():
            progress_id = int(self.db["task_progress"].insert({
                "uuid": new_uuid(), "task_id": task_id, "unit_id": unit_id, **fields,
                "source": source or "", "created_at": now, "updated_at": now, "deleted_at": None,
            }).last_pk)
            self._insert_attachments(progress_id, attachments, now)
        return progress_id

    def update_progress(self, progress_id: int, *, add_attachments: Sequence[dict[str, Any]] = (),
                        remove_attachment_ids: Sequence[int] = (), **fields: Any) -> None:
        unknown = set(fields) - set(PROGRESS_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        current = self.progress_entry(progress_id)
        merged = self._valid_progress({k: fields.get(k, current[k]) for k in PROGRESS_FIELDS})
        now = now_iso()
        with self.db.atomic():
            if any(merged[k] != current[k] for k in PROGRESS_FIELDS):
                self.db["task_progress"].update(progress_id, {**merged, "updated_at": now})
            self._insert_attachments(progress_id, add_attachments, now)
            for attachment_id in remove_attachment_ids:
                self.db.execute("DELETE FROM task_attachments WHERE id = ? AND progress_id = ?",
                                [attachment_id, progress_id])

    def delete_progress(self, progress_ids: Iterable[int]) -> None:
        self._set_deleted("task_progress", progress_ids, now_iso())

    def restore_progress(self, progress_ids: Iterable[int]) -> None:
        self._set_deleted("task_progress", progress_ids, None)

    def progress_entry(self, progress_id: int) -> dict[str, Any]:
        rows = list(self.db.query(
            "SELECT tp.*, u.name AS unit_name FROM task_progress tp JOIN units u ON u.id = tp.unit_id "
            "WHERE tp.id = ?", [progress_id]))
        if not rows:
            raise NotFoundError(f"进展记录（编号 {progress_id}）不存在。")
        row = rows[0]
        row["done"] = bool(row["done"])
        row["attachments"] = self.progress_attachments(progress_id)
        return row

    def progress(self, task_ids: Sequence[int] | None = None, *, unit_id: int | None = None,
                 deleted: bool = False) -> list[dict[str, Any]]:
        """Progress entries (oldest first) with their unit name and attachment count."""
        clauses = ["tp.deleted_at IS NOT NULL" if deleted else "tp.deleted_at IS NULL"]
        params: list[Any] = []
        if task_ids is not None:
            clauses.append(f"tp.task_id IN ({_marks(task_ids)})")
            params += list(task_ids)
        if unit_id is not None:
            clauses.append("tp.unit_id = ?")
            params.append(unit_id)
        rows = list(self.db.query(
            "SELECT tp.*, u.name AS unit_name, (SELECT count(*) FROM task_attachments ta "
            "WHERE ta.progress_id = tp.id) AS attachment_count FROM task_progress tp "
            f"JOIN units u ON u.id = tp.unit_id WHERE {' AND '.join(clauses)} "
            "ORDER BY tp.task_id, tp.reported_on, tp.id", params))
        for row in rows:
            row["done"] = bool(row["done"])
        return rows

    def progress_attachments(self, progress_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT * FROM task_attachments WHERE progress_id = ? ORDER BY id", [progress_id]))

    def progress_snapshot(self, progress_id: int) -> dict[str, Any]:
        """Everything a save can change (fields, attachment rows, deleted or not): undo/redo."""
        row = self.progress_entry(progress_id)
        return {"fields": {k: row[k] for k in PROGRESS_FIELDS},
                "attachments": [{k: a[k] for k in ATTACHMENT_KEYS} for a in row["attachments"]],
                "deleted": row["deleted_at"] is not None}

    def apply_progress_snapshot(self, progress_id: int, snap: dict[str, Any]) -> None:
        current = self.progress_snapshot(progress_id)
        present = {a["uuid"]: a for a in self.progress_attachments(progress_id)}
        wanted = {a["uuid"] for a in snap["attachments"]}
        with self.db.atomic():
            self.update_progress(
                progress_id, add_attachments=[a for a in snap["attachments"] if a["uuid"] not in present],
                remove_attachment_ids=[a["id"] for u, a in present.items() if u not in wanted],
                **snap["fields"])
            if snap["deleted"] != current["deleted"]:
                (self.delete_progress if snap["deleted"] else self.restore_progress)([progress_id])

    def _valid_progress(self, fields: dict[str, Any]) -> dict[str, Any]:
        day = as_date(fields.get("reported_on"), "进展日期")
        if day is None:
            raise ValidationError("请填写进展日期。")
        note = (fields.get("note") or "").strip()
        done = bool(fields.get("done"))
        if not note and not done:
            raise ValidationError("请填写进展情况，或标记为已完成。")
        if len(note) > MAX_TEXT:
            raise ValidationError(f"进展情况过长（超过 {MAX_TEXT} 字）。")
        return {"reported_on": day.isoformat(), "note": note, "done": done}

    def _check_unit_of_task(self, task_id: int, unit_id: int, *, deleted_ok: bool = False) -> None:
        task = self.task(task_id)
        if not deleted_ok and (task["deleted_at"] or task["plan_deleted_at"]):
            raise ValidationError(f"工作任务“{task['title']}”已删除，不能填报进展。")
        if not any(u["unit_id"] == unit_id for u in task["units"]):
            names = "、".join(u["unit_name"] for u in task["units"]) or "尚未指定"
            raise ValidationError(f"该单位不是任务“{task['title']}”的责任单位（责任单位：{names}）。")

    def _insert_attachments(self, progress_id: int, stored: Sequence[dict[str, Any]], now: str) -> None:
        for item in stored:
            self.db["task_attachments"].insert({
                "uuid": item.get("uuid") or new_uuid(), "progress_id": progress_id,
                "file_name": item["file_name"], "stored_path": item["stored_path"],
                "sha256": item["sha256"], "size": item["size"], "created_at": now, "updated_at": now})

    # -- records that evidence tasks ----------------------------------------------------------
    def link_record(self, task_id: int, record_id: int, unit_id: int | None = None, note: str = "") -> int:
        """A record of a duty evidences the task (for ``unit_id``, or for the task as a whole);
        linking it again only updates the unit and note."""
        self.records.record(record_id)
        if unit_id is not None:
            self._check_unit_of_task(task_id, unit_id)
        else:
            self.task(task_id)
        now = now_iso()
        existing = self.db.execute("SELECT id FROM task_records WHERE task_id = ? AND record_id = ?",
                                   [task_id, record_id]).fetchone()
        with self.db.atomic():
            if existing:
                self.db["task_records"].update(existing[0], {"unit_id": unit_id, "note": note or "",
                                                             "updated_at": now})
                return int(existing[0])
            return int(self.db["task_records"].insert({
                "uuid": new_uuid(), "task_id": task_id, "record_id": record_id, "unit_id": unit_id,
                "note": note or "", "created_at": now, "updated_at": now}).last_pk)

    def unlink_record(self, task_id: int, record_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM task_records WHERE task_id = ? AND record_id = ?",
                            [task_id, record_id])

    def task_records(self, task_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Records (not deleted) evidencing the tasks: link, date, title, kind."""
        if not task_ids:
            return []
        return list(self.db.query(
            "SELECT tr.id, tr.uuid, tr.task_id, tr.record_id, tr.unit_id, tr.note, r.performed_on, "
            "r.title, r.kind FROM task_records tr JOIN records r ON r.id = tr.record_id "
            f"WHERE r.deleted_at IS NULL AND tr.task_id IN ({_marks(task_ids)}) "
            "ORDER BY tr.task_id, r.performed_on, r.id", list(task_ids)))

    def record_tasks(self, record_id: int) -> list[dict[str, Any]]:
        """Tasks a record evidences (the record form shows them)."""
        return list(self.db.query(
            "SELECT tr.id, tr.task_id, tr.unit_id, tr.note, t.title, p.year FROM task_records tr "
            "JOIN tasks t ON t.id = tr.task_id JOIN work_plans p ON p.id = t.plan_id "
            "WHERE tr.record_id = ? AND t.deleted_at IS NULL AND p.deleted_at IS NULL "
            "ORDER BY p.year, t.position", [record_id]))

    # -- data packages -----------------------------------------------------------------------
    # Each ``put_*`` inserts or updates the row with this uuid as a data package brings it,
    # through the validation of the window's saves, and returns (id, True when inserted).
    # A package carries the state of another office, so a deleted task may bring its progress.
    def _id_of(self, table: str, uuid: str) -> int | None:
        row = self.db.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        return int(row[0]) if row else None

    def _put(self, table: str, uuid: str, values: dict[str, Any], clash: str | None = None) -> tuple[int, bool]:
        """Write one row by uuid; ``clash`` is the Chinese reason when a unique key is taken."""
        row_id = self._id_of(table, uuid)
        now = now_iso()
        with self.db.atomic():
            if row_id is None:
                try:
                    return int(self.db[table].insert({"uuid": uuid, **values, "created_at": now,
                                                      "updated_at": now}).last_pk), True
                except sqlite3.IntegrityError:
                    if clash is None:
                        raise
                    raise ValidationError(clash) from None
            current = dict(zip(values, self.db.execute(
                f"SELECT {', '.join(values)} FROM {table} WHERE id = ?", [row_id]).fetchone(), strict=True))
            if current != values:
                self.db[table].update(row_id, {**values, "updated_at": now})
            return row_id, False

    def put_plan(self, uuid: str, *, title: str, year: int, doc_number: str | None = None,
                 source_name: str | None = "", source_text: str | None = "",
                 deleted_at: str | None = None) -> tuple[int, bool]:
        plan = self._valid_plan({"title": title, "year": year, "doc_number": doc_number,
                                 "source_name": source_name})
        return self._put("work_plans", uuid, {**plan, "source_text": source_text or "",
                                              "deleted_at": valid_timestamp(deleted_at, "删除时间")})

    def put_section(self, uuid: str, *, plan_id: int, position: int, title: str,
                    label: str | None = "") -> tuple[int, bool]:
        self.plan(plan_id)
        if isinstance(position, bool) or not isinstance(position, int):
            raise ValidationError("工作要点中部分的序号不是整数。")
        return self._put("work_sections", uuid, {
            "plan_id": plan_id, "position": position, "label": (label or "").strip(),
            "title": (title or "").strip() or "（未命名）"})

    def put_task(self, uuid: str, *, plan_id: int, section_id: int | None = None,
                 deleted_at: str | None = None, **fields: Any) -> tuple[int, bool]:
        unknown = set(fields) - set(TASK_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        self.plan(plan_id)
        if section_id is not None and not self.db.execute(
                "SELECT 1 FROM work_sections WHERE id = ? AND plan_id = ?", [section_id, plan_id]).fetchone():
            raise ValidationError("任务所属的部分不在同一份工作要点中。")
        values = self._valid_task_fields({k: fields.get(k) for k in TASK_FIELDS if k != "section_id"})
        for key in ("number", "position"):
            if values.get(key) is None:
                raise ValidationError("任务的序号不完整。")
        return self._put("tasks", uuid, {**values, "plan_id": plan_id, "section_id": section_id,
                                         "deleted_at": valid_timestamp(deleted_at, "删除时间")})

    def put_task_unit(self, uuid: str, *, task_id: int, unit_id: int, role: str) -> tuple[int, bool]:
        """A responsible unit of a task; a unit is on a task once (a second row is refused)."""
        self.task(task_id)
        [(unit_id, role)] = self._valid_units([(unit_id, role)])
        return self._put("task_units", uuid, {"task_id": task_id, "unit_id": unit_id, "role": role},
                         clash="该单位已是这项任务的责任单位。")

    def put_progress(self, uuid: str, *, task_id: int, unit_id: int, reported_on: date | str,
                     note: str | None = "", done: Any = False, source: str | None = "",
                     deleted_at: str | None = None) -> tuple[int, bool]:
        fields = self._valid_progress({"reported_on": reported_on, "note": note, "done": done})
        self._check_unit_of_task(task_id, unit_id, deleted_ok=True)
        return self._put("task_progress", uuid, {
            "task_id": task_id, "unit_id": unit_id, **fields, "done": int(fields["done"]),
            "source": source or "", "deleted_at": valid_timestamp(deleted_at, "删除时间")})

    def put_task_record(self, uuid: str, *, task_id: int, record_id: int, unit_id: int | None = None,
                        note: str | None = "") -> tuple[int, bool]:
        self.records.record(record_id)
        if unit_id is not None:
            self._check_unit_of_task(task_id, unit_id, deleted_ok=True)
        else:
            self.task(task_id)
        return self._put("task_records", uuid, {"task_id": task_id, "record_id": record_id,
                                                "unit_id": unit_id, "note": note or ""},
                         clash="这条纪实已是该任务的佐证。")

    def link_progress_attachment(self, uuid: str, *, progress_id: int, file_name: str, stored_path: str,
                                 sha256: str, size: int) -> int:
        """Link an evidence file already in the data folder (a package copied it there,
        verified) to a progress entry; refused unless the file is there with that content."""
        self.progress_entry(progress_id)
        self.records.check_stored_file(file_name, stored_path, sha256, size)
        now = now_iso()
        with self.db.atomic():
            self._insert_attachments(progress_id, [{"uuid": uuid, "file_name": file_name.strip(),
                                                    "stored_path": stored_path, "sha256": sha256,
                                                    "size": int(size)}], now)
            return int(self.db.execute("SELECT last_insert_rowid()").fetchone()[0])


def _named_list(value: Any) -> list[tuple[str, str]]:
    """(name, role) pairs from JSON text, dicts or pairs; unknown roles are refused."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    out: list[tuple[str, str]] = []
    for item in value or []:
        name, role = (item["name"], item.get("role", "responsible")) if isinstance(item, dict) else item
        name = str(name or "").strip()
        if role not in TASK_ROLES:
            raise ValidationError(f"单位职责不正确：{role}（可选：牵头、负责、配合）")
        if name and (name, role) not in out:
            out.append((name, role))
    return out


def _named_json(pairs: Iterable[tuple[str, str]]) -> str:
    return json.dumps([{"name": n, "role": r} for n, r in _named_list(list(pairs))], ensure_ascii=False)


def _named_dicts(text: str) -> list[dict[str, str]]:
    return [{"name": n, "role": r} for n, r in _named_list(text)]

"""Saving, deleting and restoring records — the one door for the record form, the undo stack,
the CLI's ``record add/edit`` and scripts.

A save takes a :class:`RecordDraft` (what the clerk entered, new files to attach, attachments to
drop) and writes the record, its links and its attachments in one transaction. It returns a
:class:`RecordChange` holding the record's whole state before and after, so undo and redo are
"put the record into that state" and never replay a half-known edit.

:func:`check_draft` lists every problem of a draft at once (the form marks all invalid fields
together); :func:`warnings_for` lists what the clerk should confirm (a likely duplicate, no duty
chosen) — neither writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.domain import RECORD_KINDS
from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import optional_date
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.records_repo import (
    MAX_RECORD_TEXT,
    RECORD_FIELDS,
    parse_hours,
    text_length_problem,
)
from duty_tracker.core.storage.store import Store


@dataclass(slots=True)
class RecordDraft:
    """A record as entered; ``new_files`` are copied in, ``removed_attachment_ids`` unlinked.

    ``article_ids`` are the articles the record cites (引用条款); ``article_id`` is the older
    single-article field, still understood when ``article_ids`` is empty."""

    performed_on: date | str | None
    title: str
    kind: str
    leader_ids: list[int]
    duty_ids: list[int] = field(default_factory=list)
    place: str = ""
    participants: str = ""
    minutes_number: str = ""
    description: str = ""
    article_id: int | None = None
    hours: float | None = None  # study hours (学时), for duties whose quota counts hours
    new_files: list[Path] = field(default_factory=list)
    removed_attachment_ids: list[int] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def cited_article_ids(self) -> list[int]:
        """The cited articles, each once; the old ``article_id`` when no list was given."""
        ids = list(dict.fromkeys(int(i) for i in self.article_ids))
        if not ids and self.article_id is not None:
            ids = [int(self.article_id)]
        return ids

    def fields(self) -> dict[str, Any]:
        out = {key: getattr(self, key) for key in RECORD_FIELDS}
        cited = self.cited_article_ids()
        out["article_id"] = cited[0] if cited else None
        return out


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One invalid field of a draft: ``field`` names the draft attribute, ``message`` is Chinese."""

    field: str
    message: str


def check_draft(store: Store, draft: RecordDraft) -> list[FieldProblem]:
    """Every problem of the draft at once; empty when it can be saved."""
    problems = []
    try:
        if optional_date(draft.performed_on, "履职日期") is None:
            problems.append(FieldProblem("performed_on", "请填写履职日期。"))
    except InputError as exc:
        problems.append(FieldProblem("performed_on", str(exc)))
    if not (draft.title or "").strip():
        problems.append(FieldProblem("title", "请填写标题。"))
    if draft.kind not in RECORD_KINDS:
        problems.append(FieldProblem("kind", f"请选择类型（{'、'.join(RECORD_KINDS)}）。"))
    if not draft.leader_ids:
        problems.append(FieldProblem("leader_ids", "请至少选择一名负责人。"))
    try:
        parse_hours(draft.hours)
    except ValidationError as exc:
        problems.append(FieldProblem("hours", str(exc)))
    for key in MAX_RECORD_TEXT:
        problem = text_length_problem(key, getattr(draft, key, None))
        if problem:
            problems.append(FieldProblem(key, problem))
    missing = [str(p) for p in draft.new_files if not Path(p).is_file()]
    if missing:
        problems.append(FieldProblem("new_files", f"附件文件不存在：{'、'.join(missing)}"))
    return problems


@dataclass(frozen=True, slots=True)
class SaveWarning:
    """Something the clerk should confirm before saving; ``kind`` is "no_duty" or "duplicate"."""

    kind: str
    title: str
    message: str


def warnings_for(store: Store, draft: RecordDraft, record_id: int | None = None) -> list[SaveWarning]:
    """What the clerk should confirm before saving (Chinese); nothing is written."""
    out = []
    if not draft.duty_ids and not draft.cited_article_ids():
        out.append(SaveWarning("no_duty", "未选择履职事项",
                               "没有选择履职事项，也没有引用条款，这条记录不会计入任何事项的完成次数。"))
    try:
        duplicates = store.records.find_duplicates(
            draft.performed_on, draft.leader_ids, draft.duty_ids, exclude_id=record_id)
    except ValidationError:
        duplicates = []
    if duplicates:
        listing = "\n".join(f"· {d['performed_on']} {d['title']}" for d in duplicates[:5])
        out.append(SaveWarning("duplicate", "可能重复",
                               f"同一负责人、同一事项在 {duplicates[0]['performed_on']} 已有 "
                               f"{len(duplicates)} 条纪实：\n{listing}"))
    return out


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A saved change: the record's whole state before (None: it is new) and after."""

    record_id: int
    before: dict[str, Any] | None
    after: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.after["fields"]["title"])

    @property
    def description(self) -> str:
        """"新增纪实“…”" / "修改纪实“…”": the undo menu's label."""
        return f"{'新增' if self.before is None else '修改'}纪实“{self.title}”"

    @property
    def changed(self) -> bool:
        return self.before != self.after


def save_record(store: Store, draft: RecordDraft, record_id: int | None = None) -> RecordChange:
    """Add (``record_id`` None) or update a record with its links and attachments.

    The new files are copied into the data folder first (content-addressed, harmless if the
    save then fails); the record, its links and attachment rows are written in one transaction.
    """
    problems = check_draft(store, draft)
    if problems:
        raise ValidationError("；".join(p.message for p in problems))
    stored = [store.records.store_attachment_file(path) for path in draft.new_files]
    if record_id is None:
        new_id = store.records.add_record(
            leader_ids=draft.leader_ids, duty_ids=draft.duty_ids, attachments=stored,
            article_ids=draft.cited_article_ids(), **draft.fields())
        return RecordChange(new_id, None, store.records.snapshot(new_id))
    before = store.records.snapshot(record_id)
    store.records.update_record(
        record_id, leader_ids=draft.leader_ids, duty_ids=draft.duty_ids, add_attachments=stored,
        remove_attachment_ids=draft.removed_attachment_ids, article_ids=draft.cited_article_ids(),
        **draft.fields())
    return RecordChange(record_id, before, store.records.snapshot(record_id))


def undo_change(store: Store, change: RecordChange) -> None:
    """Back to the state before the change; a new record goes to the recycle bin."""
    if change.before is None:
        store.records.delete_records([change.record_id])
    else:
        store.records.apply_snapshot(change.record_id, change.before)


def redo_change(store: Store, change: RecordChange) -> None:
    """The state after the change again (a new record comes back from the recycle bin)."""
    store.records.apply_snapshot(change.record_id, change.after)


def delete_records(store: Store, record_ids: list[int]) -> None:
    """To the recycle bin (soft delete): undo and the audit log can bring them back."""
    store.records.delete_records(list(record_ids))


def restore_records(store: Store, record_ids: list[int]) -> None:
    """From the recycle bin back into the ledger."""
    store.records.restore_records(list(record_ids))

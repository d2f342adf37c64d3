"""The clerk's narrative sections of each leader's year-end debrief."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from duty_tracker.core.helpers import new_uuid, now_iso

NARRATIVE_FIELDS = ("title", "achievements", "problems", "plans")


class DebriefsRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, leader_id: int, year: int) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM debriefs WHERE leader_id = ? AND year = ?", [leader_id, year]))
        return rows[0] if rows else None

    def save(self, leader_id: int, year: int, **fields: Any) -> int:
        """Insert or update the narrative; only the given fields change."""
        unknown = set(fields) - set(NARRATIVE_FIELDS)
        if unknown:
            raise ValueError(f"未知字段：{', '.join(sorted(unknown))}")
        current = self.get(leader_id, year)
        with self.db.atomic():
            if current is None:
                row = {"achievements": "", "problems": "", "plans": "", "title": None, **fields}
                return int(self.db["debriefs"].insert({
                    "uuid": new_uuid(), "leader_id": leader_id, "year": year,
                    "updated_at": now_iso(), **row,
                }).last_pk)
            self.db["debriefs"].update(current["id"], {**fields, "updated_at": now_iso()})
            return int(current["id"])

    def for_year(self, year: int) -> dict[int, dict[str, Any]]:
        """leader_id → the saved narrative of ``year`` (the 述职报告 list marks who has one)."""
        return {row["leader_id"]: row for row in self.db.query(
            "SELECT * FROM debriefs WHERE year = ?", [year])}

    def put(self, uuid: str, *, leader_id: int, year: int, **fields: Any) -> tuple[int, bool]:
        """Insert or update the debrief with this uuid (data packages). Returns (id, inserted)."""
        from duty_tracker.core.storage.errors import ValidationError

        unknown = set(fields) - set(NARRATIVE_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100:
            raise ValidationError(f"述职报告的年度不正确：{year}")
        if self.db.execute("SELECT 1 FROM leaders WHERE id = ?", [leader_id]).fetchone() is None:
            raise ValidationError("述职报告所属的负责人不存在。")
        for key in ("achievements", "problems", "plans"):
            fields[key] = fields.get(key) or ""
        row = self.db.execute("SELECT id FROM debriefs WHERE uuid = ?", [uuid]).fetchone()
        with self.db.atomic():
            if row is None:
                return int(self.db["debriefs"].insert({
                    "uuid": uuid, "leader_id": leader_id, "year": year, "updated_at": now_iso(),
                    "title": None, **fields}).last_pk), True
            self.db["debriefs"].update(row[0], {"leader_id": leader_id, "year": year, **fields,
                                                "updated_at": now_iso()})
            return int(row[0]), False

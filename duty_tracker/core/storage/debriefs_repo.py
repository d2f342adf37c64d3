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

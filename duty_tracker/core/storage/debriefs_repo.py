"""Each leader's year-end debrief as the clerk wrote it: the body by section and the report's
own fields (title, byline, signature, 成文日期). Empty or NULL means "the default"."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from duty_tracker.core.helpers import new_uuid, now_iso
from duty_tracker.core.storage.errors import ValidationError

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase

#: The body's sections (``achievements`` is the one 主要做法和成效 block of the earlier layout).
TEXT_FIELDS = ("leadership", "study", "decisions", "publicity", "achievements", "problems",
               "plans")
#: The report's own fields; NULL prints the default.
OWN_FIELDS = ("title", "byline", "signature", "report_date")
NARRATIVE_FIELDS = OWN_FIELDS + TEXT_FIELDS


def _clean(field: str, value: Any) -> Any:
    """Text fields as strings; own fields NULL when blank; the date as YYYY-MM-DD."""
    if field in TEXT_FIELDS:
        return "" if value is None else str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field != "report_date":
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(f"成文日期“{value}”不是有效日期，请按“年-月-日”填写，如 2025-12-31。"
                              ) from None


class DebriefsRepo:
    def __init__(self, db: LedgerDatabase) -> None:
        self.db = db

    def get(self, leader_id: int, year: int) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM debriefs WHERE leader_id = ? AND year = ?", [leader_id, year]))
        return rows[0] if rows else None

    def save(self, leader_id: int, year: int, **fields: Any) -> int:
        """Insert or update the debrief; only the given fields change."""
        unknown = set(fields) - set(NARRATIVE_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        fields = {k: _clean(k, v) for k, v in fields.items()}
        current = self.get(leader_id, year)
        with self.db.atomic():
            if current is None:
                row = {**{k: "" for k in TEXT_FIELDS}, **{k: None for k in OWN_FIELDS}, **fields}
                return int(self.db["debriefs"].insert({
                    "uuid": new_uuid(), "leader_id": leader_id, "year": year,
                    "updated_at": now_iso(), **row,
                }).last_pk)
            self.db["debriefs"].update(current["id"], {**fields, "updated_at": now_iso()})
            return int(current["id"])

    def for_year(self, year: int) -> dict[int, dict[str, Any]]:
        """leader_id → the saved debrief of ``year`` (the 述职报告 list marks who has one)."""
        return {row["leader_id"]: row for row in self.db.query(
            "SELECT * FROM debriefs WHERE year = ?", [year])}

    def put(self, uuid: str, *, leader_id: int, year: int, **fields: Any) -> tuple[int, bool]:
        """Insert or update the debrief with this uuid (data packages), every field cleaned as
        :meth:`save` cleans it (a blank own field is the default). Returns (id, inserted)."""
        unknown = set(fields) - set(NARRATIVE_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100:
            raise ValidationError(f"述职报告的年度不正确：{year}")
        if self.db.execute("SELECT 1 FROM leaders WHERE id = ?", [leader_id]).fetchone() is None:
            raise ValidationError("述职报告所属的负责人不存在。")
        fields = {k: _clean(k, v) for k, v in fields.items()}
        row = self.db.execute("SELECT id FROM debriefs WHERE uuid = ?", [uuid]).fetchone()
        with self.db.atomic():
            if row is None:
                blank = {**{k: "" for k in TEXT_FIELDS}, **{k: None for k in OWN_FIELDS}}
                return int(self.db["debriefs"].insert({
                    "uuid": uuid, "leader_id": leader_id, "year": year, "updated_at": now_iso(),
                    **blank, **fields}).last_pk), True
            self.db["debriefs"].update(row[0], {"leader_id": leader_id, "year": year, **fields,
                                                "updated_at": now_iso()})
            return int(row[0]), False

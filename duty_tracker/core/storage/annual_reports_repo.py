"""Each unit's annual 法治政府建设年度报告 as the clerk wrote it: the text of every part and the
report's own fields (title, 主送机关, signature, 成文日期), and the day it was submitted.

Empty text means "not written yet" (the window offers the generated draft for it); NULL own
fields mean "the default". The submission day is what stops the yearly reminder, so it is a
field of its own and saving the text never touches it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from duty_tracker.core.helpers import new_uuid, now_iso
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.fields import iso_or_none

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase

#: The parts of the report's body, in print order.
TEXT_FIELDS = ("opening", "measures", "leadership", "problems", "plans")
#: The report's own fields; NULL prints the default.
OWN_FIELDS = ("title", "addressee", "signature", "report_date")
ANNUAL_FIELDS = OWN_FIELDS + TEXT_FIELDS
#: Longest text a part may hold (a whole report is a few thousand characters).
MAX_TEXT = 50_000


def _clean(field: str, value: Any) -> Any:
    """Text as strings; own fields NULL when blank; dates as YYYY-MM-DD."""
    if field in TEXT_FIELDS:
        text = "" if value is None else str(value)
        if len(text) > MAX_TEXT:
            raise ValidationError(f"报告的一个部分超过 {MAX_TEXT} 字，请删减后再保存。")
        return text
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field == "report_date":
        return iso_or_none(value, "成文日期")
    return str(value).strip()


class AnnualReportsRepo:
    def __init__(self, db: LedgerDatabase) -> None:
        self.db = db

    def get(self, unit_id: int, year: int) -> dict[str, Any] | None:
        """The saved row of the unit and year, or None when nothing was saved yet."""
        rows = list(self.db.query(
            "SELECT * FROM annual_reports WHERE unit_id = ? AND year = ?", [unit_id, year]))
        return rows[0] if rows else None

    def save(self, unit_id: int, year: int, **fields: Any) -> int:
        """Insert or update the unit's report of ``year``; only the given fields change."""
        unknown = set(fields) - set(ANNUAL_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        return self._write(unit_id, year, {k: _clean(k, v) for k, v in fields.items()})

    def mark_submitted(self, unit_id: int, year: int, on: date | str | None) -> int:
        """Record the day the report was submitted (None: not submitted after all)."""
        return self._write(unit_id, year, {"submitted_on": iso_or_none(on, "报送日期")})

    def _write(self, unit_id: int, year: int, fields: dict[str, Any]) -> int:
        if not 1990 <= int(year) <= 2100:
            raise ValidationError(f"年度不正确：{year}（应为四位年份，如 2025）。")
        if self.db.execute("SELECT 1 FROM units WHERE id = ?", [unit_id]).fetchone() is None:
            raise ValidationError(f"单位（编号 {unit_id}）不存在。")
        now = now_iso()
        with self.db.atomic():
            current = self.get(unit_id, year)
            if current is None:
                row = {**{k: "" for k in TEXT_FIELDS}, **{k: None for k in OWN_FIELDS},
                       "submitted_on": None, **fields}
                return int(self.db["annual_reports"].insert({
                    "uuid": new_uuid(), "unit_id": unit_id, "year": int(year),
                    "created_at": now, "updated_at": now, **row}).last_pk)
            self.db["annual_reports"].update(current["id"], {**fields, "updated_at": now})
            return int(current["id"])

    def for_year(self, year: int) -> dict[int, dict[str, Any]]:
        """unit_id → the saved report of ``year`` (the list marks who has one, who submitted)."""
        return {row["unit_id"]: row for row in self.db.query(
            "SELECT * FROM annual_reports WHERE year = ?", [year])}

    def put(self, uuid: str, *, unit_id: int, year: int, **fields: Any) -> tuple[int, bool]:
        """Insert or update the report with this uuid (data packages), cleaned as :meth:`save`
        cleans it; ``submitted_on`` travels too. One report per unit and year: a second one
        is refused. Returns (id, inserted)."""
        unknown = set(fields) - {*ANNUAL_FIELDS, "submitted_on"}
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
            raise ValidationError(f"年度报告的年度不正确：{year}")
        if self.db.execute("SELECT 1 FROM units WHERE id = ?", [unit_id]).fetchone() is None:
            raise ValidationError("年度报告所属的单位不存在。")
        values = {k: iso_or_none(v, "报送日期") if k == "submitted_on" else _clean(k, v) for k, v in fields.items()}
        row = self.db.execute("SELECT id FROM annual_reports WHERE uuid = ?", [uuid]).fetchone()
        taken = self.db.execute("SELECT uuid FROM annual_reports WHERE unit_id = ? AND year = ?",
                                [unit_id, year]).fetchone()
        if taken and taken[0] != uuid:
            raise ValidationError(f"该单位 {year} 年度的报告本机已有一份。")
        now = now_iso()
        with self.db.atomic():
            if row is None:
                blank = {**{k: "" for k in TEXT_FIELDS}, **{k: None for k in OWN_FIELDS}, "submitted_on": None}
                return int(self.db["annual_reports"].insert({
                    "uuid": uuid, "unit_id": unit_id, "year": year, "created_at": now, "updated_at": now,
                    **blank, **values}).last_pk), True
            self.db["annual_reports"].update(row[0], {"unit_id": unit_id, "year": year, **values,
                                                      "updated_at": now})
            return int(row[0]), False

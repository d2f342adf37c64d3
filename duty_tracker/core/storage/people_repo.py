"""Units, leaders and their terms of office."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING, Any

from duty_tracker.core.domain import LEADER_ROLES, UNIT_LEVELS, LeaderSpec, Role, Term
from duty_tracker.core.helpers import new_uuid, now_iso
from duty_tracker.core.storage.errors import NotFoundError, ValidationError
from duty_tracker.core.storage.fields import as_date, iso_or_none

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase


class PeopleRepo:
    def __init__(self, db: LedgerDatabase) -> None:
        self.db = db

    # -- units -----------------------------------------------------------------------------
    def add_unit(self, name: str, level: str, parent_id: int | None = None) -> int:
        self._validate_unit(name, level)
        now = now_iso()
        with self.db.atomic():
            return int(self.db["units"].insert({
                "uuid": new_uuid(), "name": name.strip(), "level": level,
                "parent_id": parent_id, "created_at": now, "updated_at": now,
            }).last_pk)

    def update_unit(self, unit_id: int, *, name: str, level: str, parent_id: int | None) -> None:
        self._validate_unit(name, level)
        if parent_id == unit_id or (parent_id is not None and unit_id in self._ancestors(parent_id)):
            raise ValidationError("上级单位不能是本单位或其下级单位。")
        with self.db.atomic():
            self.db["units"].update(unit_id, {
                "name": name.strip(), "level": level, "parent_id": parent_id,
                "updated_at": now_iso(),
            })

    def delete_unit(self, unit_id: int) -> None:
        count = self.db.execute("SELECT count(*) FROM leaders WHERE unit_id = ?", [unit_id]).fetchone()[0]
        if count:
            raise ValidationError(f"该单位下还有 {count} 名负责人，请先移走或删除他们。")
        reported = self.db.execute("SELECT count(*) FROM task_progress WHERE unit_id = ?", [unit_id]).fetchone()[0]
        if reported:
            raise ValidationError(f"该单位填报过 {reported} 条工作任务进展（含已删除的），不能删除。")
        with self.db.atomic():
            self.db.execute("DELETE FROM units WHERE id = ?", [unit_id])

    def units(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM units ORDER BY parent_id IS NOT NULL, id"))

    def unit_labels(self) -> list[tuple[int, str]]:
        """(id, name) of every unit in the order of :meth:`units`: what a unit chooser lists
        (a city's 900 units as whole rows cost its dashboard's start a few milliseconds)."""
        return self.db.execute(
            "SELECT id, name FROM units ORDER BY parent_id IS NOT NULL, id").fetchall()

    def unit(self, unit_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM units WHERE id = ?", [unit_id]))
        if not rows:
            raise NotFoundError(f"单位（编号 {unit_id}）不存在。")
        return rows[0]

    def unit_subtree(self, unit_id: int) -> set[int]:
        """The unit and all units below it (a district with its departments and townships)."""
        children: dict[int | None, list[int]] = defaultdict(list)
        for uid, parent in self.db.execute("SELECT id, parent_id FROM units"):
            children[parent].append(uid)
        found, stack = set(), [unit_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return found

    def _ancestors(self, unit_id: int) -> set[int]:
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current not in seen:
            seen.add(current)
            row = self.db.execute("SELECT parent_id FROM units WHERE id = ?", [current]).fetchone()
            current = row[0] if row else None
        return seen

    @staticmethod
    def _validate_unit(name: str, level: str) -> None:
        if not (name or "").strip():
            raise ValidationError("单位名称不能为空。")
        if level not in UNIT_LEVELS:
            raise ValidationError(f"单位层级不正确：{level}（可选：{'、'.join(UNIT_LEVELS)}）")

    # -- leaders ---------------------------------------------------------------------------
    def add_leader(
        self,
        name: str,
        unit_id: int,
        role: str,
        position: str = "",
        term_start: date | str | None = None,
        term_end: date | str | None = None,
    ) -> int:
        self._validate_leader(name, role)
        self.unit(unit_id)
        now = now_iso()
        with self.db.atomic():
            leader_id = int(self.db["leaders"].insert({
                "uuid": new_uuid(), "name": name.strip(), "unit_id": unit_id,
                "position": (position or "").strip(), "role": role,
                "created_at": now, "updated_at": now,
            }).last_pk)
            if term_start is not None:
                self.add_term(leader_id, term_start, term_end)
        return leader_id

    def update_leader(self, leader_id: int, *, name: str, unit_id: int, role: str, position: str) -> None:
        self._validate_leader(name, role)
        self.leader(leader_id)
        with self.db.atomic():
            self.db["leaders"].update(leader_id, {
                "name": name.strip(), "unit_id": unit_id, "role": role,
                "position": (position or "").strip(), "updated_at": now_iso(),
            })

    def delete_leader(self, leader_id: int) -> None:
        used = self.db.execute(
            "SELECT count(*) FROM record_leaders rl JOIN records r ON r.id = rl.record_id "
            "WHERE rl.leader_id = ? AND r.deleted_at IS NULL", [leader_id]).fetchone()[0]
        if used:
            raise ValidationError(f"该负责人有 {used} 条履职纪实，不能删除（可结束其任期）。")
        with self.db.atomic():
            self.db.execute("DELETE FROM leaders WHERE id = ?", [leader_id])

    def leader(self, leader_id: int) -> dict[str, Any]:
        rows = list(self.db.query(
            "SELECT l.*, u.name AS unit_name FROM leaders l JOIN units u ON u.id = l.unit_id "
            "WHERE l.id = ?", [leader_id]))
        if not rows:
            raise NotFoundError(f"负责人（编号 {leader_id}）不存在。")
        row = rows[0]
        row["terms"] = self.terms(leader_id)
        return row

    def leaders(self, unit_id: int | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT l.*, u.name AS unit_name FROM leaders l JOIN units u ON u.id = l.unit_id")
        params: list[Any] = []
        if unit_id is not None:
            sql += " WHERE l.unit_id = ?"
            params.append(unit_id)
        sql += " ORDER BY u.id, CASE l.role WHEN 'party' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, l.id"
        rows = list(self.db.query(sql, params))
        terms = self._terms_by_leader()
        for row in rows:
            row["terms"] = terms.get(row["id"], [])
        return rows

    def leaders_in_office(self, day: date | str) -> list[dict[str, Any]]:
        """Leaders with a term covering ``day`` (the ones a record of that day can be for)."""
        iso = iso_or_none(day)
        return [row for row in self.leaders() if any(
            t["start_date"] <= iso and (t["end_date"] is None or iso <= t["end_date"])
            for t in row["terms"])]

    @staticmethod
    def _validate_leader(name: str, role: str) -> None:
        if not (name or "").strip():
            raise ValidationError("负责人姓名不能为空。")
        if role not in {r.value for r in LEADER_ROLES}:
            raise ValidationError(f"负责人类别不正确：{role}")

    # -- terms -----------------------------------------------------------------------------
    def terms(self, leader_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT * FROM terms WHERE leader_id = ? ORDER BY start_date", [leader_id]))

    def _terms_by_leader(self) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in self.db.query("SELECT * FROM terms ORDER BY leader_id, start_date"):
            out[row["leader_id"]].append(row)
        return out

    def add_term(self, leader_id: int, start: date | str, end: date | str | None = None) -> int:
        start_d, end_d = self._validate_term(leader_id, start, end)
        with self.db.atomic():
            return int(self.db["terms"].insert({
                "uuid": new_uuid(), "leader_id": leader_id,
                "start_date": start_d.isoformat(), "end_date": iso_or_none(end_d),
            }).last_pk)

    def update_term(self, term_id: int, start: date | str, end: date | str | None) -> None:
        row = self.db.execute("SELECT leader_id FROM terms WHERE id = ?", [term_id]).fetchone()
        if not row:
            raise NotFoundError(f"任期（编号 {term_id}）不存在。")
        start_d, end_d = self._validate_term(row[0], start, end, ignore_term=term_id)
        with self.db.atomic():
            self.db["terms"].update(term_id, {"start_date": start_d.isoformat(), "end_date": iso_or_none(end_d)})

    def delete_term(self, term_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM terms WHERE id = ?", [term_id])

    def _validate_term(
        self, leader_id: int, start: date | str, end: date | str | None, ignore_term: int | None = None
    ) -> tuple[date, date | None]:
        start_d = as_date(start, "任职开始日期")
        end_d = as_date(end, "任职结束日期")
        if start_d is None:
            raise ValidationError("任职开始日期不能为空。")
        if end_d is not None and end_d < start_d:
            raise ValidationError("任职结束日期不能早于开始日期。")
        for other in self.terms(leader_id):
            if other["id"] == ignore_term:
                continue
            o_start = date.fromisoformat(other["start_date"])
            o_end = date.fromisoformat(other["end_date"]) if other["end_date"] else None
            if (o_end is None or start_d <= o_end) and (end_d is None or o_start <= end_d):
                raise ValidationError(
                    f"任期与已有任期（{other['start_date']} 至 {other['end_date'] or '今'}）重叠。")
        return start_d, end_d

    def handover(
        self, leader_id: int, successor_id: int, handover_date: date | str
    ) -> None:
        """The predecessor's open term ends the day before ``handover_date``; the successor's
        term starts on it — in one transaction, so the unit is never without (or with two) heads."""
        day = as_date(handover_date, "交接日期")
        assert day is not None
        open_terms = [t for t in self.terms(leader_id) if t["end_date"] is None]
        if not open_terms:
            raise ValidationError("该负责人没有正在进行的任期，无法交接。")
        term = open_terms[-1]
        if date.fromisoformat(term["start_date"]) >= day:
            raise ValidationError("交接日期必须晚于原负责人的任职开始日期。")
        with self.db.atomic():
            self.db["terms"].update(term["id"], {"end_date": (day - timedelta(days=1)).isoformat()})
            self.add_term(successor_id, day, None)

    def save_leader(
        self,
        leader_id: int | None,
        *,
        name: str,
        unit_id: int,
        role: str,
        position: str = "",
        terms: list[tuple[int | None, date | str, date | str | None]] = (),
    ) -> int:
        """Add (``leader_id`` None) or update a leader and make its terms exactly ``terms``
        — ``(term_id or None for a new one, start, end)`` — in one transaction. Kept terms keep
        their ids and uuids; terms not listed are removed; overlaps are refused as in add_term."""
        self._validate_leader(name, role)
        self.unit(unit_id)
        checked: list[tuple[int | None, date, date | None]] = []
        for term_id, start, end in terms:
            start_d = as_date(start, "任职开始日期")
            end_d = as_date(end, "任职结束日期")
            if start_d is None:
                raise ValidationError("任职开始日期不能为空。")
            if end_d is not None and end_d < start_d:
                raise ValidationError("任职结束日期不能早于开始日期。")
            for _other_id, o_start, o_end in checked:
                if (o_end is None or start_d <= o_end) and (end_d is None or o_start <= end_d):
                    raise ValidationError(
                        f"任期（{start_d.isoformat()} 至 {iso_or_none(end_d) or '今'}）与任期"
                        f"（{o_start.isoformat()} 至 {iso_or_none(o_end) or '今'}）重叠。")
            checked.append((term_id, start_d, end_d))
        with self.db.atomic():
            if leader_id is None:
                leader_id = self.add_leader(name, unit_id, role, position)
            else:
                self.update_leader(leader_id, name=name, unit_id=unit_id, role=role, position=position)
            keep = {term_id for term_id, _s, _e in checked if term_id is not None}
            for existing in self.terms(leader_id):
                if existing["id"] not in keep:
                    self.db.execute("DELETE FROM terms WHERE id = ?", [existing["id"]])
            for term_id, start_d, end_d in checked:
                values = {"start_date": start_d.isoformat(), "end_date": iso_or_none(end_d)}
                if term_id is None:
                    self.db["terms"].insert({"uuid": new_uuid(), "leader_id": leader_id, **values})
                else:
                    self.db["terms"].update(term_id, values)
        return leader_id

    def handover_to_new_leader(
        self, leader_id: int, name: str, position: str, handover_date: date | str
    ) -> int:
        """Hand over to a leader who is not in the roster yet: the successor is added in the
        predecessor's unit and role, and the handover made, in one transaction."""
        old = self.leader(leader_id)
        with self.db.atomic():
            successor_id = self.add_leader(name, old["unit_id"], old["role"], position)
            self.handover(leader_id, successor_id, handover_date)
        return successor_id

    # -- for the compliance engine ---------------------------------------------------------
    def leader_specs(self, year: int | None = None, leader_ids: list[int] | None = None) -> list[LeaderSpec]:
        """Leaders with their terms; with ``year``, only those whose terms touch that year.

        One query for leaders and terms together (a city has 2,000 leaders); a term date is
        parsed once however many terms share it."""
        sql = ("SELECT l.id, l.name, l.role, l.unit_id, t.start_date, t.end_date FROM leaders l "
               "LEFT JOIN terms t ON t.leader_id = l.id")
        params: list[Any] = []
        if leader_ids is not None:
            sql += " WHERE l.id IN (SELECT value FROM json_each(?))"
            params = [json.dumps(list(leader_ids))]
        sql += " ORDER BY l.unit_id, l.id, t.start_date"
        days: dict[str, date] = {}

        def day(text: str) -> date:
            found = days.get(text)
            if found is None:
                found = days[text] = date.fromisoformat(text)
            return found

        first, last = (date(year, 1, 1), date(year, 12, 31)) if year is not None else (None, None)
        specs: list[LeaderSpec] = []
        for (leader_id, name, role, unit_id), rows in groupby(
                self.db.execute(sql, params), key=lambda row: row[:4]):
            terms = tuple(Term(day(start), day(end) if end else None)
                          for *_leader, start, end in rows if start is not None)
            if first is not None and not any(
                    t.start <= last and (t.end is None or t.end >= first) for t in terms):
                continue
            specs.append(LeaderSpec(id=leader_id, name=name, role=Role(role), terms=terms,
                                    unit_id=unit_id))
        return specs

    # -- data packages -----------------------------------------------------------------------
    def _id_of(self, table: str, uuid: str) -> int | None:
        row = self.db.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        return int(row[0]) if row else None

    def put_unit(self, uuid: str, *, name: str, level: str, parent_id: int | None) -> tuple[int, bool]:
        """Insert or update the unit with this uuid (data packages), validated like a save in
        the window (a parent that would make a cycle is refused). Returns (id, inserted)."""
        unit_id = self._id_of("units", uuid)
        if parent_id is not None:
            self.unit(parent_id)
        if unit_id is not None:
            self.update_unit(unit_id, name=name, level=level, parent_id=parent_id)
            return unit_id, False
        self._validate_unit(name, level)
        now = now_iso()
        with self.db.atomic():
            return int(self.db["units"].insert({
                "uuid": uuid, "name": name.strip(), "level": level, "parent_id": parent_id,
                "created_at": now, "updated_at": now}).last_pk), True

    def put_leader(self, uuid: str, *, name: str, unit_id: int, role: str, position: str) -> tuple[int, bool]:
        """Insert or update the leader with this uuid (data packages). Returns (id, inserted)."""
        leader_id = self._id_of("leaders", uuid)
        if leader_id is not None:
            self.unit(unit_id)
            self.update_leader(leader_id, name=name, unit_id=unit_id, role=role, position=position)
            return leader_id, False
        self._validate_leader(name, role)
        self.unit(unit_id)
        now = now_iso()
        with self.db.atomic():
            return int(self.db["leaders"].insert({
                "uuid": uuid, "name": name.strip(), "unit_id": unit_id, "position": (position or "").strip(),
                "role": role, "created_at": now, "updated_at": now}).last_pk), True

    def put_term(self, uuid: str, *, leader_id: int, start: date | str, end: date | str | None) -> tuple[int, bool]:
        """Insert or update the term with this uuid (data packages); overlapping terms are
        refused as in the window. Returns (id, inserted)."""
        self.leader(leader_id)
        term_id = self._id_of("terms", uuid)
        start_d, end_d = self._validate_term(leader_id, start, end, ignore_term=term_id)
        values = {"leader_id": leader_id, "start_date": start_d.isoformat(), "end_date": iso_or_none(end_d)}
        with self.db.atomic():
            if term_id is None:
                return int(self.db["terms"].insert({"uuid": uuid, **values}).last_pk), True
            self.db["terms"].update(term_id, values)
            return term_id, False

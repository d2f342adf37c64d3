"""What a database knows about the history of each row it exchanged: the basis of the
field-by-field merge of data packages.

Why version vectors, and why fingerprints
------------------------------------------
Two offices edit the same record and send each other packages. To merge without losing an
edit, each side must tell, field by field, "did the other side change this since we last
agreed?" from "did *we* change it?". Timestamps cannot tell (clocks differ; a field edited in
the window and another by an administrator's SQL both just bump ``updated_at``). A stored
snapshot of "the version last shared" per peer cannot either once a third office joins (the
district merges department A, then sends the merged rows to the city, which also hears from
A directly) or once a package is imported in both directions: each side would hold a
different idea of the base.

So every database has an identity (``storage.identity``), and every synchronised field
carries a *version vector*: ``{database: counter}``, the edits of each database the value
already contains. A database bumps its own counter for a field when the field's value has
changed since it last looked — and it looks by comparing values, not timestamps: the
*fingerprint* of each field as last seen is kept in ``sync_rows``, so a change made by any
path (window, CLI, direct SQL) is noticed at the next export or import. Merging a field:

- same value on both sides: nothing to do (the vectors are combined);
- the package's vector contains ours (it has seen our edit and changed after): take its value;
- ours contains the package's: ours is newer, keep it;
- neither contains the other: both changed since they last shared the value — a conflict.
  Both values are kept (``merge_conflicts``) until the clerk chooses; the choice gets a new
  version that contains both, so it travels on and settles the other side too.

A field with an open conflict is sent with a "held" mark: the receiver keeps its own value
rather than seeing a second conflict; the choice made here travels later.

The vectors live in ``sync_rows.clock`` as compact JSON keyed by the local number of each
database (``sync_peers.id``); packages carry them keyed by database uuid. A row the package
never met before has no history, so a difference in it is a conflict too — except that a
blank on one side never fights a value on the other (filling a blank loses nothing).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from duty_tracker.core.helpers import now_iso
from duty_tracker.core.storage.identity import self_peer
from duty_tracker.core.storage.records_repo import RECORD_FIELDS

#: The record fields stored as they are (no reference to translate).
RECORD_PLAIN = tuple(f for f in RECORD_FIELDS if f != "article_id")

Clock = dict[str, int]  # peer -> counter; keys are local peer ids (as text) or database uuids

#: Synchronised fields per table, in local terms (a reference is the referenced row's uuid,
#: a set of links a sorted list of uuids, ``deleted`` the deletion time or None).
SYNC_FIELDS: dict[str, tuple[str, ...]] = {
    "units": ("name", "level", "parent"),
    "leaders": ("name", "unit", "position", "role"),
    "terms": ("leader", "start_date", "end_date"),
    # every field a record is saved with (new ones travel without a change here), then its
    # cited article, its deletion and its links
    "records": tuple(f for f in RECORD_FIELDS if f != "article_id") + ("article", "deleted", "leaders", "duties"),
    "debriefs": ("leader", "year", "title", "achievements", "problems", "plans"),
}
FIELD_LABELS = {
    "name": "名称", "level": "层级", "parent": "上级单位", "unit": "所在单位", "position": "职务",
    "role": "类别", "leader": "负责人", "start_date": "任职开始", "end_date": "任职结束",
    "performed_on": "履职日期", "title": "标题", "kind": "类型", "place": "地点",
    "participants": "参加人员", "minutes_number": "纪要文号", "description": "情况说明",
    "article": "引用条文", "deleted": "删除状态", "leaders": "负责人", "duties": "履职事项",
    "year": "年度", "achievements": "主要做法和成效", "problems": "存在的问题和不足",
    "plans": "下一步工作打算", "hours": "学时",
}


def canonical(field: str, value: Any) -> Any:
    """The value as compared: a deletion is compared as deleted-or-not (two offices deleting
    the same record at different times agree), text without surrounding blanks."""
    if field == "deleted":
        return value is not None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return sorted(value)
    return value


def same(field: str, a: Any, b: Any) -> bool:
    return canonical(field, a) == canonical(field, b)


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def fingerprint(field: str, value: Any) -> str:
    data = json.dumps(canonical(field, value), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def dominates(a: Clock, b: Clock) -> bool:
    """True when ``a`` contains every edit ``b`` contains (``a`` ≥ ``b`` entry by entry)."""
    return all(a.get(k, 0) >= v for k, v in b.items())


def combined(a: Clock, b: Clock) -> Clock:
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)}


def _compress(clocks: dict[str, Clock]) -> str:
    """``{"*": most common vector, field: vector where it differs}`` as compact JSON."""
    texts = [json.dumps(c, sort_keys=True) for c in clocks.values()]
    common = max(set(texts), key=texts.count) if texts else "{}"
    out: dict[str, Any] = {"*": json.loads(common)}
    for name, clock in clocks.items():
        if json.dumps(clock, sort_keys=True) != common:
            out[name] = clock
    return json.dumps(out, separators=(",", ":"), sort_keys=True)


def _expand(text: str, fields: Iterable[str]) -> dict[str, Clock]:
    data = json.loads(text or "{}")
    default = data.get("*", {})
    return {f: dict(data.get(f, default)) for f in fields}


class SyncState:
    """The sync bookkeeping of one store during one export or import (one transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.self_id, self.self_uuid = self_peer(conn)
        self.me = str(self.self_id)
        self._generation: int | None = None
        self._peer_ids: dict[str, str] = {}
        self._peer_uuids: dict[str, str] = {}
        for pid, db_uuid in conn.execute("SELECT id, db_uuid FROM sync_peers"):
            self._peer_ids[db_uuid] = str(pid)
            self._peer_uuids[str(pid)] = db_uuid

    # -- identities ----------------------------------------------------------------------------
    def generation(self) -> int:
        """This operation's counter for the edits it notices (one per export or import)."""
        if self._generation is None:
            row = self.conn.execute("SELECT counter FROM sync_peers WHERE id = ?", [self.self_id]).fetchone()
            self._generation = int(row[0]) + 1
            self.conn.execute("UPDATE sync_peers SET counter = ? WHERE id = ?", [self._generation, self.self_id])
        return self._generation

    def peer_id(self, db_uuid: str, name: str = "") -> str:
        if db_uuid not in self._peer_ids:
            cur = self.conn.execute("INSERT INTO sync_peers (db_uuid, name, last_seen) VALUES (?, ?, ?)",
                                    [db_uuid, name[:200], now_iso()])
            self._peer_ids[db_uuid] = str(cur.lastrowid)
            self._peer_uuids[str(cur.lastrowid)] = db_uuid
        return self._peer_ids[db_uuid]

    def seen_peer(self, db_uuid: str, name: str) -> None:
        self.peer_id(db_uuid, name)
        self.conn.execute("UPDATE sync_peers SET name = ?, last_seen = ? WHERE db_uuid = ? AND is_self = 0",
                          [name[:200], now_iso(), db_uuid])

    def to_package(self, clock: Clock) -> Clock:
        """Local peer ids -> database uuids (what travels)."""
        return {self._peer_uuids[k]: v for k, v in clock.items() if k in self._peer_uuids}

    def from_package(self, clock: Clock) -> Clock:
        """Database uuids -> local peer ids (unknown databases are registered)."""
        return {self.peer_id(k): int(v) for k, v in clock.items()}

    # -- rows ----------------------------------------------------------------------------------
    def load(self, table: str, uuid: str) -> tuple[dict[str, str], dict[str, Clock]] | None:
        row = self.conn.execute("SELECT seen, clock FROM sync_rows WHERE table_name = ? AND row_uuid = ?",
                                [table, uuid]).fetchone()
        if row is None:
            return None
        return json.loads(row[0]), _expand(row[1], SYNC_FIELDS[table])

    def observe(self, table: str, uuid: str, values: dict[str, Any]) -> tuple[dict[str, Clock], bool]:
        """The row's vectors after noticing local edits (a changed fingerprint gets a new
        version of ours); ``False`` as second item when the row has no history here yet."""
        known = self.load(table, uuid)
        if known is None:
            generation = self.generation()
            return {f: {self.me: generation} for f in SYNC_FIELDS[table]}, False
        seen, clocks = known
        for field in SYNC_FIELDS[table]:
            if seen.get(field) != fingerprint(field, values.get(field)):
                clocks[field] = {**clocks.get(field, {}), self.me: self.generation()}
        return clocks, True

    def save(self, table: str, uuid: str, values: dict[str, Any], clocks: dict[str, Clock]) -> None:
        seen = {f: fingerprint(f, values.get(f)) for f in SYNC_FIELDS[table]}
        self.conn.execute(
            "INSERT INTO sync_rows (table_name, row_uuid, seen, clock) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(table_name, row_uuid) DO UPDATE SET seen = excluded.seen, clock = excluded.clock",
            [table, uuid, json.dumps(seen, separators=(",", ":")), _compress(clocks)])

    def bump(self, clock: Clock) -> Clock:
        """A new version of ours that contains ``clock`` (a conflict settled here)."""
        return {**clock, self.me: self.generation()}

    # -- aliases -------------------------------------------------------------------------------
    def alias(self, table: str, foreign_uuid: str) -> str | None:
        row = self.conn.execute("SELECT local_uuid FROM sync_aliases WHERE table_name = ? AND foreign_uuid = ?",
                                [table, foreign_uuid]).fetchone()
        return row[0] if row else None

    def remember_alias(self, table: str, foreign_uuid: str, local_uuid: str) -> None:
        if foreign_uuid != local_uuid:
            self.conn.execute("INSERT OR REPLACE INTO sync_aliases (table_name, foreign_uuid, local_uuid) "
                              "VALUES (?, ?, ?)", [table, foreign_uuid, local_uuid])


def local_values(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any]:
    """A row's synchronised fields in local terms (references as the referenced row's uuid)."""
    sql = {
        "units": "SELECT u.name, u.level, p.uuid FROM units u LEFT JOIN units p ON p.id = u.parent_id "
                 "WHERE u.id = ?",
        "leaders": "SELECT l.name, u.uuid, l.position, l.role FROM leaders l JOIN units u ON u.id = l.unit_id "
                   "WHERE l.id = ?",
        "terms": "SELECT l.uuid, t.start_date, t.end_date FROM terms t JOIN leaders l ON l.id = t.leader_id "
                 "WHERE t.id = ?",
        "records": f"SELECT {', '.join('r.' + f for f in RECORD_PLAIN)}, a.uuid, r.deleted_at FROM records r "
                   "LEFT JOIN articles a ON a.id = r.article_id WHERE r.id = ?",
        "debriefs": "SELECT l.uuid, d.year, d.title, d.achievements, d.problems, d.plans FROM debriefs d "
                    "JOIN leaders l ON l.id = d.leader_id WHERE d.id = ?",
    }[table]
    row = conn.execute(sql, [row_id]).fetchone()
    fields = SYNC_FIELDS[table]
    values = dict(zip(fields, row, strict=False))
    if table == "records":
        values["leaders"] = sorted(u for (u,) in conn.execute(
            "SELECT l.uuid FROM record_leaders rl JOIN leaders l ON l.id = rl.leader_id WHERE rl.record_id = ?",
            [row_id]))
        values["duties"] = sorted(u for (u,) in conn.execute(
            "SELECT d.uuid FROM record_duties rd JOIN duties d ON d.id = rd.duty_id WHERE rd.record_id = ?",
            [row_id]))
    return values


def open_conflict_fields(conn: sqlite3.Connection, table: str, uuid: str) -> list[str]:
    return [f for (f,) in conn.execute(
        "SELECT DISTINCT field FROM merge_conflicts WHERE table_name = ? AND row_uuid = ? AND resolved_at IS NULL",
        [table, uuid])]

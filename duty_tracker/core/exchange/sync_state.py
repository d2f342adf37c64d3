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

Which fields a table has is declared once, in :data:`SYNCED` (plain columns, references,
link lists, soft deletion), from the repositories' own field lists where they have one: a
column added to a debrief, a record or an annual report travels without a change here.

A field a newer program exchanges but the row's history does not know yet (it was last seen
by an older version) is not taken for a local edit when its value is what the older fields
already said — a blank, or for a record's cited articles the one article the older program
knew. Otherwise every row would look edited on both sides after an upgrade.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from duty_tracker.core.helpers import now_iso
from duty_tracker.core.storage.annual_reports_repo import ANNUAL_FIELDS
from duty_tracker.core.storage.debriefs_repo import NARRATIVE_FIELDS
from duty_tracker.core.storage.identity import self_peer
from duty_tracker.core.storage.records_repo import RECORD_FIELDS
from duty_tracker.core.storage.tasks_repo import PLAN_FIELDS, TASK_FIELDS

#: The record fields stored as they are (no reference to translate).
RECORD_PLAIN = tuple(f for f in RECORD_FIELDS if f != "article_id")

Clock = dict[str, int]  # peer -> counter; keys are local peer ids (as text) or database uuids

#: Rows read or written per query (SQLite allows 999 parameters in older builds).
CHUNK = 500


def ref_field(column: str) -> str:
    """The field of a reference column: ``unit_id`` → ``unit`` (a package row: ``unit_uuid``)."""
    return column.removesuffix("_id")


@dataclass(frozen=True, slots=True)
class Synced:
    """How the rows of one table are compared, in local terms: ``plain`` columns as stored;
    ``refs`` (column, referenced table), compared as the referenced row's uuid; ``links``
    (field, link table, owner column, column, referenced table), a set of link rows compared
    as the sorted uuids; ``deleted``: the soft deletion travels (compared as deleted or not)."""

    plain: tuple[str, ...]
    refs: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str, str, str, str], ...] = ()
    deleted: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.plain + tuple(ref_field(c) for c, _t in self.refs)
                + (("deleted",) if self.deleted else ()) + tuple(link[0] for link in self.links))


#: The synchronised tables, in local terms. A record's cited articles are both ``article``
#: (``records.article_id``, the first: what older programs know) and ``articles`` (all).
SYNCED: dict[str, Synced] = {
    "units": Synced(("name", "level"), (("parent_id", "units"),)),
    "leaders": Synced(("name", "position", "role"), (("unit_id", "units"),)),
    "terms": Synced(("start_date", "end_date"), (("leader_id", "leaders"),)),
    "records": Synced(RECORD_PLAIN, (("article_id", "articles"),), deleted=True, links=(
        ("leaders", "record_leaders", "record_id", "leader_id", "leaders"),
        ("duties", "record_duties", "record_id", "duty_id", "duties"),
        ("articles", "record_articles", "record_id", "article_id", "articles"))),
    "debriefs": Synced(("year", *NARRATIVE_FIELDS), (("leader_id", "leaders"),)),
    "annual_reports": Synced(("year", *ANNUAL_FIELDS, "submitted_on"), (("unit_id", "units"),)),
    "work_plans": Synced((*PLAN_FIELDS, "source_text"), deleted=True),
    "work_sections": Synced(("position", "label", "title"), (("plan_id", "work_plans"),)),
    "tasks": Synced(tuple(f for f in TASK_FIELDS if f != "section_id"),
                    (("plan_id", "work_plans"), ("section_id", "work_sections")), deleted=True),
    "task_units": Synced(("role",), (("task_id", "tasks"), ("unit_id", "units"))),
    "task_progress": Synced(("reported_on", "note", "done", "source"),
                            (("task_id", "tasks"), ("unit_id", "units")), deleted=True),
    "task_records": Synced(("note",), (("task_id", "tasks"), ("record_id", "records"), ("unit_id", "units"))),
}
#: Synchronised fields per table, in local terms (a reference is the referenced row's uuid,
#: a set of links a sorted list of uuids, ``deleted`` the deletion time or None).
SYNC_FIELDS: dict[str, tuple[str, ...]] = {table: spec.fields for table, spec in SYNCED.items()}
FIELD_LABELS = {
    "name": "名称", "level": "层级", "parent": "上级单位", "unit": "所在单位", "position": "职务",
    "role": "类别", "leader": "负责人", "start_date": "任职开始", "end_date": "任职结束",
    "performed_on": "履职日期", "title": "标题", "kind": "类型", "place": "地点",
    "participants": "参加人员", "minutes_number": "纪要文号", "description": "情况说明",
    "article": "引用条文", "articles": "引用条款", "deleted": "删除状态", "leaders": "负责人",
    "duties": "履职事项", "year": "年度", "achievements": "主要做法和成效", "problems": "存在的问题和不足",
    "plans": "下一步工作打算", "hours": "学时", "byline": "署名", "signature": "落款",
    "report_date": "成文日期", "leadership": "履行第一责任人职责、统筹部署",
    "study": "带头尊法学法守法用法", "decisions": "依法决策、依法行政", "publicity": "推动法治宣传、化解矛盾纠纷",
    "addressee": "主送机关", "opening": "开头", "measures": "主要举措和成效", "submitted_on": "报送日期",
    "doc_number": "文号", "source_name": "来源文件", "source_text": "原文", "label": "编号",
    "plan": "所属工作要点", "section": "所属部分", "task": "工作任务", "record": "履职纪实",
    "text": "任务内容", "due": "完成时限", "deadline_text": "时限原文", "item_label": "项号",
    "item_title": "项标题", "number": "序号", "named_units": "文件所列单位", "reported_on": "进展日期",
    "note": "进展情况", "done": "完成情况", "source": "来源",
}
#: Where a field means something else in one table.
TABLE_FIELD_LABELS = {
    ("annual_reports", "unit"): "单位", ("annual_reports", "signature"): "发文机关署名",
    ("annual_reports", "leadership"): "党政主要负责人履行推进法治建设第一责任人职责情况",
    ("annual_reports", "problems"): "存在的不足和原因", ("annual_reports", "plans"): "下一年度工作安排",
    ("work_sections", "position"): "排列位置", ("tasks", "title"): "任务名称", ("tasks", "position"): "排列位置",
    ("task_units", "role"): "职责", ("task_units", "unit"): "责任单位", ("task_progress", "unit"): "填报单位",
    ("task_records", "unit"): "对应单位", ("task_records", "note"): "说明",
}


def field_label(table: str, field: str) -> str:
    return TABLE_FIELD_LABELS.get((table, field)) or FIELD_LABELS.get(field, field)


#: A field newer than some rows' history, and the value the older fields imply for it.
_IMPLIED: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], Any]]] = {
    ("records", "articles"): ("article", lambda values: [values["article"]] if values.get("article") else []),
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


#: One encoder for every fingerprint: exactly ``json.dumps(..., ensure_ascii=False,
#: sort_keys=True, default=str)`` (fingerprints stored by earlier versions stay valid),
#: without building an encoder per call.
_FINGERPRINT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def _fingerprint(field: str, value: Any) -> str:
    data = _FINGERPRINT_JSON.encode(canonical(field, value))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


#: Fingerprints of short values already computed (kinds, places, dates, blanks, a leader's
#: uuid repeat across a ledger): computing 13 per record is a good part of a large import.
_KNOWN_FINGERPRINTS: dict[tuple[str, type, Any], str] = {}


def fingerprint(field: str, value: Any) -> str:
    """A short hash of the value as compared (:func:`canonical`)."""
    if isinstance(value, list):
        key: Any = (field, list, tuple(value))
    elif isinstance(value, str) and len(value) > 80:
        return _fingerprint(field, value)
    else:
        key = (field, type(value), value)
    found = _KNOWN_FINGERPRINTS.get(key)
    if found is None:
        found = _fingerprint(field, value)
        if len(_KNOWN_FINGERPRINTS) >= 50_000:
            _KNOWN_FINGERPRINTS.clear()
        _KNOWN_FINGERPRINTS[key] = found
    return found


def fingerprints(fields: tuple[str, ...], values: dict[str, Any]) -> dict[str, str]:
    """:func:`fingerprint` of each field of a row (the loop a large import runs most)."""
    known = _KNOWN_FINGERPRINTS
    out = {}
    for field in fields:
        value = values.get(field)
        kind = type(value)
        if kind is list:
            key: Any = (field, list, tuple(value))
        elif kind is str and len(value) > 80:
            out[field] = _fingerprint(field, value)
            continue
        else:
            key = (field, kind, value)
        found = known.get(key)
        if found is None:
            found = fingerprint(field, value)
        out[field] = found
    return out


def dominates(a: Clock, b: Clock) -> bool:
    """True when ``a`` contains every edit ``b`` contains (``a`` ≥ ``b`` entry by entry)."""
    return all(a.get(k, 0) >= v for k, v in b.items())


def combined(a: Clock, b: Clock) -> Clock:
    if not b or a == b:
        return dict(a)
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)}


def _compress(clocks: dict[str, Clock]) -> str:
    """``{"*": most common vector, field: vector where it differs}`` as compact JSON."""
    values = list(clocks.values())
    if values and all(clock == values[0] for clock in values):
        return _COMPACT_JSON.encode({"*": values[0]})  # the usual case: one vector for the row
    keys = {name: tuple(sorted(clock.items())) for name, clock in clocks.items()}
    common = Counter(keys.values()).most_common(1)[0][0] if keys else ()
    out: dict[str, Any] = {"*": dict(common)}
    for name, clock in clocks.items():
        if keys[name] != common:
            out[name] = clock
    return _COMPACT_JSON.encode(out)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> dict[str, Clock]:
    """A stored vector text, parsed once (the rows of a ledger share a few): never changed."""
    return json.loads(text or "{}")


def _expand(text: str, fields: Iterable[str]) -> dict[str, Clock]:
    """The vector of every field. The vectors themselves are shared, never changed in place:
    a field that gets a new version gets a new dict."""
    data = _parsed(text)
    default = data.get("*", {})
    return {f: data.get(f, default) for f in fields}


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items)) or "NULL"


class SyncState:
    """The sync bookkeeping of one store during one export or import (one transaction).

    Rows are read ahead for a batch (:meth:`prefetch`) and written back in batches
    (:meth:`flush`, called before the transaction ends); a row whose fingerprints and vectors
    did not change is not written again."""

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
        # (table, uuid) -> (seen fingerprints, clock text) as stored, or None: no history
        self._rows: dict[tuple[str, str], tuple[dict[str, str], str] | None] = {}
        self._pending: dict[tuple[str, str], tuple[str, str]] = {}
        self._observed: tuple[str, str, Any, dict[str, str]] = ("", "", None, {})
        #: vectors as a package writes them, by their text: an export's rows share a few
        self._package_forms: dict[str, dict[str, Clock]] = {}

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
    def prefetch(self, table: str, uuids: Iterable[str]) -> None:
        """Read the history of these rows in a few queries (the merge and export go by batches)."""
        wanted = [u for u in dict.fromkeys(uuids) if (table, u) not in self._rows]
        for part in chunks(wanted):
            for uuid in part:
                self._rows[(table, uuid)] = None
            for uuid, seen, clock in self.conn.execute(
                    f"SELECT row_uuid, seen, clock FROM sync_rows WHERE table_name = ? AND row_uuid IN ({marks(part)})",
                    [table, *part]):
                self._rows[(table, uuid)] = (json.loads(seen), clock)

    def load(self, table: str, uuid: str) -> tuple[dict[str, str], dict[str, Clock]] | None:
        if (table, uuid) not in self._rows:
            self.prefetch(table, [uuid])
        known = self._rows[(table, uuid)]
        if known is None:
            return None
        return dict(known[0]), _expand(known[1], SYNC_FIELDS[table])

    def observe(self, table: str, uuid: str, values: dict[str, Any]) -> tuple[dict[str, Clock], bool]:
        """The row's vectors after noticing local edits (a changed fingerprint gets a new
        version of ours); ``False`` as second item when the row has no history here yet."""
        known = self.load(table, uuid)
        if known is None:
            generation = self.generation()
            return {f: {self.me: generation} for f in SYNC_FIELDS[table]}, False
        seen, clocks = known
        now_seen = {}
        for field in SYNC_FIELDS[table]:
            now = now_seen[field] = fingerprint(field, values.get(field))
            if field not in seen and self._as_older_fields_said(table, field, values, clocks, now):
                continue
            if seen.get(field) != now:
                clocks[field] = {**clocks.get(field, {}), self.me: self.generation()}
        self._observed = (table, uuid, values, now_seen)
        return clocks, True

    @staticmethod
    def _as_older_fields_said(table: str, field: str, values: dict[str, Any], clocks: dict[str, Clock],
                              now: str) -> bool:
        """A field the row's history does not know, holding what the older fields imply (no
        edit of ours: it keeps the vector of the field it derives from, or the row's)."""
        implied = _IMPLIED.get((table, field))
        if implied is None:
            return is_blank(values.get(field))
        if now != fingerprint(field, implied[1](values)):
            return False
        clocks[field] = dict(clocks.get(implied[0], {}))
        return True

    def save(self, table: str, uuid: str, values: dict[str, Any], clocks: dict[str, Clock]) -> str:
        """Remember the row as seen now with these vectors (written at :meth:`flush`); returns
        the vectors as stored (compact text)."""
        observed = self._observed
        if observed[0] == table and observed[1] == uuid and observed[2] is values:
            seen = observed[3]  # the values observe() just looked at
        else:
            seen = fingerprints(SYNC_FIELDS[table], values)
        clock = _compress(clocks)
        known = self._rows.get((table, uuid))
        if known is not None and known[0] == seen and known[1] == clock:
            return clock
        self._rows[(table, uuid)] = (seen, clock)
        self._pending[(table, uuid)] = (_COMPACT_JSON.encode(seen), clock)
        return clock

    def package_form(self, stored: str) -> dict[str, Clock]:
        """Stored vectors (as :meth:`save` returns them) as a package carries them: keyed by
        database uuid. The rows of an export share a few: each is translated once."""
        found = self._package_forms.get(stored)
        if found is None:
            found = self._package_forms[stored] = {
                name: self.to_package(clock) for name, clock in _parsed(stored).items()}
        return found

    def flush(self) -> None:
        """Write the rows saved since the last flush, and forget what was read ahead (a large
        package is read 500 rows at a time; what is needed again is read again)."""
        self._rows.clear()
        if not self._pending:
            return
        self.conn.executemany(
            "INSERT INTO sync_rows (table_name, row_uuid, seen, clock) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(table_name, row_uuid) DO UPDATE SET seen = excluded.seen, clock = excluded.clock",
            # in key order: the B-tree is filled from one end instead of at random places
            sorted((table, uuid, seen, clock) for (table, uuid), (seen, clock) in self._pending.items()))
        self._pending.clear()

    def bump(self, clock: Clock) -> Clock:
        """A new version of ours that contains ``clock`` (a conflict settled here)."""
        return {**clock, self.me: self.generation()}

    # -- aliases -------------------------------------------------------------------------------
    def alias(self, table: str, foreign_uuid: str) -> str | None:
        row = self.conn.execute("SELECT local_uuid FROM sync_aliases WHERE table_name = ? AND foreign_uuid = ?",
                                [table, foreign_uuid]).fetchone()
        return row[0] if row else None

    def aliases(self, table: str, foreign_uuids: Sequence[str]) -> dict[str, str]:
        """foreign uuid → local uuid for those of ``foreign_uuids`` recognised earlier."""
        out: dict[str, str] = {}
        for part in chunks(list(foreign_uuids)):
            out.update(self.conn.execute(
                f"SELECT foreign_uuid, local_uuid FROM sync_aliases WHERE table_name = ? "
                f"AND foreign_uuid IN ({marks(part)})", [table, *part]).fetchall())
        return out

    def remember_alias(self, table: str, foreign_uuid: str, local_uuid: str) -> None:
        if foreign_uuid != local_uuid:
            self.conn.execute("INSERT OR REPLACE INTO sync_aliases (table_name, foreign_uuid, local_uuid) "
                              "VALUES (?, ?, ?)", [table, foreign_uuid, local_uuid])


def _select_sql(table: str) -> str:
    """One query for rows' synchronised fields: references joined, each set of links as the
    comma-separated uuids of its rows (uuids hold no comma)."""
    spec = SYNCED[table]
    columns = [f"x.{c}" for c in spec.plain]
    joins = []
    for index, (column, target) in enumerate(spec.refs):
        columns.append(f"r{index}.uuid")
        joins.append(f"LEFT JOIN {target} r{index} ON r{index}.id = x.{column}")
    if spec.deleted:
        columns.append("x.deleted_at")
    for _field, link_table, owner, column, target in spec.links:
        columns.append(f"(SELECT group_concat(t.uuid) FROM {link_table} l JOIN {target} t ON t.id = l.{column} "
                       f"WHERE l.{owner} = x.id)")
    return f"SELECT x.id, {', '.join(columns)} FROM {table} x {' '.join(joins)} WHERE x.id IN "


def local_values_many(conn: sqlite3.Connection, table: str, row_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Rows' synchronised fields in local terms (references as the referenced row's uuid,
    links as sorted lists of uuids), by row id, one query per 500 rows."""
    spec = SYNCED[table]
    names = [f for f in spec.fields if f not in {link[0] for link in spec.links}]
    links = [link[0] for link in spec.links]
    plain = len(names) + 1
    select = _select_sql(table)
    out: dict[int, dict[str, Any]] = {}
    for part in chunks(list(dict.fromkeys(row_ids))):
        for row in conn.execute(f"{select}({marks(part)})", part):
            values = dict(zip(names, row[1:plain], strict=True))
            for field, joined in zip(links, row[plain:], strict=True):
                values[field] = sorted(joined.split(",")) if joined else []
            out[row[0]] = values
    return out


def local_values(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any]:
    """A row's synchronised fields in local terms (references as the referenced row's uuid)."""
    return local_values_many(conn, table, [row_id])[row_id]


def open_conflict_fields(conn: sqlite3.Connection, table: str, uuid: str) -> list[str]:
    return [f for (f,) in conn.execute(
        "SELECT DISTINCT field FROM merge_conflicts WHERE table_name = ? AND row_uuid = ? AND resolved_at IS NULL",
        [table, uuid])]


def open_conflicts_of(conn: sqlite3.Connection, table: str) -> dict[str, set[str]]:
    """row uuid → the fields with an open conflict, for one table (read once per merge)."""
    out: dict[str, set[str]] = {}
    for uuid, field in conn.execute(
            "SELECT row_uuid, field FROM merge_conflicts WHERE table_name = ? AND resolved_at IS NULL", [table]):
        out.setdefault(uuid, set()).add(field)
    return out

"""Merging a verified data package into the ledger, field by field (see ``sync_state`` for
why version vectors), row by row, in one transaction.

- Rule tables are reference data: a rule set, article, clause or duty new here is added;
  one already here (same uuid, or the same rule text, article number …) is left as it is.
  A supplementary rule set of another office arrives unused (see :meth:`Merger.merge_reference`).
- Units, leaders, terms, records, debriefs, annual reports and the year's work points
  (documents, sections, tasks, their units, progress, records evidencing tasks) are matched by
  uuid, then by an alias learnt earlier, then by content (the same unit name and level, the
  same leader in the same unit, the same term start, the same debrief year, the same document
  text …: ``merge_rows.CONTENT_KEYS``), and merged field by field.
- Every write goes through the repositories (the same validation as the window). A row that
  fails it, has a field of the wrong JSON type, or refers to something neither here nor in
  the package (a record whose leaders are unknown) is refused and reported; the rest of the
  package goes in.
- A field both offices changed since they last shared it is a conflict: the local value
  stays in the row, both values are kept in ``merge_conflicts``, and ``conflicts.resolve``
  settles it by the clerk's choice. Nothing is discarded.

Why it goes by batches: a district's package holds a hundred thousand records. The rows of a
table are taken 500 at a time; what the merge needs to know about them here (their ids, aliases,
history and current values) is read in a few queries per batch, and new records are validated
and written together (``RecordsRepo.put_new_records``: the same checks as one by one). The
search index is brought up to date once at the end of a large import instead of row by row.

``preview=True`` runs the same merge and rolls it back, so the clerk sees what would happen.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duty_tracker.core.errors import AppError
from duty_tracker.core.exchange.merge_rows import (
    CONTENT_KEYS,
    REQUIRED_REFS,
    UNKNOWN,
    Refused,
    cited_articles,
    describe,
    local_values_label,
    normalised_dates,
    row_label,
    type_problem,
    write_row,
)
from duty_tracker.core.exchange.package_format import (
    ATTACHMENT_TABLES,
    REFERENCE_TABLES,
    REFS,
    TABLE_LABELS,
    PackageError,
    VerifiedPackage,
)
from duty_tracker.core.exchange.sync_state import (
    RECORD_PLAIN,
    SYNC_FIELDS,
    SYNCED,
    Clock,
    SyncState,
    chunks,
    combined,
    dominates,
    field_label,
    is_blank,
    local_values,
    local_values_many,
    marks,
    open_conflicts_of,
    ref_field,
    same,
)
from duty_tracker.core.helpers import now_iso
from duty_tracker.core.storage.marks import sqlite_reason
from duty_tracker.core.storage.records_repo import RecordPut, safe_suffix
from duty_tracker.core.storage.rules_repo import add_package_rule_row
from duty_tracker.core.storage.search_index import deferred_search_index

__all__ = ["UNKNOWN", "Conflict", "MergeResult", "Merger", "describe", "merge_package", "row_label",
           "type_problem", "write_row"]

_REQUIRED_RULE_REFS = {"articles": ("rule_set_id",), "clauses": ("article_id",), "duties": ("rule_set_id",)}
#: New records written with one statement per table (one batch of the reads is 500 rows).
WRITE_BATCH = 5000
#: The page cache a merge may use (KiB).
MERGE_CACHE_KIB = 64 * 1024
#: New records from this many on may be indexed for search once, after the merge.
DEFER_INDEX_FROM = 1000


def defer_index(new: int, here: int) -> bool:
    """Index the new records for search after the merge rather than row by row? Bringing the
    index up to date in one pass costs, today, about a third of what the row-by-row triggers
    cost per record, but over every record of the ledger: worth it from a few thousand new
    records that are at least a third as many as those already here."""
    return new >= DEFER_INDEX_FROM and new * 3 >= here


@dataclass
class Conflict:
    """A field both sides changed since they last shared it; both values are kept."""

    table: str
    uuid: str
    label: str
    field: str
    local_text: str
    package_text: str
    id: int | None = None

    def __str__(self) -> str:
        return (f"{TABLE_LABELS.get(self.table, self.table)}{self.label}的“{field_label(self.table, self.field)}”："
                f"本机为“{self.local_text}”，数据包为“{self.package_text}”（两边都修改过，两边的内容都已保留，"
                "请选择保留哪一个）")


@dataclass
class MergeResult:
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    restored: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_added: int = 0
    backup: Path | None = None
    unit_name: str = ""
    created_at: str = ""

    def summary(self) -> str:
        """What the merge did, in the lines the clerk reads after an import (and before, in
        the preview): counts by kind of data, conflicts, refused rows and the notes."""
        def fmt(counter: Counter) -> str:
            parts = [f"{TABLE_LABELS[t]} {counter[t]}" for t in REFS if counter.get(t)]
            return "、".join(parts) if parts else "无"

        lines = [f"新增：{fmt(self.added)}", f"更新：{fmt(self.updated)}"]
        if self.deleted:
            lines.append(f"删除（移入回收站）：{fmt(self.deleted)}")
        if self.restored:
            lines.append(f"恢复（移出回收站）：{fmt(self.restored)}")
        lines.append(f"冲突（两边都修改过，均已保留，待选择）：{len(self.conflicts)} 处")
        if self.refused:
            lines.append(f"未导入：{len(self.refused)} 行（原因见下）")
        lines += [f"说明：{note}" for note in self.notes]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit_name, "added": dict(self.added), "updated": dict(self.updated),
                "deleted": dict(self.deleted), "restored": dict(self.restored),
                "unchanged": dict(self.unchanged), "files_added": self.files_added,
                "conflicts": [{"id": c.id, "table": c.table, "uuid": c.uuid, "label": c.label, "field": c.field,
                               "local": c.local_text, "package": c.package_text} for c in self.conflicts],
                "refused": self.refused, "notes": self.notes,
                "backup": str(self.backup) if self.backup else None}


class Merger:
    """One merge of one package into one store (inside the caller's transaction)."""

    def __init__(self, store: Any, package: VerifiedPackage, *, preview: bool) -> None:
        self.store, self.package, self.preview = store, package, preview
        self.conn: sqlite3.Connection = store.db.conn
        self.result = MergeResult()
        self.state = SyncState(self.conn)
        self.local_uuid: dict[str, dict[str, str]] = {t: {} for t in REFS}  # package uuid -> local uuid
        self.ids: dict[str, dict[str, int | None]] = {t: {} for t in REFS}  # local uuid -> id (None: not here)
        self.aliases: dict[str, dict[str, str | None]] = {t: {} for t in REFS}
        self.current: dict[tuple[str, int], dict[str, Any]] = {}  # rows read ahead, by (table, id)
        self.open_here: dict[str, dict[str, set[str]]] = {}
        self.clocks: dict[tuple[Any, ...], Clock] = {}
        self.names: dict[str, dict[Any, str]] = {}
        source = package.source_uuid
        if source and source != self.state.self_uuid:
            self.state.seen_peer(source, package.source_name)
        self.has_clocks = package.version >= 2 and source is not None
        self.text_columns = {t: self._text_columns(t) for t in SYNCED}

    def _text_columns(self, table: str) -> dict[str, bool]:
        """column -> may be NULL, for the text columns (a blank is stored as NULL or '' by that)."""
        return {name: not notnull for _cid, name, kind, notnull, _default, _pk
                in self.conn.execute(f"PRAGMA table_info({table})") if kind.upper() == "TEXT"}

    # -- references ------------------------------------------------------------------------------
    def id_of(self, table: str, uuid: str | None) -> int | None:
        if not uuid:
            return None
        known = self.ids[table]
        if uuid not in known:
            row = self.conn.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
            known[uuid] = int(row[0]) if row else None
        return known[uuid]

    def alias(self, table: str, package_uuid: str) -> str | None:
        known = self.aliases[table]
        if package_uuid not in known:
            known[package_uuid] = self.state.alias(table, package_uuid)
        return known[package_uuid]

    def ref(self, table: str, package_uuid: Any) -> Any:
        """The local uuid of a row the package refers to; None for no reference, UNKNOWN when
        it is neither here nor (already merged) in the package."""
        if package_uuid is None:
            return None
        if package_uuid in self.local_uuid[table]:
            return self.local_uuid[table][package_uuid]
        if self.id_of(table, package_uuid) is not None:
            return package_uuid
        alias = self.alias(table, package_uuid)
        return alias if alias and self.id_of(table, alias) is not None else UNKNOWN

    def required(self, table: str, package_uuid: Any, what: str) -> str:
        found = self.ref(table, package_uuid)
        if found is None or found is UNKNOWN:
            raise Refused(f"其{what}既不在本机，也不在数据包中（或未能导入）")
        return found

    def prefetch(self, table: str, rows: list[Any]) -> None:
        """What the merge of these rows needs to know here, in a few queries: which uuids are
        here (theirs or an alias), the rows' history and their current values."""
        here = self.prefetch_ids(table, rows)
        if table not in SYNCED:
            return
        self.state.prefetch(table, here)
        for row_id, values in local_values_many(self.conn, table, list(here.values())).items():
            self.current[(table, row_id)] = values

    def prefetch_ids(self, table: str, rows: list[Any]) -> dict[str, int]:
        """Which of these rows are here (by uuid or alias): local uuid → id."""
        uuids = [r["uuid"] for r in rows if isinstance(r, dict) and isinstance(r.get("uuid"), str)]
        fresh = [u for u in uuids if u not in self.aliases[table]]
        found = self.state.aliases(table, fresh)
        self.aliases[table].update({u: found.get(u) for u in fresh})
        local = {*uuids, *(a for u in uuids if (a := self.aliases[table][u]))}
        wanted = [u for u in local if u not in self.ids[table]]
        for part in chunks(wanted):
            self.ids[table].update(dict.fromkeys(part))
            self.ids[table].update(self.conn.execute(
                f"SELECT uuid, id FROM {table} WHERE uuid IN ({marks(part)})", part).fetchall())
        return {u: row_id for u in local if (row_id := self.ids[table][u]) is not None}

    def local_row(self, table: str, row_id: int) -> dict[str, Any]:
        """The row's values here now (read ahead, or read now); the read-ahead copy is used once."""
        return self.current.pop((table, row_id), None) or local_values(self.conn, table, row_id)

    def learnt(self, table: str, uuid: str, row_id: int) -> None:
        """A row written here: its id is known, and any copy read ahead is stale."""
        self.ids[table][uuid] = row_id
        self.current.pop((table, row_id), None)

    # -- running ---------------------------------------------------------------------------------
    def run(self) -> MergeResult:
        for table in REFERENCE_TABLES:
            self.each_row(table, self.merge_reference)
        for table in REFS:
            if table in REFERENCE_TABLES:
                continue
            if table in ATTACHMENT_TABLES:
                self.each_row(table, self.merge_attachment)
            elif table == "records":
                self.merge_records()
            else:
                self.each_row(table, self.merge_synced)
            self.state.flush()
        return self.result

    def rows(self, table: str) -> list[Any]:
        rows = list(self.package.tables.get(table, []))
        return _parents_first(rows) if table == "units" else rows

    def each_row(self, table: str, merge: Any) -> None:
        for chunk in chunks(self.rows(table)):
            self.prefetch(table, list(chunk))
            for row in chunk:
                self.one_row(table, row, merge)
            self.state.flush()

    def one_row(self, table: str, row: Any, merge: Any, *, guarded: bool = True) -> None:
        """Merge one row, or refuse it with the reason. ``guarded=False``: ``merge`` guards its
        own writes (a row only checked here and written with its batch needs no savepoint)."""
        problem = type_problem(table, row)
        if problem:
            self.refuse(table, self.label(table, row) if isinstance(row, dict) else "", problem)
            return
        try:
            with self.store.db.atomic() if guarded else nullcontext():  # a refused row leaves no trace
                merge(table, row)
        except Refused as exc:
            self.refuse(table, self.label(table, row), str(exc))
        except AppError as exc:
            self.refuse(table, self.label(table, row), str(exc).rstrip("。"))
        except sqlite3.IntegrityError as exc:
            self.refuse(table, self.label(table, row), f"与本机数据的约束冲突（{sqlite_reason(exc)}）")

    def label(self, table: str, row: dict[str, Any]) -> str:
        """How the clerk recognises a package row in a message. A task's unit, progress entry
        or evidencing record has no title of its own: it is named by its task (and unit, day
        or record), as the package names them."""
        if table not in ("task_units", "task_progress", "task_records"):
            return row_label(table, row)
        if not self.names:
            for named, key in (("tasks", "title"), ("units", "name"), ("records", "title")):
                self.names[named] = {r.get("uuid"): r.get(key) for r in self.package.tables.get(named, [])
                                     if isinstance(r, dict) and isinstance(r.get(key), str)}
        title = self.names["tasks"].get(row.get("task_uuid"))
        detail = " ".join(str(v) for v in (self.names["units"].get(row.get("unit_uuid")),
                                            row.get("reported_on") if table == "task_progress" else None,
                                            self.names["records"].get(row.get("record_uuid"))) if v)
        if not title:
            return row_label(table, {"uuid": row.get("uuid"), "reported_on": row.get("reported_on")})
        return row_label(table, {"title": f"{title}（{detail}）" if detail else title})

    def refuse(self, table: str, label: str, why: str) -> None:
        self.result.refused.append(f"{TABLE_LABELS[table]}{label}未导入：{why}。")

    # -- reference tables ------------------------------------------------------------------------
    def merge_reference(self, table: str, row: dict[str, Any]) -> None:
        values = {k: v for k, v in row.items() if not k.endswith("_uuid") and k not in ("uuid", "id")}
        for column, target in REFS[table].items():
            ref = self.ref(target, row.get(column.removesuffix("_id") + "_uuid"))
            if ref is UNKNOWN and column in _REQUIRED_RULE_REFS.get(table, ()):
                raise Refused(f"其所属{TABLE_LABELS[target]}未能导入")
            values[column] = None if ref is UNKNOWN else self.id_of(target, ref)
        local = self.match(table, row["uuid"], values)
        if local is not None:
            self.result.unchanged[table] += 1
        else:
            if table == "rule_sets":
                self.arrive_unused(values)
            new_id = add_package_rule_row(self.store.rules, table, row["uuid"], values)
            local = self.conn.execute(f"SELECT uuid FROM {table} WHERE id = ?", [new_id]).fetchone()[0]
            self.learnt(table, local, new_id)
            self.result.added[table] += 1
        self.local_uuid[table][row["uuid"]] = local

    def arrive_unused(self, values: dict[str, Any]) -> None:
        """A supplementary rule set of the sending office arrives as a rule set that no year
        uses. Why: a supplement here counts for every leader of this ledger, while the sender
        meant its own leaders (a department's additional duties must not start counting for
        every leader of the district). The clerk decides, on the rules page, whether it
        applies here too; the records citing its duties keep their links either way."""
        if values.get("scope") != "supplement":
            return
        first, last = values.get("from_year"), values.get("to_year")
        if first and last:
            years = f"{first}年" if first == last else f"{first}—{last}年"
        else:
            years = f"{first}年起" if first else f"至{last}年" if last else "各年度"
        values.update(scope="main", from_year=None, to_year=None)
        self.result.notes.append(
            f"《{str(values.get('title') or '')[:60]}》是报送单位的补充规则（{years}计入）。为免其计入本机全部负责人"
            "的履职情况，已作为未启用的规则加入；如本机也适用，请在“规则”页将其设为补充规则。")

    def match(self, table: str, package_uuid: str, key_values: dict[str, Any]) -> str | None:
        """The local uuid of the row the package row is: same uuid, a known alias, or content."""
        if self.id_of(table, package_uuid) is not None:
            return package_uuid
        alias = self.alias(table, package_uuid)
        if alias and self.id_of(table, alias) is not None:
            return alias
        for key in CONTENT_KEYS.get(table, ()):
            if any(is_blank(key_values.get(k)) or key_values.get(k) is UNKNOWN for k in key):
                continue
            where = " AND ".join(f"{k} = ?" for k in key)
            found = self.conn.execute(f"SELECT uuid FROM {table} WHERE {where} ORDER BY id LIMIT 1",
                                      [key_values[k] for k in key]).fetchone()
            if found:
                self.state.remember_alias(table, package_uuid, found[0])
                self.aliases[table][package_uuid] = found[0]
                return str(found[0])
        return None

    # -- synchronised tables ---------------------------------------------------------------------
    def theirs(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """The package row's synchronised fields in local terms: dates as stored (ISO), a
        blank as this database stores it, references as local uuids; UNKNOWN for a field the
        package does not carry (an older program's) or a reference that cannot be resolved."""
        spec = SYNCED[table]
        row = normalised_dates(table, row)
        texts = self.text_columns[table]
        out: dict[str, Any] = {}
        for name in spec.plain:
            value = row.get(name, UNKNOWN)
            if name in texts and value is not UNKNOWN:
                value = (None if is_blank(value) else value) if texts[name] else ("" if value is None else value)
            out[name] = int(value) if isinstance(value, bool) else value
        required = REQUIRED_REFS.get(table, ())
        for column, target in spec.refs:
            name = ref_field(column)
            package_uuid = row.get(f"{name}_uuid")
            out[name] = (self.required(target, package_uuid, field_label(table, name)) if column in required
                         else self.ref(target, package_uuid))
        if spec.deleted:
            out["deleted"] = row.get("deleted_at")
        if table == "records":
            self.record_links(row, out)
        if table == "units" and out["parent"] is None:
            out["parent"] = UNKNOWN  # the sender's top unit may well sit under another one here
        return out

    def record_links(self, row: dict[str, Any], out: dict[str, Any]) -> None:
        if not row["leader_uuids"]:
            raise Refused("没有任何负责人")
        out["leaders"] = sorted({self.required("leaders", u, "负责人") for u in row["leader_uuids"]})
        out["duties"] = sorted({self.required("duties", u, "履职事项") for u in row.get("duty_uuids") or []})
        if "article_uuids" not in row:  # an older program's package knows one article only
            out["articles"] = UNKNOWN
            return
        cited = [self.ref("articles", u) for u in row.get("article_uuids") or []]
        out["articles"] = UNKNOWN if UNKNOWN in cited else sorted({c for c in cited if c})

    def key_values(self, table: str, theirs: dict[str, Any]) -> dict[str, Any]:
        values = dict(theirs)
        for column, target in SYNCED[table].refs:
            ref = theirs.get(ref_field(column))
            values[column] = self.id_of(target, ref) if isinstance(ref, str) else None
        return values

    def package_clocks(self, table: str, row: dict[str, Any]) -> dict[str, Clock] | None:
        """The row's version vectors in local peer ids; None for a package that has none."""
        if not self.has_clocks or not isinstance(row.get("_clock"), dict):
            return None
        data = row["_clock"]
        if len(data) > 64 or any(not isinstance(v, dict) or len(v) > 64 for v in data.values()):
            raise Refused("版本信息格式不正确")
        try:
            default = self.local_clock(data.get("*", {}))
            return {f: self.local_clock(data[f]) if f in data else default for f in SYNC_FIELDS[table]}
        except (TypeError, ValueError, AttributeError):
            raise Refused("版本信息格式不正确") from None

    def local_clock(self, clock: dict[str, Any]) -> Clock:
        """A package vector in local peer ids; the rows of a package share a few vectors, so
        each is translated once (the result is shared: never changed in place)."""
        key = tuple(sorted(clock.items()))
        found = self.clocks.get(key)
        if found is None:
            found = self.clocks[key] = self.state.from_package(dict(clock))
        return found

    def merge_synced(self, table: str, row: dict[str, Any]) -> None:
        theirs = self.theirs(table, row)
        clocks = self.package_clocks(table, row)
        local = self.match(table, row["uuid"], self.key_values(table, theirs))
        if local is None:
            local = self.insert(table, row, theirs, clocks)
        else:
            self.update(table, row, local, theirs, clocks)
        self.local_uuid[table][row["uuid"]] = local

    def insert(self, table: str, row: dict[str, Any], theirs: dict[str, Any], clocks: dict[str, Clock] | None) -> str:
        values = {k: (None if v is UNKNOWN else v) for k, v in theirs.items()}
        if theirs.get("parent") is UNKNOWN and row.get("parent_uuid"):
            self.result.notes.append(f"单位{row_label(table, row)}的上级单位不在本机，已作为顶级单位加入。")
        row_id = self.write(table, row["uuid"], values, row)
        self.count_new(table, values)
        self.state.save(table, row["uuid"], local_values(self.conn, table, row_id),
                        clocks or {f: {} for f in SYNC_FIELDS[table]})
        return row["uuid"]

    def count_new(self, table: str, values: dict[str, Any]) -> None:
        (self.result.deleted if values.get("deleted") else self.result.added)[table] += 1

    def update(self, table: str, row: dict[str, Any], local: str, theirs: dict[str, Any],
               clocks: dict[str, Clock] | None) -> None:
        """Merge the package row into the local row ``local``, field by field. Decided first,
        written after (in a savepoint, only when there is something to write)."""
        row_id = self.id_of(table, local)
        ours = self.local_row(table, row_id)
        ours_clocks, history = self.state.observe(table, local, ours)
        held = set(row.get("_held") or [])
        changes: dict[str, Any] = {}
        settled: list[str] = []
        conflicts: list[tuple[str, Any, Any, Clock | None]] = []
        for name in SYNC_FIELDS[table]:
            mine, other = ours[name], theirs.get(name, UNKNOWN)
            their_clock = clocks.get(name) if clocks is not None else None
            if other is UNKNOWN or (name in held and not same(name, mine, other)):
                continue
            if same(name, mine, other):
                ours_clocks[name] = combined(ours_clocks[name], their_clock or {})
                settled.append(name)
            elif their_clock is not None and dominates(their_clock, ours_clocks[name]) \
                    and their_clock != ours_clocks[name]:
                changes[name], ours_clocks[name] = other, combined(their_clock, ours_clocks[name])
            elif their_clock is not None and dominates(ours_clocks[name], their_clock):
                continue  # ours is newer: they have not seen our edit yet
            elif not (history and their_clock is not None) and is_blank(mine):
                changes[name] = other  # no shared history, and a blank loses nothing
                ours_clocks[name] = combined(ours_clocks[name], their_clock or {})
            elif not (history and their_clock is not None) and is_blank(other):
                continue
            else:
                conflicts.append((name, mine, other, their_clock))
        settled = [name for name in settled if name in self.open_conflicts(table).get(local, ())]
        if changes or settled or conflicts:
            with self.store.db.atomic():
                for name in settled:
                    self.settle_open(table, local, name)
                for name, mine, other, their_clock in conflicts:
                    self.conflict(table, local, row, name, mine, other, their_clock)
                if changes:
                    self.write(table, local, {**ours, **changes}, row, ours)
            if changes:
                self.count_change(table, ours, changes)
                ours = local_values(self.conn, table, row_id)
        if not changes:
            self.result.unchanged[table] += 1
        self.state.save(table, local, ours, ours_clocks)

    def count_change(self, table: str, ours: dict[str, Any], changes: dict[str, Any]) -> None:
        if "deleted" in changes and bool(changes["deleted"]) != bool(ours["deleted"]):
            (self.result.deleted if changes["deleted"] else self.result.restored)[table] += 1
        else:
            self.result.updated[table] += 1

    def write(self, table: str, uuid: str, values: dict[str, Any], row: dict[str, Any],
              ours: dict[str, Any] | None = None) -> int:
        created = row.get("created_at") if isinstance(row.get("created_at"), str) else None
        row_id = write_row(self.store, table, uuid, values, created_at=created, ours=ours)
        self.learnt(table, uuid, row_id)
        return row_id

    # -- records, by batches ---------------------------------------------------------------------
    def merge_records(self) -> None:
        """Records as every synchronised table, except that the new ones are validated and
        written together, a few thousand at a time, and a large import is indexed for search
        once at the end."""
        rows = self.rows("records")
        for chunk in chunks(rows):
            self.prefetch_ids("records", list(chunk))
        new = sum(1 for r in rows if isinstance(r, dict) and self.ids["records"].get(r.get("uuid")) is None)
        here = int(self.conn.execute("SELECT count(*) FROM records").fetchone()[0])
        pending: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Clock] | None]] = {}
        with deferred_search_index(self.store.db) if defer_index(new, here) else nullcontext():
            for chunk in chunks(rows):
                self.prefetch("records", list(chunk))
                for row in chunk:
                    if isinstance(row, dict) and row.get("uuid") in pending:
                        self.insert_records(pending)  # a uuid twice: the second sees the first
                    self.one_row("records", row, lambda _table, row, new=pending: self.merge_record(row, new),
                                 guarded=False)
                if len(pending) >= WRITE_BATCH:
                    self.insert_records(pending)
                self.state.flush()
            self.insert_records(pending)
            self.state.flush()

    def merge_record(self, row: dict[str, Any], pending: dict[str, Any]) -> None:
        theirs = self.theirs("records", row)
        clocks = self.package_clocks("records", row)
        local = self.match("records", row["uuid"], theirs)
        if local is None:
            pending[row["uuid"]] = (row, theirs, clocks)  # written with its batch
            return
        self.update("records", row, local, theirs, clocks)  # guards its own writes
        self.local_uuid["records"][row["uuid"]] = local

    def insert_records(self, pending: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Clock] | None]]
                       ) -> None:
        """Write the new records of a batch at once. The repository checks every row before it
        writes any (a refused row is reported, the others go in); the writes need no savepoint
        of their own, which in a large transaction would cost as much as the writes — should
        one fail all the same, for a reason no check foresaw, the whole import is rolled back."""
        if not pending:
            return
        batch = list(pending.values())
        pending.clear()
        results = self.store.records.put_new_records([self.record_put(row, theirs) for row, theirs, _c in batch])
        written = {}
        for (row, theirs, clocks), result in zip(batch, results, strict=True):
            if isinstance(result, AppError):
                self.refuse("records", self.label("records", row), str(result).rstrip("。"))
                continue
            self.learnt("records", row["uuid"], result)
            self.local_uuid["records"][row["uuid"]] = row["uuid"]
            self.count_new("records", theirs)
            written[result] = (row["uuid"], clocks)
        for row_id, values in local_values_many(self.conn, "records", list(written)).items():
            uuid, clocks = written[row_id]
            self.state.save("records", uuid, values, clocks or {f: {} for f in SYNC_FIELDS["records"]})

    def record_put(self, row: dict[str, Any], theirs: dict[str, Any]) -> RecordPut:
        values = {k: (None if v is UNKNOWN else v) for k, v in theirs.items()}
        return RecordPut(
            uuid=row["uuid"], fields={**{k: values[k] for k in RECORD_PLAIN},
                                      "article_id": self.id_of("articles", values["article"])},
            leader_ids=[self.id_of("leaders", u) for u in values["leaders"]],
            duty_ids=[self.id_of("duties", u) for u in values["duties"]],
            article_ids=[self.id_of("articles", a) for a in cited_articles({}, values)],
            deleted_at=values["deleted"] or None,
            created_at=row.get("created_at") if isinstance(row.get("created_at"), str) else None)

    # -- conflicts -------------------------------------------------------------------------------
    def conflict(self, table: str, local: str, row: dict[str, Any], name: str, mine: Any, other: Any,
                 their_clock: Clock | None) -> None:
        label = row_label(table, local_values_label(self.conn, table, local) or row)
        package_clock = json.dumps(self.state.to_package(their_clock or {}), sort_keys=True)
        existing = self.conn.execute(
            "SELECT id FROM merge_conflicts WHERE table_name = ? AND row_uuid = ? AND field = ? AND resolved_at IS NULL",
            [table, local, name]).fetchone()
        values = [json.dumps(mine, ensure_ascii=False), json.dumps(other, ensure_ascii=False), package_clock,
                  self.package.source_name or str(self.package.path.name), self.package.source_uuid, now_iso()]
        if existing:
            conflict_id = int(existing[0])
            self.conn.execute("UPDATE merge_conflicts SET local_value = ?, package_value = ?, package_clock = ?, "
                              "source = ?, peer_uuid = ?, detected_at = ? WHERE id = ?", [*values, conflict_id])
        else:
            conflict_id = int(self.conn.execute(
                "INSERT INTO merge_conflicts (table_name, row_uuid, field, label, local_value, package_value, "
                "package_clock, source, peer_uuid, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [table, local, name, label, *values]).lastrowid)
        self.open_conflicts(table).setdefault(local, set()).add(name)
        self.result.conflicts.append(Conflict(table, local, label, name, describe(self.conn, name, mine),
                                              describe(self.conn, name, other), conflict_id))

    def open_conflicts(self, table: str) -> dict[str, set[str]]:
        if table not in self.open_here:
            self.open_here[table] = open_conflicts_of(self.conn, table)
        return self.open_here[table]

    def settle_open(self, table: str, local: str, name: str) -> None:
        """Both sides hold the same value now: an open conflict about it is over."""
        fields = self.open_conflicts(table).get(local)
        if not fields or name not in fields:
            return
        fields.discard(name)
        self.conn.execute("UPDATE merge_conflicts SET resolved_at = ?, resolution = 'same', resolved_by = '两边已一致' "
                          "WHERE table_name = ? AND row_uuid = ? AND field = ? AND resolved_at IS NULL",
                          [now_iso(), table, local, name])

    # -- evidence files --------------------------------------------------------------------------
    def merge_attachment(self, table: str, row: dict[str, Any]) -> None:
        """An evidence file of a record or a progress entry: added when the owner has no file
        with that content yet (a file the other office removed stays here)."""
        owner_table, owner_column = ("records", "record_id") if table == "attachments" else ("task_progress",
                                                                                            "progress_id")
        owner = self.required(owner_table, row[f"{ref_field(owner_column)}_uuid"], "所属纪实" if table ==
                              "attachments" else "所属进展")
        owner_id = self.id_of(owner_table, owner)
        if self.id_of(table, row["uuid"]) is not None or self.conn.execute(
                f"SELECT 1 FROM {table} WHERE {owner_column} = ? AND sha256 = ?", [owner_id, row["sha256"]]).fetchone():
            self.result.unchanged[table] += 1
            return
        stored = f"{row['sha256'][:2]}/{row['sha256']}{safe_suffix(row['file_name'])}"
        if not self.preview:
            file = {"file_name": row["file_name"], "stored_path": stored, "sha256": row["sha256"], "size": row["size"]}
            if table == "attachments":
                new_id = self.store.records.link_attachment(row["uuid"], record_id=owner_id, added_at=row.get("added_at"),
                                                            **file)
            else:
                new_id = self.store.tasks.link_progress_attachment(row["uuid"], progress_id=owner_id, **file)
            self.learnt(table, row["uuid"], new_id)
        self.result.added[table] += 1


def _parents_first(rows: list[Any]) -> list[Any]:
    """Units ordered so that a parent in the package comes before its children (a cycle in a
    hostile package is broken where it is found)."""
    by_uuid = {r.get("uuid"): r for r in rows if isinstance(r, dict)}
    done: set[Any] = set()
    out: list[Any] = [r for r in rows if not isinstance(r, dict)]

    def visit(row: dict[str, Any], path: set[Any]) -> None:
        key = row.get("uuid")
        if key in done or key in path:
            return
        parent = by_uuid.get(row.get("parent_uuid")) if isinstance(row.get("parent_uuid"), str) else None
        if parent is not None:
            visit(parent, path | {key})
        done.add(key)
        out.append(row)

    for row in rows:
        if isinstance(row, dict):
            visit(row, set())
    return out


def merge_package(store: Any, package: VerifiedPackage, *, commit: bool) -> MergeResult:
    """Run the merge in one transaction: committed, or (a preview) rolled back."""
    conn = store.db.conn
    if conn.in_transaction:
        raise PackageError("数据库正忙（另一个操作尚未完成），请稍后再导入。")
    # While merging, statement and savepoint journals stay in memory (every row is written with
    # its audit trigger inside one large transaction, and SQLite would otherwise first copy the
    # pages each statement touches to a temporary file: half the time of a large import), and
    # the page cache may grow to 64 MB (a hundred thousand uuids go into indexes at random
    # places: with the default 2 MB most of those pages are read again and again).
    temp_store = int(conn.execute("PRAGMA temp_store").fetchone()[0])
    cache_size = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = {min(cache_size, -MERGE_CACHE_KIB)}")
    try:
        result = _merge_in_transaction(store, package, commit=commit)
    finally:
        conn.execute(f"PRAGMA temp_store = {temp_store}")
        conn.execute(f"PRAGMA cache_size = {cache_size}")
    result.unit_name = str((package.manifest.get("unit") or {}).get("name", ""))
    result.created_at = str(package.manifest.get("created_at", ""))
    return result


def _merge_in_transaction(store: Any, package: VerifiedPackage, *, commit: bool) -> MergeResult:
    conn = store.db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = Merger(store, package, preview=not commit).run()
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            raise PackageError(f"数据包中的数据引用不完整（{len(fk)} 处），已拒绝，数据库未修改。")
    except BaseException as exc:
        conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise PackageError(f"导入数据包失败，数据库未作任何修改：{sqlite_reason(exc)}。"
                               "请检查数据文件夹是否只读、磁盘是否已满。") from exc
        raise
    conn.execute("COMMIT" if commit else "ROLLBACK")
    return result

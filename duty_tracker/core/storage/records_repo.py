"""Records of performed duties, their links to leaders and duties, and evidence attachments.

A record links to its leaders, its duties and the articles it cites (``record_articles``; the
column ``records.article_id`` keeps the first cited article for readers that know only one).
Deleting a record only marks it (``deleted_at``): the clerk can undo, and the audit log can
restore it; its links and attachment files stay. Attachment files are copied into the data
folder under their SHA-256 (``ab/abcdef….pdf``), so the same scan added twice is stored once
and ``check`` can prove a file is unchanged.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from duty_tracker.core.domain import RECORD_KINDS
from duty_tracker.core.helpers import new_uuid, now_iso, sha256_of
from duty_tracker.core.storage import audit, leftovers, search_index
from duty_tracker.core.storage.errors import NotFoundError, StorageError, ValidationError
from duty_tracker.core.storage.fields import as_date

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase

ATTACHMENT_KEYS = ("uuid", "file_name", "stored_path", "sha256", "size", "added_at")
RECORD_FIELDS = ("performed_on", "title", "kind", "place", "participants", "minutes_number",
                 "description", "article_id", "hours")
#: The tables linking a record to its leaders, duties and cited articles: table -> column.
_LINK_TABLES = {"record_leaders": "leader_id", "record_duties": "duty_id", "record_articles": "article_id"}
#: Most study hours one record may carry (a week-long course is 40 学时).
MAX_RECORD_HOURS = 1000
#: Longest text a record's fields may hold (characters). A clerk's 情况说明 runs to a few
#: pages; the search index's triggers cut every text into character pairs in SQL, whose cost
#: grows with the square of the length, so a text of a million characters (a pasted book, a
#: hostile package) would stall every save of it for minutes.
MAX_RECORD_TEXT = {"title": 500, "description": 20_000, "place": 2_000,
                   "participants": 2_000, "minutes_number": 500}
_TEXT_LABELS = {"title": "标题", "description": "情况说明", "place": "地点",
                "participants": "参加人员", "minutes_number": "纪要文号"}
#: Columns the record list may sort by (whitelist: the name goes into SQL).
SORTABLE = {"performed_on": "r.performed_on", "title": "r.title", "kind": "r.kind",
            "created_at": "r.created_at", "id": "r.id", "minutes_number": "r.minutes_number",
            "place": "r.place", "deleted_at": "r.deleted_at"}
_LIKE_COLUMNS = ("title", "description", "minutes_number", "place", "participants")
#: Above this many links an article's records are counted in one pass over the link table.
_ONE_PASS_FROM = 20_000
_PAGE_COLUMNS = ("r.id, r.uuid, r.performed_on, r.title, r.kind, r.place, r.minutes_number, "
                 "r.hours, r.created_at, r.deleted_at")


@dataclass(slots=True)
class RecordFilter:
    """What the record list shows; every field narrows it.

    The text matches what ``LIKE '%text%'`` matches in title, description, 纪要文号, place or
    participants (ASCII letters in any case, every other character exactly); the full-text
    indexes (``search_index``) answer it for records that are not deleted.
    """

    date_from: date | None = None
    date_to: date | None = None
    leader_id: int | None = None
    unit_id: int | None = None
    duty_id: int | None = None
    article_id: int | None = None
    kind: str | None = None
    text: str = ""
    deleted: bool = False  # True: the recycle bin (deleted records only)
    record_ids: list[int] | None = field(default=None)

    @property
    def search_text(self) -> str:
        return (self.text or "").strip()

    def index_text(self) -> str | None:
        """The search text when a full-text index answers it (not in the recycle bin, which
        holds no index rows, and not with control characters), else None."""
        text = self.search_text
        return text if text and not self.deleted and search_index.indexable(text) else None

    def narrow_by_people(self) -> bool:
        """A leader, a unit or a list of records: a few thousand rows at most, where checking
        the text row by row costs less than reading its matches from an index."""
        return self.leader_id is not None or self.unit_id is not None or self.record_ids is not None

    def dates_only(self) -> bool:
        """Nothing but dates (and the text): the full-text index alone can answer it."""
        return (self.leader_id is None and self.unit_id is None and self.duty_id is None
                and self.article_id is None and not self.kind and self.record_ids is None)

    def where(self, *, probe_links: bool = False) -> tuple[str, list[Any]]:
        """The whole filter as one condition on ``records r``.

        ``probe_links``: each link filter as a lookup for the row at hand (``EXISTS``) instead of
        a list of ids — for a page of a filter matching many records, read in date order and
        stopped after one page, where building the list of all its ids would cost more."""
        clauses, params = self._row_conditions(probe_links)
        text = self.search_text
        if text and self.index_text() and not self.narrow_by_people():
            table, condition, text_params = search_index.index_condition(
                text, self.date_from, self.date_to)
            clauses.append(f"r.id IN (SELECT rowid & {search_index.ID_MASK} FROM {table} "
                           f"WHERE {condition})")
            params += text_params
        elif text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(" + " OR ".join(f"r.{c} LIKE ? ESCAPE '\\'" for c in _LIKE_COLUMNS) + ")")
            params += [like] * len(_LIKE_COLUMNS)
        return " AND ".join(clauses), params

    def where_without_text(self) -> tuple[str, list[Any]]:
        clauses, params = self._row_conditions(probe_links=True)
        return " AND ".join(clauses), params

    def _row_conditions(self, probe_links: bool = False) -> tuple[list[str], list[Any]]:
        clauses = ["r.deleted_at IS NOT NULL" if self.deleted else "r.deleted_at IS NULL"]
        params: list[Any] = []
        if self.date_from:
            clauses.append("r.performed_on >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append("r.performed_on <= ?")
            params.append(self.date_to.isoformat())
        if probe_links:
            for sql, value in self._probes():
                clauses.append(sql)
                params += value
        else:
            for sql, value, _distinct in self.id_sets():
                clauses.append(f"r.id IN ({sql})")
                params += value
        if self.kind:
            clauses.append("r.kind = ?")
            params.append(self.kind)
        return clauses, params

    def _probes(self) -> list[tuple[str, list[Any]]]:
        """The link filters as conditions on one row ``r`` (primary-key lookups)."""
        probes: list[tuple[str, list[Any]]] = []
        if self.leader_id is not None:
            probes.append(("EXISTS (SELECT 1 FROM record_leaders x WHERE x.record_id = r.id "
                           "AND x.leader_id = ?)", [self.leader_id]))
        if self.unit_id is not None:
            probes.append(("EXISTS (SELECT 1 FROM record_leaders x JOIN leaders l ON l.id = x.leader_id "
                           "WHERE x.record_id = r.id AND l.unit_id = ?)", [self.unit_id]))
        if self.duty_id is not None:
            probes.append(("EXISTS (SELECT 1 FROM record_duties x WHERE x.record_id = r.id "
                           "AND x.duty_id = ?)", [self.duty_id]))
        if self.article_id is not None:
            probes.append(("(r.article_id = ? OR EXISTS (SELECT 1 FROM record_articles y "
                           "WHERE y.record_id = r.id AND y.article_id = ?) OR EXISTS (SELECT 1 "
                           "FROM record_duties x JOIN duties d ON d.id = x.duty_id "
                           "WHERE x.record_id = r.id AND d.article_id = ?))",
                           [self.article_id] * 3))
        if self.record_ids is not None:
            probes.append(("r.id IN (SELECT value FROM json_each(?))", [json.dumps(list(self.record_ids))]))
        return probes

    def id_sets(self) -> list[tuple[str, list[Any], bool]]:
        """The link filters as subqueries of record ids (column ``id``), each with whether its
        ids are distinct (a unit's or an article's may repeat a record)."""
        sets: list[tuple[str, list[Any], bool]] = []
        if self.leader_id is not None:
            sets.append(("SELECT record_id AS id FROM record_leaders WHERE leader_id = ?",
                         [self.leader_id], True))
        if self.unit_id is not None:
            sets.append(("SELECT rl.record_id AS id FROM record_leaders rl JOIN leaders l "
                         "ON l.id = rl.leader_id WHERE l.unit_id = ?", [self.unit_id], False))
        if self.duty_id is not None:
            sets.append(("SELECT record_id AS id FROM record_duties WHERE duty_id = ?",
                         [self.duty_id], True))
        if self.article_id is not None:
            # a record cites the article itself or performs one of its duties: two index
            # lookups instead of an OR that would scan the table
            sets.append(("SELECT id FROM records WHERE article_id = ? UNION ALL "
                         "SELECT record_id AS id FROM record_articles WHERE article_id = ? UNION ALL "
                         "SELECT rd.record_id AS id FROM record_duties rd JOIN duties d "
                         "ON d.id = rd.duty_id WHERE d.article_id = ?",
                         [self.article_id] * 3, False))
        if self.record_ids is not None:
            sets.append(("SELECT value AS id FROM json_each(?)",
                         [json.dumps(list(self.record_ids))], False))
        return sets


def _duty_test(duties: list[int]) -> tuple[str, list[Any]]:
    """A test of ``duty_id`` against a set of duties, for a pass over every link of a city
    (900,000 rows): one bit of an integer when the ids span fewer than 63 (an article's duties
    are numbered together, with their rule set), which costs a third of ``IN`` per row; else
    ``IN``."""
    low, high = min(duties), max(duties)
    if high - low < 63:
        mask = sum(1 << (d - low) for d in set(duties))
        return ("duty_id BETWEEN ? AND ? AND ((1 << (duty_id - ?)) & ?) != 0",
                [low, high, low, mask])
    return f"duty_id IN ({','.join('?' * len(duties))})", list(duties)


def _alive(deleted: bool) -> str:
    """A condition on a record id: not deleted (or, for the recycle bin, deleted), decided on
    the few deleted ids rather than on the record's row."""
    return f"{'IN' if deleted else 'NOT IN'} (SELECT id FROM records WHERE deleted_at IS NOT NULL)"


def parse_hours(value: Any) -> float | None:
    """Study hours of a record: empty, or a number from 0 to MAX_RECORD_HOURS (halves allowed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        hours = float(str(value).strip().removesuffix("学时").removesuffix("小时"))
    except ValueError:
        raise ValidationError(f"学时格式不正确：{value}（应为数字，如 2 或 1.5）") from None
    if not 0 <= hours <= MAX_RECORD_HOURS or hours != hours:
        raise ValidationError(f"学时应在 0 到 {MAX_RECORD_HOURS} 之间：{value}")
    return round(hours, 2)


def text_length_problem(key: str, text: str | None) -> str | None:
    """The clerk's message when a record's text field is longer than it may be, else None."""
    limit = MAX_RECORD_TEXT[key]
    if text and len(text) > limit:
        return f"{_TEXT_LABELS[key]}过长：{len(text)} 字，最多 {limit} 字，请精简或把全文作为附件保存。"
    return None


def safe_suffix(file_name: str) -> str:
    """The extension of a stored attachment: letters and digits only, at most 10 of them.

    Why: the name on disk must be valid on every file system and inside zip files; a clerk's
    file "纪要.pdf:Zone.Identifier" or "扫描\\1.jpg" once blocked every later backup."""
    suffix = Path(file_name.replace("\\", "/")).suffix.lower()
    cleaned = "".join(ch for ch in suffix[1:] if ch.isascii() and ch.isalnum())[:10]
    return f".{cleaned}" if cleaned else ""


class RecordsRepo:
    def __init__(self, db: LedgerDatabase, attachments_dir: Path) -> None:
        self.db = db
        self.attachments_dir = attachments_dir

    # -- writing ---------------------------------------------------------------------------
    def add_record(
        self,
        *,
        performed_on: date | str,
        title: str,
        kind: str,
        leader_ids: list[int],
        duty_ids: list[int] | None = None,
        place: str = "",
        participants: str = "",
        minutes_number: str = "",
        description: str = "",
        article_id: int | None = None,
        hours: float | None = None,
        attachments: list[dict[str, Any]] | tuple = (),
        article_ids: list[int] | None = None,
    ) -> int:
        """A new record with its links and attachment rows, in one transaction.

        ``attachments`` are stored files as :meth:`store_attachment_file` returns them;
        ``article_ids`` the cited articles (``article_id`` alone: the one cited article)."""
        cited = self._validated_articles(article_ids, article_id)
        fields = self._validated({
            "performed_on": performed_on, "title": title, "kind": kind, "place": place,
            "participants": participants, "minutes_number": minutes_number,
            "description": description, "article_id": cited[0] if cited else None,
            "hours": hours,
        })
        leader_ids, duty_ids = self._validated_links(leader_ids, duty_ids or [])
        now = now_iso()
        with self.db.atomic():
            record_id = int(self.db["records"].insert({
                "uuid": new_uuid(), "created_at": now, "updated_at": now, "deleted_at": None,
                **fields,
            }).last_pk)
            self._sync_links(record_id, ([], leader_ids), ([], duty_ids), ([], cited))
            self._insert_attachments(record_id, attachments)
        return record_id

    def update_record(
        self,
        record_id: int,
        *,
        leader_ids: list[int] | None = None,
        duty_ids: list[int] | None = None,
        add_attachments: list[dict[str, Any]] | tuple = (),
        remove_attachment_ids: list[int] | tuple = (),
        article_ids: list[int] | None = None,
        **fields: Any,
    ) -> None:
        """Change the given fields, links and attachments in one transaction; only the link
        rows that changed are touched (the audit log then shows what really changed).

        ``article_ids`` replaces the cited articles; without it, an ``article_id`` field alone
        means that one article (None: none), and neither keeps them as they are."""
        unknown = set(fields) - set(RECORD_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        current = self.record(record_id)
        if article_ids is None and "article_id" not in fields:
            cited = list(current["article_ids"])
        else:
            cited = self._validated_articles(article_ids, fields.get("article_id"))
        fields["article_id"] = cited[0] if cited else None
        merged = self._validated({k: fields.get(k, current[k]) for k in RECORD_FIELDS})
        new_leaders, new_duties = self._validated_links(
            current["leader_ids"] if leader_ids is None else leader_ids,
            current["duty_ids"] if duty_ids is None else duty_ids,
        )
        with self.db.atomic():
            if any(merged[k] != current[k] for k in RECORD_FIELDS):
                self.db["records"].update(record_id, {**merged, "updated_at": now_iso()})
            self._sync_links(record_id, (current["leader_ids"], new_leaders),
                             (current["duty_ids"], new_duties), (current["article_ids"], cited))
            self._insert_attachments(record_id, add_attachments)
            for attachment_id in remove_attachment_ids:
                self.db.execute("DELETE FROM attachments WHERE id = ? AND record_id = ?",
                                [attachment_id, record_id])

    def delete_records(self, record_ids: list[int]) -> None:
        """Soft delete: the rows stay, marked, so undo and the recycle bin can bring them back."""
        now = now_iso()
        with self.db.atomic():
            for record_id in record_ids:
                self.db.execute(
                    "UPDATE records SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                    [now, now, record_id])

    def restore_records(self, record_ids: list[int]) -> None:
        now = now_iso()
        with self.db.atomic():
            for record_id in record_ids:
                self.db.execute(
                    "UPDATE records SET deleted_at = NULL, updated_at = ? WHERE id = ?", [now, record_id])

    def _sync_links(self, record_id: int, leaders: tuple[list[int], list[int]],
                    duties: tuple[list[int], list[int]],
                    articles: tuple[list[int], list[int]] = ([], [])) -> None:
        """Make the link rows go from ``(old, new)`` to ``new``: delete and insert the difference."""
        for table, column, (old, new) in (("record_leaders", "leader_id", leaders),
                                          ("record_duties", "duty_id", duties),
                                          ("record_articles", "article_id", articles)):
            for gone in set(old) - set(new):
                self.db.execute(f"DELETE FROM {table} WHERE record_id = ? AND {column} = ?",
                                [record_id, gone])
            added = [i for i in new if i not in set(old)]
            self.db[table].insert_all([{"record_id": record_id, column: i} for i in added])

    def _insert_attachments(self, record_id: int, stored: list[dict[str, Any]] | tuple) -> None:
        for item in stored:
            self.db["attachments"].insert({
                "uuid": item.get("uuid") or new_uuid(), "record_id": record_id,
                "file_name": item["file_name"], "stored_path": item["stored_path"],
                "sha256": item["sha256"], "size": item["size"],
                "added_at": item.get("added_at") or now_iso(),
            })

    # -- the whole state of a record (undo and redo) ----------------------------------------
    def snapshot(self, record_id: int) -> dict[str, Any]:
        """Everything a save can change: fields, links, attachment rows, deleted or not."""
        row = self.record(record_id)
        return {
            "fields": {k: row[k] for k in RECORD_FIELDS},
            "leader_ids": list(row["leader_ids"]), "duty_ids": list(row["duty_ids"]),
            "article_ids": list(row["article_ids"]),
            "attachments": [{k: a[k] for k in ATTACHMENT_KEYS} for a in row["attachments"]],
            "deleted": row["deleted_at"] is not None,
        }

    def apply_snapshot(self, record_id: int, snap: dict[str, Any]) -> None:
        """Put the record back into ``snap`` (see :meth:`snapshot`), in one transaction."""
        current = self.snapshot(record_id)
        present = {a["uuid"]: a for a in self.attachments(record_id)}
        wanted = {a["uuid"] for a in snap["attachments"]}
        with self.db.atomic():
            cited = snap.get("article_ids")
            if cited is None:  # a snapshot taken before records cited several articles
                cited = [snap["fields"]["article_id"]] if snap["fields"].get("article_id") else []
            self.update_record(
                record_id, leader_ids=snap["leader_ids"], duty_ids=snap["duty_ids"], article_ids=cited,
                add_attachments=[a for a in snap["attachments"] if a["uuid"] not in present],
                remove_attachment_ids=[a["id"] for u, a in present.items() if u not in wanted],
                **snap["fields"])
            if snap["deleted"] != current["deleted"]:
                (self.delete_records if snap["deleted"] else self.restore_records)([record_id])

    def _validated(self, fields: dict[str, Any]) -> dict[str, Any]:
        day = as_date(fields.get("performed_on"), "履职日期")
        if day is None:
            raise ValidationError("履职日期不能为空。")
        title = (fields.get("title") or "").strip()
        if not title:
            raise ValidationError("标题不能为空。")
        if fields.get("kind") not in RECORD_KINDS:
            raise ValidationError(f"类型不正确：{fields.get('kind')}（可选：{'、'.join(RECORD_KINDS)}）")
        out = {k: (fields.get(k) or "").strip() for k in ("place", "participants", "minutes_number")}
        out["description"] = fields.get("description") or ""
        out.update(performed_on=day.isoformat(), title=title, kind=fields["kind"],
                   article_id=fields.get("article_id"), hours=parse_hours(fields.get("hours")))
        for key in MAX_RECORD_TEXT:
            problem = text_length_problem(key, out[key])
            if problem:
                raise ValidationError(problem)
        return out

    def _validated_links(self, leader_ids: list[int], duty_ids: list[int]) -> tuple[list[int], list[int]]:
        leader_ids = list(dict.fromkeys(int(i) for i in leader_ids))
        duty_ids = list(dict.fromkeys(int(i) for i in duty_ids))
        if not leader_ids:
            raise ValidationError("请至少选择一名负责人。")
        missing = self._missing("leaders", leader_ids)
        if missing:
            raise ValidationError(f"负责人不存在：编号 {', '.join(map(str, missing))}")
        missing = self._missing("duties", duty_ids)
        if missing:
            raise ValidationError(f"履职事项不存在：编号 {', '.join(map(str, missing))}")
        return leader_ids, duty_ids

    def _validated_articles(self, article_ids: list[int] | None, article_id: int | None) -> list[int]:
        """The cited articles, each once, in the clerk's order; the first is ``records.article_id``."""
        ids = list(dict.fromkeys(int(i) for i in (article_ids or [])))
        if not ids and article_ids is None and article_id is not None:
            ids = [int(article_id)]
        missing = self._missing("articles", ids)
        if missing:
            raise ValidationError(f"引用的条款不存在：编号 {', '.join(map(str, missing))}")
        return ids

    def _missing(self, table: str, ids: list[int]) -> list[int]:
        if not ids:
            return []
        found = {r[0] for r in self.db.execute(
            f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()}
        return [i for i in ids if i not in found]

    # -- reading ---------------------------------------------------------------------------
    def record(self, record_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM records WHERE id = ?", [record_id]))
        if not rows:
            raise NotFoundError(f"履职纪实（编号 {record_id}）不存在。")
        row = rows[0]
        row["leader_ids"] = [r[0] for r in self.db.execute(
            "SELECT leader_id FROM record_leaders WHERE record_id = ? ORDER BY leader_id", [record_id])]
        row["duty_ids"] = [r[0] for r in self.db.execute(
            "SELECT duty_id FROM record_duties WHERE record_id = ? ORDER BY duty_id", [record_id])]
        row["article_ids"] = self._cited(record_id, row.get("article_id"))
        row["attachments"] = self.attachments(record_id)
        return row

    def _cited(self, record_id: int, first: int | None) -> list[int]:
        """The cited articles: ``records.article_id`` first, then in the order of the rules."""
        ids = [r[0] for r in self.db.execute(
            "SELECT ra.article_id FROM record_articles ra JOIN articles a ON a.id = ra.article_id "
            "WHERE ra.record_id = ? ORDER BY a.rule_set_id, a.number", [record_id])]
        if first in ids:
            ids.remove(first)
            ids.insert(0, first)
        return ids

    def count(self, flt: RecordFilter | None = None) -> int:
        """How many records the filter shows (the list's total).

        The common filters are counted without reading a record row: text (and dates) from
        its index, a single link filter from the link table, minus the deleted records (few)."""
        flt = flt or RecordFilter()
        text = flt.index_text()
        if text and flt.dates_only():
            table, condition, params = search_index.index_condition(text, flt.date_from, flt.date_to)
            sql = f"SELECT count(*) FROM {table} WHERE {condition}"
        elif self._links_only(flt) and flt.article_id is not None:
            return self._count_article(flt.article_id, flt.deleted)
        elif self._links_only(flt):
            ((ids, params, distinct),) = flt.id_sets()
            what = "id" if distinct else "DISTINCT id"
            sql = f"SELECT count({what}) FROM ({ids}) WHERE id {_alive(flt.deleted)}"
        else:
            where, params = flt.where()
            sql = f"SELECT count(*) FROM records r WHERE {where}"
        return int(self.db.execute(sql, params).fetchone()[0])

    def _count_article(self, article_id: int, deleted: bool) -> int:
        """Records performing one of the article's duties (each once, however many of them it
        performs), plus those citing the article themselves (``records.article_id`` or
        ``record_articles``) without performing one.

        A much-used article links a third of a city's records. Those are told apart in one
        pass over the link table in record order (its primary key), where a record's links
        lie side by side: a list of 300,000 ids to find the repeats in costs twice as much."""
        duties = [row[0] for row in self.db.execute(
            "SELECT id FROM duties WHERE article_id = ?", [article_id])]
        marks = ",".join("?" * len(duties)) or "NULL"
        # whether the links are many is all that matters: counting stops past the threshold
        links = self.db.execute(f"SELECT count(*) FROM (SELECT 1 FROM record_duties WHERE "
                                f"duty_id IN ({marks}) LIMIT ?)",
                                [*duties, _ONE_PASS_FROM + 1]).fetchone()[0]
        if links > _ONE_PASS_FROM:
            performing, test_params = self._performing_in_one_pass(duties, marks, deleted)
        else:
            test_params = duties
            performing = (f"SELECT count(DISTINCT record_id) FROM record_duties "
                          f"WHERE duty_id IN ({marks}) AND record_id {_alive(deleted)}")
        citing = ("SELECT count(*) FROM (SELECT id FROM records WHERE article_id = ? UNION "
                  "SELECT record_id FROM record_articles WHERE article_id = ?) c "
                  "JOIN records o ON o.id = c.id WHERE o.deleted_at "
                  f"{'IS NOT NULL' if deleted else 'IS NULL'} AND NOT EXISTS (SELECT 1 FROM "
                  f"record_duties x WHERE x.record_id = o.id AND x.duty_id IN ({marks}))")
        row = self.db.execute(f"SELECT ({performing}) + ({citing})",
                              [*test_params, article_id, article_id, *duties]).fetchone()
        return int(row[0])

    @staticmethod
    def _performing_in_one_pass(duties: list[int], marks: str,
                                deleted: bool) -> tuple[str, list[Any]]:
        """(SQL, parameters) counting the records that perform one of ``duties`` when their
        links are many: every such record, in one pass over the link table in record order,
        less those in the recycle bin (few, each looked up) — or, for the bin, only those.
        Testing each of a city's 900,000 links against the deleted ids instead costs as much
        as the pass itself."""
        in_bin = (f"SELECT count(*) FROM records b WHERE b.deleted_at IS NOT NULL AND EXISTS "
                  f"(SELECT 1 FROM record_duties x WHERE x.record_id = b.id "
                  f"AND x.duty_id IN ({marks}))")
        if deleted:
            return in_bin, list(duties)
        test, test_params = _duty_test(duties)
        every = ("SELECT count(DISTINCT record_id) FROM record_duties INDEXED BY "
                 f"sqlite_autoindex_record_duties_1 WHERE {test}")
        return f"({every}) - ({in_bin})", [*test_params, *duties]

    @staticmethod
    def _links_only(flt: RecordFilter) -> bool:
        """One link filter and nothing that needs the record row (records are never linked
        unless they exist: deleting a record deletes its links)."""
        return (not flt.search_text and flt.date_from is None and flt.date_to is None
                and not flt.kind and flt.record_ids is None and len(flt.id_sets()) == 1)

    def search(
        self,
        flt: RecordFilter | None = None,
        *,
        order_by: str = "performed_on",
        descending: bool = True,
        limit: int = 200,
        offset: int = 0,
        selective: bool | None = None,
    ) -> list[dict[str, Any]]:
        """One page of the record list, with leader names and duty titles joined in.

        Paging happens in SQL so that a million records never sit in Python lists. A text
        filter in date order is read off its index, whose keys are in that order. Otherwise the
        caller may say how many rows match (it knows from ``count``): ``selective=True``, few —
        SQLite fetches the matches and sorts them instead of walking the date index in order,
        which for a rare word would visit every row; ``False``, many — the date index is walked
        and each row's links looked up, until the page is full (a list of a duty's 160,000 ids
        would take longer than the page); ``None`` leaves the plan to SQLite.
        """
        flt = flt or RecordFilter()
        direction = "DESC" if descending else "ASC"
        text = flt.index_text()
        if text and order_by == "performed_on" and not flt.narrow_by_people():
            return self._search_index(flt, text, direction, limit, offset)
        where, params = flt.where(probe_links=selective is False)
        column = SORTABLE.get(order_by, "r.performed_on")
        if selective:
            column = "+" + column
        rows = list(self.db.query(
            f"SELECT {_PAGE_COLUMNS} FROM records r WHERE {where} "
            f"ORDER BY {column} {direction}, r.id {direction} LIMIT ? OFFSET ?",
            [*params, limit, offset]))
        self._decorate(rows)
        return rows

    def _search_index(self, flt: RecordFilter, text: str, direction: str, limit: int,
                      offset: int) -> list[dict[str, Any]]:
        table, condition, params = search_index.index_condition(text, flt.date_from, flt.date_to)
        mask = search_index.ID_MASK
        if flt.dates_only():
            sql = (f"SELECT rowid & {mask} FROM {table} WHERE {condition} "
                   f"ORDER BY rowid {direction} LIMIT ? OFFSET ?")
        else:  # a type or a duty besides: checked on each match, in index order
            where, more = flt.where_without_text()
            sql = (f"SELECT f.rowid & {mask} FROM {table} f JOIN records r ON r.id = f.rowid & {mask} "
                   f"WHERE f.{condition} AND {where} ORDER BY f.rowid {direction} LIMIT ? OFFSET ?")
            params = params + more
        ids = [row[0] for row in self.db.execute(sql, [*params, limit, offset])]
        if not ids:
            return []
        found = {row["id"]: row for row in self.db.query(
            f"SELECT {_PAGE_COLUMNS} FROM records r WHERE r.id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)])}
        rows = [found[i] for i in ids if i in found]
        self._decorate(rows)
        return rows

    def _decorate(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        leaders: dict[int, list[str]] = defaultdict(list)
        for rid, name in self.db.execute(
            f"SELECT rl.record_id, l.name FROM record_leaders rl JOIN leaders l ON l.id = rl.leader_id "
            f"WHERE rl.record_id IN ({marks}) ORDER BY l.id", ids):
            leaders[rid].append(name)
        duties: dict[int, list[str]] = defaultdict(list)
        for rid, title in self.db.execute(
            f"SELECT rd.record_id, d.title FROM record_duties rd JOIN duties d ON d.id = rd.duty_id "
            f"WHERE rd.record_id IN ({marks}) ORDER BY d.position", ids):
            duties[rid].append(title)
        attachments: dict[int, int] = dict(self.db.execute(
            f"SELECT record_id, count(*) FROM attachments WHERE record_id IN ({marks}) "
            f"GROUP BY record_id", ids).fetchall())
        for row in rows:
            row["leaders"] = "、".join(leaders.get(row["id"], []))
            row["duties"] = "、".join(duties.get(row["id"], []))
            row["attachment_count"] = attachments.get(row["id"], 0)

    def year_bounds(self) -> tuple[int, int] | None:
        """First and last year with a (not deleted) record, or None: the year choices offered."""
        # two index probes (min and max together would scan the table)
        first = self.db.execute("SELECT performed_on FROM records WHERE deleted_at IS NULL "
                                "ORDER BY performed_on LIMIT 1").fetchone()
        if first is None:
            return None
        last = self.db.execute("SELECT performed_on FROM records WHERE deleted_at IS NULL "
                               "ORDER BY performed_on DESC LIMIT 1").fetchone()
        return int(first[0][:4]), int(last[0][:4])

    def find_duplicates(
        self, performed_on: date | str, leader_ids: list[int], duty_ids: list[int],
        exclude_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """Records on the same day for one of the same leaders and one of the same duties."""
        day = as_date(performed_on)
        if day is None or not leader_ids or not duty_ids:
            return []
        sql = (
            "SELECT DISTINCT r.id, r.title, r.performed_on FROM records r "
            "JOIN record_leaders rl ON rl.record_id = r.id "
            "JOIN record_duties rd ON rd.record_id = r.id "
            f"WHERE r.deleted_at IS NULL AND r.performed_on = ? "
            f"AND rl.leader_id IN ({','.join('?' * len(leader_ids))}) "
            f"AND rd.duty_id IN ({','.join('?' * len(duty_ids))})"
        )
        params: list[Any] = [day.isoformat(), *leader_ids, *duty_ids]
        if exclude_id is not None:
            sql += " AND r.id != ?"
            params.append(exclude_id)
        return list(self.db.query(sql, params))

    def done_dates(self, year: int, leader_ids: list[int] | None = None) -> dict[tuple[int, int], list[date]]:
        """(leader, duty) → sorted dates of the year's records: the input of the compliance engine."""
        parse = date.fromisoformat
        return {pair: list(map(parse, days)) for pair, days in self.done_days(year, leader_ids).items()}

    def done_days(self, year: int, leader_ids: list[int] | None = None) -> dict[tuple[int, int], list[str]]:
        """(leader, duty) → the sorted ISO days of the year's records (what the compliance engine
        counts; texts sort as the dates do, and a city's 80,000 need not be parsed).

        One GROUP BY over the year's links; a record for two leaders and two duties counts under
        all four pairs. For the whole year the links are read in record-id order (through an
        IN list of the year's ids), so the link tables' pages come in sequence rather than at
        random as the date index would take them: half the time at a million records.
        """
        first, last = f"{year}-01-01", f"{year}-12-31"
        if leader_ids is None:
            sql = ("SELECT rl.leader_id, rd.duty_id, group_concat(r.performed_on) "
                   "FROM record_leaders rl CROSS JOIN record_duties rd ON rd.record_id = rl.record_id "
                   "CROSS JOIN records r ON r.id = rl.record_id "
                   "WHERE rl.record_id IN (SELECT id FROM records WHERE deleted_at IS NULL "
                   "AND performed_on BETWEEN ? AND ?) GROUP BY rl.leader_id, rd.duty_id")
            params: list[Any] = [first, last]
        else:  # a few leaders: from their links
            sql = ("SELECT rl.leader_id, rd.duty_id, group_concat(r.performed_on) "
                   "FROM record_leaders rl JOIN records r ON r.id = rl.record_id "
                   "JOIN record_duties rd ON rd.record_id = r.id "
                   "WHERE rl.leader_id IN (SELECT value FROM json_each(?)) AND r.deleted_at IS NULL "
                   "AND r.performed_on BETWEEN ? AND ? GROUP BY rl.leader_id, rd.duty_id")
            params = [json.dumps(list(leader_ids)), first, last]
        return {(leader_id, duty_id): sorted(days.split(","))
                for leader_id, duty_id, days in self.db.execute(sql, params)}

    def done_hours(self, year: int, duty_ids: list[int], leader_ids: list[int] | None = None
                   ) -> dict[tuple[int, int], tuple[list[str], list[float | None]]]:
        """(leader, duty) → (the sorted ISO days, each record's 学时) of the year's records of
        the duties counted in hours — few duties, so a plain join over their links."""
        if not duty_ids:
            return {}
        sql = ("SELECT rl.leader_id, rd.duty_id, r.performed_on, r.hours FROM record_duties rd "
               "JOIN records r ON r.id = rd.record_id JOIN record_leaders rl ON rl.record_id = r.id "
               "WHERE rd.duty_id IN (SELECT value FROM json_each(?)) AND r.deleted_at IS NULL "
               "AND r.performed_on BETWEEN ? AND ?")
        params: list[Any] = [json.dumps(list(duty_ids)), f"{year}-01-01", f"{year}-12-31"]
        if leader_ids is not None:
            sql += " AND rl.leader_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(leader_ids)))
        out: dict[tuple[int, int], tuple[list[str], list[float | None]]] = {}
        for leader_id, duty_id, day, hours in self.db.execute(sql + " ORDER BY r.performed_on, r.id",
                                                              params):
            days, amounts = out.setdefault((leader_id, duty_id), ([], []))
            days.append(day)
            amounts.append(hours)
        return out

    def records_for(self, leader_id: int, year: int) -> list[dict[str, Any]]:
        """The year's records of a leader with their duties and attachments (for the debrief)."""
        rows = list(self.db.query(
            "SELECT r.* FROM records r JOIN record_leaders rl ON rl.record_id = r.id "
            "WHERE rl.leader_id = ? AND r.deleted_at IS NULL AND r.performed_on BETWEEN ? AND ? "
            "ORDER BY r.performed_on, r.id", [leader_id, f"{year}-01-01", f"{year}-12-31"]))
        if not rows:
            return rows
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        duty_links: dict[int, list[int]] = defaultdict(list)
        for rid, did in self.db.execute(
            f"SELECT record_id, duty_id FROM record_duties WHERE record_id IN ({marks})", ids):
            duty_links[rid].append(did)
        cited: dict[int, list[int]] = defaultdict(list)
        for rid, aid in self.db.execute(
            f"SELECT ra.record_id, ra.article_id FROM record_articles ra JOIN articles a ON a.id = ra.article_id "
            f"WHERE ra.record_id IN ({marks}) ORDER BY a.rule_set_id, a.number", ids):
            cited[rid].append(aid)
        attachments: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for att in self.db.query(
            f"SELECT * FROM attachments WHERE record_id IN ({marks}) ORDER BY id", ids):
            attachments[att["record_id"]].append(att)
        for row in rows:
            row["duty_ids"] = duty_links.get(row["id"], [])
            row["article_ids"] = cited.get(row["id"], [])
            row["attachments"] = attachments.get(row["id"], [])
        return rows

    # -- attachments -----------------------------------------------------------------------
    def attachments(self, record_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT * FROM attachments WHERE record_id = ? ORDER BY id", [record_id]))

    def attachment_path(self, attachment: dict[str, Any]) -> Path:
        return self.attachments_dir / attachment["stored_path"]

    def store_attachment_file(self, source: Path | str) -> dict[str, Any]:
        """Copy ``source`` into the data folder under its SHA-256 (verified, atomic) and return
        what an attachment row needs. Done before the transaction that links it: the copy is
        content-addressed, so a file stored for a save that then fails harms nothing."""
        source = Path(source)
        if not source.is_file():
            raise ValidationError(f"附件文件不存在：{source}")
        try:
            digest = sha256_of(source)
            size = source.stat().st_size
            stored = f"{digest[:2]}/{digest}{safe_suffix(source.name)}"
            target = self.attachments_dir / stored
            if not (target.exists() and target.stat().st_size == size):
                target.parent.mkdir(parents=True, exist_ok=True)
                with leftovers.claimed(target.with_name(f"{target.name}.{new_uuid()[:8]}.part")) as claim:
                    shutil.copyfile(source, claim.path)
                    if sha256_of(claim.path) != digest:
                        raise StorageError(f"复制附件时校验失败：{source.name}，请重试。")
                    claim.replace(target)
        except OSError as exc:
            raise StorageError(f"无法保存附件 {source.name}：{exc.strerror or exc}") from exc
        return {"file_name": source.name, "stored_path": stored, "sha256": digest, "size": size}

    def add_attachment(self, record_id: int, source: Path | str) -> int:
        """Store ``source`` and link it to the record."""
        self.record(record_id)
        stored = self.store_attachment_file(source)
        with self.db.atomic():
            self._insert_attachments(record_id, [stored])
            return int(self.db.execute("SELECT last_insert_rowid()").fetchone()[0])

    def remove_attachment(self, attachment_id: int) -> None:
        """Unlink the attachment from its record. The file stays in the data folder (the audit
        log can bring the link back, and another record may share the same file)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])

    # -- data packages -----------------------------------------------------------------------
    def put_record(
        self,
        uuid: str,
        *,
        leader_ids: list[int],
        duty_ids: list[int],
        deleted_at: str | None = None,
        created_at: str | None = None,
        article_ids: list[int] | None = None,
        **fields: Any,
    ) -> tuple[int, bool]:
        """Insert or update the record with this uuid, as a data package brings it, through
        the same validation as a save in the window. ``article_ids`` are the cited articles
        (None: the record's own, or ``article_id`` alone); ``article_id`` is put first.
        Returns (id, True when inserted)."""
        unknown = set(fields) - set(RECORD_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        row = self.db.execute("SELECT id FROM records WHERE uuid = ?", [uuid]).fetchone()
        current = self.record(int(row[0])) if row else {}
        values = self._validated({k: fields[k] if k in fields else current.get(k) for k in RECORD_FIELDS})
        if article_ids is None:
            article_ids = current.get("article_ids", []) if row and "article_id" not in fields else []
        cited = self._validated_articles(_first_cited(list(article_ids), values["article_id"]), None)
        values["article_id"] = cited[0] if cited else None
        leader_ids, duty_ids = self._validated_links(leader_ids, duty_ids)
        deleted_at = valid_timestamp(deleted_at, "删除时间")
        now = now_iso()
        with self.db.atomic():
            if row is None:
                record_id = int(self.db["records"].insert({
                    "uuid": uuid, "created_at": valid_timestamp(created_at, "创建时间") or now,
                    "updated_at": now, "deleted_at": deleted_at, **values}).last_pk)
                self._put_links(record_id, leader_ids, duty_ids, cited)
                return record_id, True
            record_id = int(row[0])
            if any(values[k] != current[k] for k in RECORD_FIELDS) or deleted_at != current["deleted_at"]:
                self.db["records"].update(record_id, {**values, "deleted_at": deleted_at, "updated_at": now})
            self._put_links(record_id, leader_ids, duty_ids, cited)
            return record_id, False

    def _put_links(self, record_id: int, leader_ids: list[int], duty_ids: list[int],
                   article_ids: list[int]) -> None:
        """Make the record's links exactly these, touching only the rows that change (the audit
        log then shows what a package changed, not a delete and re-insert of everything)."""
        for (table, column), wanted in zip(_LINK_TABLES.items(), (leader_ids, duty_ids, article_ids), strict=True):
            present = {r[0] for r in self.db.execute(
                f"SELECT {column} FROM {table} WHERE record_id = ?", [record_id])}
            for gone in present - set(wanted):
                self.db.execute(f"DELETE FROM {table} WHERE record_id = ? AND {column} = ?", [record_id, gone])
            self.db.conn.executemany(f"INSERT INTO {table} (record_id, {column}) VALUES (?, ?)",
                                     [(record_id, i) for i in wanted if i not in present])

    def put_new_records(self, items: list[RecordPut]) -> list[int | ValidationError]:
        """Insert many new records with their links, as a data package brings them: the
        validation of :meth:`put_record` for each, its existence checks made once for the whole
        batch, the rows written with one statement per table. Returns, item by item, the new
        id or the error that refused it (nothing is written for a refused item).

        Inside the caller's transaction no savepoint is taken (in a transaction of a hundred
        thousand rows it would cost as much as the writes): every item is checked before
        anything is written, so a failing statement means the caller's transaction must end."""
        known = self._known_ids(items)
        out: list[int | ValidationError] = []
        rows: list[tuple[Any, ...]] = []
        links: dict[str, list[tuple[int, int]]] = {"leader_id": [], "duty_id": [], "article_id": []}
        first_id = next_id = 1 + int(self.db.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0])
        now = now_iso()
        for item in items:
            try:
                values, cited, leaders, duties = self._validated_put(item, known)
                created, deleted = valid_timestamp(item.created_at, "创建时间"), valid_timestamp(item.deleted_at, "删除时间")
            except ValidationError as exc:
                out.append(exc)
                continue
            known["uuids"].add(item.uuid)
            rows.append((next_id, item.uuid, created or now, now, deleted, *(values[k] for k in RECORD_FIELDS)))
            for column, ids in (("leader_id", leaders), ("duty_id", duties), ("article_id", cited)):
                links[column] += [(next_id, i) for i in ids]
            out.append(next_id)
            next_id += 1
        with nullcontext() if self.db.conn.in_transaction else self.db.atomic(), audit.inserts_logged_at_once(
                self.db, {"records": "id", **{table: "record_id" for table in _LINK_TABLES}}, first_id):
            self.db.conn.executemany(
                f"INSERT INTO records (id, uuid, created_at, updated_at, deleted_at, {', '.join(RECORD_FIELDS)}) "
                f"VALUES ({','.join('?' * (5 + len(RECORD_FIELDS)))})", rows)
            for table, column in _LINK_TABLES.items():
                self.db.conn.executemany(f"INSERT INTO {table} (record_id, {column}) VALUES (?, ?)", links[column])
        return out

    def _known_ids(self, items: list[RecordPut]) -> dict[str, set[Any]]:
        """The ids among the items' references that exist, and the items' uuids already taken."""
        wanted = {"leaders": {i for item in items for i in item.leader_ids},
                  "duties": {i for item in items for i in item.duty_ids},
                  "articles": {i for item in items for i in (item.article_ids or [])}
                  | {item.fields.get("article_id") for item in items if item.fields.get("article_id")}}
        known: dict[str, set[Any]] = {}
        for table, ids in wanted.items():
            missing = set(self._missing(table, [int(i) for i in ids]))
            known[table] = {int(i) for i in ids} - missing
        uuids = [item.uuid for item in items]
        known["uuids"] = set()
        for start in range(0, len(uuids), 500):
            part = uuids[start:start + 500]
            known["uuids"] |= {r[0] for r in self.db.execute(
                f"SELECT uuid FROM records WHERE uuid IN ({','.join('?' * len(part))})", part)}
        return known

    def _validated_put(self, item: RecordPut, known: dict[str, set[Any]]
                       ) -> tuple[dict[str, Any], list[int], list[int], list[int]]:
        """One new record of :meth:`put_new_records`, checked as :meth:`put_record` checks it."""
        unknown = set(item.fields) - set(RECORD_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        if item.uuid in known["uuids"]:
            raise ValidationError("唯一标识与本机已有的纪实重复。")
        values = self._validated({k: item.fields.get(k) for k in RECORD_FIELDS})
        cited = list(dict.fromkeys(_first_cited([int(i) for i in item.article_ids or []], values["article_id"])))
        leaders = list(dict.fromkeys(int(i) for i in item.leader_ids))
        duties = list(dict.fromkeys(int(i) for i in item.duty_ids))
        if not leaders:
            raise ValidationError("请至少选择一名负责人。")
        for table, ids, what in (("leaders", leaders, "负责人不存在"), ("duties", duties, "履职事项不存在"),
                                 ("articles", cited, "引用的条款不存在")):
            missing = [i for i in ids if i not in known[table]]
            if missing:
                raise ValidationError(f"{what}：编号 {', '.join(map(str, missing))}")
        values["article_id"] = cited[0] if cited else None
        return values, cited, leaders, duties

    def check_stored_file(self, file_name: str, stored_path: str, sha256: str, size: int) -> None:
        """An evidence file a package copied into the data folder: refused unless it is there
        with exactly that content (and a sane name)."""
        if not isinstance(file_name, str) or not file_name.strip() or len(file_name) > 255:
            raise ValidationError("附件的文件名不正确。")
        path = self.attachments_dir / stored_path
        try:
            ok = path.is_file() and path.stat().st_size == size and sha256_of(path) == sha256
        except OSError:
            ok = False
        if not ok:
            raise ValidationError(f"附件文件 {file_name} 不在数据文件夹中或内容不符。")

    def link_attachment(
        self, uuid: str, *, record_id: int, file_name: str, stored_path: str, sha256: str, size: int,
        added_at: str | None = None,
    ) -> int:
        """Link an evidence file that is already in the data folder (a package copied it there,
        verified) to a record. Refused unless the file is there with exactly that content."""
        self.record(record_id)
        self.check_stored_file(file_name, stored_path, sha256, size)
        with self.db.atomic():
            return int(self.db["attachments"].insert({
                "uuid": uuid, "record_id": record_id, "file_name": file_name.strip(),
                "stored_path": stored_path, "sha256": sha256, "size": int(size),
                "added_at": valid_timestamp(added_at, "添加时间") or now_iso(),
            }).last_pk)


class RecordPut(NamedTuple):
    """One record as a data package brings it (local ids): see :meth:`RecordsRepo.put_new_records`."""

    uuid: str
    fields: dict[str, Any]
    leader_ids: list[int]
    duty_ids: list[int]
    article_ids: list[int] | None = None
    deleted_at: str | None = None
    created_at: str | None = None


def _first_cited(cited: list[int], first: int | None) -> list[int]:
    """The cited articles with ``first`` (``records.article_id``) at the front, added if missing."""
    if first is None:
        return cited
    return [int(first), *(i for i in cited if i != int(first))]

def valid_timestamp(value: Any, what: str) -> str | None:
    """An ISO date-time text as stored in the timestamp columns, or None."""
    if value is None:
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(value)).isoformat(timespec="seconds")
    except ValueError:
        raise ValidationError(f"{what}格式不正确：{str(value)[:40]}") from None

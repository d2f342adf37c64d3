"""Rule sets, their articles and clauses, and the duties derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from duty_tracker.core.domain import DUTY_ROLES, DutySpec, Period, Role
from duty_tracker.core.helpers import new_uuid, now_iso
from duty_tracker.core.storage.errors import NotFoundError, ValidationError

DUTY_FIELDS = ("title", "role", "period", "min_count", "due", "target", "source_text",
               "article_id", "clause_id", "position", "active")


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """How a duty or record cites the rules: "第九条（二）"."""

    article_number: int | None
    article_label: str | None
    clause_number: int | None
    clause_label: str | None

    @property
    def label(self) -> str:
        if not self.article_label:
            return ""
        return self.article_label + (self.clause_label or "")


def parse_due(due: str | None, period: str) -> tuple[date | None, tuple[int, int] | None]:
    """``due`` is 'YYYY-MM-DD' for once-duties and 'MM-DD' for a deadline inside each year."""
    if not due:
        return None, None
    parts = due.split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2])), None
        if len(parts) == 2:
            month, day = int(parts[0]), int(parts[1])
            date(2024, month, day)  # validates (2024: 29 Feb allowed)
            return None, (month, day)
    except ValueError:
        pass
    raise ValidationError(f"截止日期格式不正确：{due}（应为 年-月-日 或 月-日）")


def validate_duty(fields: dict[str, Any]) -> None:
    if "title" in fields and not str(fields["title"] or "").strip():
        raise ValidationError("事项名称不能为空。")
    if "role" in fields and fields["role"] not in {r.value for r in DUTY_ROLES}:
        raise ValidationError(f"适用对象不正确：{fields['role']}")
    if "period" in fields and fields["period"] not in {p.value for p in Period}:
        raise ValidationError(f"周期不正确：{fields['period']}")
    if "min_count" in fields:
        try:
            count = int(fields["min_count"])
        except (TypeError, ValueError):
            raise ValidationError("最低次数必须是整数。") from None
        if count < 1:
            raise ValidationError("最低次数至少为 1。")
    period = fields.get("period")
    if "due" in fields:
        parse_due(fields["due"], period or "")
    if period == Period.ONCE and "due" in fields and not fields["due"]:
        raise ValidationError("一次性事项必须填写截止日期。")


class RulesRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- rule sets -------------------------------------------------------------------------
    def import_parsed(self, parsed: Any, source_text: str, *, is_default: bool = False) -> int:
        """Store a parsed rule set (``core.rules.ParsedRules``) in one transaction: all or nothing."""
        now = now_iso()
        with self.db.atomic():
            rule_set_id = self.db["rule_sets"].insert({
                "uuid": new_uuid(),
                "title": parsed.title or "未命名规则",
                "issuer": getattr(parsed, "issuer", None),
                "doc_number": getattr(parsed, "doc_number", None),
                "effective_date": getattr(parsed, "effective_date", None),
                "source_text": source_text,
                "is_default": int(is_default),
                "created_at": now,
                "updated_at": now,
            }).last_pk
            article_ids: dict[int, int] = {}
            clause_ids: dict[tuple[int, int], int] = {}
            for article in parsed.articles:
                if article.number in article_ids:
                    continue  # a repeated number in a sloppy text: keep the first
                article_id = self.db["articles"].insert({
                    "uuid": new_uuid(), "rule_set_id": rule_set_id, "number": article.number,
                    "label": article.label, "chapter": article.chapter, "text": article.text,
                }).last_pk
                article_ids[article.number] = article_id
                for clause in article.clauses:
                    if (article.number, clause.number) in clause_ids:
                        continue
                    clause_ids[(article.number, clause.number)] = self.db["clauses"].insert({
                        "uuid": new_uuid(), "article_id": article_id, "number": clause.number,
                        "label": clause.label, "text": clause.text,
                    }).last_pk
            for position, duty in enumerate(parsed.duties):
                fields = {
                    "title": duty.title, "role": duty.role, "period": duty.period,
                    "min_count": duty.min_count, "due": getattr(duty, "due", None),
                }
                validate_duty(fields)
                self.db["duties"].insert({
                    "uuid": new_uuid(),
                    "rule_set_id": rule_set_id,
                    "article_id": article_ids.get(duty.article),
                    "clause_id": clause_ids.get((duty.article, duty.clause)) if duty.clause else None,
                    "target": getattr(duty, "target", None),
                    "source_text": duty.source_text or "",
                    "position": position,
                    "active": 1,
                    "created_at": now,
                    "updated_at": now,
                    **fields,
                })
        return int(rule_set_id)

    def rule_sets(self) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT id, uuid, title, issuer, doc_number, effective_date, is_default, created_at,"
            " (SELECT count(*) FROM duties d WHERE d.rule_set_id = rule_sets.id) AS duty_count,"
            " (SELECT count(*) FROM articles a WHERE a.rule_set_id = rule_sets.id) AS article_count"
            " FROM rule_sets ORDER BY id"
        ))

    def rule_set(self, rule_set_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM rule_sets WHERE id = ?", [rule_set_id]))
        if not rows:
            raise NotFoundError(f"规则（编号 {rule_set_id}）不存在。")
        return rows[0]

    def has_rule_sets(self) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM rule_sets)").fetchone()[0] == 1

    def delete_rule_set(self, rule_set_id: int) -> None:
        used = self.db.execute(
            "SELECT count(*) FROM record_duties rd JOIN duties d ON d.id = rd.duty_id "
            "WHERE d.rule_set_id = ?", [rule_set_id]).fetchone()[0]
        if used:
            raise ValidationError(f"该规则的事项已被 {used} 条履职纪实引用，不能删除。")
        with self.db.atomic():
            self.db.execute("DELETE FROM rule_sets WHERE id = ?", [rule_set_id])

    def rule_set_for_year(self, year: int) -> int | None:
        """The rule set in force in ``year``: the clerk's explicit choice; else the newest one in
        effect by 31 December of that year; else the default (shipped) one; else the newest."""
        row = self.db.execute("SELECT rule_set_id FROM rule_set_years WHERE year = ?", [year]).fetchone()
        if row:
            return int(row[0])
        row = self.db.execute(
            "SELECT id FROM rule_sets WHERE effective_date IS NOT NULL AND effective_date <= ? "
            "ORDER BY effective_date DESC, id DESC LIMIT 1", [f"{year}-12-31"]).fetchone()
        if row:
            return int(row[0])
        row = self.db.execute(
            "SELECT id FROM rule_sets ORDER BY is_default DESC, id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def explicit_rule_set_for_year(self, year: int) -> int | None:
        """The clerk's explicit choice for ``year`` (None: chosen automatically)."""
        row = self.db.execute("SELECT rule_set_id FROM rule_set_years WHERE year = ?", [year]).fetchone()
        return int(row[0]) if row else None

    def set_rule_set_for_year(self, year: int, rule_set_id: int | None) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM rule_set_years WHERE year = ?", [year])
            if rule_set_id is not None:
                self.db["rule_set_years"].insert({"year": year, "rule_set_id": rule_set_id})

    # -- articles --------------------------------------------------------------------------
    def articles(self, rule_set_id: int) -> list[dict[str, Any]]:
        articles = list(self.db.query(
            "SELECT id, number, label, chapter, text FROM articles WHERE rule_set_id = ? "
            "ORDER BY number", [rule_set_id]))
        clauses: dict[int, list[dict[str, Any]]] = {}
        for clause in self.db.query(
            "SELECT c.id, c.article_id, c.number, c.label, c.text FROM clauses c "
            "JOIN articles a ON a.id = c.article_id WHERE a.rule_set_id = ? ORDER BY c.number",
            [rule_set_id],
        ):
            clauses.setdefault(clause["article_id"], []).append(clause)
        for article in articles:
            article["clauses"] = clauses.get(article["id"], [])
        return articles

    # -- duties ----------------------------------------------------------------------------
    _DUTY_SELECT = (
        "SELECT d.*, a.number AS article_number, a.label AS article_label, "
        "c.number AS clause_number, c.label AS clause_label "
        "FROM duties d LEFT JOIN articles a ON a.id = d.article_id "
        "LEFT JOIN clauses c ON c.id = d.clause_id "
    )

    def duties(self, rule_set_id: int, *, active_only: bool = True) -> list[dict[str, Any]]:
        sql = self._DUTY_SELECT + "WHERE d.rule_set_id = ?"
        if active_only:
            sql += " AND d.active = 1"
        sql += " ORDER BY d.position, d.id"
        rows = list(self.db.query(sql, [rule_set_id]))
        for row in rows:
            row["article_ref"] = format_ref(row)
        return rows

    def duty(self, duty_id: int) -> dict[str, Any]:
        rows = list(self.db.query(self._DUTY_SELECT + "WHERE d.id = ?", [duty_id]))
        if not rows:
            raise NotFoundError(f"履职事项（编号 {duty_id}）不存在。")
        rows[0]["article_ref"] = format_ref(rows[0])
        return rows[0]

    def duties_for_year(self, year: int) -> list[dict[str, Any]]:
        rule_set_id = self.rule_set_for_year(year)
        return [] if rule_set_id is None else self.duties(rule_set_id)

    def duty_specs(self, year: int) -> list[DutySpec]:
        return [to_duty_spec(row) for row in self.duties_for_year(year)]

    def update_duty(self, duty_id: int, **fields: Any) -> None:
        unknown = set(fields) - set(DUTY_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
        current = self.duty(duty_id)
        merged = {**{k: current[k] for k in ("period", "due")}, **fields}
        validate_duty({**fields, "period": merged["period"], "due": merged["due"]})
        with self.db.atomic():
            self.db["duties"].update(duty_id, {**fields, "updated_at": now_iso()})

    def add_duty(self, rule_set_id: int, **fields: Any) -> int:
        fields.setdefault("source_text", "")
        fields.setdefault("active", 1)
        validate_duty({"title": "", "role": "", "period": "", "min_count": 0, **fields})
        position = self.db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM duties WHERE rule_set_id = ?",
            [rule_set_id]).fetchone()[0]
        now = now_iso()
        with self.db.atomic():
            return int(self.db["duties"].insert({
                "uuid": new_uuid(), "rule_set_id": rule_set_id, "position": position,
                "created_at": now, "updated_at": now, **fields,
            }).last_pk)


def format_ref(row: dict[str, Any]) -> str:
    return ArticleRef(row.get("article_number"), row.get("article_label"),
                      row.get("clause_number"), row.get("clause_label")).label


def to_duty_spec(row: dict[str, Any]) -> DutySpec:
    due, due_month_day = parse_due(row.get("due"), row["period"])
    return DutySpec(
        id=row["id"],
        title=row["title"],
        period=Period(row["period"]),
        min_count=int(row["min_count"]),
        role=Role(row["role"]),
        due=due,
        due_month_day=due_month_day,
        article_number=row.get("article_number"),
        clause_number=row.get("clause_number"),
    )


#: What a data package may bring of the rules, per table: the columns that are copied.
PACKAGE_RULE_COLUMNS = {
    "rule_sets": ("title", "issuer", "doc_number", "effective_date", "source_text", "created_at", "updated_at"),
    "articles": ("rule_set_id", "number", "label", "chapter", "text"),
    "clauses": ("article_id", "number", "label", "text"),
    "duties": ("rule_set_id", "article_id", "clause_id", "title", "role", "period", "min_count", "due",
               "target", "source_text", "position", "active", "created_at", "updated_at"),
}


def add_package_rule_row(repo: RulesRepo, table: str, uuid: str, values: dict[str, Any]) -> int:
    """Add one row of reference data (a rule set, article, clause or duty) from a data package,
    validated: rules are never changed by a package, only added. Returns the new id."""
    columns = {c.name for c in repo.db[table].columns} - {"id", "uuid", "is_default"}
    # the columns named here, and any other column both databases know (a newer field travels)
    row = {k: values.get(k) for k in PACKAGE_RULE_COLUMNS[table]}
    row.update({k: v for k, v in values.items() if k in columns and k not in row
                and isinstance(v, str | int | float | type(None)) and not isinstance(v, bool)})
    if "source_text" in row and row["source_text"] is None:
        row["source_text"] = ""
    if "position" in row and row["position"] is None:
        row["position"] = 0
    for key, what in (("title", "标题"), ("label", "编号"), ("text", "正文"), ("source_text", "原文")):
        if key in row and not isinstance(row[key], str):
            raise ValidationError(f"规则数据不完整：{what}不是文字。")
        if key in ("title", "label") and key in row and not row[key].strip():
            raise ValidationError(f"规则数据不完整：缺少{what}。")
    for key in ("number", "position", "min_count"):
        if key in row and (isinstance(row[key], bool) or not isinstance(row[key], int)):
            raise ValidationError("规则数据中的编号或次数不是整数。")
    if table == "duties":
        validate_duty({k: row[k] for k in ("title", "role", "period", "min_count", "due")})
        row["active"] = 1 if row.get("active") in (None, 1, True) else 0
    now = now_iso()
    for key in ("created_at", "updated_at"):
        if key in row:
            row[key] = now
    if table == "rule_sets":
        row["is_default"] = 0  # the receiving office keeps its own default rules
    with repo.db.atomic():
        return int(repo.db[table].insert({"uuid": uuid, **row}).last_pk)

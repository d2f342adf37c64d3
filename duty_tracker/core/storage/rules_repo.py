"""Rule sets, their articles and clauses, and the duties derived from them.

Which rules count in a year: the year's *main* rule set — the clerk's explicit choice for that
year, else the one marked 默认 — plus every *supplement* (a district's or department's own list
added on top) whose years include it. Nothing else ever decides it: importing a newer rule set
changes no year until the clerk chooses it there, so records never stop counting behind the
clerk's back."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from duty_tracker.core.domain import DUTY_ROLES, DutySpec, Period, Role
from duty_tracker.core.helpers import new_uuid, now_iso
from duty_tracker.core.storage.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from duty_tracker.core.storage.connection import LedgerDatabase

#: A rule set is the year's main set or a supplement counted alongside it.
SCOPES = ("main", "supplement")
DUTY_FIELDS = ("title", "role", "period", "min_count", "unit", "due", "target", "source_text",
               "article_id", "clause_id", "position", "active")
#: What a quota counts: occasions (次) or hours of study (学时).
QUOTA_UNITS = ("times", "hours")


class ArticleRef(NamedTuple):
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
    if "unit" in fields and (fields["unit"] or "times") not in QUOTA_UNITS:
        raise ValidationError(f"计量单位不正确：{fields['unit']}（应为 次 或 学时）")
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
    def __init__(self, db: LedgerDatabase) -> None:
        self.db = db

    # -- rule sets -------------------------------------------------------------------------
    def import_parsed(self, parsed: Any, source_text: str, *, is_default: bool = False,
                      scope: str = "main", from_year: int | None = None,
                      to_year: int | None = None) -> int:
        """Store a parsed rule set (``core.rules.ParsedRules``) in one transaction: all or nothing.

        A main set is used by no year until the clerk chooses it (or marks it 默认); a
        supplement counts from the start in ``from_year``..``to_year``."""
        _check_scope(scope, from_year, to_year, is_default)
        now = now_iso()
        with self.db.atomic():
            rule_set_id = self.db["rule_sets"].insert({
                "uuid": new_uuid(),
                "title": parsed.title or "未命名规则",
                "issuer": getattr(parsed, "issuer", None),
                "doc_number": getattr(parsed, "doc_number", None),
                "effective_date": getattr(parsed, "effective_date", None),
                "warnings": "\n".join(getattr(parsed, "warnings", None) or []),
                "source_text": source_text,
                "is_default": int(is_default),
                "scope": scope,
                "from_year": from_year if scope == "supplement" else None,
                "to_year": to_year if scope == "supplement" else None,
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
                    "kind": getattr(article, "kind", None) or "article",
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
                    "unit": getattr(duty, "unit", None) or "times",
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
            "SELECT id, uuid, title, issuer, doc_number, effective_date, is_default, scope,"
            " from_year, to_year, created_at,"
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
        """The main rule set of ``year``: the clerk's explicit choice, else the default one (默认),
        else — no set is marked 默认 — the oldest main set. Never the newest: a set imported
        later must not take a year over without the clerk's choice."""
        explicit = self.explicit_rule_set_for_year(year)
        return explicit if explicit is not None else self.default_rule_set()

    def default_rule_set(self) -> int | None:
        """The main set used by every year the clerk did not choose for (默认)."""
        row = self.db.execute(
            "SELECT id FROM rule_sets WHERE scope = 'main' ORDER BY is_default DESC, id LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def explicit_rule_set_for_year(self, year: int) -> int | None:
        """The clerk's explicit choice for ``year`` (None: the default set is used)."""
        row = self.db.execute(
            "SELECT y.rule_set_id FROM rule_set_years y JOIN rule_sets s ON s.id = y.rule_set_id "
            "WHERE y.year = ? AND s.scope = 'main'", [year]).fetchone()
        return int(row[0]) if row else None

    def set_rule_set_for_year(self, year: int, rule_set_id: int | None) -> None:
        """The clerk's choice of the main set for ``year`` (None: back to the default)."""
        if rule_set_id is not None and self.rule_set(rule_set_id)["scope"] != "main":
            raise ValidationError("补充规则与年度适用的规则同时计入，不能单独作为年度适用规则。")
        with self.db.atomic():
            self.db.execute("DELETE FROM rule_set_years WHERE year = ?", [year])
            if rule_set_id is not None:
                self.db["rule_set_years"].insert({"year": year, "rule_set_id": rule_set_id})

    def set_default_rule_set(self, rule_set_id: int) -> None:
        """Mark a main set as 默认: it becomes the rules of every year without a choice of its own."""
        if self.rule_set(rule_set_id)["scope"] != "main":
            raise ValidationError("补充规则不能设为默认规则；请先把它改为主规则。")
        with self.db.atomic():
            self.db.execute("UPDATE rule_sets SET is_default = (id = ?), updated_at = ? "
                            "WHERE is_default != (id = ?)", [rule_set_id, now_iso(), rule_set_id])

    def supplements_for_year(self, year: int) -> list[int]:
        """The supplements whose years include ``year``, oldest first."""
        return [int(r[0]) for r in self.db.execute(
            "SELECT id FROM rule_sets WHERE scope = 'supplement' AND (from_year IS NULL OR from_year <= ?) "
            "AND (to_year IS NULL OR to_year >= ?) ORDER BY id", [year, year])]

    def rule_sets_for_year(self, year: int) -> list[int]:
        """Every rule set that counts in ``year``: the main set first, then the supplements."""
        main = self.rule_set_for_year(year)
        return ([main] if main is not None else []) + self.supplements_for_year(year)

    def set_scope(self, rule_set_id: int, scope: str, from_year: int | None = None,
                  to_year: int | None = None) -> None:
        """Make a rule set a main set or a supplement (counted in ``from_year``..``to_year``)."""
        current = self.rule_set(rule_set_id)
        _check_scope(scope, from_year, to_year, bool(current["is_default"]))
        if scope == "supplement":
            years = [r[0] for r in self.db.execute(
                "SELECT year FROM rule_set_years WHERE rule_set_id = ? ORDER BY year", [rule_set_id])]
            if years:
                raise ValidationError(
                    f"该规则是 {'、'.join(map(str, years))} 年度的适用规则，请先为这些年度另选规则，"
                    "再把它改为补充规则。")
        supplement = scope == "supplement"
        with self.db.atomic():
            self.db["rule_sets"].update(rule_set_id, {
                "scope": scope, "from_year": from_year if supplement else None,
                "to_year": to_year if supplement else None, "updated_at": now_iso()})

    # -- articles --------------------------------------------------------------------------
    def articles(self, rule_set_id: int) -> list[dict[str, Any]]:
        articles = list(self.db.query(
            "SELECT id, number, label, chapter, text, kind FROM articles WHERE rule_set_id = ? "
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
        "c.number AS clause_number, c.label AS clause_label, "
        "(SELECT s.scope FROM rule_sets s WHERE s.id = d.rule_set_id) AS rule_set_scope "
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
        """The active duties that count in ``year``: the main set's, then each supplement's."""
        return [row for rule_set_id in self.rule_sets_for_year(year) for row in self.duties(rule_set_id)]

    def articles_for_year(self, year: int) -> list[dict[str, Any]]:
        """The articles a record of ``year`` may cite: the main set's, then each supplement's."""
        return [row for rule_set_id in self.rule_sets_for_year(year) for row in self.articles(rule_set_id)]

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


def _check_scope(scope: str, from_year: int | None, to_year: int | None, is_default: bool) -> None:
    if scope not in SCOPES:
        raise ValidationError(f"规则用途不正确：{scope}")
    if scope == "supplement":
        if is_default:
            raise ValidationError("默认规则不能作为补充规则；请先把另一份规则设为默认。")
        if from_year is not None and to_year is not None and to_year < from_year:
            raise ValidationError(f"补充规则的适用年度不正确：{from_year} 年至 {to_year} 年。")


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
        unit=row.get("unit") or "times",
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

"""The conflicts a package merge kept, and settling them by the clerk's choice.

A conflict is one field of one row that both offices changed since they last shared it
(``merge``). The row kept the local value; ``merge_conflicts`` holds both. The clerk chooses:

- ``"local"`` keeps the value that is in the ledger now;
- ``"package"`` takes the package's value (through the repository: validated, audited).

Either way the chosen value gets a new version of this database that contains both sides'
versions, so the next package exchanged in either direction carries the choice and the other
office takes it without a second conflict. The conflict row stays, marked with who chose what
and when (the audit log has it too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from duty_tracker.core.errors import InputError
from duty_tracker.core.exchange.merge_rows import describe, write_row
from duty_tracker.core.exchange.package_format import TABLE_LABELS
from duty_tracker.core.exchange.sync_state import SyncState, combined, field_label, local_values
from duty_tracker.core.helpers import now_iso, os_user

CHOICES = {"local": "保留本机的内容", "package": "采用数据包的内容"}


@dataclass(frozen=True, slots=True)
class OpenConflict:
    """What the conflict dialog shows: where, which field, the two values, from whom."""

    id: int
    table: str
    uuid: str
    field: str
    label: str
    local_text: str  # the value in the ledger now
    package_text: str
    source: str
    detected_at: str
    resolved_at: str | None = None
    resolution: str | None = None

    @property
    def what(self) -> str:
        return f"{TABLE_LABELS.get(self.table, self.table)}{self.label}的“{field_label(self.table, self.field)}”"

    def __str__(self) -> str:
        return f"{self.what}：本机为“{self.local_text}”，数据包（{self.source}）为“{self.package_text}”"


def list_conflicts(store: Any, *, include_resolved: bool = False) -> list[OpenConflict]:
    """The open conflicts (newest first); with ``include_resolved`` the settled ones too."""
    conn = store.db.conn
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    out = []
    for row in conn.execute(
            "SELECT id, table_name, row_uuid, field, label, package_value, source, detected_at, resolved_at, "
            f"resolution FROM merge_conflicts {where} ORDER BY detected_at DESC, id DESC").fetchall():
        cid, table, uuid, name, label, package_value, source, detected, resolved, resolution = row
        row_id = conn.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        current = local_values(conn, table, row_id[0])[name] if row_id else None
        out.append(OpenConflict(cid, table, uuid, name, label, describe(conn, name, current) if row_id else "（已不存在）",
                                describe(conn, name, json.loads(package_value or "null")), source, detected,
                                resolved, resolution))
    return out


def resolve_conflict(store: Any, conflict_id: int, choice: str) -> str:
    """Settle one conflict: ``choice`` is ``"local"`` or ``"package"``. Returns a Chinese
    sentence saying what was done; raises :class:`InputError` (Chinese) when it cannot be."""
    if choice not in CHOICES:
        raise InputError(f"无效的选择：{choice}（应为 local 或 package）")
    conn = store.db.conn
    with store.db.atomic():
        row = conn.execute("SELECT table_name, row_uuid, field, label, package_value, package_clock, resolved_at "
                           "FROM merge_conflicts WHERE id = ?", [conflict_id]).fetchone()
        if row is None:
            raise InputError(f"冲突（编号 {conflict_id}）不存在。")
        table, uuid, name, label, package_value, package_clock, resolved = row
        if resolved:
            raise InputError(f"这处冲突已于 {resolved.replace('T', ' ')} 处理过。")
        found = conn.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        if found is None:
            raise InputError(f"{TABLE_LABELS.get(table, table)}{label}已不存在，无法处理这处冲突。")
        state = SyncState(conn)
        values = local_values(conn, table, found[0])
        clocks, _history = state.observe(table, uuid, values)
        if choice == "package":
            write_row(store, table, uuid, {**values, name: json.loads(package_value)}, ours=values)
            values = local_values(conn, table, found[0])
        theirs = state.from_package(json.loads(package_clock or "{}"))
        clocks[name] = state.bump(combined(clocks[name], theirs))
        state.save(table, uuid, values, clocks)
        state.flush()
        conn.execute("UPDATE merge_conflicts SET resolved_at = ?, resolution = ?, resolved_by = ? WHERE id = ?",
                     [now_iso(), choice, os_user(), conflict_id])
    return f"{TABLE_LABELS.get(table, table)}{label}的“{field_label(table, name)}”：已{CHOICES[choice]}。"

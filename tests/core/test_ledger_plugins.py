"""The ledger's connections run no sqlite-utils plugins (and so never look for them)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_opening_the_ledger_looks_for_no_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite_utils.db

    from duty_tracker.core.storage.database import connect, open_database

    def refuse() -> None:
        raise AssertionError("sqlite-utils plugins looked for")

    monkeypatch.setattr(sqlite_utils.db, "ensure_plugins_loaded", refuse)
    db = open_database(tmp_path / "ledger.db")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()
    again = connect(tmp_path / "ledger.db")
    assert again.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    again.close()

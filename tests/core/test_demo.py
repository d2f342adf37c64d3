"""Demo data looks like the real city: today's districts and counties, streets under their
district, positions that match the unit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from duty_tracker.core.demo import build_demo
from duty_tracker.core.services.ledger import open_ledger


def test_demo_units_are_the_citys_real_current_divisions(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "demo.db") as ledger:
        build_demo(ledger.store, leaders=140, years=1, records=1, today=date(2025, 11, 20))
        units = {u["name"]: u for u in ledger.store.people.units()}
        leaders = ledger.store.people.leaders()
    assert not [n for n in units if "江干" in n or "下城" in n]  # merged away in 2021
    for name in ("建德市", "桐庐县", "淳安县", "临平区", "钱塘区"):
        assert units[name]["level"] == "区县" and units[name]["parent_id"] == units["杭州市"]["id"]
    street = units["西湖区北山街道"]
    assert street["level"] == "乡镇街道" and street["parent_id"] == units["西湖区"]["id"]
    positions = {(row["unit_name"], row["role"]): row["position"] for row in leaders}
    assert positions[("桐庐县", "party")] == "县委书记" and positions[("建德市", "government")] == "市长"
    assert positions[("淳安县千岛湖镇", "government")] == "镇长"

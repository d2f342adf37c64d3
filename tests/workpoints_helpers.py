"""Units of a city for the work-points tests: created by each test, named as a city's program
would name them today — so that the document's older names must be mapped (市法制办 → 市司法局,
杭州仲裁委 → 杭州仲裁委员会, "市政府各部门" → every department)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HANGZHOU_2017 = ROOT.parent / "shared" / "seeds" / "hangzhou-2017-workpoints.txt"
DEPARTMENTS = (
    "市政府办公厅", "市司法局", "市审管办", "市编委办", "市发改委", "市财政局", "市数据资源管理局",
    "市公安局", "市交通运输局", "市西博办", "市建委", "市城管委", "市林水局", "市人防办",
    "市市场监管局", "市人力社保局", "市环保局",
)


def add_city_units(store: Any) -> dict[str, int]:
    """杭州市 with its departments, 富阳区 and the arbitration commission; name → id."""
    city = store.people.add_unit("杭州市", "市")
    ids = {"杭州市": city}
    for name in DEPARTMENTS:
        ids[name] = store.people.add_unit(name, "部门", city)
    ids["富阳区"] = store.people.add_unit("富阳区", "区县", city)
    ids["杭州仲裁委员会"] = store.people.add_unit("杭州仲裁委员会", "事业单位", city)
    return ids

"""Realistic sample data: units, party and government heads (some replaced mid-year), and the
records of their duties over the last Y years — for looking around, screenshots, tests and
benchmarks (``duty-tracker demo``).

The data is deterministic for a seed. Most required periods are met; some are missed on
purpose, so the dashboard and the reports show every status. Names include rare characters
(喆 堃 珺 昇 镕 赟 玥) because real rosters do, and the reports must print them. Records are
never dated after ``today``. Everything is written with ``executemany`` in one transaction,
without the audit log (it is generated data), so 250,000 records take a few seconds.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from duty_tracker.core.compliance import duty_periods
from duty_tracker.core.domain import DutySpec, Role, Term, duty_applies_to, guess_record_kind
from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import now_iso
from duty_tracker.core.storage.search_index import deferred_search_index
from duty_tracker.core.storage.store import Store

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("建国", "志强", "海峰", "文斌", "晓东", "卫民", "国华", "永明", "丽华", "秀英", "建军",
         "明辉", "少华", "正阳", "立新", "跃进", "红梅", "振华", "德胜", "春生", "伟", "敏", "静",
         "磊", "洋", "勇", "军", "杰", "涛", "超", "鹏", "斌", "宏", "浩", "宇", "晨")
RARE_GIVEN = ("喆", "堃", "珺", "昇", "镕", "赟", "玥", "一喆", "文堃", "思珺", "东昇", "镕基",
              "晓赟", "玥琳", "〇")
#: Hangzhou's districts, counties and county-level city as they are since the 2021 adjustment
#: (江干区 and 下城区 were merged into others; 建德 is a city, 桐庐 and 淳安 are counties).
DISTRICTS = ("上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区",
             "富阳区", "临安区", "桐庐县", "淳安县", "建德市")
#: Real streets and towns, each with the index of its district in DISTRICTS.
STREETS = (("湖滨街道", 0), ("清波街道", 0), ("小营街道", 0), ("湖墅街道", 1), ("东新街道", 1),
           ("米市巷街道", 1), ("北山街道", 2), ("灵隐街道", 2), ("西溪街道", 2), ("西兴街道", 3),
           ("长河街道", 3), ("城厢街道", 4), ("北干街道", 4), ("良渚街道", 5), ("五常街道", 5),
           ("南苑街道", 6), ("临平街道", 6), ("下沙街道", 7), ("白杨街道", 7), ("富春街道", 8),
           ("银湖街道", 8), ("锦城街道", 9), ("玲珑街道", 9), ("桐君街道", 10), ("城南街道", 10),
           ("千岛湖镇", 11), ("新安江街道", 12), ("洋溪街道", 12))
DEPARTMENTS = ("司法局", "发展和改革委员会", "教育局", "公安局", "民政局", "财政局",
               "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
               "交通运输局", "农业农村局", "商务局", "卫生健康委员会", "应急管理局",
               "市场监督管理局", "城市管理局", "审计局", "统计局", "医疗保障局")
LAWS = ("《中华人民共和国宪法》", "《中华人民共和国民法典》", "《中华人民共和国行政处罚法》",
        "《中华人民共和国行政许可法》", "《中华人民共和国行政复议法》", "《优化营商环境条例》",
        "《重大行政决策程序暂行条例》", "《中华人民共和国安全生产法》", "《中华人民共和国监察法》",
        "《中国共产党章程》", "《法治中国建设规划（2020—2025年）》", "《中华人民共和国数据安全法》",
        "《浙江省行政程序办法》", "《中华人民共和国外商投资法》", "《中华人民共和国个人信息保护法》")
HANDOVER_DAYS = ((7, 1), (3, 18), (9, 26), (11, 8), (5, 20))


@dataclass
class DemoSummary:
    units: int
    leaders: int
    records: int
    years: list[int]


def _person_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        given = rng.choice(RARE_GIVEN) if rng.random() < 0.12 else rng.choice(GIVEN)
        name = rng.choice(SURNAMES) + given
        if name not in used:
            used.add(name)
            return name
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)[0]
    used.add(name)
    return name


def _unit_name(index: int) -> tuple[str, str, int | None]:
    """(name, level, index of the parent unit) of the demo's ``index``-th unit: the city, its
    districts and counties, the city's departments, then streets and towns under their district
    (numbered once the real ones are used up)."""
    if index == 0:
        return "杭州市", "市", None
    index -= 1
    if index < len(DISTRICTS):
        return DISTRICTS[index], "区县", 0
    index -= len(DISTRICTS)
    if index < len(DEPARTMENTS):
        return f"杭州市{DEPARTMENTS[index]}", "部门", 0
    index -= len(DEPARTMENTS)
    street, district = STREETS[index % len(STREETS)]
    lap = index // len(STREETS)
    name = street if lap == 0 else f"{street.removesuffix('街道').removesuffix('镇')}{lap + 1}号街区"
    return f"{DISTRICTS[district]}{name}", "乡镇街道", 1 + district


def _record_title(duty: DutySpec, day: date, rng: random.Random, unit: str) -> str:
    kind = guess_record_kind(duty.title)
    if kind == "学法":
        return f"{duty.title}：学习{rng.choice(LAWS)}"
    if kind == "培训":
        return f"{day.year}年度{unit}领导干部法治专题培训班"
    if kind == "听取汇报":
        return f"{duty.title}（{day.month}月）"
    if kind == "述职":
        return f"{day.year}年度述法述职"
    if kind == "报告":
        return f"{day.year}年度{duty.title}"
    return f"{duty.title}（{day.year}年第{rng.randint(1, 6)}次）"


def build_demo(
    store: Store,
    *,
    leaders: int,
    years: int,
    records: int,
    today: date | None = None,
    seed: int = 2019,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill ``store`` with ``leaders`` heads over the ``years`` years ending with ``today``'s
    year, about ``records`` records per leader and year (fewer for part-year terms)."""
    if leaders < 1 or years < 1 or records < 0:
        raise InputError("负责人数和年数至少为 1，纪实数不能为负。")
    today = today or date.today()
    rng = random.Random(seed)
    last_year = today.year
    year_list = list(range(last_year - years + 1, last_year + 1))
    first_day = date(year_list[0], 1, 1)
    db = store.db
    now = now_iso()

    unit_count = max(1, (leaders * 9) // 20)
    # About 45 % of N units with two heads each; the remaining ~10 % of leaders are successors
    # who took over mid-year from one of those heads.
    slots = [(u, role) for u in range(unit_count) for role in (Role.PARTY, Role.GOVERNMENT)][:leaders]
    handovers = leaders - len(slots)

    duties_by_year = {y: store.rules.duty_specs(y) for y in year_list}
    if not any(duties_by_year.values()):
        raise InputError("数据库中没有履职事项，无法生成演示数据。")

    with db.atomic(), store.audit_suspended(), deferred_search_index(db):
        unit_rows = []
        unit_ids = []
        next_unit = (db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0]) + 1
        for index in range(unit_count):
            name, level, parent_index = _unit_name(index)
            uid = next_unit + index
            unit_ids.append(uid)
            parent = None if parent_index is None else next_unit + min(parent_index, index - 1)
            unit_rows.append((uid, str(uuid.uuid4()), name, level, parent, now, now))
        db.conn.executemany(
            "INSERT INTO units (id, uuid, name, level, parent_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", unit_rows)
        unit_names = {uid: row[2] for uid, row in zip(unit_ids, unit_rows, strict=True)}

        used: set[str] = set()
        next_leader = (db.execute("SELECT coalesce(max(id), 0) FROM leaders").fetchone()[0]) + 1
        leader_rows, term_rows = [], []
        people: list[tuple[int, Role, int, list[Term]]] = []  # (leader id, role, unit id, terms)
        handover_slots = set(rng.sample(range(len(slots)), min(handovers, len(slots))))
        for index, (u, role) in enumerate(slots):
            unit_id = unit_ids[u]
            position = _position(unit_names[unit_id], role)
            start = first_day - timedelta(days=rng.randint(200, 1500))
            holders: list[tuple[date, date | None]] = [(start, None)]
            if index in handover_slots:
                year = rng.choice(year_list)
                month, day = rng.choice(HANDOVER_DAYS)
                change = date(year, month, day)
                if change > today:
                    change = date(year_list[0], month, day)
                holders = [(start, change - timedelta(days=1)), (change, None)]
            for term_start, term_end in holders:
                lid = next_leader
                next_leader += 1
                leader_rows.append((lid, str(uuid.uuid4()), _person_name(rng, used), unit_id,
                                    position, role.value, now, now))
                term_rows.append((str(uuid.uuid4()), lid, term_start.isoformat(),
                                  term_end.isoformat() if term_end else None))
                people.append((lid, role, unit_id, [Term(term_start, term_end)]))
        db.conn.executemany(
            "INSERT INTO leaders (id, uuid, name, unit_id, position, role, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", leader_rows)
        db.conn.executemany(
            "INSERT INTO terms (uuid, leader_id, start_date, end_date) VALUES (?, ?, ?, ?)", term_rows)

        partner = _partners(people)
        next_record = (db.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0]) + 1
        record_rows: list[tuple] = []
        leader_links: list[tuple[int, int]] = []
        duty_links: list[tuple[int, int]] = []
        total_steps = len(people) * len(year_list)
        step = 0
        for lid, role, unit_id, terms in people:
            for year in year_list:
                step += 1
                if progress and step % 200 == 0:
                    progress(step, total_steps)
                plan = _plan_year(rng, role, terms, duties_by_year[year], year, today, records)
                for duty, day in plan:
                    rid = next_record
                    next_record += 1
                    title = _record_title(duty, day, rng, unit_names[unit_id])
                    record_rows.append((
                        rid, str(uuid.uuid4()), day.isoformat(), title, guess_record_kind(duty.title),
                        f"{unit_names[unit_id]}{rng.choice(('第一会议室', '常委会议室', '党校报告厅', '行政中心'))}",
                        "", _minutes_number(rng, unit_names[unit_id], day), "", now, now))
                    leader_links.append((rid, lid))
                    duty_links.append((rid, duty.id))
                    other = partner.get(lid)
                    if (other is not None and duty.role is Role.ALL and rng.random() < 0.15
                            and any(t.contains(day) for t in other[1])):
                        leader_links.append((rid, other[0]))
        db.conn.executemany(
            "INSERT INTO records (id, uuid, performed_on, title, kind, place, participants, "
            "minutes_number, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            record_rows)
        db.conn.executemany("INSERT INTO record_leaders (record_id, leader_id) VALUES (?, ?)", leader_links)
        db.conn.executemany("INSERT INTO record_duties (record_id, duty_id) VALUES (?, ?)", duty_links)
    db.execute("ANALYZE")
    return DemoSummary(unit_count, len(leader_rows), len(record_rows), year_list)


def _position(unit: str, role: Role) -> str:
    party = role is Role.PARTY
    if unit.endswith("局") or unit.endswith("委员会"):
        return "党组书记" if party else "局长" if unit.endswith("局") else "主任"
    if "街道" in unit or "街区" in unit:
        return "党工委书记" if party else "街道办事处主任"
    if unit.endswith("镇"):
        return "镇党委书记" if party else "镇长"
    kind = unit[-1]  # 市 / 区 / 县
    return f"{kind}委书记" if party else f"{kind}长"


def _minutes_number(rng: random.Random, unit: str, day: date) -> str:
    if rng.random() < 0.35:
        return ""
    short = unit.replace("杭州市", "杭")[:2]
    return f"{short}纪〔{day.year}〕{rng.randint(1, 60)}号"


def _partners(people: list[tuple[int, Role, int, list[Term]]]) -> dict[int, tuple[int, list[Term]]]:
    """For each head, the other head of the same unit (any of them; the term check decides)."""
    by_unit: dict[int, list[tuple[int, Role, list[Term]]]] = {}
    for lid, role, unit_id, terms in people:
        by_unit.setdefault(unit_id, []).append((lid, role, terms))
    out: dict[int, tuple[int, list[Term]]] = {}
    for heads in by_unit.values():
        for lid, role, _ in heads:
            others = [(o, t) for o, r, t in heads if r is not role]
            if others:
                out[lid] = others[-1]
    return out


def _plan_year(
    rng: random.Random, role: Role, terms: list[Term], duties: list[DutySpec], year: int,
    today: date, budget: int,
) -> list[tuple[DutySpec, date]]:
    """(duty, day) pairs for one leader and year: first what the periods require (one period
    in four is left short on purpose, sometimes), then extra records up to the budget."""
    applicable = [d for d in duties if duty_applies_to(d.role, role)]
    slots: list[tuple[DutySpec, date, date]] = []  # duty and the window a record may fall in
    for duty in applicable:
        for period in duty_periods(duty, year):
            for term in terms:
                lo = max(period.start, term.start)
                hi = min(period.end, term.end or period.end, today)
                if lo <= hi:
                    slots.append((duty, lo, hi))
    if not slots:
        return []
    covered = sum((hi - lo).days + 1 for _, lo, hi in slots) / max(1, sum(
        (p.end - p.start).days + 1 for d in applicable for p in duty_periods(d, year)))
    budget = max(0, round(budget * min(1.0, covered)))
    plan: list[tuple[DutySpec, date]] = []
    kept: list[tuple[DutySpec, date, date]] = []  # slots that may take extra records
    for duty, lo, hi in slots:
        need = duty.min_count
        if rng.random() < 0.1:
            need = rng.randint(0, max(0, need - 1))  # missed on purpose: no extras either
        elif guess_record_kind(duty.title) not in ("述职", "报告"):  # one debrief, one annual report a year
            kept.append((duty, lo, hi))
        for _ in range(need):
            if len(plan) >= budget:
                break
            plan.append((duty, lo + timedelta(days=rng.randint(0, (hi - lo).days))))
    while kept and len(plan) < budget:
        duty, lo, hi = rng.choice(kept)
        plan.append((duty, lo + timedelta(days=rng.randint(0, (hi - lo).days))))
    return plan

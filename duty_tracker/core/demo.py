"""Realistic sample data: units, party and government heads (some replaced mid-year), and the
records of their duties over the last Y years — for looking around, screenshots, tests and
benchmarks (``duty-tracker demo``).

The data is deterministic for a seed. Most required periods are met; some are missed on
purpose, so the dashboard and the reports show every status. Names include rare characters
(喆 堃 珺 昇 镕 赟 玥) because real rosters do, and the reports must print them. Records are
never dated after ``today``.

Everything is written in one transaction without the audit log (it is generated data), as a
bulk load: the triggers and secondary indexes of the record tables are dropped and rebuilt at
the end (building an index from sorted data is several times cheaper than growing it row by
row), records get uuids in ascending order (the unique index is appended to instead of
written all over), the search indexes are built in one pass, and rows go in batches of flat
values, a couple of hundred rows per statement.

A large build uses both cores (Python holds one per process): a second process draws the
records and sends each batch while this one writes the previous one, then builds the bigram
index of them into a scratch file while this one builds the other indexes; the search index
then adopts the file (see :class:`_Helper`). The records are the same either way, and so is
the database, to the byte; a failed or interrupted build leaves nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import shutil
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duty_tracker.core.compliance import duty_periods
from duty_tracker.core.domain import DutySpec, Role, Term, duty_applies_to, guess_record_kind
from duty_tracker.core.errors import AppError, InputError
from duty_tracker.core.helpers import now_iso
from duty_tracker.core.storage.search_index import (
    BulkIndex,
    build_bigram_file,
    bulk_search_index,
    record_key,
)

if TYPE_CHECKING:
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
PLACES = ("第一会议室", "常委会议室", "党校报告厅", "行政中心")
#: Records written per batch (bounds the memory of a city-sized build).
BATCH = 50_000
#: The first batch the second process sends: small, since the building process waits for it.
FIRST_BATCH = 5_000
#: From this many records (leaders × years × records a year) a second process draws them.
PARALLEL_FROM = 40_000
#: The tables a bulk load fills, whose triggers and secondary indexes wait for the end.
BULK_TABLES = ("records", "record_leaders", "record_duties")


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


@dataclass
class DemoSummary:
    units: int
    leaders: int
    records: int
    years: list[int]


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    role: Role
    unit_id: int
    terms: tuple[Term, ...]


def build_demo(
    store: Store,
    *,
    leaders: int,
    years: int,
    records: int,
    today: date | None = None,
    seed: int = 2019,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool | None = None,
) -> DemoSummary:
    """Fill ``store`` with ``leaders`` heads over the ``years`` years ending with ``today``'s
    year, about ``records`` records per leader and year (fewer for part-year terms).

    ``parallel`` (by default: from :data:`PARALLEL_FROM` records on, on a machine with more
    than one core) draws the records in a second process; the database is the same either
    way."""
    if leaders < 1 or years < 1 or records < 0:
        raise InputError("负责人数和年数至少为 1，纪实数不能为负。")
    today = today or date.today()
    rng = random.Random(seed)
    year_list = list(range(today.year - years + 1, today.year + 1))
    duties_by_year = {y: store.rules.duty_specs(y) for y in year_list}
    if not any(duties_by_year.values()):
        raise InputError("数据库中没有履职事项，无法生成演示数据。")
    if parallel is None:  # a second process is worth its start only with a core to run on
        parallel = leaders * years * records >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    db = store.db
    now = now_iso()
    with _foreign_keys_unchecked(db), _Helper() if parallel else nullcontext() as helper, \
            db.atomic(), store.audit_suspended(), bulk_search_index(db) as index, _bulk_load(db):
        units = _insert_units(db, max(1, (leaders * 9) // 20), now)
        people = _insert_leaders(db, rng, units, leaders, year_list, today, now)
        plan = _Plan(people, units, duties_by_year, today, records)
        if helper is not None:
            count = helper.write(db, plan, rng, now, index, progress)
        else:
            writer = _RecordWriter(db, now)
            _write_records(writer, rng, plan, progress)
            writer.flush()
            count = writer.count
    return DemoSummary(len(units), len(people), count, year_list)


def _insert_units(db: Any, count: int, now: str) -> dict[int, str]:
    """The units (id → name, in order): the city, its districts and departments, streets."""
    first = db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0] + 1
    rows = []
    for index in range(count):
        name, level, parent_index = _unit_name(index)
        parent = None if parent_index is None else first + min(parent_index, index - 1)
        rows.append((first + index, str(uuid.uuid4()), name, level, parent, now, now))
    db.conn.executemany(
        "INSERT INTO units (id, uuid, name, level, parent_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return {row[0]: row[2] for row in rows}


def _insert_leaders(db: Any, rng: random.Random, units: dict[int, str], leaders: int,
                    year_list: list[int], today: date, now: str) -> list[_Person]:
    """About 45 % of the units with two heads each; the remaining ~10 % of leaders are
    successors who took over mid-year from one of those heads."""
    unit_ids = list(units)
    slots = [(u, role) for u in range(len(unit_ids)) for role in (Role.PARTY, Role.GOVERNMENT)][:leaders]
    handover_slots = set(rng.sample(range(len(slots)), min(leaders - len(slots), len(slots))))
    first_day = date(year_list[0], 1, 1)
    next_leader = db.execute("SELECT coalesce(max(id), 0) FROM leaders").fetchone()[0] + 1
    used: set[str] = set()
    leader_rows, term_rows, people = [], [], []
    for index, (u, role) in enumerate(slots):
        unit_id = unit_ids[u]
        position = _position(units[unit_id], role)
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
            leader_rows.append((next_leader, str(uuid.uuid4()), _person_name(rng, used), unit_id,
                                position, role.value, now, now))
            term_rows.append((str(uuid.uuid4()), next_leader, term_start.isoformat(),
                              term_end.isoformat() if term_end else None))
            people.append(_Person(next_leader, role, unit_id, (Term(term_start, term_end),)))
            next_leader += 1
    db.conn.executemany(
        "INSERT INTO leaders (id, uuid, name, unit_id, position, role, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", leader_rows)
    db.conn.executemany(
        "INSERT INTO terms (uuid, leader_id, start_date, end_date) VALUES (?, ?, ?, ?)", term_rows)
    return people


@dataclass(frozen=True)
class _Plan:
    """What the records are drawn from (all of it pickles, for the second process)."""

    people: list[_Person]
    units: dict[int, str]
    duties_by_year: dict[int, list[DutySpec]]
    today: date
    budget: int  # records per leader and year


class _Batches:
    """Records and their links as they are drawn, handed on every :data:`BATCH` records, all
    as flat lists: (id, uuid, date, title, kind, place, 文号) values one record after another
    (the uuids are filled in when a batch is handed on), (record id, other id) pairs."""

    def __init__(self, first_id: int, batch: int) -> None:
        #: Appends (index key, the five texts) of each record drawn, when they are kept.
        self.keep: Callable[[tuple], None] | None = None
        self.next_id = first_id
        self.batch = batch
        self.count = 0
        self.values: list[Any] = []
        self.leader_links: list[int] = []
        self.duty_links: list[int] = []
        self.uuids = _AscendingUuids()

    def take(self) -> tuple[list[Any], list[int], list[int]]:
        """(the record values, the two link lists) so far, and start over."""
        values = self.values
        rows = len(values) // RECORD_WIDTH
        values[1::RECORD_WIDTH] = self.uuids.take(rows)
        taken = values, self.leader_links, self.duty_links
        self.count += rows
        self.values, self.leader_links, self.duty_links = [], [], []
        return taken

    def flush(self) -> None:
        raise NotImplementedError


class _RecordWriter(_Batches):
    """Writes each batch straight into the database (one process)."""

    def __init__(self, db: Any, now: str) -> None:
        super().__init__(_next_record_id(db), BATCH)
        self.db = db
        self.now = now

    def flush(self) -> None:
        if self.values:
            _insert_batch(self.db.conn, self.now, *self.take())


def _next_record_id(db: Any) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0] + 1


#: Rows per INSERT statement of a bulk load.
ROWS_PER_STATEMENT = 200
#: Values of a record in a batch (see :class:`_Batches`).
RECORD_WIDTH = 7
_RECORDS_HEAD = ("INSERT INTO records (id, uuid, performed_on, title, kind, place, participants, "
                 "minutes_number, description, created_at, updated_at) VALUES")


def _insert_batch(conn: Any, now: str, records: list[Any], leader_links: list[int],
                  duty_links: list[int]) -> None:
    """One batch: the records (7 values each; the time stamps are the same for all, written
    into the statement), then their links."""
    stamp = "'" + now.replace("'", "''") + "'"
    _insert_flat(conn, _RECORDS_HEAD, f"(?, ?, ?, ?, ?, ?, '', ?, '', {stamp}, {stamp})", records,
                 RECORD_WIDTH)
    _insert_flat(conn, "INSERT INTO record_leaders (record_id, leader_id) VALUES", "(?, ?)",
                 leader_links, 2)
    _insert_flat(conn, "INSERT INTO record_duties (record_id, duty_id) VALUES", "(?, ?)",
                 duty_links, 2)


def _insert_flat(conn: Any, head: str, row: str, values: list[Any], width: int) -> None:
    """Insert rows of ``width`` values each, laid end to end in ``values``, with ``head``
    (``INSERT INTO t (…) VALUES``) and ``row`` (``(?, ?)``), a couple of hundred rows per
    statement: ``executemany`` costs more per row in Python's sqlite3 than SQLite spends
    storing it (2.2 s against 0.8 s for 220,000 records)."""
    step = ROWS_PER_STATEMENT * width
    whole = len(values) - len(values) % step
    if whole:
        sql = f"{head} {', '.join([row] * ROWS_PER_STATEMENT)}"
        for start in range(0, whole, step):
            conn.execute(sql, values[start:start + step])
    if whole < len(values):
        conn.execute(f"{head} {', '.join([row] * ((len(values) - whole) // width))}",
                     values[whole:])


def _write_records(writer: _Batches, rng: random.Random, plan: _Plan,
                   progress: Callable[[int, int], None] | None) -> None:
    """Every leader's records, year by year. The random draws are made in a fixed order, so a
    seed always gives the same records."""
    below = rng._randbelow  # what rng.choice and rng.randint draw with (fewer calls per record)
    duties_by_year, units = plan.duties_by_year, plan.units
    kinds = {d.id: guess_record_kind(d.title) for ds in duties_by_year.values() for d in ds}
    places = {u: [f"{name}{p}" for p in PLACES] for u, name in units.items()}
    shorts = {u: name.replace("杭州市", "杭")[:2] for u, name in units.items()}
    partner = _partners(plan.people)
    days, keep = _DayNames(), writer.keep
    texts: dict[str, str] = {}
    slots_cache: dict[tuple, tuple[list[tuple], int]] = {}
    total, step = len(plan.people) * len(duties_by_year), 0
    for person in plan.people:
        unit, other = units[person.unit_id], partner.get(person.id)
        own_places, short = places[person.unit_id], shorts[person.unit_id]
        for year, duties in duties_by_year.items():
            step += 1
            if progress and step % 200 == 0:
                progress(step, total)
            slots, scaled = _year_slots(slots_cache, person, duties, year, plan.today, plan.budget)
            values, leader_links, duty_links = writer.values, writer.leader_links, writer.duty_links
            rid = writer.next_id
            for duty, day in _plan_year(rng, below, slots, scaled):
                iso, when, key = days.of(day)
                kind = kinds[duty.id]
                title = _record_title(duty, kind, when, rng, below, unit)
                title = texts.setdefault(title, title)  # one object per text (see _PipeWriter)
                place = own_places[below(len(PLACES))]
                minutes = "" if rng.random() < 0.35 else f"{short}纪〔{when.year}〕{1 + below(60)}号"
                minutes = texts.setdefault(minutes, minutes)
                values += (rid, None, iso, title, kind, place, minutes)
                if keep is not None:  # no description, no participants
                    keep((key | rid, title, "", minutes, place, ""))
                leader_links += (rid, person.id)
                duty_links += (rid, duty.id)
                if (other is not None and duty.role is Role.ALL and rng.random() < 0.15
                        and any(t.contains(when) for t in other[1])):
                    leader_links += (rid, other[0])
                rid += 1
            writer.next_id = rid
            if len(values) >= writer.batch * RECORD_WIDTH:
                writer.flush()


class _Helper:
    """The second process of a large build: it draws the records (the same function, the same
    random sequence) and sends them here a batch at a time, while this process writes the
    previous batch; once all are sent it builds the bigram index of the records into a scratch
    file, which the search index adopts after building the trigram index meanwhile. Python
    holds one core per process, so this is how a build uses both.

    Spawned, never forked (the window has Qt and threads running, and a frozen Windows build
    can only spawn). The scratch folder goes at the end whatever happened: the other process
    removes it once this one closes the pipe — or dies, so that even a build killed outright
    leaves no scratch file behind — and this one removes it too. After a failure (or a cancel)
    the other process is killed at once."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="duty_tracker_demo_",
                                                   ignore_cleanup_errors=True)
        self._process: Any = None
        self._pipe: Any = None

    def __enter__(self) -> _Helper:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            if self._pipe is not None:
                self._pipe.close()  # the other process's cue to clean up and leave
            if self._process is not None:
                if kind is not None:
                    self._process.kill()
                self._process.join()
        finally:
            self._folder.cleanup()

    def write(self, db: Any, plan: _Plan, rng: random.Random, now: str, index: BulkIndex,
              progress: Callable[[int, int], None] | None) -> int:
        """Have the records drawn in the other process and write them here; returns how many.
        An empty ledger gets its bigram index from the other process too."""
        first_id = _next_record_id(db)
        grams = str(Path(self._folder.name) / "bigrams.db") if first_id == 1 else None
        context = multiprocessing.get_context("spawn")
        self._pipe, other_end = context.Pipe()
        process = context.Process(
            target=_draw_elsewhere, args=(other_end, plan, rng.getstate(), first_id, BATCH, grams),
            name="duty-tracker-demo", daemon=True)
        process.start()
        self._process = process
        other_end.close()  # the child's: once it is closed there, this end reads end of file
        while True:
            kind, *data = self._receive()
            if kind == "batch":
                _insert_batch(db.conn, now, *data)
            elif kind == "progress":
                if progress:
                    progress(*data)
            elif kind == "done":
                break
        if grams is not None:
            index.bigram_file = self._bigram_file
        return int(data[0])

    def _bigram_file(self) -> Path:
        kind, path = self._receive()
        if kind != "bigrams":
            raise RuntimeError(f"unexpected message from the demo process: {kind}")
        return Path(path)

    def _receive(self) -> tuple:
        try:
            message = self._pipe.recv()
        except EOFError:
            raise AppError("生成演示数据的后台进程意外退出，演示数据没有写入，请重试。") from None
        if message[0] == "failed":
            raise RuntimeError(f"the demo process failed:\n{message[1]}")
        return message


def _draw_elsewhere(pipe: Any, plan: _Plan, state: tuple, first_id: int, batch: int,
                    grams: str | None) -> None:
    """The other process (see :class:`_Helper`): draw the records from the random state the
    leaders left, send them in batches, then make the bigram file (``grams``) when asked; wait
    until the building process is done with it (its end of the pipe closes), and remove it."""
    try:
        rng = random.Random()
        rng.setstate(state)
        writer = _PipeWriter(pipe, first_id, batch, keep_texts=grams is not None)
        _write_records(writer, rng, plan, lambda done, total: pipe.send(("progress", done, total)))
        writer.flush()
        pipe.send(("done", writer.count))
        if grams is not None:
            texts, writer.texts = writer.texts, []
            texts.sort()  # runs already in order (each batch's): a merge
            build_bigram_file(Path(grams), texts)
            pipe.send(("bigrams", grams))
            del texts
        # Freed now, while the building process adopts the file: left for this process's exit,
        # a city's million objects held up the end of the build by half a second.
        del writer
        with suppress(EOFError, OSError):
            pipe.recv()  # nothing comes: this returns when the other end closes
    except BaseException:  # noqa: BLE001 - told to the building process, which raises it
        with suppress(Exception):
            pipe.send(("failed", traceback.format_exc()))
    finally:
        pipe.close()
        if grams is not None:
            shutil.rmtree(Path(grams).parent, ignore_errors=True)


class _PipeWriter(_Batches):
    """Sends each batch to the building process, keeping (index key, title, description, 文号,
    place, participants) of every record for the bigram index (description and participants
    of a demo record are empty), each batch's sorted by key while the other process writes it
    (the sort at the end is then a merge)."""

    def __init__(self, pipe: Any, first_id: int, batch: int, *, keep_texts: bool) -> None:
        super().__init__(first_id, min(batch, FIRST_BATCH))  # the other process waits for it
        self.full_batch = batch
        self.pipe = pipe
        self.texts: list[tuple[int, str, str, str, str, str]] = []
        self.keep = self.texts.append if keep_texts else None
        self._sorted = 0

    def flush(self) -> None:
        if not self.values:
            return
        values, *links = self.take()
        self.batch = self.full_batch
        # Pickle sends each text object once a batch, and the building process then binds that
        # one object again and again, whose UTF-8 form Python keeps: hence one object per text.
        self.pipe.send(("batch", values, *links))
        if self.keep is not None:  # each batch's texts sorted while the other process writes it
            texts = self.texts
            batch = texts[self._sorted:]
            batch.sort()
            texts[self._sorted:] = batch
            self._sorted = len(texts)


class _DayNames:
    """A day's ISO text, date object and search index key (of record id 0), made once per day
    of the demo's span."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[str, date, int]] = {}

    def of(self, ordinal: int) -> tuple[str, date, int]:
        known = self._known.get(ordinal)
        if known is None:
            day = date.fromordinal(ordinal)
            known = self._known[ordinal] = (day.isoformat(), day, record_key(day, 0))
        return known


class _AscendingUuids:
    """Random version-4 UUIDs in ascending order: the 60 bits before the variant are a random
    start below 2^59 that grows by 1 + a random number below 2^20 each time, the 62 after it
    are fresh random bits — no repeats, random-looking, and never past the top for any number
    of records a ledger can hold. (Small numbers: Python formats them fast.)"""

    def __init__(self) -> None:
        self._random = random.Random()  # seeded by the OS, apart from the demo's own sequence
        self._high = self._random.getrandbits(59)

    def take(self, count: int) -> list[str]:
        out: list[str] = []
        add, bits, high = out.append, self._random.getrandbits, self._high
        for _ in range(count):
            high += 1 + bits(20)
            text = "%015x%016x" % (high, bits(62) | _VARIANT)  # noqa: UP031 - fastest here
            add(f"{text[:8]}-{text[8:12]}-4{text[12:15]}-{text[15:19]}-{text[19:]}")
        self._high = high
        return out


#: The variant bits (binary 10) of a random UUID, above its 62 low bits.
_VARIANT = 1 << 63


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


def _record_title(duty: DutySpec, kind: str, day: date, rng: random.Random,
                  below: Callable[[int], int], unit: str) -> str:
    if kind == "学法":
        return f"{duty.title}：学习{LAWS[below(len(LAWS))]}"
    if kind == "培训":
        return f"{day.year}年度{unit}领导干部法治专题培训班"
    if kind == "听取汇报":
        return f"{duty.title}（{day.month}月）"
    if kind == "述职":
        return f"{day.year}年度述法述职"
    if kind == "报告":
        return f"{day.year}年度{duty.title}"
    return f"{duty.title}（{day.year}年第{1 + below(6)}次）"


def _partners(people: list[_Person]) -> dict[int, tuple[int, tuple[Term, ...]]]:
    """For each head, the other head of the same unit (any of them; the term check decides)."""
    by_unit: dict[int, list[_Person]] = {}
    for person in people:
        by_unit.setdefault(person.unit_id, []).append(person)
    out: dict[int, tuple[int, tuple[Term, ...]]] = {}
    for heads in by_unit.values():
        for head in heads:
            others = [(o.id, o.terms) for o in heads if o.role is not head.role]
            if others:
                out[head.id] = others[-1]
    return out


def _year_slots(cache: dict[tuple, tuple[list[tuple], int]], person: _Person,
                duties: list[DutySpec], year: int, today: date, budget: int,
                ) -> tuple[list[tuple], int]:
    """(duty, first day, last day as ordinals, may take extra records) for each period a
    record of the leader may fall in, and his share of the year's budget. The same for every
    leader of a role whose terms cover the year alike, so it is worked out once for them."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    spans = tuple((max(t.start, first), min(t.end or last, last)) for t in person.terms
                  if t.start <= last and (t.end is None or t.end >= first))
    key = (person.role, year, spans)
    found = cache.get(key)
    if found is not None:
        return found
    applicable = [d for d in duties if duty_applies_to(d.role, person.role)]
    slots = []
    for duty in applicable:
        extra = guess_record_kind(duty.title) not in ("述职", "报告")  # one debrief, one report a year
        for period in duty_periods(duty, year):
            for start, end in spans:
                lo, hi = max(period.start, start), min(period.end, end, today)
                if lo <= hi:
                    slots.append((duty, lo.toordinal(), hi.toordinal(), extra))
    length = sum(p.end.toordinal() - p.start.toordinal() + 1
                 for d in applicable for p in duty_periods(d, year))
    covered = sum(hi - lo + 1 for _, lo, hi, _ in slots) / max(1, length)
    found = cache[key] = (slots, max(0, round(budget * min(1.0, covered))) if slots else 0)
    return found


def _plan_year(rng: random.Random, below: Callable[[int], int], slots: list[tuple],
               budget: int) -> list[tuple[DutySpec, int]]:
    """(duty, day ordinal) pairs for one leader and year: first what the periods require (one
    period in ten is left short on purpose), then extra records up to the budget."""
    plan: list[tuple[DutySpec, int]] = []
    kept: list[tuple[DutySpec, int, int]] = []  # slots that may take extra records
    for duty, lo, hi, extra in slots:
        need = duty.min_count
        if rng.random() < 0.1:
            need = below(max(0, need - 1) + 1)  # missed on purpose: no extras either
        elif extra:
            kept.append((duty, lo, hi))
        for _ in range(need):
            if len(plan) >= budget:
                break
            plan.append((duty, lo + below(hi - lo + 1)))
    while kept and len(plan) < budget:
        duty, lo, hi = kept[below(len(kept))]
        plan.append((duty, lo + below(hi - lo + 1)))
    return plan


@contextmanager
def _foreign_keys_unchecked(db: Any) -> Iterator[None]:
    """Foreign keys not checked row by row during the load (SQLite takes the setting only
    outside a transaction; inside one this changes nothing): every id the load writes is one
    it inserted or read in the same transaction, so the two lookups of each link row (a
    sixth of a city's writing time) cannot fail. The setting is back when the load ends."""
    conn = db.conn
    was_on = not conn.in_transaction and conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    if was_on:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if was_on:
            conn.execute("PRAGMA foreign_keys = ON")


@contextmanager
def _bulk_load(db: Any) -> Iterator[None]:
    """Inside the load's transaction: drop the triggers (the audit log's; the search index has
    its own deferral) and the secondary indexes of the record tables, and rebuild them once
    the rows are in. A failure rolls everything back, the schema included."""
    marks = ",".join("?" * len(BULK_TABLES))
    saved = db.execute(
        f"SELECT type, name, sql, tbl_name FROM sqlite_master WHERE tbl_name IN ({marks}) "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name NOT LIKE 'fts\\_%' ESCAPE '\\'",
        list(BULK_TABLES)).fetchall()
    unwritten = _unwritten_record_columns(db)
    saved = [(kind, name, sql) for kind, name, sql, table in saved
             if not (kind == "index" and table == "records" and _only_rows_with(sql) in unwritten)]
    with db.set_aside(saved):
        yield


#: The column of a partial index ``… WHERE column IS NOT NULL``.
_NOT_NULL_ONLY = re.compile(r"\bWHERE\s+\"?(\w+)\"?\s+IS\s+NOT\s+NULL\s*$", re.IGNORECASE)


def _only_rows_with(index_sql: str) -> str | None:
    """The column whose non-NULL rows are all a partial index holds (None for another index)."""
    found = _NOT_NULL_ONLY.search(index_sql)
    return found.group(1).lower() if found else None


def _unwritten_record_columns(db: Any) -> set[str]:
    """The columns of ``records`` the load leaves NULL (or at their default): a partial index of
    the rows where one is set gets no row from the load and stays in place, where building it
    again would read the whole table (two such indexes: 0.3 s at a million records)."""
    head = _RECORDS_HEAD[_RECORDS_HEAD.index("(") + 1:_RECORDS_HEAD.index(")")]
    written = {column.strip() for column in head.split(",")}
    return {row[1].lower() for row in db.execute("SELECT * FROM pragma_table_info('records')")
            if row[1] not in written}

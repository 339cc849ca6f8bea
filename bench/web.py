"""Web benchmark: server time of the inbox, the supervisor board, search by ID number and the case page
over a database of generated cases in mixed states (a province: 1,000,000), on SQLite and PostgreSQL.

Usage: python bench/web.py [--cases 20000] [--districts N] [--requests 200] [--db both|sqlite|pg]
                           [--pg auto|none|postgresql+psycopg://...]

A province's cases are spread over its districts: `--districts` copies of the demo district's address tree
(one per 50,000 cases unless given); the demo users work in the first, as officers of one district do.
Rows are written in bulk: COPY on PostgreSQL, multi-row inserts on SQLite.

The cases come from a generator, not from replaying every step: a few template cases are run through the
real engine to each state (every step of the six-step case, each early exit, matters at every level of the
five contracts), then each template is cloned many times with fresh task ids, its own address, person ID
numbers and times. Every clone is a complete, loadable case: its workflow state, task mirror, audit trail
and persons are all there. Times are measured in-process around each request (Flask test client), i.e.
server time without the network; beside it the CPU time per request of the web process and, for a
PostgreSQL server on this machine, of the database (both steadier than the wall clock on a shared machine).
The last line is for scripts:
`web: inbox_p95_ms=<n> board_p95_ms=<n> search_p95_ms=<n> case_p95_ms=<n>` (SQLite), then the same
figures prefixed `pg_` for PostgreSQL.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from stdnum.cn import ric  # noqa: E402

import bulk  # noqa: E402  (bench/bulk.py, beside this file)
from workflows import runtime  # noqa: E402
from workflows.audit.models import AuditEvent
from workflows.cases.models import CasePerson
from workflows.clock import MovableClock  # noqa: E402
from workflows.engine import state_codec
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org.models import FIVE_CONTRACT_LEVEL_KIND, Area, FiveContractAssignment, User

ROOM = "吴家山街第一社区花园小区1栋1单元101室"
START = datetime(2026, 11, 1, 1, 0, tzinfo=timezone.utc)
PREFIXES = ["420106", "420112", "360426", "430102", "110105", "410102", "510104", "440103"]
UUID_RE = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

SWEEP = ("sweep", "wjs_grid", {"suspicious": True, "house_type": "rental", "swept_on": "2026-11-01",
                               "sweep_note": "多名外地人员合租"})
ENTRY = ("entry", "wjs_police1", {"door_opened": True, "entered_at": "2026-11-01T10:00",
                                  "officers": [{"name": "王建国", "badge": "420001"}, {"name": "李卫东", "badge": "420002"}],
                                  "persons": "PERSONS", "entry_note": "现场 3 人"})
CHECK = ("initial_check", "wjs_market1", {"mlm_found": True, "check_findings": "收取入门费，聚集授课"})
EVIDENCE = ("evidence", "wjs_market1", {"evidence_summary": "笔记、资料", "evidence_files": []})
COMPARE = ("comparison", "wjs_market1", {"has_participants": True, "has_core": True, "has_crime": False,
                                         "house_is_rental": True, "landlord_official": False,
                                         "house_prior_catches": 0, "persons": "CLASSIFIED"})
HANDLE = [("handle_participants", "wjs_market1", {"result": "教育遣返"}),
          ("penalty_core", "wjs_market1", {"result": "行政处罚"}),
          ("rectify_house", "wjs_housing", {"result": "责令改正并三停一换"})]
CLOSE = ("close_case", "wjs_market1", {"summary": "各项处置均已完成"})

# (name, steps, weight, open): the mix of states the clones follow.
SIX_STEP = [
    ("at_sweep", [], 3, True),
    ("at_entry", [SWEEP], 3, True),
    ("at_watch", [SWEEP, ("entry", "wjs_police1", {"door_opened": False, "officers": [], "persons": []})], 1, True),
    ("at_check", [SWEEP, ENTRY], 3, True),
    ("at_evidence", [SWEEP, ENTRY, CHECK], 2, True),
    ("at_comparison", [SWEEP, ENTRY, CHECK, EVIDENCE], 1, True),
    ("at_handling", [SWEEP, ENTRY, CHECK, EVIDENCE, COMPARE], 3, True),
    ("at_close", [SWEEP, ENTRY, CHECK, EVIDENCE, COMPARE] + HANDLE, 1, True),
    ("closed", [SWEEP, ENTRY, CHECK, EVIDENCE, COMPARE] + HANDLE + [CLOSE], 45, False),
    ("no_mlm_sweep", [("sweep", "wjs_grid", {"suspicious": False, "house_type": "resident"})], 20, False),
    ("no_mlm_check", [SWEEP, ENTRY, ("initial_check", "wjs_market1", {"mlm_found": False})], 8, False),
]
# Matters: (name, level it has climbed to (0 = resolved), weight). About a fifth of all work is open.
MATTERS = [("matter_l1", 1, 3), ("matter_l2", 2, 1), ("matter_l3", 3, 0.5), ("matter_l4", 4, 0.3),
           ("matter_l5", 5, 0.2), ("matter_resolved", 0, 5)]


def make_id(n: int) -> str:
    """A unique, valid resident ID number for generated person n."""
    prefix = PREFIXES[n % len(PREFIXES)]
    born = datetime(1960, 1, 1) + timedelta(days=(n // len(PREFIXES)) % 16000)
    body = f"{prefix}{born:%Y%m%d}{(n // (len(PREFIXES) * 16000)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


# ------------------------------------------------------------------ templates through the real engine
def build_templates(services, clock) -> list[dict]:
    """One real case per state, run through the service layer; returns what cloning needs of each."""
    wf = services.workflow
    with services.db.read() as s:
        users = dict(s.execute(sa.select(User.username, User.id)).all())
        room = s.scalar(sa.select(Area.id).where(Area.full_name == ROOM))
    persons = [{"name": f"人员{i}", "id_number": make_id(10_000_000 + i), "phone": "13912345678",
                "bank_card": "", "classification": ""} for i in range(3)]
    templates = []
    for name, steps, weight, is_open in SIX_STEP:
        started = clock.now()
        result = wf.start("six_step_case", {"source": "网格摸排发现"}, users["wjs_grid"], room, "疑似传销窝点")
        for task_name, user, data in steps:
            data = dict(data)
            if data.get("persons") == "PERSONS":
                data["persons"] = persons
            elif data.get("persons") == "CLASSIFIED":
                data["persons"] = [dict(p, classification=c) for p, c in zip(persons, ("participant", "core", "participant"))]
            wf.complete(_ready(services, result.instance_id, task_name), data, users[user])
        templates.append(_capture(services, result.instance_id, name, weight, is_open, started, "six_step_case"))
    for name, level, weight in MATTERS:
        started = clock.now()
        result = wf.start("five_contracts", {"subject": "三停一换失效"}, users["wjs_leader"], room, "三停一换失效")
        if level == 0:
            wf.complete(_ready(services, result.instance_id, "handle_matter"),
                        {"resolved": True, "result": "已整改"}, users["louzhang"])
        for _ in range(max(level - 1, 0)):  # climb by letting each level's deadline pass
            clock.advance(days=8)
            wf.fire_due_timers()
        templates.append(_capture(services, result.instance_id, name, weight, level != 0, started, "five_contracts"))
    return templates


def _ready(services, instance_id: int, task_name: str) -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.task_name == task_name, HumanTask.state == "ready"))


def _row(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}


def _capture(services, instance_id, name, weight, is_open, started, process_id) -> dict:
    with services.db.read() as s:
        inst = s.get(ProcessInstance, instance_id)
        tasks = [_row(t) for t in s.scalars(sa.select(HumanTask).where(HumanTask.instance_id == instance_id))]
        events = [_row(e) for e in s.scalars(sa.select(AuditEvent).where(AuditEvent.instance_id == instance_id)
                                             .order_by(AuditEvent.id))]
        persons = [_row(p) for p in s.scalars(sa.select(CasePerson).where(CasePerson.instance_id == instance_id))]
        row = _row(inst)
    # The workflow state with its task ids cut out, so each clone gets its own ids cheaply.
    text = state_codec.unpack(row["state"])
    parts, ids, last = [], [], 0
    for m in UUID_RE.finditer(text):
        parts.append(text[last:m.start()])
        ids.append(m.group(0).decode())
        last = m.end()
    parts.append(text[last:])
    return {"name": name, "weight": weight, "open": is_open, "process_id": process_id, "row": row,
            "tasks": tasks, "events": events, "persons": persons, "parts": parts, "ids": ids,
            "started": started.astimezone(timezone.utc).replace(tzinfo=None)}


# ------------------------------------------------------------------ cloning
class Geography:
    """Rooms to place clones in, and who answers for each area at each level (for matters)."""

    def __init__(self, session):
        self.areas = {a.id: a for a in session.scalars(sa.select(Area))}
        self.rooms = [a for a in self.areas.values() if a.kind == "room"]
        self.holders = {(r.area_id, r.level): r.user_id for r in session.scalars(sa.select(FiveContractAssignment))}

    def at_level(self, room: Area, level: int) -> tuple[Area, int | None]:
        chain = [self.areas[int(i)] for i in room.path.strip("/").split("/")]
        by_kind = {a.kind: a for a in chain}
        for lvl in range(level, 6):
            area = by_kind.get(FIVE_CONTRACT_LEVEL_KIND[lvl])
            if area is not None:
                return area, self.holders.get((area.id, lvl))
        return room, None


_RUN = uuid.uuid4().hex
_serial = iter(range(1, 1 << 48))


def fresh_id() -> str:
    """A unique task id in UUID form: this run's random prefix and a serial (uuid4 per row costs more
    than the rest of a clone)."""
    return f"{_RUN[:8]}-{_RUN[8:12]}-{_RUN[12:16]}-{_RUN[16:20]}-{next(_serial):012x}"


def _pick(rng, templates, weights, geo, now):
    """A template, a room and a creation time for the next clone."""
    t = rng.choices(templates, weights)[0]
    room = rng.choice(geo.rooms)
    # Open work is recent (days, so some of it is past its deadline); finished cases spread over a year.
    return t, room, now - timedelta(hours=rng.uniform(1, 24 * (10 if t["open"] else 365)))


def copy_clones(services, templates, weights, cases, now, rng, geo, next_id) -> None:
    """The PostgreSQL path: COPY from per-template patterns, indexes rebuilt once at the end."""
    shapes = [bulk.patterns(t, fresh_id, make_id) for t in templates]
    columns = {name: next((sh[name].columns for sh in shapes if sh[name].columns), []) for name in bulk.TABLES}
    shape_of = {id(t): shape for t, shape in zip(templates, shapes)}
    raw = services.db.engine.raw_connection()
    try:
        with services.db.engine.connect() as conn, bulk.indexes_set_aside(conn):
            person_no, lines = 0, {name: [] for name in bulk.TABLES}
            for n in range(cases):
                t, room, created = _pick(rng, templates, weights, geo, now)
                clone = bulk.Clone(t, next_id + n, room, geo, created, person_no, fresh_id)
                person_no += len(t["persons"])
                for name, pattern in shape_of[id(t)].items():
                    pattern.render(clone, lines[name])
                if (n + 1) % 5000 == 0 or n == cases - 1:
                    bulk.copy_batch(raw.driver_connection, {k: (columns[k], v) for k, v in lines.items()})
                    lines = {name: [] for name in bulk.TABLES}
    finally:
        raw.close()


def clone_rows(t: dict, new_id: int, room: Area, geo: Geography, created: datetime, person_no: int) -> tuple:
    shift = created - t["started"]
    mapping = {old: fresh_id() for old in dict.fromkeys(t["ids"])}
    pieces = [t["parts"][0]]
    for old, part in zip(t["ids"], t["parts"][1:]):
        pieces.append(mapping[old].encode())
        pieces.append(part)
    state = state_codec.pack(b"".join(pieces))

    def moved(value):
        return value + shift if isinstance(value, datetime) else value

    inst = {k: moved(v) for k, v in t["row"].items()}
    prefix = "AJ" if t["process_id"] == "six_step_case" else "WB"
    inst.update(id=new_id, reference=f"{prefix}{created.year}{new_id:07d}", area_id=room.id, area_path=room.path,
                state=state, version=1, parent_instance_id=None, created_by_id=t["row"]["created_by_id"],
                title=f"{room.full_name[-12:]}{t['row']['title']}")
    tasks = []
    for row in t["tasks"]:
        task = {k: moved(v) for k, v in row.items()}
        task.update(id=mapping.get(row["id"]) or fresh_id(), instance_id=new_id, overdue_matter_id=None)
        if t["process_id"] == "five_contracts" and row["level"]:
            area, holder = geo.at_level(room, row["level"])
            task.update(area_id=area.id, area_path=area.path, assignee_id=holder if row["state"] == "ready"
                        else row["assignee_id"])
        else:
            task.update(area_id=room.id, area_path=room.path)
        tasks.append(task)
    events = []
    for row in t["events"]:
        ev = {k: moved(v) for k, v in row.items() if k != "id"}
        ev.update(instance_id=new_id, task_id=mapping.get(row["task_id"], row["task_id"]))
        events.append(ev)
    persons = []
    for i, row in enumerate(t["persons"]):
        person = {k: v for k, v in row.items() if k != "id"}
        person.update(instance_id=new_id, id_number=make_id(person_no + i), name=f"{'张王李赵刘陈杨黄'[(person_no + i) % 8]}某{person_no + i}")
        persons.append(person)
    return inst, tasks, events, persons


def insert_rows(services, tables, batch) -> None:
    """One batch of clones as multi-row inserts (SQLite)."""
    with services.db.unit_of_work() as s:
        for table, items in zip(tables, batch):
            if items:
                s.execute(table.insert(), items)


def generate(services, templates: list[dict], cases: int, now: datetime, seed: int = 7) -> float:
    """Insert `cases` clones in batches; returns the seconds it took."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    with services.db.read() as s:
        geo = Geography(s)
        next_id = (s.scalar(sa.select(sa.func.max(ProcessInstance.id))) or 0) + 1
    weights = [t["weight"] for t in templates]
    tables = (ProcessInstance.__table__, HumanTask.__table__, AuditEvent.__table__, CasePerson.__table__)
    if services.db.is_postgres:
        copy_clones(services, templates, weights, cases, now, rng, geo, next_id)
    else:
        person_no, batch = 0, ([], [], [], [])
        for n in range(cases):
            t, room, created = _pick(rng, templates, weights, geo, now)
            rows = clone_rows(t, next_id + n, room, geo, created, person_no)
            person_no += len(t["persons"])
            batch[0].append(rows[0])
            for bucket, items in zip(batch[1:], rows[1:]):
                bucket.extend(items)
            if len(batch[0]) >= 2000 or n == cases - 1:
                insert_rows(services, tables, batch)
                batch = ([], [], [], [])
    with services.db.engine.begin() as conn:
        if services.db.is_postgres:
            conn.exec_driver_sql("SELECT setval('process_instance_id_seq', (SELECT max(id) FROM process_instance))")
            conn.exec_driver_sql("SELECT setval('audit_event_id_seq', (SELECT max(id) FROM audit_event))")
            conn.exec_driver_sql("SELECT setval('case_person_id_seq', (SELECT max(id) FROM case_person))")
        else:
            conn.exec_driver_sql("ANALYZE")  # what PRAGMA optimize does in production
    if services.db.is_postgres:
        # What autovacuum does in production; done now so it does not run during the measurement.
        with services.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return time.perf_counter() - t0


# ------------------------------------------------------------------ measuring
def timed(client, url: str, expect: str, cpu: list | None = None) -> float:
    """Server time of one request in ms; its CPU time in this process is appended to `cpu`."""
    t, c = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - t) * 1000
    if cpu is not None:
        cpu.append((time.process_time() - c) * 1000)
    body = response.get_data(as_text=True)
    if response.status_code != 200 or expect not in body:
        raise SystemExit(f"{url}: status {response.status_code}, expected {expect!r} on the page")
    return elapsed


class ServerCpu:
    """CPU time of a PostgreSQL server running on this machine (the postmaster and every process it
    started), from /proc: what the pages cost the database, whatever the neighbours' load does to the wall
    clock. None where the server is elsewhere or /proc is not readable."""

    def __init__(self, services):
        self.pid = None
        try:
            with services.db.engine.connect() as conn:
                data = conn.exec_driver_sql("SHOW data_directory").scalar()
            self.pid = int(Path(data, "postmaster.pid").read_text().split()[0])
            self.seconds()
        except Exception:  # not a superuser, another machine, no /proc: the figure is left out
            self.pid = None

    def seconds(self) -> float | None:
        if self.pid is None:
            return None
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended meanwhile
                continue
            if int(fields[1]) == self.pid or stat.parent.name == str(self.pid):  # fields[1]: the parent
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def summary(samples: list[float], cpu: list[float] = (), server_ms: float | None = None) -> tuple:
    """(median, p95) of the server times, then the median of this process's CPU per request and the
    database server's CPU per request (None when it cannot be read)."""
    ordered = sorted(samples)
    return (statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)],
            statistics.median(cpu) if cpu else None, server_ms)


def measure(services, now: datetime, requests: int, seed: int = 11) -> dict:
    from webapp import create_app

    services.workflow.clock = MovableClock(now)
    app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                      "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="dachuan-bench-")})
    rng = random.Random(seed)

    def login(username):
        c = app.test_client()
        assert c.post("/login", data={"username": username, "password": "dachuan2026"}).status_code == 302
        return c

    officer, leader, district = login("wjs_market1"), login("wjs_leader"), login("dubanban")
    with services.db.read() as s:
        street = s.scalar(sa.select(Area.path).where(Area.full_name == "吴家山街"))
        cases = s.scalars(sa.select(ProcessInstance.id).where(ProcessInstance.area_path.startswith(street))
                          .order_by(sa.func.random()).limit(requests)).all()
        numbers = s.scalars(sa.select(CasePerson.id_number).join(ProcessInstance, ProcessInstance.id == CasePerson.instance_id)
                            .where(ProcessInstance.area_path.startswith(street))
                            .order_by(sa.func.random()).limit(requests)).all()
    inbox_urls = ["/", "/?page=2", "/?page=5", "/?overdue=1", "/?process=six_step_case&step=initial_check"]
    plans = {
        "inbox": (officer, lambda i: rng.choice(inbox_urls), "我的待办"),
        "board": (leader, lambda i: "/board", "督办看板"),
        "board_district": (district, lambda i: "/board", "督办看板"),
        "search": (officer, lambda i: f"/cases?q={numbers[i % len(numbers)]}", "案件编号"),
        "case": (officer, lambda i: f"/cases/{cases[i % len(cases)]}", "时间线"),
        # Also timed, not in the last line: the case list itself and a search by part of an address.
        "case_list": (district, lambda i: f"/cases?page={1 + i % 5}", "案件编号"),
        "search_address": (officer, lambda i: "/cases?q=花园小区", "案件编号"),
    }
    server = ServerCpu(services) if services.db.is_postgres else None
    out = {}
    for name, (client, url, expect) in plans.items():
        for i in range(10):  # warm-up: caches, parsed specs, connections
            timed(client, url(i), expect)
        cpu: list[float] = []
        before = server.seconds() if server else None
        samples = [timed(client, url(i), expect, cpu) for i in range(requests)]
        after = server.seconds() if server else None
        out[name] = summary(samples, cpu, None if before is None else (after - before) * 1000 / requests)
    return out


def run(url: str, label: str, cases: int, requests: int, districts: int, measure_only: bool = False) -> dict:
    clock = MovableClock(START)
    services = runtime.build(url, clock=clock)
    runtime.prepare(services, with_demo=True)
    now = (START + timedelta(days=60)).astimezone(timezone.utc).replace(tzinfo=None)
    with services.db.read() as s:
        held = s.scalar(sa.select(sa.func.count()).select_from(ProcessInstance))
    if measure_only:  # the cases of an earlier run, e.g. to measure a query change on the same million
        print(f"{label}: measuring over the {held} cases already there", flush=True)
        return _report(services, measure(services, now, requests))
    if held:
        raise SystemExit(f"{label}: the database already holds cases; give an empty one")
    t = time.perf_counter()
    templates = build_templates(services, clock)
    added = bulk.add_districts(services, districts - 1)
    cpu = time.process_time()
    generated = generate(services, templates, cases, now)
    # On a shared machine the wall time says more about the neighbours; this process's CPU time does not.
    print(f"{label}: {cases} cases in {districts} district(s) ({added} areas added) generated in {generated:.1f} s, "
          f"{time.process_time() - cpu:.1f} s of it this process's CPU "
          f"({len(templates)} templates through the engine in {time.perf_counter() - t - generated:.1f} s)", flush=True)
    return _report(services, measure(services, now, requests))


def _report(services, results: dict) -> dict:
    for name, (median, p95, cpu, server) in results.items():
        print(f"  {name:<15} median {median:6.1f} ms   p95 {p95:6.1f} ms   CPU per request: web {cpu:5.1f} ms"
              + (f", database {server:5.1f} ms" if server is not None else ""))
    services.db.dispose()
    return results


@contextlib.contextmanager
def postgres(option: str):
    if option == "none":
        yield None
    elif option == "auto":
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            from pg_server import find_pg_bin, running_postgres
            find_pg_bin()
        except Exception as exc:  # no server binaries here: SQLite only
            print(f"PostgreSQL skipped: {exc}")
            yield None
            return
        with running_postgres() as url:
            yield url
    else:
        yield option


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="generated cases (a province: 1000000)")
    parser.add_argument("--districts", type=int, default=0,
                        help="districts the cases are spread over (0: one per 50,000 cases, at least one)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--db", choices=("both", "sqlite", "pg"), default="both")
    parser.add_argument("--pg", default="auto", help="auto (a throw-away server), none, or a URL to an empty database")
    parser.add_argument("--measure-only", action="store_true",
                        help="with --pg URL: measure over the cases an earlier run left there")
    args = parser.parse_args(argv)
    districts = args.districts or max(1, round(args.cases / 50_000))
    figures = []
    if args.db in ("both", "sqlite"):
        with tempfile.TemporaryDirectory(prefix="dachuan-bench-") as tmp:
            sqlite = run(f"sqlite:///{tmp}/bench.sqlite", "SQLite", args.cases, args.requests, districts)
        figures += [f"{k}_p95_ms={sqlite[k][1]:.1f}" for k in ("inbox", "board", "search", "case")]
    if args.db in ("both", "pg"):
        with postgres(args.pg) as pg_url:
            if pg_url:
                pg = run(pg_url, "PostgreSQL", args.cases, args.requests, districts, args.measure_only)
                figures += [f"pg_{k}_p95_ms={pg[k][1]:.1f}" for k in ("inbox", "board", "search", "case")]
    print("web: " + " ".join(figures))


if __name__ == "__main__":
    main()

"""Assessment benchmark: the Annex 3 assessment over a district's records at scale, on SQLite and PostgreSQL.

Usage: python bench/assessment.py [--scale 1.0] [--db both|sqlite|pg] [--pg auto|none|URL] [--requests 100]

A district (12 streets) with, at --scale 1: 100,000 six-step cases, 100,000 rental houses, over 300,000 persons
caught, 12,000 complaints, 600 sweeps, 600 intermediaries, and the penalty procedures, patrols and blacklist
entries those cases bring, over 2025 and 2026. The records are generated through the engine: a representative
set of stories (a case caught in a rental house with its penalties, patrol rounds and blacklist; a case in a
residence; cases without MLM; open cases at each step; houses registered with and without 两书一备案; complaints
closed, transferred and open; a sweep; an intermediary) runs through WorkflowService and the ledger, sweep and
complaint services; every row each story wrote is then cloned to scale with fresh ids, its own address, people,
references and times (bench/district.py, bench/cloning.py), written by COPY on PostgreSQL and executemany on
SQLite.

Then it times: assessing one street for 2026, all twelve streets for 2026 through the worker job's code path,
and the statistics page's server time (median, p95; Flask test client). Last line:
`assessment: one_street_s=<n> all_streets_s=<n> stats_p95_ms=<n>` (SQLite when run, else PostgreSQL), after a
line with the same figures prefixed `pg_` for PostgreSQL.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import measure  # noqa: E402  (bench/measure.py)
from cloning import Cloner, Writer  # noqa: E402
from district import Tree, grow_streets  # noqa: E402
from stories import CASE_MIX, COMPLAINT_MIX, HOUSE_MIX, Stories  # noqa: E402
from workflows import runtime  # noqa: E402
from workflows.clock import MovableClock  # noqa: E402
from workflows.org.models import Area  # noqa: E402

# At --scale 1.
FULL = {"cases": 100_000, "houses": 100_000, "complaints": 12_000, "sweeps": 600, "intermediaries": 600}
ROOMS_PER_STREET = 9_216  # 32 compounds of 288 rooms: room for every house to have its own address
STORIES_AT = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)
PERIOD_START, PERIOD_END = datetime(2025, 1, 1, 1, 0), datetime(2026, 12, 24, 1, 0)
NOW = datetime(2027, 1, 5, 2, 0, tzinfo=timezone.utc)
OPEN = {"open_entry", "open_check", "open_handling", "complaint_open"}


def targets(scale: float) -> dict[str, int]:
    return {k: max(1, round(v * scale)) for k, v in FULL.items()}


def apportion(total: int, mix: dict[str, float]) -> dict[str, int]:
    """`total` split by the weights of `mix` exactly (largest remainders)."""
    weight = sum(mix.values())
    shares = {k: total * w / weight for k, w in mix.items()}
    out = {k: int(v) for k, v in shares.items()}
    for k in sorted(shares, key=lambda k: shares[k] - out[k], reverse=True)[:total - sum(out.values())]:
        out[k] += 1
    return out


def plan(templates: dict, want: dict[str, int]) -> dict[str, int]:
    """How many clones of each template make the requested totals (the templates' own records count too)."""
    cases = apportion(want["cases"] - len(CASE_MIX), CASE_MIX)
    houses_from_cases = sum(n + 1 for k, n in cases.items() if templates[k].rows.get("rental_house"))
    houses = apportion(max(0, want["houses"] - houses_from_cases - len(HOUSE_MIX)), HOUSE_MIX)
    complaints = apportion(want["complaints"] - len(COMPLAINT_MIX), COMPLAINT_MIX)
    return {**cases, **houses, **complaints, "sweep": want["sweeps"] - 1, "intermediary": want["intermediaries"] - 1}


def when(rng: random.Random, name: str) -> datetime:
    """A clone's date: open work in the last weeks; complaints falling from 2025 to 2026; the rest over two years."""
    if name in OPEN:
        return PERIOD_END - timedelta(hours=rng.uniform(1, 24 * 30))
    if name.startswith("complaint") and rng.random() < 0.6:
        return PERIOD_START + timedelta(hours=rng.uniform(0, 24 * 364))
    return PERIOD_START + timedelta(hours=rng.uniform(0, (PERIOD_END - PERIOD_START).total_seconds() / 3600))


def generate(services, clock, scale: float, seed: int = 17) -> dict:
    """The district at `scale`; returns the seconds it took and what was written."""
    t0 = time.perf_counter()
    rooms = grow_streets(services, max(288, round(ROOMS_PER_STREET * scale)))
    templates = Stories(services, clock).run_all()
    engine_s = time.perf_counter() - t0
    rng = random.Random(seed)
    with services.db.read() as s:
        tree = Tree(s)
        cloner = Cloner(s, tree, for_copy=services.db.is_postgres)
    used = {t.anchor for t in templates.values()}
    free_rooms = [a for a in tree.of_kind("room") if a not in used]
    rng.shuffle(free_rooms)
    all_rooms = tree.of_kind("room")
    compounds = tree.of_kind("compound")
    counts = plan(templates, targets(scale))
    order = [name for name, n in counts.items() for _ in range(n)]
    rng.shuffle(order)
    columns = {}
    for t in templates.values():
        columns.update(t.columns)
    writer = Writer(services, columns)
    for name in order:
        t = templates[name]
        kind = services_area_kind(tree, t.anchor)
        if kind == "compound":
            anchor = rng.choice(compounds)
        elif t.rows.get("rental_house"):
            anchor = free_rooms.pop()
        else:
            anchor = rng.choice(all_rooms)
        writer.add(cloner.clone(t, anchor, when(rng, name)))
    writer.close(cloner)
    return {"seconds": time.perf_counter() - t0, "engine_s": engine_s, "rooms": rooms, "clones": len(order),
            "written": writer.written}


def services_area_kind(tree: Tree, area_id: int) -> str:
    return tree.areas[area_id].kind


def counts(services) -> dict[str, int]:
    """What the district holds, as the assessment will read it."""
    from workflows.cases.models import CasePerson
    from workflows.complaints.models import Complaint
    from workflows.engine.models import ProcessInstance
    from workflows.ledgers.models import BlacklistEntry, Intermediary, RentalHouse
    from workflows.penalties.models import PenaltyCase
    from workflows.sweeps.models import Sweep

    def n(model, *where):
        return s.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    with services.db.read() as s:
        return {"streets": n(Area, Area.kind == "street"), "cases": n(ProcessInstance, ProcessInstance.process_id == "six_step_case"),
                "houses": n(RentalHouse), "persons": n(CasePerson), "complaints": n(Complaint),
                "sweeps": n(Sweep), "intermediaries": n(Intermediary), "penalties": n(PenaltyCase),
                "blacklist": n(BlacklistEntry), "patrols": n(ProcessInstance, ProcessInstance.process_id == "rental_patrol")}


def check(services, sample: int = 30, seed: int = 5) -> str:
    """The generated rows hold together: no foreign key points nowhere (PostgreSQL enforces them during COPY;
    SQLite is asked), no two instances share a reference, and sampled clones' workflows restore and show."""
    from workflows.engine.models import ProcessInstance
    with services.db.read() as s:
        if not services.db.is_postgres:
            broken = s.execute(sa.text("PRAGMA foreign_key_check")).all()
            if broken:
                raise SystemExit(f"foreign keys pointing nowhere: {broken[:5]}")
        twice = s.execute(sa.select(ProcessInstance.reference).group_by(ProcessInstance.reference)
                          .having(sa.func.count() > 1).limit(5)).scalars().all()
        if twice:
            raise SystemExit(f"references given twice: {twice}")
        ids = s.scalars(sa.select(ProcessInstance.id).order_by(ProcessInstance.id)).all()
    picked = random.Random(seed).sample(ids, min(sample, len(ids)))
    for instance_id in picked:
        services.workflow.instance_view(instance_id)
    return f"foreign keys and references consistent, {len(picked)} sampled workflows restored"


def run(url: str, label: str, scale: float, requests: int, measure_only: bool = False,
        parts=("one", "all", "stats")) -> dict:
    clock = MovableClock(STORIES_AT)
    services = runtime.build(url, clock=clock)
    runtime.prepare(services, with_demo=True)
    if not measure_only:
        cpu = time.process_time()
        made = generate(services, clock, scale)
        print(f"{label}: {made['clones']} clones of {len(CASE_MIX) + len(HOUSE_MIX) + len(COMPLAINT_MIX) + 2} "
              f"stories (run through the engine in {made['engine_s']:.1f} s; {made['rooms']} rooms added) written "
              f"in {made['seconds']:.1f} s, {time.process_time() - cpu:.1f} s of it this process's CPU", flush=True)
    held = counts(services)
    print(f"{label}: " + ", ".join(f"{k} {v}" for k, v in held.items()), flush=True)
    if not measure_only:
        print(f"{label}: {check(services)}", flush=True)
    clock.advance(seconds=(NOW - clock.now()).total_seconds())  # early January: the year is assessed
    figures = measure.measure(services, clock, date(2026, 1, 1), date(2026, 12, 31), requests, parts)
    services.db.dispose()
    return {"counts": held, **figures}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of the district (0.01 for a quick run)")
    parser.add_argument("--db", choices=("both", "sqlite", "pg"), default="both")
    parser.add_argument("--pg", default="auto", help="auto (a throw-away server), none, or a URL to an empty database")
    parser.add_argument("--requests", type=int, default=100, help="timed requests of the statistics page")
    parser.add_argument("--sqlite", default="", help="the SQLite file to write (kept), instead of a temporary one")
    parser.add_argument("--parts", default="one,all,stats",
                        help="what to time: one (street), all (streets, the worker job), stats (the page)")
    parser.add_argument("--measure-only", action="store_true",
                        help="with --sqlite PATH or --pg URL: measure over the district an earlier run left there")
    args = parser.parse_args(argv)
    from web import postgres  # bench/web.py's throw-away PostgreSQL server
    results = {}
    if args.db in ("both", "sqlite"):
        with tempfile.TemporaryDirectory(prefix="dachuan-bench-") as tmp:
            path = args.sqlite or f"{tmp}/bench.sqlite"
            results["sqlite"] = run(f"sqlite:///{path}", "SQLite", args.scale, args.requests, args.measure_only,
                                   args.parts.split(","))
    if args.db in ("both", "pg"):
        with postgres(args.pg) as pg_url:
            if pg_url:
                results["pg"] = run(pg_url, "PostgreSQL", args.scale, args.requests, args.measure_only,
                                   args.parts.split(","))
    if "pg" in results:
        print("assessment_pg: " + measure.line(results["pg"], "pg_"))
    last = results.get("sqlite") or results.get("pg")
    print("assessment: " + measure.line(last))


if __name__ == "__main__":
    main()

"""Timing the assessment and the statistics page over a generated district (see bench/assessment.py)."""
from __future__ import annotations

import statistics
import tempfile
import time

import sqlalchemy as sa

from workflows.org.models import Area

STREET = "吴家山街"


def one_street(services, street: Area, start, end, now, seed: int) -> float:
    """Seconds to assess one street for the period (a new draft version, committed), as the CLI and page do."""
    from workflows.assessment import service
    t = time.perf_counter()
    with services.db.unit_of_work() as s:
        service.run(s, area_id=street.id, start=start, end=end, actor_id=None, now=now, seed=seed)
    return time.perf_counter() - t


def all_streets(services, district: Area, start, end, now) -> tuple[float, str]:
    """Seconds to assess every street for the period through the worker: the job queued as the page queues it
    (workflows.assessment.jobs.assess_all, as the district office), then claimed and run by the JobWorker with
    every handler, as `dachuan worker` runs it."""
    from webapp import jobs
    from workflows.assessment import jobs as assessment_jobs
    from workflows.jobs import queue
    from workflows.jobs.models import DONE
    from workflows.org.models import User
    t = time.perf_counter()
    with services.db.unit_of_work() as s:
        office = s.scalar(sa.select(User.id).where(User.username == "dubanban"))
        job_id = assessment_jobs.assess_all(s, district_area_id=district.id, start=start, end=end, actor_id=office,
                                            now=now, seed=7).id
    jobs.worker(services).run_one(job_id)
    elapsed = time.perf_counter() - t
    job = queue.get(services.db, job_id)
    if job.status != DONE:
        raise SystemExit(f"the assessment job ended {job.status}: {job.error}")
    return elapsed, f"worker job, {len(job.result['streets'])} streets"


def statistics_page(services, start, end, requests: int) -> tuple[float, float]:
    """Server time of the statistics page (Flask test client) for the district office: the district and each
    street in turn, for the period."""
    from web import summary, timed  # bench/web.py
    from webapp import create_app
    app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                      "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="dachuan-bench-")})
    client = app.test_client()
    assert client.post("/login", data={"username": "dubanban", "password": "dachuan2026"}).status_code == 302
    with services.db.read() as s:
        areas = s.scalars(sa.select(Area.id).where(Area.kind.in_(("district", "street"))).order_by(Area.id)).all()
    urls = [f"/statistics?area={a}&from={start}&to={end}" for a in areas]
    for i in range(5):  # warm-up: templates, caches, connections
        timed(client, urls[i % len(urls)], "统计分析")
    median, p95, *_cpu = summary([timed(client, urls[i % len(urls)], "统计分析") for i in range(requests)])
    return median, p95


def slowest_rules(services, street: Area, start, end, show: int = 6) -> list[tuple[str, float, int, int]]:
    """Each computed rule of one street's assessment timed on its own, with its statements and their slowest
    one: (rule id, ms, statements, slowest statement ms), slowest first. Where the seconds go."""
    from workflows.assessment.rules import RULES
    from workflows.assessment.rules.base import Lot, Scope
    from workflows.assessment.settings import AssessmentSettings
    statements: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_t"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - conn.info.pop("bench_t")) * 1000)

    engine = services.db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    out = []
    try:
        with services.db.read() as s:
            area = s.get(Area, street.id)
            scope = Scope(session=s, area=area, start=start, end=end, settings=AssessmentSettings(), lot=Lot(1))
            for rule in RULES:
                if rule.compute is None:
                    continue
                statements.clear()
                t = time.perf_counter()
                rule.compute(scope)
                out.append((rule.id, (time.perf_counter() - t) * 1000, len(statements), max(statements, default=0)))
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    return sorted(out, key=lambda r: -r[1])[:show]


def measure(services, clock, start, end, requests: int, parts=("one", "all", "stats")) -> dict:
    """The figures of `parts` (one street, all streets, the statistics page), each printed as soon as it is known."""
    now = clock.now()
    with services.db.read() as s:
        street = s.scalar(sa.select(Area).where(Area.full_name == STREET))
        district = s.scalar(sa.select(Area).where(Area.kind == "district").order_by(Area.id))
        s.expunge_all()
    out = {"one_street_s": None, "all_streets_s": None, "stats_median_ms": None, "stats_p95_ms": None}
    if "one" in parts:
        one_street(services, street, start, end, now, seed=1)  # warm-up: imports, rule modules, statement caches
        runs = [one_street(services, street, start, end, now, seed=2 + i) for i in range(3)]
        out["one_street_s"] = statistics.median(runs)
        print(f"  one street           {out['one_street_s']:.3f} s (median of {len(runs)})", flush=True)
        for rule_id, ms, count, slowest in slowest_rules(services, street, start, end):
            print(f"  rule {rule_id:<8} {ms:8.1f} ms  {count:5d} statements, slowest {slowest:7.1f} ms", flush=True)
    if "all" in parts:
        out["all_streets_s"], how = all_streets(services, district, start, end, now)
        print(f"  all streets          {out['all_streets_s']:.3f} s ({how})", flush=True)
    if "stats" in parts:
        out["stats_median_ms"], out["stats_p95_ms"] = statistics_page(services, start, end, requests)
        print(f"  statistics page      median {out['stats_median_ms']:.1f} ms, p95 {out['stats_p95_ms']:.1f} ms "
              f"({requests} requests)", flush=True)
    return out


def line(figures: dict, prefix: str = "") -> str:
    """The figures for the last line: seconds and milliseconds, three decimals."""
    def fmt(v):
        return "n/a" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
    return " ".join(f"{prefix}{k}={fmt(figures[k])}" for k in ("one_street_s", "all_streets_s", "stats_p95_ms"))

"""Timing the assessment and the statistics page over a generated district (see bench/assessment.py)."""
from __future__ import annotations

import statistics
import tempfile
import time

import sqlalchemy as sa

from workflows.org.models import Area

STREET = "吴家山街"
ALL_STREETS_JOB = "assessment"


def one_street(services, street: Area, start, end, now, seed: int) -> float:
    """Seconds to assess one street for the period (a new draft version, committed), as the CLI and page do."""
    from workflows.assessment import service
    t = time.perf_counter()
    with services.db.unit_of_work() as s:
        service.run(s, area_id=street.id, start=start, end=end, actor_id=None, now=now, seed=seed)
    return time.perf_counter() - t


def all_streets(services, district: Area, streets: list[Area], start, end, now) -> tuple[float, str]:
    """Seconds to assess every street for the period through the worker's job (queued, then claimed and run by
    the same JobWorker `dachuan worker` uses); without that job kind, street after street as the job would."""
    from webapp import jobs
    from workflows.jobs import queue
    handlers = jobs.handlers()
    t = time.perf_counter()
    if ALL_STREETS_JOB in handlers:
        from workflows.assessment import service
        with services.db.unit_of_work() as s:
            job = service.enqueue_all(s, district_area_id=district.id, start=start, end=end, actor_id=None,
                                      now=now) if hasattr(service, "enqueue_all") else queue.enqueue(
                s, ALL_STREETS_JOB, {"district_area_id": district.id, "start": start.isoformat(),
                                     "end": end.isoformat()}, now=now)
            job_id = getattr(job, "id", job)
        jobs.worker(services).run_one(job_id)
        status = queue.get(services.db, job_id).status
        return time.perf_counter() - t, f"worker job ({status})"
    for i, street in enumerate(streets):
        one_street(services, street, start, end, now, seed=1000 + i)
    return time.perf_counter() - t, "street after street (no worker job kind yet)"


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
    return summary([timed(client, urls[i % len(urls)], "统计分析") for i in range(requests)])


def measure(services, clock, start, end, requests: int) -> dict:
    now = clock.now()
    with services.db.read() as s:
        street = s.scalar(sa.select(Area).where(Area.full_name == STREET))
        streets = s.scalars(sa.select(Area).where(Area.kind == "street").order_by(Area.id)).all()
        district = s.scalar(sa.select(Area).where(Area.kind == "district").order_by(Area.id))
        s.expunge_all()
    one_street(services, street, start, end, now, seed=1)  # warm-up: imports, rule modules, statement caches
    runs = [one_street(services, street, start, end, now, seed=2 + i) for i in range(3)]
    every, how = all_streets(services, district, streets, start, end, now)
    median, p95 = statistics_page(services, start, end, requests)
    return {"one_street_s": statistics.median(runs), "all_streets_s": every, "all_streets_how": how,
            "stats_median_ms": median, "stats_p95_ms": p95}


def line(figures: dict, prefix: str = "") -> str:
    """The figures for the last line: seconds and milliseconds, three decimals."""
    def fmt(v):
        return "n/a" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
    return " ".join(f"{prefix}{k}={fmt(figures[k])}" for k in ("one_street_s", "all_streets_s", "stats_p95_ms"))

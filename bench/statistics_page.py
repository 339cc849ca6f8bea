"""Statistics benchmark: the statistics page's server time over a district at scale, before and after its figures
are stored.

Usage: python bench/statistics_page.py (--sqlite PATH | --pg URL) [--from 2026-01-01] [--to 2026-12-31]
       [--now 2027-01-05T02:00] [--requests 100] [--live 3]

It measures over a district an earlier run left in the database (12 streets, 100,000 six-step cases, over
300,000 persons: bench/assessment.py generates one through the engine and keeps it with --sqlite PATH or on a
PostgreSQL URL). The database is not migrated here (the run that made it did); the stored-figures table is added
if it is missing. Times:
- live: the page's figures counted from the records (what each request did before the figures were stored, and
  what the worker now does per area and period), for the district and for one street, median of --live runs;
- refresh: the worker's job computing and storing the district's and every street's figures for the period;
- page: the statistics page's server time (Flask test client, the district office) for the district and each
  street in turn, median and p95 over --requests requests.
Last line: `statistics: page_p50_ms=<n> page_p95_ms=<n> refresh_s=<n>`.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import create_app  # noqa: E402
from webapp.statistics.compute import live_charts  # noqa: E402
from workflows import runtime  # noqa: E402
from workflows.assessment.settings import AssessmentSettings  # noqa: E402
from workflows.clock import MovableClock  # noqa: E402
from workflows.jobs.worker import JobWorker  # noqa: E402
from workflows.org.models import Area, User  # noqa: E402
from workflows.statistics import snapshots  # noqa: E402
from workflows.statistics.models import StatisticsSnapshot  # noqa: E402

STREET = "吴家山街"
PASSWORD = "dachuan2026"



def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def live(services, area: Area, start: date, end: date, runs: int) -> float:
    """Median milliseconds to count the page's figures for `area` from the records."""
    settings = AssessmentSettings.from_settings(services.settings)
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        with services.db.read() as s:
            live_charts(s, area.path, start, end, services.workflow.now(), settings)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def refresh(services, areas: list[Area], start: date, end: date) -> float:
    """Seconds for the worker to compute and store every area's figures for the period (asked for as the
    district office asks on the page)."""
    from webapp.statistics import compute
    t = time.perf_counter()
    with services.db.unit_of_work() as s:
        office = s.scalar(sa.select(User.id).where(User.username == "dubanban"))
        for area in areas:
            snapshot = snapshots.find(s, area.id, start, end)
            if snapshot is not None:
                snapshot.requested_at = None  # a refresh asked by an earlier run and never done
            snapshots.request_refresh(s, area=s.get(Area, area.id), start=start, end=end, actor_id=office,
                                      now=services.workflow.now())
    JobWorker(services, {snapshots.JOB_KIND: compute.HANDLER}).run_until_idle()
    return time.perf_counter() - t


def page(services, areas: list[Area], start: date, end: date, requests: int) -> tuple[float, float]:
    app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                      "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="dachuan-bench-")})
    client = app.test_client()
    assert client.post("/login", data={"username": "dubanban", "password": PASSWORD}).status_code == 302
    urls = [f"/statistics?area={a.id}&from={start}&to={end}" for a in areas]

    def timed(url: str) -> float:
        t = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - t) * 1000
        body = response.get_data(as_text=True)
        if response.status_code != 200 or "数据更新于" not in body:
            raise SystemExit(f"{url}: status {response.status_code}, no stored figures on the page")
        return elapsed

    for i in range(5):  # warm-up: templates, caches, connections
        timed(urls[i % len(urls)])
    samples = [timed(urls[i % len(urls)]) for i in range(requests)]
    return statistics.median(samples), p95(samples)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", help="a SQLite file holding a district at scale")
    where.add_argument("--pg", help="a PostgreSQL URL holding a district at scale")
    parser.add_argument("--from", dest="start", default="2026-01-01")
    parser.add_argument("--to", dest="end", default="2026-12-31")
    parser.add_argument("--now", default="2027-01-05T02:00", help="the clock (UTC) the figures are computed at")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--live", type=int, default=3, help="runs of the live count per area (0: skip)")
    args = parser.parse_args(argv)
    url = f"sqlite:///{args.sqlite}" if args.sqlite else args.pg
    label = "SQLite" if args.sqlite else "PostgreSQL"
    now = datetime.fromisoformat(args.now).replace(tzinfo=timezone.utc)
    services = runtime.build(url, clock=MovableClock(now))
    StatisticsSnapshot.__table__.create(services.db.engine, checkfirst=True)
    start, end = snapshots.whole_months(date.fromisoformat(args.start), date.fromisoformat(args.end))
    with services.db.read() as s:
        areas = s.scalars(sa.select(Area).where(Area.kind.in_(("district", "street"))).order_by(Area.path)).all()
        district = next(a for a in areas if a.kind == "district")
        street = next(a for a in areas if a.name == STREET)
        cases = s.scalar(sa.text("SELECT count(*) FROM process_instance WHERE process_id = 'six_step_case'"))
        persons = s.scalar(sa.text("SELECT count(*) FROM case_person"))
        s.expunge_all()
    print(f"{label}: {len(areas) - 1} streets, {cases} cases, {persons} persons; period {start} to {end}", flush=True)
    if args.live:
        print(f"  live count (what every request counted before the figures were stored): district {live(services, district, start, end, args.live):.0f} ms, "
              f"{STREET} {live(services, street, start, end, args.live):.0f} ms", flush=True)
    refresh_s = refresh(services, areas, start, end)
    print(f"  refresh: {len(areas)} areas computed and stored in {refresh_s:.1f} s", flush=True)
    p50, top = page(services, areas, start, end, args.requests)
    print(f"  page (stored figures): median {p50:.1f} ms, p95 {top:.1f} ms over {args.requests} requests", flush=True)
    services.db.dispose()
    print(f"statistics: page_p50_ms={p50:.1f} page_p95_ms={top:.1f} refresh_s={refresh_s:.1f}")


if __name__ == "__main__":
    main()

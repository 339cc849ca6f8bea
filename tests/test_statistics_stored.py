"""The statistics page reads figures the worker stored: they are exactly the live figures (the assessment's own
functions) for the same records, a new record shows after a refresh and not before, a request never computes,
and the worker's periodic duty keeps this year's figures of the district and every street fresh."""
from __future__ import annotations

import io

import sqlalchemy as sa
from engine_helpers import CaseDriver
from job_helpers import run_jobs
from openpyxl import load_workbook
from stats_helpers import computed
from test_statistics_assessed import NOVEMBER, REPORT, _complaints, caught_twice
from web_fixtures import *  # noqa: F401,F403
from web_fixtures import ROOM, text

from webapp.statistics.compute import BUILDERS, live_charts, to_stored
from workflows.assessment.settings import AssessmentSettings
from workflows.audit.models import AuditEvent
from workflows.complaints import service as complaints
from workflows.jobs.models import Job
from workflows.org.models import Area
from workflows.statistics import snapshots
from workflows.statistics.models import StatisticsSnapshot

NOV = "from=2026-11-01&to=2026-11-30"


def _records(services, lookup, clock):
    """Reports this and last November, cases caught twice with one fine, an open case whose sweep is overdue."""
    _complaints(services, lookup, clock)
    caught_twice(services, lookup, clock)
    CaseDriver(services, lookup).start("窝点丙")
    clock.advance(days=4)  # still November (the demo clock starts on 23 Nov); the open sweep (3 days) is overdue


def _street(services, name: str) -> Area:
    with services.db.read() as s:
        return s.scalar(sa.select(Area).where(Area.name == name, Area.kind == "street"))


def _rows(client, key: str, query: str = NOV) -> list[list]:
    response = client.get(f"/statistics/{key}.xlsx?{query}")
    assert response.status_code == 200, (key, response.status_code)
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows()][1:]


def _jobs(services) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.kind == snapshots.JOB_KIND))


def test_the_page_shows_exactly_the_live_figures(services, lookup, clock, login_as):
    _records(services, lookup, clock)
    office, leader = login_as("dubanban"), login_as("wjs_leader")
    computed(services, office, NOV)
    wjs = _street(services, "吴家山街")
    computed(services, leader, NOV)
    now = services.workflow.now()
    settings = AssessmentSettings.from_settings(services.settings)
    with services.db.read() as s:
        district = s.scalar(sa.select(Area).where(Area.parent_id.is_(None)))
        for area in (district, wjs):
            live = live_charts(s, area.path, *NOVEMBER, now, settings)
            stored = snapshots.find(s, area.id, *NOVEMBER)
            # The stored charts are the live ones, chart for chart and number for number.
            assert stored.charts == [to_stored(c) for c in live], area.name
            assert stored.computed_at == now
    # And the page's exports hold the stored tables: the district's and the street's, not mixed.
    with services.db.read() as s:
        live_district = {c.key: c for c in live_charts(s, district.path, *NOVEMBER, now, settings)}
        live_street = {c.key: c for c in live_charts(s, wjs.path, *NOVEMBER, now, settings)}
    for key in BUILDERS:
        if not live_district[key].empty:
            assert _rows(office, key) == live_district[key].rows, key
        if not live_street[key].empty:
            assert _rows(leader, key) == live_street[key].rows, key
    # Figures worked out by hand: 3 reports this November against 1 last November; 2 persons, 1 fined.
    assert _rows(office, "complaints") == [["2026-11", 3, 1, 200], ["合计", 3, 1, 200]]
    assert _rows(leader, "persons") == [["第一社区", 2, 1, 50], ["合计", 2, 1, 50]]
    page = text(office.get(f"/statistics?{NOV}"))
    assert "数据更新于" in page and "统计按整月计算" in page


def test_a_new_record_shows_after_a_refresh_and_not_before(services, lookup, clock, login_as):
    _complaints(services, lookup, clock)
    leader = login_as("wjs_leader")
    computed(services, leader, NOV)
    assert _rows(leader, "complaints") == [["2026-11", 2, 1, 100], ["合计", 2, 1, 100]]
    clock.advance(hours=2)
    complaints.record(services, lookup.user("wjs_market1"), {**REPORT, "address": ROOM})
    # The page still shows what was computed, and says when.
    assert _rows(leader, "complaints") == [["2026-11", 2, 1, 100], ["合计", 2, 1, 100]]
    computed(services, leader, NOV)
    assert _rows(leader, "complaints") == [["2026-11", 3, 1, 200], ["合计", 3, 1, 200]]


def test_a_request_never_computes_and_a_refresh_is_queued_once(services, lookup, clock, login_as):
    _complaints(services, lookup, clock)
    leader = login_as("wjs_leader")
    page = leader.get(f"/statistics?{NOV}")
    assert page.status_code == 200
    assert "尚未生成" in text(page) and "生成统计数据" in text(page)
    assert leader.get(f"/statistics/complaints.xlsx?{NOV}").status_code == 404
    assert _jobs(services) == 0  # looking computes nothing and queues nothing
    assert leader.post(f"/statistics/refresh?{NOV}").status_code == 302
    assert leader.post(f"/statistics/refresh?{NOV}").status_code == 302  # asked twice while queued: one job
    assert _jobs(services) == 1
    queued = text(leader.get(f"/statistics?{NOV}"))
    assert "正在后台计算" in queued and "生成统计数据" not in queued
    with services.db.read() as s:
        asked = s.scalars(sa.select(AuditEvent).where(AuditEvent.kind == "statistics_refresh_requested")).all()
        assert len(asked) == 2 and asked[0].actor_id == lookup.user("wjs_leader")
    # A refresh that no worker did within the hour (a job failed for good, or no worker runs) may be asked again.
    clock.advance(minutes=61)
    assert "生成统计数据" in text(leader.get(f"/statistics?{NOV}"))
    assert leader.post(f"/statistics/refresh?{NOV}").status_code == 302
    assert _jobs(services) == 2
    assert run_jobs(services) == 2
    done = text(leader.get(f"/statistics?{NOV}"))
    assert "数据更新于" in done and "更新统计数据" in done and "正在后台计算" not in done


def test_a_period_is_read_in_whole_months(services, lookup, clock, login_as):
    _complaints(services, lookup, clock)
    leader = login_as("wjs_leader")
    computed(services, leader, "from=2026-11-20&to=2026-11-22")
    page = text(leader.get("/statistics?from=2026-11-20&to=2026-11-22"))
    assert "统计期 2026-11-01 至 2026-11-30" in page
    # The report of 23 November counts: the period is the whole of November.
    assert _rows(leader, "complaints", "from=2026-11-20&to=2026-11-22") == [["2026-11", 2, 1, 100],
                                                                             ["合计", 2, 1, 100]]


def test_the_worker_keeps_this_years_figures_of_the_district_and_every_street(services, lookup, clock, login_as):
    _complaints(services, lookup, clock)
    with services.db.read() as s:
        # The district(s) and their streets: one stored period each.
        areas = s.scalar(sa.select(sa.func.count()).select_from(Area).where(Area.kind.in_(("district", "street"))))
        assert areas > 2
    assert services.workflow.run_worker_once()["statistics_refresh"] == areas
    assert services.workflow.run_worker_once()["statistics_refresh"] == 0  # queued already: not again
    run_jobs(services)
    leader = login_as("wjs_leader")
    # This year so far (the default period) is on the page without anybody asking.
    page = text(leader.get("/statistics"))
    assert "统计期 2026-01-01 至 2026-11-30" in page and "数据更新于" in page
    assert _rows(leader, "complaints", "")[-2:] == [["2026-11", 2, 1, 100], ["合计", 2, 1, 100]]
    assert services.workflow.run_worker_once()["statistics_refresh"] == 0  # fresh
    clock.advance(minutes=31)
    complaints.record(services, lookup.user("wjs_market1"), {**REPORT, "address": ROOM})
    assert services.workflow.run_worker_once()["statistics_refresh"] == areas
    run_jobs(services)
    assert _rows(leader, "complaints", "")[-1] == ["合计", 3, 1, 200]
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(StatisticsSnapshot)) == areas


def test_stats_refresh_computes_every_stored_period_now(services, lookup, clock, login_as, db_url):
    from click.testing import CliRunner

    from webapp.cli import main

    _complaints(services, lookup, clock)
    leader = login_as("wjs_leader")
    leader.post(f"/statistics/refresh?{NOV}")  # queued, not yet computed
    result = CliRunner().invoke(main, ["--database-url", db_url, "stats-refresh"])
    assert result.exit_code == 0, result.output
    assert "已更新统计数据" in result.output
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(StatisticsSnapshot).where(
            StatisticsSnapshot.computed_at.is_(None))) == 0
    assert _rows(leader, "complaints") == [["2026-11", 2, 1, 100], ["合计", 2, 1, 100]]

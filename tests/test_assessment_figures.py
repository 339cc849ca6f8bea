"""The figures the assessment and the statistics page share: plain dicts and lists from the same queries."""
from datetime import date

import pytest
import sqlalchemy as sa

from assessment_helpers import STREET, caught_case
from engine_helpers import PERSONS, CaseDriver
from workflows.assessment import figures
from workflows.complaints import service as complaints
from workflows.engine.models import HumanTask
from workflows.online_clues import service as clues
from workflows.org.models import Area
from workflows.sweeps import service as sweeps

COMPOUND = "吴家山街第一社区花园小区"


@pytest.fixture
def street_path(services, lookup):
    with services.db.read() as s:
        return s.get(Area, lookup.area(STREET)).path


def test_complaints_per_month_include_online_reports(services, lookup, street_path):
    market = lookup.user("wjs_market1")
    made = [complaints.record(services, market, {"channel": "phone", "content": "聚集上课", "address": COMPOUND,
                                                 "anonymous": True}) for _ in range(2)]
    clues.record(services, market, {"source": "complaint", "received_on": "2026-10-12", "scheme_name": "百富优选",
                                    "summary": "群众举报直播间拉人头"})
    clues.record(services, market, {"source": "monitoring", "received_on": "2026-10-13", "scheme_name": "某商城",
                                    "summary": "巡查发现"})                  # not a report
    with services.db.read() as s:
        per_month = figures.complaints_per_month(s, street_path, date(2026, 9, 1), date(2026, 12, 31))
        handling = figures.complaint_handling(s, street_path, date(2026, 11, 1), date(2026, 11, 30))
        elsewhere = figures.complaints_per_month(s, "/999/", date(2026, 9, 1), date(2026, 12, 31))
    assert per_month == {"2026-09": 0, "2026-10": 1, "2026-11": 2, "2026-12": 0}
    assert sum(elsewhere.values()) == 0
    assert handling == {"accepted": 0, "handled_in_time": 0, "replied": 0, "no_result": 2}
    with services.db.read() as s:
        accept = s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == made[0]["instance_id"],
                                                        HumanTask.task_name == "accept"))
    complaints.accept(services, accept, {"jurisdiction_clear": True, "responsible_unit": "market"}, market)
    with services.db.read() as s:
        handling = figures.complaint_handling(s, street_path, date(2026, 11, 1), date(2026, 11, 30))
    assert handling == {"accepted": 1, "handled_in_time": 1, "replied": 0, "no_result": 2}


def test_sweeps_per_month_by_area(services, lookup, street_path):
    office = lookup.user("dubanban")
    for address, day in ((COMPOUND, date(2026, 1, 8)), (STREET, date(2026, 1, 22)), (STREET, date(2026, 1, 29))):
        sweeps.finish_sweep(services, office, sweeps.plan_sweep(services, office, address, day, "集中清理"))
    with services.db.read() as s:
        rows = figures.sweeps_per_month(s, street_path, date(2026, 1, 1), date(2026, 3, 31))
    assert [(r["month"], r["area_name"], r["key_area"], r["count"]) for r in rows] == [
        ("2026-01", STREET, True, 2), ("2026-01", COMPOUND, True, 1)]


def test_persons_caught_penalty_rate_and_reflux(services, lookup, street_path):
    cases = CaseDriver(services, lookup)
    caught_case(cases, PERSONS)
    caught_case(cases, PERSONS, title="第二次")
    with services.db.read() as s:
        caught = figures.persons_caught(s, street_path, date(2026, 11, 1), date(2026, 11, 30))
        back = figures.reflux(s, street_path, date(2026, 11, 1), date(2026, 11, 30))
        stricter = figures.reflux(s, street_path, date(2026, 11, 1), date(2026, 11, 30), threshold=3)
    assert caught == {"caught": 2, "penalised": 0, "rate": 0.0}
    assert back == {"persons": 2, "houses": 0} and stricter == {"persons": 0, "houses": 0}

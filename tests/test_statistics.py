"""The statistics page's own figures (time-limit compliance by step, six-step cases by outcome and area, 创无
coverage), built through the services with the expected numbers worked out by hand; its access; its XLSX."""
from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from engine_helpers import CaseDriver
from openpyxl import load_workbook
from pf_helpers import Creation
from stats_helpers import computed
from web_fixtures import *  # noqa: F401,F403
from web_fixtures import JYH_ROOM, text

from workflows.engine.models import HumanTask
from workflows.org.models import Area
from workflows.statistics.cases import cases_by_outcome
from workflows.statistics.compliance import compliance_by_step
from workflows.statistics.coverage import coverage_rows

PERIOD = (date(2026, 11, 1), date(2026, 12, 31))


def _path(services, name: str) -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(Area.path).where(Area.name == name, Area.kind == "street"))


def _area_id(services, name: str) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(Area.id).where(Area.name == name, Area.kind == "street"))


def _due(services, task_id: str):
    with services.db.read() as s:
        return s.get(HumanTask, task_id).due_at


def _scenario(services, lookup, clock):
    """Three cases in 吴家山街 and one in 金银湖街, all started on 23 Nov 09:00 UTC; the sweep step has 3 days.

    A: sweep done after an hour, not suspicious (on time; the case ends 摸排未发现传销).
    B: sweep done half a day after its deadline, suspicious (late, "1天以内"); its entry step (2 days) is left open.
    C: sweep left open.  D (金银湖街): sweep left open.
    The figures are read 4.5 days after the sweeps' deadline: C and D are then 4.5 days overdue ("3至7天") and B's
    entry, due 2.5 days after the sweeps' deadline, is 2 days overdue ("1至3天")."""
    cases = CaseDriver(services, lookup)
    a, b, c = (cases.start(f"窝点{i}") for i in "ABC")
    d = services.workflow.start("six_step_case", {}, lookup.user("jyh_market"), lookup.area(JYH_ROOM),
                                "窝点D").instance_id
    sweep_due = _due(services, cases.ready(a)["sweep"])
    assert sweep_due == clock.now().replace(tzinfo=None) + timedelta(days=3)
    clock.advance(hours=1)
    cases.do(a, "sweep", {"suspicious": False, "house_type": "resident"})
    clock.advance(days=3, hours=11)  # sweep_due + 12 h
    cases.do(b, "sweep", {"suspicious": True, "house_type": "rental"})
    assert _due(services, cases.ready(b)["entry"]) == sweep_due + timedelta(days=2, hours=12)
    clock.advance(days=4)  # sweep_due + 4.5 days
    return {"a": a, "b": b, "c": c, "d": d, "now": clock.now().replace(tzinfo=None)}


def test_time_limit_compliance_by_step(services, lookup, clock):
    sc = _scenario(services, lookup, clock)
    with services.db.read() as s:
        street = {r["task_name"]: r for r in compliance_by_step(s, _path(services, "吴家山街"), *PERIOD, sc["now"])}
        district = {r["task_name"]: r for r in compliance_by_step(s, "/", *PERIOD, sc["now"])}
        december = compliance_by_step(s, "/", date(2026, 12, 1), date(2026, 12, 31), sc["now"])
    assert set(street) == {"sweep", "entry"}
    sweep = street["sweep"]
    assert (sweep["total"], sweep["on_time"], sweep["late"], sweep["open_overdue"], sweep["open_not_due"]) == \
        (3, 1, 1, 1, 0)
    # B 0.5 day late (first bucket), C 4.5 days overdue (third bucket): average 2.5, longest 4.5.
    assert sweep["late_buckets"] == [1, 0, 1, 0]
    assert (sweep["late_days_avg"], sweep["late_days_max"]) == (2.5, 4.5)
    entry = street["entry"]
    assert (entry["total"], entry["on_time"], entry["late"], entry["open_overdue"]) == (1, 0, 0, 1)
    assert entry["late_buckets"] == [0, 1, 0, 0] and entry["late_days_max"] == 2.0
    # The district adds D's open sweep (4.5 days overdue).
    assert (district["sweep"]["total"], district["sweep"]["open_overdue"], district["sweep"]["late_buckets"]) == \
        (4, 2, [1, 0, 2, 0])
    # No deadline fell in December.
    assert december == []


def test_cases_by_outcome_and_area(services, lookup, clock):
    _scenario(services, lookup, clock)
    with services.db.read() as s:
        district_path = s.scalar(sa.select(Area.path).where(Area.parent_id.is_(None)))
        by_street = {p["area"]: p for p in cases_by_outcome(s, district_path, *PERIOD)}
        by_community = {p["area"]: p for p in cases_by_outcome(s, _path(services, "吴家山街"), *PERIOD)}
        later = cases_by_outcome(s, district_path, date(2026, 11, 24), date(2026, 12, 31))
    assert set(by_street) == {"吴家山街", "金银湖街"}
    assert by_street["吴家山街"]["counts"] == {"running": 2, "end_no_mlm_sweep": 1, "end_no_mlm_check": 0,
                                            "end_closed": 0}
    assert by_street["吴家山街"]["total"] == 3
    assert by_street["金银湖街"]["counts"]["running"] == 1 and by_street["金银湖街"]["total"] == 1
    assert set(by_community) == {"第一社区"} and by_community["第一社区"]["total"] == 3
    # Started on 23 Nov (office day): a period from the 24th holds none.
    assert later == []


def test_coverage_rows(services, lookup, clock):
    Creation(services, lookup).named("吴家山街第一社区")
    with services.db.read() as s:
        rows = coverage_rows(s, _path(services, "吴家山街"), *PERIOD)
    assert rows["year"] == 2026 and rows["target"] == 95.0
    assert [(f["label"], f["named"], f["total"], f["rate"]) for f in rows["streets"]] == [("吴家山街", 1, 2, 50.0)]
    assert (rows["communities"]["named"], rows["communities"]["total"], rows["communities"]["meets_target"]) == \
        (1, 2, False)


# ------------------------------------------------------------------------------------------------ the page
def test_page_is_for_supervisors_leaders_and_the_district(services, lookup, clock, login_as):
    for user in ("wjs_grid", "wjs_intake", "wjs_police1"):
        officer = login_as(user)
        assert officer.get("/statistics").status_code == 403, user
        assert officer.get("/statistics/cases.xlsx").status_code == 403, user
        assert officer.post("/statistics/refresh").status_code == 403, user
        assert "统计分析" not in text(officer.get("/")), user
    # Supervisors, the bureau's head, the administrator, and the district office's own desk (qu_intake).
    for user in ("wjs_leader", "dubanban", "sj_head", "admin", "qu_intake"):
        page = login_as(user).get("/statistics")
        assert page.status_code == 200, user
        assert "统计分析" in text(page)


def test_street_officer_sees_only_its_street(services, lookup, clock, login_as):
    _scenario(services, lookup, clock)
    leader = login_as("wjs_leader")
    computed(services, leader, "from=2026-11-01&to=2026-12-31")
    page = text(leader.get("/statistics?from=2026-11-01&to=2026-12-31"))
    assert "第一社区" in page and "金银湖街" not in page
    # A filter naming another street is refused, not widened to it.
    jyh = _area_id(services, "金银湖街")
    assert leader.get(f"/statistics?area={jyh}").status_code == 403
    assert leader.get(f"/statistics/cases.xlsx?area={jyh}").status_code == 403
    assert leader.post(f"/statistics/refresh?area={jyh}").status_code == 403
    office = login_as("dubanban")
    computed(services, office, f"area={jyh}&from=2026-11-01&to=2026-12-31")
    assert "金银湖街" in text(office.get(f"/statistics?area={jyh}&from=2026-11-01&to=2026-12-31"))


def test_bad_filters_keep_what_was_typed(services, lookup, clock, login_as):
    leader = login_as("wjs_leader")
    page = leader.get("/statistics?from=2026-13-01&to=abc&area=x1")
    assert page.status_code == 422
    body = text(page)
    assert "开始日期格式不正确" in body and "结束日期格式不正确" in body and "找不到所选区域" in body
    assert 'value="2026-13-01"' in body and 'value="abc"' in body
    reversed_period = leader.get("/statistics?from=2026-12-01&to=2026-11-01")
    assert reversed_period.status_code == 422 and "结束日期不能早于开始日期" in text(reversed_period)
    for odd in ("²", "99999999999999", "-1", "1.5"):
        response = leader.get(f"/statistics?area={odd}")
        assert response.status_code == 422 and "找不到所选区域" in text(response), odd
    assert leader.get("/statistics/cases.xlsx?from=bad").status_code == 422
    assert leader.get("/statistics/nothing.xlsx").status_code == 404


def test_xlsx_export_holds_the_table(services, lookup, clock, login_as):
    _scenario(services, lookup, clock)
    office = login_as("dubanban")
    computed(services, office, "from=2026-11-01&to=2026-12-31")
    response = office.get("/statistics/cases.xlsx?from=2026-11-01&to=2026-12-31")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["区域", "办理中", "摸排未发现传销", "初查未发现传销", "结案", "合计"]
    assert rows[1:] == [["吴家山街", 2, 1, 0, 0, 3], ["金银湖街", 1, 0, 0, 0, 1], ["合计", 3, 1, 0, 0, 4]]
    steps = load_workbook(io.BytesIO(office.get(
        "/statistics/time_limits.xlsx?from=2026-11-01&to=2026-12-31").data)).active
    sweep = next([c.value for c in row] for row in steps.iter_rows() if row[1].value == "摸排")
    # 4 sweeps: 1 on time, 1 late, 2 overdue -> 25% on time.
    assert sweep[2:8] == [4, 1, 1, 2, 0, 25.0]


def test_overdue_open_steps_are_those_the_inbox_lights_red(services, lookup, clock):
    """The page's "逾期未办" is the time-limit light's 报警: the same steps, read from the mirror."""
    from workflows.time_limits import Light, light

    sc = _scenario(services, lookup, clock)
    with services.db.read() as s:
        open_steps = s.execute(sa.select(HumanTask.task_name, HumanTask.created_at, HumanTask.due_at).where(
            HumanTask.state == "ready", HumanTask.process_id == "six_step_case")).all()
        figures = compliance_by_step(s, "/", *PERIOD, sc["now"])
    alarms: dict[str, int] = {}
    for name, created, due in open_steps:
        if light(sc["now"], created, due) == Light.ALARM:
            alarms[name] = alarms.get(name, 0) + 1
    assert alarms == {f["task_name"]: f["open_overdue"] for f in figures if f["open_overdue"]} == \
        {"sweep": 2, "entry": 1}

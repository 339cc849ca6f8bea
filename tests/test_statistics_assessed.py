"""The statistics charts whose figures the assessment scores (workflows.assessment.figures): complaints per month
beside last year's, complaint handling, sweeps per key area, persons caught with the penalty rate, and reflux;
each built through the services, the expected numbers worked out by hand."""
from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from engine_helpers import CaseDriver, comparison
from openpyxl import load_workbook
from penalty_helpers import CORE, PARTICIPANT, PenaltyDriver
from stats_helpers import computed
from web_fixtures import *  # noqa: F401,F403
from web_fixtures import JYH_ROOM, ROOM

from webapp.statistics.assessed import complaints_chart, handling_chart, persons_chart, reflux_chart, sweeps_chart
from workflows.assessment.settings import AssessmentSettings
from workflows.complaints import service as complaints
from workflows.org.models import Area
from workflows.sweeps import service as sweeps

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
REPORT = {"channel": "phone", "content": "某小区有外地人员聚集上课，疑似传销", "anonymous": False,
          "complainant_name": "举报人王小明", "complainant_phone": "13911112222",
          "complainant_id_number": "420106199001011231"}


def _path(services, name: str, kind: str = "street") -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(Area.path).where(Area.name == name, Area.kind == kind))


def _full_name(services, path: str) -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(Area.full_name).where(Area.path == path))


def _report(services, lookup, user: str, address: str) -> dict:
    return complaints.record(services, lookup.user(user), {**REPORT, "address": address})


def _complaints(services, lookup, clock):
    """One report in 吴家山街 a year ago (23 Nov 2025); two there and one in 金银湖街 now (23 Nov 2026). The first
    of this year's 吴家山街 reports is handled at once through to the reply; the other waits for acceptance."""
    clock.advance(days=-365)
    _report(services, lookup, "wjs_market1", ROOM)
    clock.advance(days=365)
    handled = _report(services, lookup, "wjs_market1", ROOM)
    _report(services, lookup, "wjs_market1", ROOM)
    _report(services, lookup, "jyh_market", JYH_ROOM)
    inst = handled["instance_id"]
    cases = CaseDriver(services, lookup)
    accept = cases.ready(inst)["accept"]
    complaints.accept(services, accept, {"jurisdiction_clear": True, "responsible_unit": "market"},
                      lookup.user("wjs_market1"))
    cases.do(inst, "investigate_market", {"finding": "现场已无人员", "open_case": False}, "wjs_market2")
    cases.do(inst, "result_market", {"result": "经查不属实", "effective": False, "reward_proposed": False},
             "wjs_market2")
    cases.do(inst, "reply", {"reply": "已电话答复举报人"}, "wjs_market1")


def test_complaints_per_month_beside_the_same_months_of_last_year(services, lookup, clock):
    _complaints(services, lookup, clock)
    with services.db.read() as s:
        street = complaints_chart(s, _path(services, "吴家山街"), *NOVEMBER)
        district = complaints_chart(s, "/", *NOVEMBER)
        autumn = complaints_chart(s, _path(services, "吴家山街"), date(2026, 10, 1), date(2026, 11, 30))
        spring = complaints_chart(s, _path(services, "吴家山街"), date(2026, 3, 1), date(2026, 4, 30))
    # 2 this November against 1 last November: up 100%.
    assert street.rows == [["2026-11", 2, 1, 100.0], ["合计", 2, 1, 100.0]]
    assert street.plot["series"] == [{"name": "本期", "data": [2]}, {"name": "上年同月", "data": [1]}]
    assert district.rows == [["2026-11", 3, 1, 200.0], ["合计", 3, 1, 200.0]]
    # A month without reports in either year has no rate to show.
    assert autumn.rows == [["2026-10", 0, 0, "—"], ["2026-11", 2, 1, 100.0], ["合计", 2, 1, 100.0]]
    assert spring.empty


def test_complaint_handling_per_community(services, lookup, clock):
    _complaints(services, lookup, clock)
    with services.db.read() as s:
        chart = handling_chart(s, _path(services, "吴家山街"), *NOVEMBER)
    assert chart.headers == ["区域", "已受理", "按时办结", "已答复", "尚无结果"]
    # Two reports: one accepted, handled in time, replied and resulted; the other still without a result.
    assert chart.rows == [["第一社区", 1, 1, 1, 1], ["合计", 1, 1, 1, 1]]


def test_sweeps_per_month_per_key_area(services, lookup):
    admin = lookup.user("admin")
    street, compound, changqing = "吴家山街", "吴家山街第一社区花园小区", "长青街"
    for day, where in [(date(2026, 1, 5), street), (date(2026, 1, 25), compound), (date(2026, 3, 2), street),
                       (date(2026, 2, 10), changqing), (date(2026, 5, 1), changqing)]:
        sweeps.finish_sweep(services, admin, sweeps.plan_sweep(services, admin, where, day, "清查"))
    sweeps.plan_sweep(services, admin, street, date(2026, 4, 1), "未完成的清查不计")
    wjs, cq = _full_name(services, _path(services, street)), _full_name(services, _path(services, changqing))
    # The swept compound itself: looked up by its name alone, "花园小区" is also 长青街's, and which of the
    # two a database returns first is not fixed.
    garden = compound
    with services.db.read() as s:
        chart = sweeps_chart(s, "/", date(2026, 1, 1), date(2026, 6, 30))
        mine = sweeps_chart(s, _path(services, changqing), date(2026, 1, 1), date(2026, 6, 30))
    assert chart.rows == [["2026-01", wjs, "是", 1], ["2026-01", garden, "是", 1], ["2026-02", cq, "否", 1],
                          ["2026-03", wjs, "是", 1], ["2026-05", cq, "否", 1]]
    assert chart.plot["categories"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    series = {s["name"]: s["data"] for s in chart.plot["series"]}
    assert series == {wjs: [1, 0, 1, 0, 0, 0], garden: [1, 0, 0, 0, 0, 0], "其他区域": [0, 1, 0, 0, 1, 0]}
    assert mine.rows == [["2026-02", cq, "否", 1], ["2026-05", cq, "否", 1]]


def caught_twice(services, lookup, clock):
    """Two closed cases at the same rental house catching the same two persons (a core member and a participant);
    the participant is fined on the spot (a penalty), the core member not yet."""
    cases = CaseDriver(services, lookup)
    persons = [{**CORE, "classification": "core"}, {**PARTICIPANT, "classification": "participant"}]
    for round_ in (1, 2):
        case = cases.start(f"第{round_}次")
        cases.to_comparison(case)
        cases.do(case, "comparison", {**comparison(has_participants=True, house_is_rental=True),
                                      "landlord_name": "房东王五", "persons": persons})
        for name in list(cases.ready(case)):
            cases.do(case, name, {"result": "已处置"})
        cases.do(case, "close_case", {"summary": "处置完毕"})
    pen = PenaltyDriver(services, lookup, clock)
    fine = pen.start(case, PARTICIPANT, role="participant")
    pen.do(fine, "participant_disposal", {"disposal": "summary_fine", "fine": 200, "spot_record": "当场查获参加传销"})
    return case


def test_persons_caught_penalty_rate_and_reflux(services, lookup, clock):
    caught_twice(services, lookup, clock)
    settings = AssessmentSettings()
    strict = AssessmentSettings(repeat_threshold=3)
    with services.db.read() as s:
        wjs = _path(services, "吴家山街")
        persons = persons_chart(s, wjs, *NOVEMBER, settings)
        reflux = reflux_chart(s, wjs, *NOVEMBER, settings)
        reflux_three = reflux_chart(s, wjs, *NOVEMBER, strict)
        elsewhere = persons_chart(s, _path(services, "金银湖街"), *NOVEMBER, settings)
    # Two persons (each counted once over both cases), one of them penalised: 50%.
    assert persons.rows == [["第一社区", 2, 1, 50.0], ["合计", 2, 1, 50.0]]
    assert persons.plot["series"][2] == {"name": "处罚率（%）", "data": [50.0], "line": True, "axis": 1}
    # Both persons and the house were caught twice: repeat at ">= 2", not at ">= 3".
    assert reflux.rows == [["第一社区", 2, 1], ["合计", 2, 1]]
    assert reflux_three.empty
    assert elsewhere.empty


def test_the_page_and_its_export_show_the_assessed_figures_within_the_area(services, lookup, clock, login_as):
    _complaints(services, lookup, clock)
    leader = login_as("wjs_leader")
    computed(services, leader, "from=2026-11-01&to=2026-11-30")
    page = leader.get("/statistics?from=2026-11-01&to=2026-11-30")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "投诉举报（含网络传销）按月统计及上年同期" in body and "上年同月" in body
    sheet = load_workbook(io.BytesIO(leader.get("/statistics/complaints.xlsx?from=2026-11-01&to=2026-11-30").data))
    rows = [[c.value for c in row] for row in sheet.active.iter_rows()]
    # The street officer's file holds 吴家山街's two reports, not the district's three.
    assert rows == [["月份", "本期", "上年同月", "同比增减（%）"], ["2026-11", 2, 1, 100], ["合计", 2, 1, 100]]

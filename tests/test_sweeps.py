"""Concentrated sweeps (集中清查行动): planning, house-by-house checks, cases past the sweep step, the
assessment counts (monthly in key areas, quarterly elsewhere), area scoping, and the web pages."""
from datetime import date

import pytest
import sqlalchemy as sa

from web_fixtures import app, client, login_as, text  # noqa: F401  (fixtures)
from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.sweeps import service as sweeps

STREET = "吴家山街"
COMPOUND = "吴家山街第一社区花园小区"
ROOM = "吴家山街第一社区花园小区1栋1单元101室"
ROOM2 = "吴家山街第一社区花园小区1栋1单元102室"
OTHER_COMPOUND_ROOM = "吴家山街第二社区新村小区1栋1单元101室"
JYH_ROOM = "金银湖街第一社区花园小区1栋1单元101室"
CHANGQING = "长青街"  # not a key street in the demo district


def ready(services, instance_id):
    with services.db.read() as s:
        return {t.task_name: t for t in s.scalars(sa.select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.state == "ready"))}


def test_a_suspicious_house_opens_a_case_already_past_its_sweep_step(services, lookup):
    market = lookup.user("wjs_market1")
    sweep_id = sweeps.plan_sweep(services, market, COMPOUND, date(2026, 11, 20), "花园小区集中清查")
    calm = sweeps.record_check(services, market, sweep_id, ROOM2, house_type="resident", suspicious=False,
                               occupants=3)
    assert calm["case_id"] is None
    found = sweeps.record_check(services, market, sweep_id, ROOM, house_type="rental", suspicious=True,
                                occupants=8, flags=["non_local", "non_family"], note="八名外地青年合租，白天上课")
    case_id = found["case_id"]
    with services.db.read() as s:
        case = s.get(ProcessInstance, case_id)
        sweep_task = s.scalar(sa.select(HumanTask).where(HumanTask.instance_id == case_id,
                                                         HumanTask.task_name == "sweep"))
        completed = s.scalar(sa.select(AuditEvent.details).where(
            AuditEvent.instance_id == case_id, AuditEvent.kind == "completed"))
    assert case.process_id == "six_step_case" and case.area_id == lookup.area(ROOM)
    assert found["case_reference"] == case.reference
    assert (sweep_task.state, sweep_task.completed_by_id) == ("completed", market)
    assert completed["data"]["sweep_flags"] == ["non_local", "non_family"] and completed["data"]["suspicious"]
    # Straight on to the police's entry, which they can complete as usual.
    entry = ready(services, case_id)["entry"]
    assert entry.role == "police" and entry.assignee_id is None
    data = services.workflow.instance_view(case_id).last_data
    assert data["source"] == "集中清查行动" and data["sweep_id"] == sweep_id and data["occupants"] == 8
    services.workflow.complete(entry.id, {"door_opened": False}, lookup.user("wjs_police1"))
    assert set(ready(services, case_id)) == {"watch_house"}

    detail = sweeps.get_sweep(services, market, sweep_id)
    assert [c["check"].address for c in detail["checks"]] == [ROOM2, ROOM]
    assert detail["checks"][1]["case_reference"] == case.reference
    [row] = sweeps.list_sweeps(services, market)
    assert (row["checks"], row["cases"], row["sweep"].key_area) == (2, 1, True)


def test_checks_are_validated_and_a_house_is_checked_once(services, lookup):
    market = lookup.user("wjs_market1")
    sweep_id = sweeps.plan_sweep(services, market, COMPOUND, date(2026, 11, 20), "清查")
    with pytest.raises(ValidationFailed) as info:
        sweeps.record_check(services, market, sweep_id, OTHER_COMPOUND_ROOM, house_type="castle", suspicious=True)
    assert set(info.value.errors) == {"house_type", "note", "address"}
    sweeps.record_check(services, market, sweep_id, ROOM, house_type="vacant", suspicious=False)
    with pytest.raises(ValidationFailed) as info:
        sweeps.record_check(services, market, sweep_id, ROOM, house_type="vacant", suspicious=False)
    assert "已登记过" in info.value.errors["address"][0]
    with pytest.raises(ValidationFailed) as info:
        sweeps.plan_sweep(services, market, ROOM, None, "")
    assert set(info.value.errors) == {"address", "planned_on", "title"}
    sweeps.finish_sweep(services, market, sweep_id, "共清查 1 户")
    with pytest.raises(WorkflowError, match="已完成"):
        sweeps.record_check(services, market, sweep_id, ROOM2, house_type="vacant", suspicious=False)


def test_sweeps_are_scoped_to_the_officers_area(services, lookup):
    wjs, jyh = lookup.user("wjs_market1"), lookup.user("jyh_market")
    sweep_id = sweeps.plan_sweep(services, wjs, COMPOUND, date(2026, 11, 20), "清查")
    with pytest.raises(PermissionDenied):
        sweeps.plan_sweep(services, jyh, COMPOUND, date(2026, 11, 20), "越界清查")
    with pytest.raises(NotFound):
        sweeps.get_sweep(services, jyh, sweep_id)
    with pytest.raises(NotFound):
        sweeps.record_check(services, jyh, sweep_id, ROOM, house_type="vacant", suspicious=False)
    assert sweeps.list_sweeps(services, jyh) == []
    with pytest.raises(PermissionDenied):  # a five-contracts holder without an officer role
        sweeps.plan_sweep(services, lookup.user("louzhang"), COMPOUND, date(2026, 11, 20), "清查")


def test_assessment_counts_monthly_in_key_areas_and_quarterly_elsewhere(services, lookup):
    admin = lookup.user("admin")
    for day, where in [(date(2026, 1, 5), STREET), (date(2026, 1, 25), COMPOUND), (date(2026, 3, 2), STREET),
                       (date(2026, 2, 10), CHANGQING), (date(2026, 5, 1), CHANGQING)]:
        sweeps.finish_sweep(services, admin, sweeps.plan_sweep(services, admin, where, day, "清查"))
    sweeps.plan_sweep(services, admin, STREET, date(2026, 4, 1), "未完成的清查不计")
    rows = {r["name"]: r for r in sweeps.sweep_counts(services, 2026, today=date(2026, 6, 30))}
    wjs, cq = rows[STREET], rows[CHANGQING]
    assert wjs["key_area"] and wjs["period"] == "month" and len(wjs["counts"]) == 12
    assert dict(wjs["counts"])["1月"] == 2 and dict(wjs["counts"])["3月"] == 1
    assert wjs["missing"] == ["2月", "4月", "5月", "6月"]
    assert not cq["key_area"] and cq["period"] == "quarter"
    assert cq["counts"] == [("第1季度", 1), ("第2季度", 1), ("第3季度", 0), ("第4季度", 0)]
    assert cq["missing"] == []
    # An officer sees only the streets of their own area.
    mine = sweeps.sweep_counts(services, 2026, lookup.user("jyh_market"), today=date(2026, 6, 30))
    assert [r["name"] for r in mine] == ["金银湖街"] and mine[0]["missing"][0] == "1月"


# ---------------------------------------------------------------- web pages
def test_plan_record_and_finish_a_sweep_on_the_web(services, login_as, lookup):
    market = login_as("wjs_market1")
    assert "集中清查" in text(market.get("/sweeps"))
    r = market.post("/sweeps/new", data={"address": COMPOUND, "planned_on": "2026-11-20", "title": "花园小区夜查",
                                         "note": ""})
    assert r.status_code == 302, text(r)
    sweep_id = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    page = text(market.get(f"/sweeps/{sweep_id}"))
    assert "花园小区夜查" in page and "重点区域" in page
    r = market.post(f"/sweeps/{sweep_id}/checks", data={
        "address": ROOM, "house_type": "rental", "occupants": "6", "flags": ["non_local", "gathering"],
        "suspicious": "yes", "note": "多人聚集上课"})
    assert r.status_code == 302, text(r)
    [case_id] = [c["check"].case_instance_id for c in sweeps.get_sweep(services, lookup.user("wjs_market1"),
                                                                        sweep_id)["checks"]]
    assert "entry" in ready(services, case_id)
    page = text(market.get(f"/sweeps/{sweep_id}"))
    assert "AJ" in page and "非本省户籍" in page
    # A bad check shows the form again with Chinese errors, keeping what was typed.
    r = market.post(f"/sweeps/{sweep_id}/checks", data={"address": ROOM2, "house_type": "", "suspicious": "yes",
                                                        "note": "楼道有传销资料"})
    assert r.status_code == 422 and "请选择房屋类别" in text(r) and "楼道有传销资料" in text(r)
    r = market.post(f"/sweeps/{sweep_id}/checks", data={"address": JYH_ROOM, "house_type": "rental",
                                                        "suspicious": "yes", "note": ""})
    assert r.status_code == 422
    body = text(r)
    assert "不在本次清查范围内" in body and "认定可疑时请写明情况说明" in body and JYH_ROOM in body
    r = market.post(f"/sweeps/{sweep_id}/finish", data={"summary": "清查 1 户，发现 1 处可疑"})
    assert r.status_code == 302
    assert "已完成" in text(market.get(f"/sweeps/{sweep_id}"))
    page = text(market.get("/sweeps/assessment?year=2026"))
    assert "吴家山街" in page and "11月" in page and "金银湖街" not in page


def test_another_streets_officer_cannot_see_or_touch_a_sweep(services, login_as, lookup):
    sweep_id = sweeps.plan_sweep(services, lookup.user("wjs_market1"), COMPOUND, date(2026, 11, 20), "清查")
    jyh = login_as("jyh_market")
    assert jyh.get(f"/sweeps/{sweep_id}").status_code == 404
    r = jyh.post(f"/sweeps/{sweep_id}/checks", data={"address": ROOM, "house_type": "vacant", "suspicious": "no"})
    assert r.status_code == 404
    assert jyh.post(f"/sweeps/{sweep_id}/finish", data={}).status_code == 404
    assert "花园小区" not in text(jyh.get("/sweeps"))
    r = jyh.post("/sweeps/new", data={"address": COMPOUND, "planned_on": "2026-11-20", "title": "越界"})
    assert r.status_code == 422 and "辖区" in text(r)
    assert sweeps.get_sweep(services, lookup.user("wjs_market1"), sweep_id)["checks"] == []

"""The one access rule (workflows.org.access): the same user and record get the same answer from the case page,
the case search, a notice, a complaint, a ledger page and the exports, on both databases.

The users cover every branch of the rule: a street officer, an officer of another street, a district officer,
the demo administrator (district area), the district-wide administrator (admin role, no area) and an officer
whose account has no area. The records: a case, a notice, a complaint and a rental house in 吴家山街, and a case
with no address (with its notice), which belongs to the whole district.
"""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from notice_helpers import SAMPLES, notices
from web_fixtures import PASSWORD, ROOM, app, client, login_as, ready_task, text  # noqa: F401  (fixtures)
from workflows.complaints import service as complaints
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied
from workflows.ledgers import registries
from workflows.org import access
from workflows.org.accounts import add_user
from workflows.org.models import Department, User

JYH_ROOM = "金银湖街第一社区花园小区1栋1单元101室"
# username -> (sees the 吴家山街 records, sees the address-less ones)
EXPECTED = {
    "wjs_market1": (True, False),
    "jyh_market": (False, False),
    "dubanban": (True, True),
    "admin": (True, True),
    "district_admin": (True, True),   # admin role, no area: the whole district
    "no_area": (False, False),        # no area, not an admin: nothing
}


def _add_accounts(services) -> None:
    with services.db.unit_of_work() as s:
        market = s.scalar(sa.select(Department).where(Department.abbreviation == "东市监"))
        add_user(s, "district_admin", PASSWORD, "区级系统管理员", "admin")
        add_user(s, "no_area", PASSWORD, "未设辖区的执法人员", "market", department=market)


@pytest.fixture
def world(services, lookup):
    """The records every test reads, created through the services as officers would."""
    _add_accounts(services)
    wf = services.workflow
    case = wf.start("six_step_case", {}, lookup.user("wjs_grid"), lookup.area(ROOM), "花园小区窝点").instance_id
    bare = wf.start("six_step_case", {}, lookup.user("dubanban"), None, "地址不详的线索").instance_id
    svc = notices(services)
    notice = svc.issue("rectification_order", SAMPLES["rectification_order"], lookup.user("wjs_market1"),
                       instance_id=case).id
    bare_notice = svc.issue("naming_certificate", SAMPLES["naming_certificate"], lookup.user("dubanban"),
                            instance_id=bare).id
    complaint = complaints.record(services, lookup.user("wjs_housing"), {
        "channel": "phone", "content": "花园小区有外地人员聚集上课", "address": ROOM, "anonymous": True})
    house = registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="王房东",
                                  owner_id_number="420102198505052010", owner_phone="13800001111")
    with services.db.read() as s:
        paths = {"case": s.get(ProcessInstance, case).area_path, "bare": s.get(ProcessInstance, bare).area_path}
        references = {"case": s.get(ProcessInstance, case).reference, "bare": s.get(ProcessInstance, bare).reference,
                      "complaint": complaint["reference"]}
    assert paths["bare"] == "" and paths["case"]
    return {"case": case, "bare": bare, "notice": notice, "bare_notice": bare_notice, "complaint": complaint["id"],
            "house": house, "paths": paths, "references": references}


def rule(services, lookup, username: str, area_path: str) -> bool:
    with services.db.read() as s:
        return access.sees(s.get(User, lookup.user(username)), area_path)


def visible(response, hidden=(403, 404)) -> bool:
    assert response.status_code in (200, *hidden), response.status_code
    return response.status_code == 200


def listed(response, instance_id: int) -> bool:
    """Whether a list page links to the case (the search box repeats the query, so look for the link)."""
    return f'href="/cases/{instance_id}"' in text(response)


def xlsx_text(response) -> str:
    ws = load_workbook(io.BytesIO(response.data)).active
    return " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)


@pytest.mark.parametrize("username", list(EXPECTED))
def test_every_page_export_and_service_gives_the_rules_answer(services, lookup, login_as, world, username):
    """A record in 吴家山街: the rule, the case page, the case search, the notice (page and service), the
    complaint (page and service), the house (page and list) and both exports all agree."""
    expected = EXPECTED[username][0]
    assert rule(services, lookup, username, world["paths"]["case"]) is expected
    c = login_as(username)
    assert visible(c.get(f"/cases/{world['case']}")) is expected
    assert listed(c.get(f"/cases?q={world['references']['case']}"), world["case"]) is expected
    assert visible(c.get(f"/notices/{world['notice']}")) is expected
    assert visible(c.get(f"/complaints/{world['complaint']}")) is expected
    assert visible(c.get(f"/registries/houses/{world['house']}")) is expected

    user_id = lookup.user(username)
    try:
        notices(services).get(world["notice"], user_id)
        sees_notice = True
    except PermissionDenied:
        sees_notice = False
    assert sees_notice is expected
    try:
        complaints.view(services, world["complaint"], user_id)
        sees_complaint = True
    except NotFound:  # outside the area the complaint's existence is not disclosed
        sees_complaint = False
    assert sees_complaint is expected

    houses, ledger, export = (c.get("/registries/houses"), c.get("/complaints"),
                              c.get("/registries/houses/export.xlsx"))
    complaint_export = c.get("/complaints/export.xlsx")
    if username == "no_area":
        # Nothing to list: every list and export says the account has no area, rather than showing nothing.
        for r in (houses, ledger, export, complaint_export):
            assert r.status_code == 403 and "未设置辖区" in text(r)
        return
    assert ("花园小区1栋1单元101室" in text(houses)) is expected
    complaint_reference = world["references"]["complaint"]
    assert (complaint_reference in text(ledger)) is expected
    assert ("花园小区1栋1单元101室" in xlsx_text(export)) is expected
    assert (complaint_reference in xlsx_text(complaint_export)) is expected


@pytest.mark.parametrize("username", list(EXPECTED))
def test_a_record_without_an_address_belongs_to_the_whole_district(services, lookup, login_as, world, username):
    expected = EXPECTED[username][1]
    assert rule(services, lookup, username, "") is expected
    c = login_as(username)
    assert visible(c.get(f"/cases/{world['bare']}")) is expected
    assert listed(c.get(f"/cases?q={world['references']['bare']}"), world["bare"]) is expected
    assert visible(c.get(f"/notices/{world['bare_notice']}")) is expected
    assert visible(c.get(f"/notices/case/{world['bare']}")) is expected


def test_a_user_without_an_area_is_told_why(services, lookup, login_as, world):
    c = login_as("no_area")
    for url in (f"/notices/{world['notice']}", f"/registries/houses/{world['house']}", "/registries/houses",
                "/complaints", "/sweeps"):
        r = c.get(url)
        assert r.status_code == 403 and "未设置辖区" in text(r), url
    with pytest.raises(PermissionDenied, match="未设置辖区"):
        notices(services).issue("rectification_order", SAMPLES["rectification_order"], lookup.user("no_area"))
    with services.db.read() as s:
        with pytest.raises(PermissionDenied, match="未设置辖区"):
            access.visible_prefix(s.get(User, lookup.user("no_area")))


def test_the_district_wide_administrator_sees_the_district(services, lookup):
    _add_accounts(services)
    with services.db.read() as s:
        admin = s.get(User, lookup.user("district_admin"))
        assert access.visible_prefix(admin) == access.DISTRICT_WIDE and access.district_wide(admin)
        street = s.get(User, lookup.user("wjs_market1"))
        assert access.visible_prefix(street) == street.area.path and not access.district_wide(street)


def test_a_supervisor_cannot_reassign_outside_their_area(services, lookup, login_as):
    wf = services.workflow
    jyh_case = wf.start("six_step_case", {}, lookup.user("jyh_police"), lookup.area(JYH_ROOM), "金银湖").instance_id
    wjs_case = wf.start("six_step_case", {}, lookup.user("wjs_grid"), lookup.area(ROOM), "吴家山").instance_id
    bare_case = wf.start("six_step_case", {}, lookup.user("dubanban"), None, "地址不详").instance_id
    jyh_task, wjs_task = ready_task(services, jyh_case, "sweep"), ready_task(services, wjs_case, "sweep")
    bare_task = ready_task(services, bare_case, "sweep")
    leader, target = lookup.user("wjs_leader"), lookup.user("wjs_grid")
    with services.db.read() as s:
        user = s.get(User, leader)
        answers = {t: access.may_reassign(user, s.get(HumanTask, t).area_path)
                   for t in (jyh_task, wjs_task, bare_task)}
    assert answers == {jyh_task: False, wjs_task: True, bare_task: False}

    # The service refuses the whole batch when one task lies outside the area: nothing moves.
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        wf.reassign([wjs_task, jyh_task], leader, "越界改派", to_user_id=target)
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        wf.reassign([bare_task], leader, "地址不详的归区里", to_user_id=target)
    # ... and so does the board.
    r = login_as("wjs_leader").post("/board/reassign", data={"task_ids": [jyh_task], "to_user": str(target),
                                                             "reason": "越界改派"})
    assert r.status_code == 403 and "不在您的辖区内" in text(r)
    with services.db.read() as s:
        assert {s.get(HumanTask, t).assignee_id for t in (jyh_task, wjs_task, bare_task)} == {None}

    assert wf.reassign([wjs_task], leader, "本街道内改派", to_user_id=target) == 1
    # The district supervisor answers for the address-less case too, but hands a task only to someone whose
    # area holds its address (a street's grid officer holds neither).
    with services.db.read() as s:
        district = s.get(User, lookup.user("dubanban"))
        assert all(access.may_reassign(district, s.get(HumanTask, t).area_path) for t in (bare_task, jyh_task))
    with pytest.raises(PermissionDenied, match="辖区不包含该事项的地址"):
        wf.reassign([bare_task, jyh_task], lookup.user("dubanban"), "区级督办改派", to_user_id=target)

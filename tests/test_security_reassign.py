"""Reassignment stays inside the one access rule: a supervisor hands a matter only to someone who holds the
task's role and whose area holds the matter's address — in the picker, on the POST and in the service."""
from __future__ import annotations

import re

import pytest

from web_fixtures import (ROOM, app, client, login_as, ready_task, start_case, text,  # noqa: F401  (fixtures)
                          user_id)
from workflows.engine.models import HumanTask
from workflows.exceptions import PermissionDenied


def picker(html: str) -> set[str]:
    select = html[html.index('name="to_user"'):]
    select = select[:select.index("</select>")]
    return {v for v in re.findall(r'<option value="(\d+)"', select)}


def start_matter(login_as):
    return start_case(login_as("wjs_leader"), address=ROOM, title="101室三停一换失效", kind="five_contracts",
                      note="水电已恢复，需复查")


def assignee(services, task_id):
    with services.db.read() as s:
        return s.get(HumanTask, task_id).assignee_id


def test_the_picker_offers_only_people_who_could_hold_the_streets_work(services, login_as):
    start_matter(login_as)
    page = text(login_as("wjs_leader").get("/board"))
    offered = picker(page)
    ids = {name: str(user_id(services, name)) for name in
           ("shequ", "louzhang", "wjs_grid", "quzhi", "jyh_market", "jyh_police", "admin")}
    assert {ids["shequ"], ids["louzhang"], ids["wjs_grid"], ids["quzhi"]} <= offered  # the street, and above it
    assert not {ids["jyh_market"], ids["jyh_police"], ids["admin"]} & offered  # another street; no process role


def test_a_matter_cannot_be_posted_to_another_streets_officer(services, login_as):
    m = start_matter(login_as)
    task_id = ready_task(services, m, "handle_matter")
    board = login_as("wjs_leader")
    for name in ("jyh_market", "jyh_police"):  # another street: would read the matter's persons
        r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": str(user_id(services, name)),
                                                "to_level": "", "reason": "越界改派"})
        assert r.status_code == 403 and "辖区不包含该事项的地址" in text(r), name
    # The right street but the wrong role: a grid officer is not a five-contracts responsible person.
    r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": str(user_id(services, "wjs_grid")),
                                            "to_level": "", "reason": "换人"})
    assert r.status_code == 403 and "不是五包责任人" in text(r)
    assert assignee(services, task_id) != user_id(services, "wjs_grid")
    r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": str(user_id(services, "shequ")),
                                            "to_level": "", "reason": "楼栋长住院"})
    assert r.status_code == 302 and assignee(services, task_id) == user_id(services, "shequ")


def test_the_service_refuses_the_same_for_any_caller(services, lookup):
    wf = services.workflow
    case = wf.start("six_step_case", {}, lookup.user("wjs_grid"), lookup.area(ROOM), "吴家山").instance_id
    sweep = ready_task(services, case, "sweep")  # a grid officer's step
    for name, reason in (("jyh_market", "辖区不包含"), ("wjs_police1", "不是网格员")):
        with pytest.raises(PermissionDenied, match=reason):
            wf.reassign([sweep], lookup.user("dubanban"), "改派", to_user_id=lookup.user(name))
    assert assignee(services, sweep) is None
    assert wf.reassign([sweep], lookup.user("dubanban"), "改派", to_user_id=lookup.user("wjs_grid")) == 1

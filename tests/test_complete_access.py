"""Who may complete a task through the service: the access rule asked with the actor as the completion reads
them (the user's columns and their area's, in the statement that locks the task), on both databases. A change
to the account counts from the next completion."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver
from workflows.exceptions import PermissionDenied
from workflows.org.accounts import add_user
from workflows.org.models import Department, User

SWEEP = {"suspicious": True, "house_type": "rental"}


def _set(services, username: str, **values) -> None:
    with services.db.unit_of_work() as s:
        user = s.scalar(sa.select(User).where(User.username == username))
        for key, value in values.items():
            setattr(user, key, value)


def _refused(cases, case, task: str, username: str) -> str:
    task_id = cases.ready(case)[task]
    with pytest.raises(PermissionDenied) as refused:
        cases.workflow.complete(task_id, SWEEP, cases.lookup.user(username))
    assert cases.ready(case) == {task: task_id}  # nothing happened
    return refused.value.message


def test_the_rule_decides_with_the_actor_read_in_the_completion(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    with services.db.unit_of_work() as s:
        market = s.scalar(sa.select(Department).where(Department.abbreviation == "东市监"))
        add_user(s, "district_admin", "Passw0rd!2024", "区级系统管理员", "admin")
        add_user(s, "grid_no_area", "Passw0rd!2024", "未设辖区的网格员", "grid", department=market)
    # Nobody: the actor's row is not there.
    task_id = cases.ready(case)["sweep"]
    with pytest.raises(PermissionDenied) as nobody:
        cases.workflow.complete(task_id, SWEEP, 987654)
    assert nobody.value.message == "请先登录。"
    # The role without sight of the area, the area without the role, no area at all, the district-wide
    # administrator without the role: the task's holder is named.
    for username in ("jyh_market", "wjs_market1", "grid_no_area", "district_admin"):
        assert _refused(cases, case, "sweep", username).startswith("您无权办理“")
    # A deactivated officer of the right role and area is refused from the next completion on ...
    _set(services, "wjs_grid", active=False)
    assert "您无权办理" in _refused(cases, case, "sweep", "wjs_grid")
    _set(services, "wjs_grid", active=True)
    # ... as is one whose role was taken away; given it back, they complete the step.
    _set(services, "wjs_grid", roles="police")
    assert "您无权办理" in _refused(cases, case, "sweep", "wjs_grid")
    _set(services, "wjs_grid", roles="grid")
    cases.do(case, "sweep", SWEEP)
    assert set(cases.ready(case)) == {"entry"}


def test_an_area_above_the_task_sees_it_and_a_moved_officer_does_not(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.do(case, "sweep", SWEEP)
    # wjs_police1 works for the street, above the case's address: they may do the entry.
    street_police = lookup.user("wjs_police1")
    jyh_area = lookup.area("金银湖街")
    with services.db.read() as s:
        street_area = s.get(User, street_police).area_id
    _set(services, "wjs_police1", area_id=jyh_area)  # moved to another street: no longer
    assert "您无权办理" in _refused(cases, case, "entry", "wjs_police1")
    _set(services, "wjs_police1", area_id=street_area)
    cases.do(case, "entry", {"door_opened": False})
    assert set(cases.ready(case)) == {"watch_house"}

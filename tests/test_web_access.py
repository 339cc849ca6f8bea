"""Access rules, each tried by direct URL, form post and file download rather than through the menus."""
from __future__ import annotations

import hashlib
import io

import pytest

from web_fixtures import (JYH_ROOM, STEP_DATA, app, client, complete_step, login_as,  # noqa: F401  (fixtures)
                          ready_names, ready_task, start_case, submit, text, user_id)
from workflows.engine.models import HumanTask

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OTHER_COMPOUND = "吴家山街第一社区新村小区1栋1单元101室"


@pytest.fixture
def wjs_case(services, login_as):
    """A 吴家山街 case at the comparison step, with one evidence photo."""
    case_id = start_case(login_as("wjs_grid"))
    for step in ("sweep", "entry", "initial_check"):
        complete_step(services, login_as, case_id, step)
    market = login_as("wjs_market1")
    r = submit(market, ready_task(services, case_id, "evidence"), STEP_DATA["evidence"],
               {"files": [(io.BytesIO(PNG), "photo.png")]})
    assert r.status_code == 302
    return case_id, hashlib.sha256(PNG).hexdigest()


def test_an_officer_of_another_street_cannot_see_the_case(services, login_as, wjs_case):
    case_id, sha = wjs_case
    jyh = login_as("jyh_market")
    for url in (f"/cases/{case_id}", f"/cases/{case_id}/diagram.bpmn", f"/cases/{case_id}/files/{sha}",
                f"/cases/{case_id}/files/{sha}?download=1"):
        r = jyh.get(url)
        assert r.status_code == 403, url
        assert "无权" in text(r) and PNG not in r.data
    # Nor in the inbox or the case search.
    assert "花园小区1栋1单元101室" not in text(jyh.get("/"))
    assert "花园小区1栋1单元101室" not in text(jyh.get("/cases?q=花园小区"))


def test_an_officer_of_another_street_cannot_act_on_its_task(services, login_as, wjs_case):
    case_id, _ = wjs_case
    task_id = ready_task(services, case_id, "comparison")
    jyh = login_as("jyh_market")  # same role (market), other street
    assert jyh.get(f"/tasks/{task_id}").status_code == 403
    r = submit(jyh, task_id, STEP_DATA["comparison"])
    assert r.status_code == 403
    assert jyh.post(f"/tasks/{task_id}/claim").status_code == 403
    assert ready_names(services, case_id) == {"comparison"}  # nothing moved


def test_the_right_officer_can_see_and_download(services, login_as, wjs_case):
    case_id, sha = wjs_case
    market = login_as("wjs_market2")
    r = market.get(f"/cases/{case_id}/files/{sha}")
    assert r.status_code == 200 and r.data == PNG and r.mimetype == "image/png"
    assert "no-store" in r.headers["Cache-Control"]
    r = market.get(f"/cases/{case_id}/files/{sha}?download=1")
    assert "attachment" in r.headers["Content-Disposition"]


def test_a_file_is_served_only_through_the_case_that_recorded_it(services, login_as, wjs_case):
    _, sha = wjs_case
    other_case = start_case(login_as("wjs_grid"))
    market = login_as("wjs_market1")
    assert market.get(f"/cases/{other_case}/files/{sha}").status_code == 404
    assert market.get(f"/cases/{other_case}/files/..%2F..%2Fsecret_key").status_code == 404
    assert market.get(f"/cases/{other_case}/files/{'0' * 64}").status_code == 404


def test_uploads_live_outside_the_static_folder(app, wjs_case):
    _, sha = wjs_case
    client = app.test_client()
    assert client.get(f"/static/{sha}").status_code == 404
    assert client.get(f"/static/uploads/{sha[:2]}/{sha}").status_code == 404


def test_a_grid_worker_sees_only_their_compound(services, login_as):
    police = login_as("wjs_police1")  # a street-level officer may register anywhere in the street
    other = start_case(police, address=OTHER_COMPOUND, title="新村小区")
    grid = login_as("wjs_grid")
    assert grid.get(f"/cases/{other}").status_code == 403
    assert grid.get(f"/tasks/{ready_task(services, other, 'sweep')}").status_code == 403
    assert "新村小区" not in text(grid.get("/"))
    # ... and cannot register a case outside it either.
    r = grid.post("/cases/new", data={"kind": "six_step_case", "address": OTHER_COMPOUND, "title": "x",
                                      "source": "sweep"})
    assert r.status_code == 422 and "该地址不在您的辖区内" in text(r)


def test_a_user_without_the_role_sees_the_case_but_cannot_act(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    task_id = ready_task(services, case_id, "sweep")
    police = login_as("wjs_police1")
    assert police.get(f"/cases/{case_id}").status_code == 200
    r = police.get(f"/tasks/{task_id}")
    assert r.status_code == 403 and "无权办理" in text(r)
    assert submit(police, task_id, STEP_DATA["sweep"]).status_code == 403
    assert police.post(f"/tasks/{task_id}/claim").status_code == 403
    assert ready_names(services, case_id) == {"sweep"}


def test_a_task_claimed_by_a_colleague_is_theirs(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    complete_step(services, login_as, case_id, "sweep")
    task_id = ready_task(services, case_id, "entry")
    first = login_as("wjs_police1")
    assert first.post(f"/tasks/{task_id}/claim").status_code == 302
    second = login_as("wjs_police2")
    r = second.get(f"/tasks/{task_id}")
    assert r.status_code == 403 and "民警 王建国" in text(r)
    assert second.post(f"/tasks/{task_id}/release").status_code == 403
    assert submit(second, task_id, STEP_DATA["entry"]).status_code == 403


@pytest.mark.parametrize("username", ["wjs_grid", "wjs_market1", "admin", "louzhang"])
def test_only_supervisors_open_the_board(login_as, username):
    r = login_as(username).get("/board")
    assert r.status_code == 403 and "无权访问" in text(r)


@pytest.mark.parametrize("username", ["wjs_grid", "wjs_market1", "admin"])
def test_only_supervisors_reassign(services, login_as, username):
    case_id = start_case(login_as("wjs_grid"))
    task_id = ready_task(services, case_id, "sweep")
    target = user_id(services, "wjs_market1")
    r = login_as(username).post("/board/reassign", data={"task_ids": [task_id], "to_user": str(target),
                                                         "reason": "试图越权改派"})
    assert r.status_code == 403
    with services.db.read() as s:
        assert s.get(HumanTask, task_id).assignee_id is None  # still nobody's


@pytest.mark.parametrize("username", ["wjs_grid", "wjs_leader", "dubanban", "wjs_market1"])
def test_only_admins_administer(services, login_as, username):
    c = login_as(username)
    for url in ("/admin", "/admin/users", "/admin/users/new", "/admin/users/1", "/admin/assignments",
                "/admin/processes"):
        assert c.get(url).status_code == 403, url
    r = c.post("/admin/users/new", data={"username": "intruder", "display_name": "x", "roles": ["admin"],
                                         "area": "东西湖区", "password": "longenough123",
                                         "confirm": "longenough123"})
    assert r.status_code == 403
    assert c.post(f"/admin/users/{user_id(services, username)}/password",
                  data={"password": "newpassword123", "confirm": "newpassword123"}).status_code == 403
    from workflows.org.accounts import by_username
    with services.db.read() as s:
        assert by_username(s, "intruder") is None


def test_a_case_of_another_street_is_403_and_a_missing_case_404(services, login_as):
    jyh_case = start_case(login_as("jyh_police"), address=JYH_ROOM, title="金银湖案件")
    wjs = login_as("wjs_market1")
    assert wjs.get(f"/cases/{jyh_case}").status_code == 403
    r = wjs.get("/cases/999999")
    assert r.status_code == 404 and "找不到该案件" in text(r)
    assert wjs.get("/tasks/00000000-0000-0000-0000-000000000000").status_code == 404


def test_the_district_sees_every_street(services, login_as):
    jyh_case = start_case(login_as("jyh_police"), address=JYH_ROOM, title="金银湖案件")
    assert login_as("dubanban").get(f"/cases/{jyh_case}").status_code == 200

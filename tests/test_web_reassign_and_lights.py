"""Reassignment the new holder can act on; people told apart in pickers; time-limit lights; the inbox's filter."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from test_web_admin import NEW_USER
from web_fixtures import (ROOM, app, client, login_as, ready_task, start_case,  # noqa: F401  (fixtures)
                          task_ids, text, user_id)
from workflows.engine.models import HumanTask
from workflows.org import admin as admin_service
from workflows.org.models import Area, User
from workflows.time_limits import Light, Thresholds
from workflows.time_limits.counts import per_street


def matter(login_as, address=ROOM, title="101室三停一换失效"):
    return start_case(login_as("wjs_leader"), address=address, title=title, kind="five_contracts", note="需复查")


@pytest.fixture
def second_grid(services, lookup):
    """A second grid worker of the street: a sweep can only go to someone who holds the grid role there."""
    with services.db.read() as s:
        grid = s.scalar(sa.select(User).where(User.username == "wjs_grid"))
        area_id, department_id = grid.area_id, grid.department_id
    uid = admin_service.create_user(services, lookup.user("admin"), username="wjs_grid2", password="Wjs-Grid2-Huang",
                                    display_name="网格员 黄丽", roles=["grid"], area_id=area_id,
                                    department_id=department_id, phone="13900001111")
    with services.db.unit_of_work() as s:
        s.get(User, uid).must_change_password = False  # as if they had chosen their own at first login
    return "wjs_grid2"


def _task(services, task_id) -> HumanTask:
    with services.db.read() as s:
        return s.get(HumanTask, task_id)


def test_a_matter_reassigned_just_before_its_deadline_gets_the_whole_level_time_again(services, login_as, clock):
    m = matter(login_as)
    task_id = ready_task(services, m, "handle_matter")
    clock.advance(hours=23, minutes=59)  # level 1 has 24 hours
    r = login_as("wjs_leader").post("/board/reassign", data={
        "task_ids": [task_id], "to_user": str(user_id(services, "shequ")), "to_level": "", "reason": "楼栋长住院"})
    assert r.status_code == 302
    task = _task(services, task_id)
    assert task.assignee_id == user_id(services, "shequ") and task.level == 1
    assert (task.due_at - clock.now().replace(tzinfo=None)).total_seconds() >= 23 * 3600
    clock.advance(minutes=5)
    services.workflow.run_worker_once()
    task = _task(services, task_id)
    assert task.state == "ready" and task.assignee_id == user_id(services, "shequ")  # did not climb away
    inbox = text(login_as("shequ").get("/"))
    assert "督办改派给您的任务" in inbox and "楼栋长住院" in inbox
    page = text(login_as("shequ").get(f"/tasks/{task_id}"))
    assert "督办改派" in page and "理由：楼栋长住院" in page and "吴家山街分管领导（督办）" in page


def test_a_case_step_reassigned_to_a_person_is_due_afresh(services, login_as, clock, second_grid):
    case_id = start_case(login_as("wjs_grid"))
    sweep = ready_task(services, case_id, "sweep")
    clock.advance(days=3, hours=2)  # the sweep's three days have passed
    r = login_as("wjs_leader").post("/board/reassign", data={
        "task_ids": [sweep], "to_user": str(user_id(services, second_grid)), "reason": "网格员休假"})
    assert r.status_code == 302
    task = _task(services, sweep)
    assert task.due_at > clock.now().replace(tzinfo=None) and task.reassign_reason == "网格员休假"
    assert "报警" not in text(login_as(second_grid, "Wjs-Grid2-Huang").get("/"))


def test_person_pickers_name_the_unit_and_the_user_name(services, login_as):
    matter(login_as)
    board = text(login_as("wjs_leader").get("/board"))
    assert "楼栋长 钱桂英（吴家山街第一社区居委会 · " in board and "账号 louzhang）" in board
    admin = login_as("admin")
    with services.db.read() as s:
        unit = s.scalar(sa.select(Area.id).where(Area.kind == "unit"))
    page = text(admin.get(f"/admin/assignments/{unit}"))
    assert "账号 louzhang" in page


def test_a_second_user_with_the_same_name_needs_a_confirmation(services, login_as):
    admin = login_as("admin")
    same = {**NEW_USER, "username": "wjs_louzhang2", "display_name": "楼栋长 钱桂英"}
    r = admin.post("/admin/users/new", data=same)
    assert r.status_code == 422 and "已有同名用户" in text(r) and "账号 louzhang" in text(r)
    assert 'value="a-long-password"' in text(r)  # nothing typed is lost
    with services.db.read() as s:
        assert s.query(User).filter_by(username="wjs_louzhang2").count() == 0
    r = admin.post("/admin/users/new", data={**same, "same_name_confirmed": "1"})
    assert r.status_code == 302
    # Another name goes through without the question.
    assert admin.post("/admin/users/new", data={**NEW_USER, "username": "wjs_other"}).status_code == 302


def test_lights_on_the_inbox_case_page_and_counted_per_street_on_the_board(services, login_as, clock):
    case_id = start_case(login_as("wjs_grid"))  # the sweep has three days
    grid = login_as("wjs_grid")
    assert not re.search(r"light-(remind|warn|alarm)", text(grid.get("/")))
    clock.advance(days=1, hours=13)
    assert "light-remind" in text(grid.get("/")) and ">提醒<" in text(grid.get(f"/cases/{case_id}"))
    clock.advance(days=1)
    assert ">预警<" in text(grid.get("/"))
    board = text(login_as("wjs_leader").get("/board"))
    assert "办理时限预警（按街道）" in board
    row = re.search(r"<td data-label=\"街道\">吴家山街</td>(.*?)</tr>", board, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["0", "1", "0"]
    clock.advance(days=1)
    assert "报警 · 已逾期" in text(grid.get("/"))
    with services.db.read() as s:
        leader = s.query(User).filter_by(username="wjs_leader").one()
        streets = per_street(s, leader, clock.now().replace(tzinfo=None), Thresholds())
        assert [(g.street, g.counts[Light.ALARM]) for g in streets] == [("吴家山街", 1)]
        outsider = s.query(User).filter_by(username="jyh_market").one()
        assert per_street(s, outsider, clock.now().replace(tzinfo=None), Thresholds()) == []


def test_the_step_filter_lists_each_step_once_and_finds_both_of_a_shared_title(login_as):
    page = text(login_as("wjs_market1").get("/"))
    select = re.search(r'<select id="step".*?</select>', page, re.S).group(0)
    titles = re.findall(r">([^<]+)</option>", select)
    assert len(titles) == len(set(titles))
    assert 'value="result_market,result_police"' in select or 'value="result_police,result_market"' in select


def test_unclaimed_rows_explain_claim_and_handle(login_as):
    start_case(login_as("wjs_grid"))
    page = text(login_as("wjs_grid").get("/"))
    assert "待认领" in page and "点“认领”先把任务记在自己名下" in page


def test_the_supervisor_may_set_the_new_deadline_of_a_case_step(services, login_as, clock, second_grid):
    case_id = start_case(login_as("wjs_grid"))
    sweep = ready_task(services, case_id, "sweep")
    board = login_as("wjs_leader")
    r = board.post("/board/reassign", data={"task_ids": [sweep], "to_user": str(user_id(services, second_grid)),
                                            "reason": "网格员休假", "due_at": "2020-01-01T08:00"})
    assert r.status_code == 400 and "新的截止时间须晚于现在" in text(r)
    r = board.post("/board/reassign", data={"task_ids": [sweep], "to_user": str(user_id(services, second_grid)),
                                            "reason": "网格员休假", "due_at": "2026-12-01T18:00"})
    assert r.status_code == 302
    assert _task(services, sweep).due_at == datetime(2026, 12, 1, 10, 0)  # 18:00 Beijing time, stored as UTC
    m = matter(login_as)
    r = board.post("/board/reassign", data={"task_ids": [ready_task(services, m, "handle_matter")],
                                            "to_user": str(user_id(services, "shequ")), "reason": "x",
                                            "due_at": "2026-12-01T18:00"})
    assert r.status_code == 400 and "按层级重新计时" in text(r)

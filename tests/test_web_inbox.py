"""The inbox: whose tasks appear, overdue first and marked, filters, pagination, search, claim and release."""
from __future__ import annotations

import re

import sqlalchemy as sa

from web_fixtures import (ID_B, JYH_ROOM, ROOM, STEP_DATA, app, client,  # noqa: F401  (fixtures)
                          complete_step, instance, login_as, ready_task, start_case, submit, task_ids, text,
                          user_id)
from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask
from workflows.org.models import Area

SECOND_ROOM = "吴家山街第一社区花园小区1栋1单元102室"


def references(html: str) -> list[str]:
    return re.findall(r">((?:AJ|WB)\d{10})</a>", html)


def test_my_roles_tasks_in_my_area_only(services, login_as):
    grid = login_as("wjs_grid")
    mine = start_case(grid)
    jyh = start_case(login_as("jyh_police"), address=JYH_ROOM, title="金银湖")
    page = text(grid.get("/"))
    assert ready_task(services, mine, "sweep") in task_ids(page)
    assert ready_task(services, jyh, "sweep") not in task_ids(page)
    # Police have no sweep to do; the entry comes to them once the sweep is done.
    police = login_as("wjs_police1")
    assert "暂无待办事项" in text(police.get("/"))
    complete_step(services, login_as, mine, "sweep")
    assert ready_task(services, mine, "entry") in task_ids(text(police.get("/")))


def test_overdue_tasks_come_first_and_are_marked(services, login_as, clock):
    grid = login_as("wjs_grid")
    old = start_case(grid, title="早登记的")
    clock.advance(days=2)
    new = start_case(grid, address=SECOND_ROOM, title="新登记的")
    clock.advance(days=1, hours=12)  # the first sweep (3 days) is now overdue, the second is not
    page = text(grid.get("/"))
    ids = task_ids(page)
    assert ids.index(ready_task(services, old, "sweep")) < ids.index(ready_task(services, new, "sweep"))
    assert page.count("已逾期</span>") == 1
    overdue_only = text(grid.get("/?overdue=1"))
    assert task_ids(overdue_only) == [ready_task(services, old, "sweep")]


def test_filters_by_process_step_and_area(services, login_as):
    leader = login_as("jiedao")  # responsible + supervisor in 吴家山街
    matter = start_case(leader, kind="five_contracts", title="三停一换失效", note="水电恢复",
                        address="吴家山街第一社区花园小区")
    page = text(leader.get("/?process=five_contracts"))
    assert ready_task(services, matter, "handle_matter") in task_ids(page)
    assert task_ids(text(leader.get("/?process=six_step_case"))) == []
    assert task_ids(text(leader.get("/?step=sweep"))) == []
    with services.db.read() as s:
        other_community = s.scalar(sa.select(Area.id).where(Area.full_name == "吴家山街第二社区"))
        this_community = s.scalar(sa.select(Area.id).where(Area.full_name == "吴家山街第一社区"))
    assert task_ids(text(leader.get(f"/?area={other_community}"))) == []
    assert task_ids(text(leader.get(f"/?area={this_community}"))) != []


def test_case_search_pages(services, login_as, app):
    app.config["PAGE_SIZE"] = 2
    police = login_as("wjs_police1")
    for i, room in enumerate((101, 102, 201, 202, 101)):
        start_case(police, address=f"吴家山街第二社区新村小区1栋{1 + i // 4}单元{room}室", title=f"案{i}")
    pages = [text(police.get(f"/cases?page={n}")) for n in (1, 2, 3)]
    seen = [ref for p in pages for ref in references(p)]
    assert len(seen) == 5 and len(set(seen)) == 5
    assert "第 1 / 3 页" in pages[0] and "下一页" in pages[0] and "上一页" not in pages[0]
    assert "第 3 / 3 页" in pages[2] and "下一页" not in pages[2]


def test_inbox_pagination_keeps_the_filters(services, login_as, app):
    app.config["PAGE_SIZE"] = 1
    grid = login_as("wjs_grid")
    start_case(grid, title="一")
    start_case(grid, address=SECOND_ROOM, title="二")
    page = text(grid.get("/?process=six_step_case"))
    assert "第 1 / 2 页" in page
    assert "page=2" in page and "process=six_step_case" in page
    assert len(task_ids(text(grid.get("/?process=six_step_case&page=2")))) == 1


def test_search_by_reference_address_name_and_id_number(services, login_as):
    grid = login_as("wjs_grid")
    target = start_case(grid)
    other = start_case(grid, address=SECOND_ROOM, title="另一处")
    complete_step(services, login_as, target, "sweep")
    complete_step(services, login_as, target, "entry")
    market = login_as("wjs_market1")
    reference = instance(services, target).reference
    for q in (reference, reference.lower(), "1单元101室", "张三", ID_B, ID_B.lower()):
        found = task_ids(text(market.get("/", query_string={"q": q})))
        assert found == [ready_task(services, target, "initial_check")], q
        assert reference in references(text(market.get("/cases", query_string={"q": q}))), q
    assert task_ids(text(market.get("/", query_string={"q": "没有这个人"}))) == []
    assert "没有符合条件的待办" in text(market.get("/", query_string={"q": "没有这个人"}))
    assert references(text(grid.get("/cases", query_string={"q": "1单元102室"}))) == [instance(services, other).reference]


def test_claim_and_release(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    complete_step(services, login_as, case_id, "sweep")
    task_id = ready_task(services, case_id, "entry")
    first, second = login_as("wjs_police1"), login_as("wjs_police2")
    r = first.post(f"/tasks/{task_id}/claim", data={"next": "/?process=six_step_case"})
    assert r.status_code == 302 and r.headers["Location"] == "/?process=six_step_case"
    page = text(first.get("/"))
    assert "已认领“入户”" in page and '<span class="badge mine">我</span>' in page and "退回" in page
    assert task_id not in task_ids(text(second.get("/")))  # claimed: no longer in the shared inbox
    assert first.post(f"/tasks/{task_id}/release").status_code == 302
    assert task_id in task_ids(text(second.get("/")))
    with services.db.read() as s:
        assert s.get(HumanTask, task_id).assignee_id is None


def test_claim_twice_explains_who_has_it(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    complete_step(services, login_as, case_id, "sweep")
    task_id = ready_task(services, case_id, "entry")
    assert login_as("wjs_police1").post(f"/tasks/{task_id}/claim").status_code == 302
    r = login_as("wjs_police2").post(f"/tasks/{task_id}/claim")
    assert r.status_code in (403, 409) and "民警 王建国" in text(r)


def test_a_reassigned_task_shows_up_in_the_new_assignees_inbox(services, login_as):
    case_id = start_case(login_as("wjs_leader"), kind="five_contracts", title="101室三停一换失效", note="需复查")
    task_id = ready_task(services, case_id, "handle_matter")
    services.workflow.reassign([task_id], user_id(services, "wjs_leader"), "楼栋长休假",
                               to_user_id=user_id(services, "shequ"))
    assert task_id in task_ids(text(login_as("shequ").get("/")))
    assert task_id not in task_ids(text(login_as("louzhang").get("/")))


def test_the_inbox_links_to_the_form_and_the_case(services, login_as):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    page = text(grid.get("/"))
    assert f'href="/tasks/{ready_task(services, case_id, "sweep")}"' in page
    assert f'href="/cases/{case_id}"' in page
    assert ROOM in page


def test_double_submit_completes_once(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    grid = login_as("wjs_grid")
    task_id = ready_task(services, case_id, "sweep")
    assert submit(grid, task_id, STEP_DATA["sweep"]).status_code == 302
    again = submit(grid, task_id, STEP_DATA["sweep"])
    assert again.status_code == 409
    page = text(again)
    assert "已由网格员 陈小红于" in page and "完成" in page
    assert f'href="/cases/{case_id}"' in page  # the way back to the case
    with services.db.read() as s:
        completions = s.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.instance_id == case_id, AuditEvent.kind == "completed"))
    assert completions == 1
    # Opening the old form again (back button) explains the same way.
    r = grid.get(f"/tasks/{task_id}")
    assert r.status_code == 409 and "已由网格员 陈小红于" in text(r)

"""The supervisor board: matters by level and overdue steps, oldest first; reassigning with a reason."""
from __future__ import annotations

import re

from web_fixtures import (JYH_ROOM, ROOM, app, client, instance, login_as,  # noqa: F401  (fixtures)
                          ready_task, start_case, task_ids, text, user_id)
from workflows.engine.models import HumanTask


def matter(login_as, address=ROOM, title="101室三停一换失效", who="wjs_leader"):
    return start_case(login_as(who), address=address, title=title, kind="five_contracts", note="水电已恢复，需复查")


def group_of(page: str, task_id: str) -> str:
    """The heading of the board group that lists `task_id`."""
    position = page.index(task_id)
    return re.findall(r"<h2>([^<]+?) <small", page[:position])[-1]


def test_a_matter_appears_at_its_level_and_climbs_when_the_deadline_passes(services, login_as, clock):
    m = matter(login_as)
    board = login_as("wjs_leader")
    task_id = ready_task(services, m, "handle_matter")
    page = text(board.get("/board"))
    assert group_of(page, task_id) == "第 1 级 · 楼栋长"
    assert "楼栋长 钱桂英" in page
    clock.advance(hours=25)  # level 1 has 24 hours
    services.workflow.run_worker_once()
    page = text(board.get("/board"))
    new_task = ready_task(services, m, "handle_matter")
    assert group_of(page, new_task) == "第 2 级 · 社区" and "社区书记 冯国平" in page
    assert "升级" in text(board.get(f"/cases/{m}")) and "超过本级处置时限" in text(board.get(f"/cases/{m}"))


def test_groups_run_from_the_top_level_down_and_oldest_first(services, login_as, clock):
    first = matter(login_as, title="较早的事项")
    clock.advance(hours=1)
    second = matter(login_as, address="吴家山街第一社区花园小区1栋1单元102室", title="较晚的事项")
    page = text(login_as("wjs_leader").get("/board"))
    assert page.index(ready_task(services, first, "handle_matter")) < page.index(ready_task(services, second,
                                                                                             "handle_matter"))


def test_overdue_steps_of_cases_are_on_the_board(services, login_as, clock):
    case_id = start_case(login_as("wjs_grid"))
    board = login_as("wjs_leader")
    sweep = ready_task(services, case_id, "sweep")
    assert sweep not in text(board.get("/board"))
    clock.advance(days=3, hours=1)  # the sweep has three days
    page = text(board.get("/board"))
    assert group_of(page, sweep) == "逾期未办的案件环节" and "已逾期" in page
    # The worker also raises a five-contracts matter for the overdue step; it shows up as a matter.
    services.workflow.run_worker_once()
    assert "逾期未办" in text(board.get("/board"))


def test_reassign_to_a_person_reaches_their_inbox_at_once(services, login_as):
    m = matter(login_as)
    task_id = ready_task(services, m, "handle_matter")
    board = login_as("wjs_leader")
    r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": str(user_id(services, "shequ")),
                                            "to_level": "", "reason": "楼栋长住院"})
    assert r.status_code == 302
    assert "已改派 1 项" in text(board.get("/board"))
    assert task_id in task_ids(text(login_as("shequ").get("/")))
    assert task_id not in task_ids(text(login_as("louzhang").get("/")))
    page = text(board.get(f"/cases/{m}"))
    assert "改派" in page and "理由：楼栋长住院" in page


def test_reassign_many_to_a_level(services, login_as):
    ids = [ready_task(services, matter(login_as, address=f"吴家山街第一社区花园小区1栋1单元{r}室", title=f"{r}"),
                      "handle_matter") for r in (101, 102, 201)]
    board = login_as("wjs_leader")
    r = board.post("/board/reassign", data={"task_ids": ids, "to_user": "", "to_level": "4",
                                            "reason": "涉及多个单元，交区直部门统筹"})
    assert r.status_code == 302
    with services.db.read() as s:
        rows = [s.get(HumanTask, i) for i in ids]
        assert {t.level for t in rows} == {4}
        assert {t.assignee_id for t in rows} == {user_id(services, "quzhi")}
    assert set(ids) <= set(task_ids(text(login_as("quzhi").get("/"))))


def test_reassign_needs_a_reason_and_exactly_one_target(services, login_as):
    task_id = ready_task(services, matter(login_as), "handle_matter")
    board = login_as("wjs_leader")
    shequ = str(user_id(services, "shequ"))
    r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": shequ, "reason": ""})
    assert r.status_code == 422 and "请填写改派理由。" in text(r)
    assert f'value="{task_id}" checked' in text(r)  # the ticked rows stay ticked
    r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": shequ, "to_level": "3", "reason": "x"})
    assert r.status_code == 422 and "二者选一" in text(r)
    r = board.post("/board/reassign", data={"task_ids": [task_id], "to_user": "", "to_level": "", "reason": "x"})
    assert r.status_code == 422 and "二者选一" in text(r)
    r = board.post("/board/reassign", data={"to_user": shequ, "reason": "x"})
    assert r.status_code == 422 and "请先勾选要改派的事项。" in text(r)
    with services.db.read() as s:
        assert s.get(HumanTask, task_id).assignee_id == user_id(services, "louzhang")


def test_a_six_step_task_moves_only_to_a_person(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    sweep = ready_task(services, case_id, "sweep")
    r = login_as("wjs_leader").post("/board/reassign", data={"task_ids": [sweep], "to_level": "2", "reason": "x"})
    assert r.status_code == 400 and "只有五包责任事项可以按层级改派" in text(r)


def test_the_board_covers_only_the_supervisors_area(services, login_as):
    jyh = matter(login_as, address=JYH_ROOM, title="金银湖事项", who="dubanban")
    jyh_task = ready_task(services, jyh, "handle_matter")
    assert jyh_task not in text(login_as("wjs_leader").get("/board"))
    assert jyh_task in text(login_as("dubanban").get("/board"))
    # A crafted post for a task outside the area is refused and changes nothing.
    r = login_as("wjs_leader").post("/board/reassign", data={
        "task_ids": [jyh_task], "to_user": str(user_id(services, "wjs_police1")), "reason": "越界"})
    assert r.status_code == 403 and "不在您的辖区内" in text(r)
    assert instance(services, jyh).status == "running"
    with services.db.read() as s:
        assert s.get(HumanTask, jyh_task).assignee_id != user_id(services, "wjs_police1")


def test_an_empty_board_says_so(login_as):
    assert "没有未办结的五包责任事项" in text(login_as("wjs_leader").get("/board"))


def test_a_group_pages_and_a_long_count_is_capped(services, login_as, clock, monkeypatch):
    monkeypatch.setattr("webapp.board.queries.PAGE_SIZE", 2)
    monkeypatch.setattr("webapp.board.queries.COUNT_CAP", 2)
    ids = []
    for room in (101, 102, 201):
        ids.append(ready_task(services, matter(login_as, address=f"吴家山街第一社区花园小区1栋1单元{room}室",
                                               title=f"{room}"), "handle_matter"))
        clock.advance(minutes=5)
    board = login_as("wjs_leader")
    page = text(board.get("/board"))
    assert "3 项，第 1 / 2 页" in page and ids[0] in page and ids[1] in page and ids[2] not in page
    page = text(board.get("/board?group=level1&page=2"))
    assert ids[2] in page and ids[0] not in page and "返回全部分组" in page
    for room in (101, 102, 201):
        start_case(login_as("wjs_grid"), address=f"吴家山街第一社区花园小区1栋2单元{room}室", title=f"案{room}")
    clock.advance(days=4)
    page = text(board.get("/board?group=overdue"))
    assert "逾期未办的案件环节" in page and "2+ 项" in page

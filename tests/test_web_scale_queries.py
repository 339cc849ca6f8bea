"""The page queries as they are shaped for a province's data: capped counts instead of counting every row,
the same rows in the same order as before, paging that neither skips nor repeats, on both databases."""
from __future__ import annotations

import re

from test_web_case import diagram_marks
from web_fixtures import (JYH_ROOM, app, client, complete_step, login_as, ready_task, start_case,  # noqa: F401
                          task_ids, text)

def board_ids(html: str) -> list[str]:
    return re.findall(r'name="task_ids" value="([^"]+)"', html)


ROOMS = [f"吴家山街第一社区花园小区1栋1单元{room}室" for room in (101, 102, 201, 202)]


def _four_sweeps(services, login_as, clock) -> list[str]:
    grid = login_as("wjs_grid")
    cases = []
    for i, room in enumerate(ROOMS):
        cases.append(start_case(grid, address=room, title=f"案{i}"))
        clock.advance(hours=1)  # each sweep falls due an hour after the one before
    return [ready_task(services, case, "sweep") for case in cases]


def test_the_inbox_count_stops_at_the_cap_and_its_pages_keep_the_order(services, login_as, app, clock,
                                                                        monkeypatch):
    sweeps = _four_sweeps(services, login_as, clock)
    grid = login_as("wjs_grid")
    app.config["PAGE_SIZE"] = 10
    assert task_ids(text(grid.get("/"))) == sweeps  # uncapped: all four, the earliest due first
    assert "共 4 项" in text(grid.get("/"))

    monkeypatch.setattr("webapp.tasks.queries.COUNT_CAP", 3)
    app.config["PAGE_SIZE"] = 1
    first = text(grid.get("/"))
    assert "共 3+ 项" in first and "第 1 / 3 页" in first
    paged = [task_ids(text(grid.get(f"/?page={n}"))) for n in (1, 2, 3)]
    assert paged == [[sweeps[0]], [sweeps[1]], [sweeps[2]]]
    # Past the last counted page the pager stays on it rather than showing an empty page.
    assert task_ids(text(grid.get("/?page=9"))) == [sweeps[2]]


def test_below_the_cap_the_inbox_count_is_exact(services, login_as, app, clock, monkeypatch):
    sweeps = _four_sweeps(services, login_as, clock)
    monkeypatch.setattr("webapp.tasks.queries.COUNT_CAP", 4)
    app.config["PAGE_SIZE"] = 3
    page = text(login_as("wjs_grid").get("/"))
    assert "共 4 项" in page and "共 4+ 项" not in page and "第 1 / 2 页" in page
    assert task_ids(page) == sweeps[:3]


def test_board_counts_and_pages_of_overdue_steps_read_the_area_alone(services, login_as, clock, monkeypatch):
    """On PostgreSQL the overdue count reads the area's range of the mirror: the same steps either way, and
    none of another street's."""
    monkeypatch.setattr("webapp.board.queries.PAGE_SIZE", 2)
    sweeps = _four_sweeps(services, login_as, clock)
    other = start_case(login_as("jyh_police"), address=JYH_ROOM, title="金银湖")
    clock.advance(days=4)  # every sweep (3 days) is overdue
    leader = login_as("wjs_leader")
    first = text(leader.get("/board?group=overdue"))
    second = text(leader.get("/board?group=overdue&page=2"))
    assert "4 项，第 1 / 2 页" in first
    assert board_ids(first) == sweeps[:2] and board_ids(second) == sweeps[2:]
    assert ready_task(services, other, "sweep") not in first + second


def test_the_case_page_highlights_each_new_step_although_it_remembers_the_last(services, login_as):
    """The passed steps are remembered per case version: a completion is a new version, so never stale."""
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    done, current = diagram_marks(text(grid.get(f"/cases/{case_id}")))
    assert "start" in done and "sweep" not in done and current == ["sweep"]
    assert diagram_marks(text(grid.get(f"/cases/{case_id}"))) == (done, current)  # the remembered answer
    complete_step(services, login_as, case_id, "sweep")
    done, current = diagram_marks(text(login_as("wjs_market1").get(f"/cases/{case_id}")))
    assert "sweep" in done and "gw_sweep" in done and current == ["entry"]


def test_board_counts_per_level_cover_the_district_or_the_street_alone(services, login_as):
    """The level counts are summed over the scope's parts: the district's supervisor counts every street's
    open matters, a street's leader only its own."""
    for address, who in ((ROOMS[0], "wjs_leader"), (ROOMS[1], "wjs_leader"), (JYH_ROOM, "dubanban")):
        start_case(login_as(who), address=address, title="三停一换失效", kind="five_contracts", note="水电已恢复，需复查")
    district = text(login_as("dubanban").get("/board"))
    street = text(login_as("wjs_leader").get("/board"))
    heading = re.compile(r"<h2>第 1 级[^<]*<small[^>]*>(\d+)\+? 项")
    assert heading.findall(district) == ["3"] and len(board_ids(district)) == 3
    assert heading.findall(street) == ["2"] and len(board_ids(street)) == 2


def test_the_case_list_counts_the_users_area_up_to_the_cap(services, login_as, app, monkeypatch):
    """The case list's count (over the area's range on PostgreSQL) gives what the rows give: the street's own
    cases for its officer, every street's for the district, "+" past the cap."""
    police = login_as("wjs_police1")
    for i, room in enumerate(ROOMS[:3]):
        start_case(police, address=room, title=f"案{i}")
    start_case(login_as("jyh_police"), address=JYH_ROOM, title="金银湖")
    assert "辖区内共 3 件" in text(police.get("/cases"))
    assert "辖区内共 4 件" in text(login_as("dubanban").get("/cases"))
    assert "符合条件的共 3 件" in text(police.get("/cases?q=花园小区"))
    monkeypatch.setattr("webapp.cases.queries.COUNT_CAP", 2)
    app.config["PAGE_SIZE"] = 2
    capped = text(police.get("/cases"))
    assert "辖区内共 2+ 件" in capped

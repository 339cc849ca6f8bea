"""The board's reads shaped for a province (each part of a user's area read as its own index range) give
exactly what the straightforward conditions give: the lights of steps without an address count for the
district and for nobody below it, and the people one may reassign to are the same, in the same order."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from test_street_lights import _by_rule, _open_steps
from web_fixtures import app, client, login_as, start_case, text  # noqa: F401  (fixtures)
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org import access
from workflows.org.models import Area, User
from workflows.org.roles import LANE_ROLES
from workflows.time_limits import Thresholds
from workflows.time_limits.counts import per_street
from workflows.vocabulary import TaskState


def test_steps_without_an_address_are_lit_for_the_district_only(services, lookup, clock):
    _open_steps(services, lookup, clock)
    with services.db.unit_of_work() as s:
        # A step whose case has no address (e.g. registered before its address was known).
        one = s.scalars(sa.select(HumanTask).where(HumanTask.state == TaskState.READY,
                                                   HumanTask.area_path.like("%/%"))).first()
        one.area_path = ""
    now = clock.now().replace(tzinfo=None) + timedelta(days=30)
    with services.db.read() as s:
        for name, sees_it in (("dubanban", True), ("wjs_leader", False)):
            user = s.scalar(sa.select(User).where(User.username == name))
            got = {g.path: Counter({k: v for k, v in g.counts.items() if v})
                   for g in per_street(s, user, now, Thresholds())}
            assert got == _by_rule(s, user, now, Thresholds()), name
            assert ("" in got) == sees_it, name
        district = s.scalar(sa.select(User).where(User.username == "dubanban"))
        names = [g.street for g in per_street(s, district, now, Thresholds())]
    assert "区直属" in names and {"吴家山街", "金银湖街"} <= set(names)


def _straightforward(session, supervisor) -> list[User]:
    """Every active user, kept when their area holds a place the supervisor sees, in the page's order."""
    prefix = access.scope_of(supervisor)
    kept = [u for u in session.scalars(sa.select(User).where(User.active.is_(True)))
            if u.area is not None and (u.area.path.startswith(prefix) or prefix.startswith(u.area.path))
            and u.role_set & set(LANE_ROLES.values())]
    return sorted(kept, key=lambda u: (u.area.path, u.display_name))


def test_the_people_one_may_reassign_to_are_those_of_the_straightforward_rule(services):
    with services.db.read() as s:
        supervisors = [u for u in s.scalars(sa.select(User)) if access.scope_of(u) is not None
                       and u.has_role("supervisor")]
        assert len(supervisors) >= 2
        for supervisor in supervisors:
            got = access.reassignable_users(s, supervisor)
            assert [u.id for u in got] == [u.id for u in _straightforward(s, supervisor)], supervisor.username
            assert got and all(isinstance(u.area, Area) for u in got)


def _straight_board(session, user, now) -> dict:
    """Group key -> the ids of its open matters or overdue steps in the user's area, in the board's order,
    straight from the task mirror (every open step read and sorted here)."""
    prefix = access.scope_of(user)
    groups: dict = {}
    for t in session.scalars(sa.select(HumanTask).where(HumanTask.state == TaskState.READY)):
        if not access.sees(user, t.area_path):
            continue
        if t.process_id == "five_contracts":
            groups.setdefault(f"level{t.level}", []).append((t.created_at, t.id))
        elif t.due_at is not None and t.due_at < now:
            groups.setdefault("overdue", []).append((t.due_at, t.id))
    assert prefix
    return {key: [i for _, i in sorted(items)] for key, items in groups.items()}


def test_the_board_lists_what_the_straightforward_reading_lists(services, lookup, clock, app, monkeypatch):
    from webapp.auth.identity import Identity
    from webapp.board import queries

    wf = services.workflow
    rooms = ["吴家山街第一社区花园小区1栋1单元101室", "吴家山街第一社区花园小区1栋1单元102室",
             "金银湖街第一社区花园小区1栋1单元101室"]
    for i in range(7):
        wf.start("five_contracts", {"subject": f"事项{i}", "source": "群众举报"}, lookup.user("wjs_leader"),
                 lookup.area(rooms[i % 3]), f"事项{i}")
        wf.start("six_step_case", {}, lookup.user("wjs_grid"), lookup.area(rooms[(i + 1) % 3]), f"案件{i}")
        clock.advance(hours=3, minutes=i)
    clock.advance(days=3, hours=1)  # the sweeps are overdue now
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)  # several pages per group
    now = clock.now().replace(tzinfo=None)
    with app.app_context(), services.db.read() as s:
        for name in ("dubanban", "wjs_leader"):
            user = s.scalar(sa.select(User).where(User.username == name))
            expected = _straight_board(s, user, now)
            assert "overdue" in expected and len(expected["overdue"]) > 2, name
            got: dict = {}
            for key, ids in expected.items():
                for page in range(1, 1 + -(-len(ids) // 2)):
                    [group] = queries.board(s, Identity(user), now, key, page)
                    assert (group.total, group.page) == (len(ids), page)
                    got.setdefault(key, []).extend(row[0].id for row in group.rows)
                    for step, reference, title, created, address in group.rows:
                        case = s.get(ProcessInstance, step.instance_id)
                        assert (reference, title, created) == (case.reference, case.title, case.created_at)
                        assert address == (case.area.full_name if case.area else None)
            assert got == expected, name
            first_pages = queries.board(s, Identity(user), now)
            order = [f"level{level}" for level in range(5, 0, -1)] + ["overdue"]
            assert [g.key for g in first_pages] == [k for k in order if k in expected]


def test_each_board_row_links_to_its_case_and_shows_its_light(services, login_as, clock):
    case_id = start_case(login_as("wjs_grid"))
    clock.advance(days=3, hours=1)  # its sweep is overdue
    page = text(login_as("wjs_leader").get("/board"))
    assert f'href="/cases/{case_id}"' in page
    assert '<span class="badge overdue light-alarm" title="办理时限">报警 · 已逾期</span>' in page

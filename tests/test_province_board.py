"""The board's reads shaped for a province (each part of a user's area read as its own index range) give
exactly what the straightforward conditions give: the lights of steps without an address count for the
district and for nobody below it, and the people one may reassign to are the same, in the same order."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from test_street_lights import _by_rule, _open_steps
from workflows.engine.models import HumanTask
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

"""The board's lights per street are decided by the database (a district's board would otherwise read every
open step of the district): the counts are exactly those of the one rule, `light`, step by step, also at the
very moment each light comes on, and for a warning whose length depends on the date."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engine_helpers import ROOM
from workflows.engine.models import HumanTask
from workflows.org.models import User
from workflows.time_limits import Light, Thresholds, light
from workflows.time_limits.counts import per_street

JYH_ROOM = "金银湖街第一社区花园小区1栋1单元101室"


def _open_steps(services, lookup, clock) -> None:
    """Cases of two streets started a few hours apart, some moved on a step (a new deadline)."""
    wf = services.workflow
    for i in range(6):
        room, officer = (ROOM, "wjs_grid") if i % 3 else (JYH_ROOM, "jyh_police")
        started = wf.start("six_step_case", {}, lookup.user(officer), lookup.area(room), f"案件{i}")
        if i % 2 and room == ROOM:
            wf.complete(started.ready_task_ids[0], {"suspicious": True, "house_type": "rental"},
                        lookup.user("wjs_grid"))
        clock.advance(hours=7, minutes=13, seconds=11, microseconds=7)


def _by_rule(session, user, now, thresholds) -> dict:
    """Street path -> counts per light, step by step with `light` (what the board showed before)."""
    from workflows.org import access
    counts: dict = {}
    for path, created_at, due_at in session.execute(
            sa.select(HumanTask.area_path, HumanTask.created_at, HumanTask.due_at)
            .where(HumanTask.state == "ready", HumanTask.due_at.is_not(None),
                   access.visible_clause(HumanTask.area_path, user))):
        on = light(now, created_at, due_at, thresholds)
        if on != Light.NONE:
            parts = [p for p in path.split("/") if p]
            street = f"/{parts[0]}/{parts[1]}/" if len(parts) >= 2 else ""
            counts.setdefault(street, Counter())[on] += 1
    return counts


def _moments(session, thresholds) -> list:
    """Each open step's remind, warn and alarm moments, a microsecond either side, and some times between."""
    out = []
    for created_at, due_at in session.execute(sa.select(HumanTask.created_at, HumanTask.due_at)
                                              .where(HumanTask.state == "ready", HumanTask.due_at.is_not(None))):
        remind = created_at + (due_at - created_at) * thresholds.remind_share
        for at in (remind, thresholds.warn_from(due_at), due_at):
            out += [at - timedelta(microseconds=1), at, at + timedelta(microseconds=1)]
    return sorted(set(out))


@pytest.mark.parametrize("thresholds", [Thresholds(), Thresholds(0.3, "PT36H"), Thresholds(0.5, "P1M")],
                         ids=["default", "hours", "calendar-month"])
def test_counts_per_street_are_the_rule_s_at_every_moment(services, lookup, clock, thresholds):
    _open_steps(services, lookup, clock)
    with services.db.read() as s:
        users = [s.scalar(sa.select(User).where(User.username == name)) for name in ("dubanban", "wjs_leader")]
        moments = _moments(s, thresholds)
        assert len(moments) > 30
        seen = set()
        for now in moments:
            for user in users:
                expected = _by_rule(s, user, now, thresholds)
                got = {g.path: Counter({k: v for k, v in g.counts.items() if v}) for g in
                       per_street(s, user, now, thresholds)}
                assert got == expected, now
                seen |= {on for c in got.values() for on in c}
    # Every light came on at some moment (with a month's warning, a step of days warns once it reminds).
    assert seen == ({Light.WARN, Light.ALARM} if thresholds.warn_before == "P1M"
                    else {Light.REMIND, Light.WARN, Light.ALARM})


def test_streets_are_named_and_the_most_alarming_comes_first(services, lookup, clock):
    _open_steps(services, lookup, clock)
    with services.db.read() as s:
        district = s.scalar(sa.select(User).where(User.username == "dubanban"))
        streets = per_street(s, district, clock.now().replace(tzinfo=None) + timedelta(days=30), Thresholds())
    assert [g.street for g in streets] == ["吴家山街", "金银湖街"]
    assert [g.counts[Light.ALARM] for g in streets] == [4, 2]

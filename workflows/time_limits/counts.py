"""The lights of the open steps in a supervisor's area, counted per street."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import HumanTask
from workflows.org import access
from workflows.org.models import Area
from workflows.time_limits.lights import Light, Thresholds, fixed_length, light
from workflows.vocabulary import TaskState


@dataclass
class StreetLights:
    street: str
    path: str
    counts: dict = field(default_factory=lambda: {Light.REMIND: 0, Light.WARN: 0, Light.ALARM: 0})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _street_path(area_path: str) -> str:
    # "/district/street/community/…/": the street is the second step of the materialized path.
    parts = [p for p in area_path.split("/") if p]
    return f"/{parts[0]}/{parts[1]}/" if len(parts) >= 2 else ""


def per_street(session: Session, user, now: datetime, thresholds: Thresholds) -> list[StreetLights]:
    """Open steps visible to `user` with a light on, counted per street (streets with none left out).

    Each step's light depends on its own start and deadline. The database decides it (the same rule as
    `light`, written in SQL) and counts per address, so a district's board reads one row per address
    with open steps, however many steps a province holds; a warning whose length depends on the date
    (months, years) is decided here, step by step, from the three columns of the task mirror."""
    open_steps = (HumanTask.state == TaskState.READY, HumanTask.due_at.is_not(None))
    visible = (*open_steps, access.visible_clause(HumanTask.area_path, user))
    warn_length = fixed_length(thresholds.warn_before)
    if warn_length is None:
        rows = session.connection().execute(
            sa.select(HumanTask.area_path, HumanTask.created_at, HumanTask.due_at).where(*visible))
        counted = ((path, light(now, created_at, due_at, thresholds), 1) for path, created_at, due_at in rows)
    else:
        # `light`, branch by branch: overdue; less than the remind share used; the deadline close; else 提醒.
        due, created = HumanTask.due_at, HumanTask.created_at
        on = sa.case((due <= now, Light.ALARM.value),
                     (sa.and_(created < due, sa.not_(_share_used(session, now, thresholds.remind_share))),
                      Light.NONE.value),
                     (due <= now + warn_length, Light.WARN.value),
                     else_=Light.REMIND.value).label("light")
        # One branch per part of the user's area (a district's range, its steps without an address), so
        # each reads its range of the open steps' index alone rather than the index of the whole province.
        lit = sa.union_all(*(sa.select(HumanTask.area_path, on).where(*open_steps, part)
                             for part in access.visible_parts(HumanTask.area_path, user))).subquery()
        per_address = (sa.select(lit.c.area_path, lit.c.light, sa.func.count().label("n"))
                       .where(lit.c.light != Light.NONE.value).group_by(lit.c.area_path, lit.c.light))
        if session.get_bind().dialect.name == "postgresql":
            # A district of a province has thousands of addresses with lights: the database adds them up
            # per street too (`_street_path` in SQL), so a few rows per street come back, not one per address.
            by_address = per_address.subquery()
            street = _street_sql(by_address.c.area_path)
            counted = session.connection().execute(
                sa.select(street, by_address.c.light, sa.func.sum(by_address.c.n))
                .group_by(street, by_address.c.light))
        else:
            counted = session.connection().execute(per_address)
    streets: dict[str, Counter] = {}
    street_of: dict[str, str] = {}  # many steps share an address
    for area_path, on, n in counted:
        if on == Light.NONE:
            continue
        path = street_of.get(area_path)
        if path is None:
            path = street_of[area_path] = _street_path(area_path)
        streets.setdefault(path, Counter())[Light(on)] += n
    # The names of just these streets (a province has hundreds of streets among its many thousand areas).
    names = dict(session.execute(sa.select(Area.path, Area.name).where(Area.kind == "street",
                                                                       Area.path.in_(streets))).all()) \
        if streets else {}
    lights = [StreetLights(names.get(path, "区直属"), path) for path in streets]
    for group in lights:
        group.counts.update(streets[group.path])
    return sorted(lights, key=lambda g: (-g.counts[Light.ALARM], -g.total, g.street))


def _street_sql(area_path):
    """`_street_path` in PostgreSQL: "/district/street/" of a path with at least two steps, else ""."""
    street = sa.func.split_part(area_path, "/", 3)
    return sa.case((street == "", ""), else_="/" + sa.func.split_part(area_path, "/", 2) + "/" + street + "/")


def _share_used(session: Session, now: datetime, share: float):
    """SQL for `light`'s "at least `share` of the time from creation to deadline is used", at `now`."""
    due, created = HumanTask.due_at, HumanTask.created_at
    if session.get_bind().dialect.name == "postgresql":
        # interval * a number is PostgreSQL's, not a product SQLAlchemy's Interval type declares: said by hand.
        used = sa.type_coerce(sa.type_coerce(due - created, sa.Float) * share, sa.Interval)
        return created + used <= now
    # SQLite keeps times as text (2026-11-01 09:30:00.000000): whole microseconds, compared as integers.
    return (_micros(now) - _sqlite_micros(created)) >= share * (_sqlite_micros(due) - _sqlite_micros(created))


_EPOCH = datetime(1970, 1, 1)


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _sqlite_micros(column):
    seconds = sa.cast(sa.func.strftime("%s", column), sa.Integer)
    return seconds * 1_000_000 + sa.cast(sa.func.substr(column, 21, 6), sa.Integer)

"""The lights of the open steps in a supervisor's area, counted per street."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import HumanTask
from workflows.org import access
from workflows.org.models import Area
from workflows.time_limits.lights import Light, Thresholds, light
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

    Each step's light depends on its own start and deadline, so it is decided here from the three columns read
    from the task mirror (no workflow is restored)."""
    rows = session.execute(
        sa.select(HumanTask.area_path, HumanTask.created_at, HumanTask.due_at)
        .where(HumanTask.state == TaskState.READY, HumanTask.due_at.is_not(None),
               access.visible_clause(HumanTask.area_path, user))).all()
    streets: dict[str, StreetLights] = {}
    names = dict(session.execute(sa.select(Area.path, Area.name).where(Area.kind == "street")).all())
    for area_path, created_at, due_at in rows:
        on = light(now, created_at, due_at, thresholds)
        if on == Light.NONE:
            continue
        path = _street_path(area_path)
        group = streets.setdefault(path, StreetLights(names.get(path, "区直属"), path))
        group.counts[on] += 1
    return sorted(streets.values(), key=lambda g: (-g.counts[Light.ALARM], -g.total, g.street))

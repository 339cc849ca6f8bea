"""Periods and areas as the statistics read them: office calendar days, months, and the areas one level down."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.org.areas import under
from workflows.org.models import AREA_KINDS, Area


def year_before(day: date) -> date:
    """The same day a year earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Part:
    """One row of a per-area breakdown: a child area, or the records addressed at the area itself."""

    name: str
    path: str
    exact: bool = False  # only records at `path` itself, not below it


def parts_of(session: Session, area_path: str) -> list[Part]:
    """The areas one level below `area_path` (a district's streets, a street's communities), then the area itself
    for records addressed no deeper than it; records without an address are not inside any area."""
    area = session.scalar(sa.select(Area).where(Area.path == area_path))
    if area is None:
        return []
    child_kind = AREA_KINDS[AREA_KINDS.index(area.kind) + 1] if area.kind != AREA_KINDS[-1] else None
    children = session.execute(sa.select(Area.name, Area.path).where(
        Area.parent_id == area.id, Area.kind == child_kind).order_by(Area.path)).all() if child_kind else []
    return [Part(name, path) for name, path in children] + [Part(f"{area.name}（本级）", area.path, exact=True)]


def in_part(session: Session, column, part: Part):
    return column == part.path if part.exact else under(session, column, part.path)

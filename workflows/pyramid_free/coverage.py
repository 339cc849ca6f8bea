"""Coverage (Annex 3 row 6): named / total communities per street and for the area asked, and named / registered
platforms; the target is 95%. A community or platform counts when it holds a name (of that year or earlier) that
has not been revoked; a revoked one counts against coverage."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.org import areas
from workflows.org.models import Area
from workflows.pyramid_free.models import Naming, Platform
from workflows.pyramid_free.options import COMMUNITY, PLATFORM
from workflows.vocabulary import NAMED_STATUSES

TARGET = 95.0


@dataclass
class Figure:
    label: str
    named: int
    total: int

    @property
    def rate(self) -> float:
        return round(self.named * 100 / self.total, 1) if self.total else 0.0

    @property
    def meets_target(self) -> bool:
        return self.total > 0 and self.rate >= TARGET


def _named_ids(session: Session, subject: str, column, area_path: str, year: int) -> set[int]:
    return set(session.scalars(sa.select(column).where(
        Naming.subject == subject, Naming.status.in_(NAMED_STATUSES), Naming.year <= year,
        areas.under(session, Naming.area_path, area_path))))


def coverage(session: Session, area_path: str, year: int) -> dict:
    """{"communities": Figure, "streets": [Figure per street], "platforms": Figure, "target": 95.0}."""
    communities = session.execute(sa.select(Area.id, Area.path).where(
        Area.kind == "community", areas.under(session, Area.path, area_path))).all()
    named = _named_ids(session, COMMUNITY, Naming.area_id, area_path, year)
    streets = session.execute(sa.select(Area.name, Area.path).where(
        Area.kind == "street", areas.under(session, Area.path, area_path)).order_by(Area.path)).all()
    per_street = []
    for street in streets:
        inside = [c.id for c in communities if c.path.startswith(street.path)]
        per_street.append(Figure(street.name, len([i for i in inside if i in named]), len(inside)))
    platforms = set(session.scalars(sa.select(Platform.id).where(areas.under(session, Platform.area_path, area_path))))
    named_platforms = _named_ids(session, PLATFORM, Naming.platform_id, area_path, year) & platforms
    total = Figure("社区（村）合计", len([c for c in communities if c.id in named]), len(communities))
    return {"communities": total, "streets": per_street, "target": TARGET,
            "platforms": Figure("网络平台", len(named_platforms), len(platforms))}

"""The org model: the address tree and who answers for an area at each level of the five contracts."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.org.models import FIVE_CONTRACT_LEVEL_KIND, Area, FiveContractAssignment


def add_area(session: Session, name: str, kind: str, parent: Area | None = None, **kw) -> Area:
    """Create an area below `parent`, with its materialized path and full name."""
    area = Area(name=name, kind=kind, parent_id=parent.id if parent else None, **kw)
    session.add(area)
    session.flush()
    area.path = f"{parent.path if parent else '/'}{area.id}/"
    area.full_name = f"{parent.full_name}{name}" if parent and parent.kind != "district" else name
    return area


def ancestors(session: Session, area: Area) -> list[Area]:
    """The area and everything above it, nearest first, in one query."""
    ids = [int(x) for x in area.path.strip("/").split("/") if x]
    rows = {a.id: a for a in session.scalars(sa.select(Area).where(Area.id.in_(ids)))}
    return [rows[i] for i in reversed(ids) if i in rows]


def chain(session: Session, area: Area) -> dict[int, Area]:
    """Five-contracts level -> the area answerable at that level for an address in `area`."""
    by_kind = {a.kind: a for a in ancestors(session, area)}
    return {level: by_kind[kind] for level, kind in FIVE_CONTRACT_LEVEL_KIND.items() if kind in by_kind}


def first_level(session: Session, area: Area) -> int:
    """The lowest level whose area holds the address (就近就快)."""
    levels = chain(session, area)
    return min(levels) if levels else 5


def responsible(session: Session, area: Area, level: int) -> tuple[Area | None, int | None]:
    """(area at that level, the user assigned to it) for an address; the user may be unassigned (None)."""
    levels = chain(session, area)
    # A level with no area of its kind above the address (e.g. an address recorded only to the
    # compound) falls to the next level that has one.
    for lvl in range(level, 6):
        if lvl in levels:
            target = levels[lvl]
            user_id = session.scalar(sa.select(FiveContractAssignment.user_id).where(
                FiveContractAssignment.area_id == target.id, FiveContractAssignment.level == lvl))
            return target, user_id
    return None, None


def area_by_address(session: Session, address: str | None) -> Area | None:
    """The area whose standard address (full name) is `address`, ignoring surrounding spaces."""
    address = (address or "").strip()
    return session.scalar(sa.select(Area).where(Area.full_name == address)) if address else None


def full_address(session: Session, area: Area, city: str = "") -> str:
    """The address as documents print it: city, district, then the standard address (武汉市东西湖区吴家山街…)."""
    root_id = int(area.path.strip("/").split("/")[0]) if area.path.strip("/") else area.id
    district = session.get(Area, root_id)
    district_name = district.name if district is not None and district.kind == "district" else ""
    name = area.full_name if area.kind != "district" else ""
    return f"{city}{district_name}{name}"


def path_range(column, path: str, postgres: bool):
    """`column` (an area path) lies in the subtree `path` ("/1/4/"), written so each database can use its index.

    SQLite compares bytes, and paths hold only digits and "/" ("0" follows "/" in ASCII), so every descendant of
    "/1/4/" sorts between "/1/4/" and "/1/40": a range scan (its LIKE ignores case and so never uses the index).
    PostgreSQL's collation may ignore punctuation when sorting, which would break that range, so there it is a
    literal prefix LIKE (indexable with a C collation or the pattern-ops indexes).
    """
    if postgres:
        return column.like(path + "%")
    return sa.and_(column >= path, column < path[:-1] + "0")


def under(session: Session, column, path: str):
    """`path_range` for the database `session` is bound to."""
    return path_range(column, path, session.get_bind().dialect.name == "postgresql")

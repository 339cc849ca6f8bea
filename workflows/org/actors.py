"""A user as the access rule (workflows.org.access) reads them, from plain columns: for a check made in the
same statement that reads what is checked, where loading the User and Area models would cost more than the
check. Read afresh by every action: nothing of it is kept between actions."""
from __future__ import annotations

from typing import NamedTuple

from workflows.org.models import Area, User


class ActorArea(NamedTuple):
    """What the access rule asks of a user's area."""

    id: int
    parent_id: int | None
    path: str


class Actor:
    """The answers the access rule asks of a user: id, active, roles, area; read-only."""

    __slots__ = ("id", "active", "role_set", "area")

    def __init__(self, user_id: int, active: bool, roles: str, area_id: int | None, area_parent_id: int | None,
                 area_path: str | None):
        self.id, self.active = user_id, active
        self.role_set = frozenset(roles.split())
        self.area = ActorArea(area_id, area_parent_id, area_path) if area_id is not None else None

    def has_role(self, role: str) -> bool:
        return role in self.role_set


# The columns an Actor is made of, in its constructor's order; the area's come from an outer join of Area
# on User.area_id.
ACTOR_COLUMNS = (User.id, User.active, User.roles, User.area_id, Area.parent_id, Area.path)

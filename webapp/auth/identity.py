"""The logged-in user for Flask-Login: read afresh on every request (one Core statement, the user's row with the
few columns of its area), so a deactivation, a logout elsewhere, a password or role change takes effect on the
very next request."""
from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm.attributes import set_committed_value

from workflows.org.models import Area, User
from workflows.org.roles import ROLE_NAMES

from ..db import OneRow, read_session
from ..extensions import login_manager
from ..params import is_number


class AreaRef(NamedTuple):
    """What a request asks of the user's own area: the access rule reads its path and parent, pages its name."""

    id: int
    parent_id: int | None
    kind: str
    path: str
    full_name: str


class Identity(UserMixin):
    """The logged-in user: the answers the access rule (workflows.org.access) asks of a user — id, active,
    roles, area — read with the request; the full User model only for a page that asks for it (`user`).

    The session id carries the user's session generation and a piece of the password hash, so a logout, a
    password change or reset, or a deactivation ends every session server-side."""

    def __init__(self, user: User | None = None, *, row=None):
        if user is not None:  # at login: the model just read
            self._user = user
            area = user.area
            row = (user.id, user.username, user.display_name, user.roles, user.active, user.session_generation,
                   user.password_hash, user.must_change_password, user.area_id, user.department_id,
                   area.parent_id if area else None, area.kind if area else None, area.path if area else None,
                   area.full_name if area else None)
        else:
            self._user = None
        (self.id, self.username, self.display_name, self.roles, self.active, self.session_generation,
         password_hash, self.must_change_password, self.area_id, self.department_id,
         area_parent, area_kind, area_path, area_name) = row
        self._fingerprint = password_hash[-12:]
        self.role_set = frozenset(self.roles.split())
        self.area = AreaRef(self.area_id, area_parent, area_kind, area_path, area_name) if self.area_id is not None else None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}:{self._fingerprint}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    @property
    def role_names(self) -> str:
        return "、".join(ROLE_NAMES.get(r, r) for r in sorted(self.role_set))

    @property
    def user(self) -> User:
        """The User model (with its area) in this request's read session, loaded when a page first asks."""
        if self._user is None:
            found = read_session().execute(_USER_WITH_AREA, {"b_id": self.id}).first()
            if found is None:  # deleted since the request began: nobody, as the next request will find
                raise LookupError(f"user {self.id} is gone")
            self._user = found[0]
            set_committed_value(self._user, "area", found[1])
        return self._user


@login_manager.user_loader
def load_user(token: str):
    user_id, generation, fingerprint = (token.split(":", 2) + ["", ""])[:3]
    if not (is_number(user_id) and generation.isascii() and generation.isdigit()):
        return None
    # In the request's read transaction: a plain row costs a fraction of loading the ORM entity.
    row = _IDENTITY_ROW.first(b_id=int(user_id))
    if row is None:
        return None
    found = Identity(row=row)
    if not found.active or str(found.session_generation) != generation or found._fingerprint != fingerprint:
        return None
    return found


_users, _areas = User.__table__, Area.__table__
# Every request reads its user: the columns the access rule and the page header need, the area's in the same row.
_IDENTITY_ROW = OneRow(
    sa.select(_users.c.id, _users.c.username, _users.c.display_name, _users.c.roles, _users.c.active,
              _users.c.session_generation, _users.c.password_hash, _users.c.must_change_password,
              _users.c.area_id, _users.c.department_id, _areas.c.parent_id.label("area_parent_id"),
              _areas.c.kind.label("area_kind"), _areas.c.path.label("area_path"),
              _areas.c.full_name.label("area_full_name"))
    .select_from(_users.outerjoin(_areas, _areas.c.id == _users.c.area_id))
    .where(_users.c.id == sa.bindparam("b_id")))
# A page that needs the model itself (e.g. a service's argument) loads it with its area in one statement.
_USER_WITH_AREA = (sa.select(User, Area).outerjoin(Area, Area.id == User.area_id)
                   .where(User.id == sa.bindparam("b_id")))

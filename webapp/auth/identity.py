"""The logged-in user for Flask-Login: the User row, loaded once per request with its area (one statement)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm.attributes import set_committed_value

from workflows.org.models import Area, User
from workflows.org.roles import ROLE_NAMES

from ..db import read_session
from ..extensions import login_manager
from ..params import is_number


class Identity(UserMixin):
    """Wraps the User model; the session id carries the user's session generation and a piece of the password
    hash, so a logout, a password change or reset, or a deactivation ends every session server-side."""

    def __init__(self, user: User):
        self.user = user
        self.id = user.id

    def get_id(self) -> str:
        return session_token(self.user)

    @property
    def is_active(self) -> bool:
        return self.user.active

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def display_name(self) -> str:
        return self.user.display_name

    @property
    def role_set(self) -> set[str]:
        return self.user.role_set

    def has_role(self, role: str) -> bool:
        return self.user.has_role(role)

    @property
    def role_names(self) -> str:
        return "、".join(ROLE_NAMES.get(r, r) for r in sorted(self.user.role_set))

    @property
    def must_change_password(self) -> bool:
        return self.user.must_change_password

    @property
    def area(self):
        return self.user.area


def session_token(user: User) -> str:
    return f"{user.id}:{user.session_generation}:{user.password_hash[-12:]}"


@login_manager.user_loader
def load_user(token: str):
    user_id, generation, fingerprint = (token.split(":", 2) + ["", ""])[:3]
    if not (is_number(user_id) and generation.isascii() and generation.isdigit()):
        return None
    row = read_session().execute(_USER_WITH_AREA, {"b_id": int(user_id)}).first()
    user = row[0] if row is not None else None
    if user is not None:
        set_committed_value(user, "area", row[1])
    if (user is None or not user.active or str(user.session_generation) != generation
            or user.password_hash[-12:] != fingerprint):
        return None
    return Identity(user)


# Every request loads its user: the statement is built once, and the user's area comes in the same round trip
# as a plain entity (cheaper than eager loading). The department, which no page reads of the current user,
# loads only if something asks for it.
_USER_WITH_AREA = (sa.select(User, Area).outerjoin(Area, Area.id == User.area_id)
                   .where(User.id == sa.bindparam("b_id")))

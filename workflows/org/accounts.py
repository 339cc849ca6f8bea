"""Users and passwords (hashed with werkzeug's scrypt; plain text is never stored)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from workflows.org.models import User


def add_user(session: Session, username: str, password: str | None, display_name: str, roles: str,
             area=None, department=None, phone: str = "", password_hash: str | None = None) -> User:
    """Create a user; pass `password_hash` to reuse one hash (demo accounts share a password)."""
    user = User(username=username, password_hash=password_hash or generate_password_hash(password),
                display_name=display_name,
                roles=roles, area_id=area.id if area else None, department_id=department.id if department else None,
                phone=phone)
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username))

"""How a person is named wherever someone picks one: two officers may share a name, never a unit and a user name."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from workflows.org.models import User


def person_label(user: User) -> str:
    """黄玉兰（吴家山街道办事处 · 吴家山街第一社区 · 账号 huangyl）"""
    unit = user.department.name if user.department else ""
    place = user.area.full_name if user.area else ""
    parts = [p for p in (unit, place, f"账号 {user.username}") if p]
    return f"{user.display_name}（{' · '.join(parts)}）"


def people_named(session: Session, display_name: str, except_id: int | None = None) -> list[User]:
    """Active users already called `display_name` (for the warning before a second one is created)."""
    query = (sa.select(User).options(joinedload(User.area), joinedload(User.department))
             .where(User.display_name == display_name.strip(), User.active.is_(True)).order_by(User.username))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return list(session.scalars(query))

"""Administration writes: each is one unit of work with an audit event, like the engine's own actions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from workflows import audit
from workflows.org.accounts import add_user, by_username, set_password
from workflows.exceptions import WorkflowError
from workflows.org.models import Area, Department, FiveContractAssignment, User


def create_user(db, now: datetime, actor_id: int, *, username: str, password: str, display_name: str,
                roles: list[str], area_id: int, department_id: int | None, phone: str) -> int:
    with db.unit_of_work() as s:
        if by_username(s, username):
            raise WorkflowError(f"用户名 {username} 已存在。")
        area = s.get(Area, area_id)
        department = s.get(Department, department_id) if department_id else None
        user = add_user(s, username, password, display_name, " ".join(sorted(roles)), area, department, phone)
        audit.record(s, now, "user_created", actor_id, username=username, roles=user.roles, area_id=area_id)
        return user.id


def update_user(db, now: datetime, actor_id: int, user_id: int, *, display_name: str, roles: list[str],
                area_id: int, department_id: int | None, phone: str, active: bool) -> None:
    with db.unit_of_work() as s:
        user = _user(s, user_id)
        if user.id == actor_id and ("admin" not in roles or not active):
            raise WorkflowError("不能停用自己的账号或取消自己的管理员角色。")
        before = {"roles": user.roles, "area_id": user.area_id, "active": user.active}
        user.display_name, user.roles = display_name, " ".join(sorted(roles))
        user.area_id, user.department_id, user.phone, user.active = area_id, department_id, phone, active
        audit.record(s, now, "user_updated", actor_id, user_id=user.id, before=before,
                     after={"roles": user.roles, "area_id": area_id, "active": active})


def reset_password(db, now: datetime, actor_id: int, user_id: int, password: str) -> None:
    """A new password; it also unlocks the account and ends the user's open sessions."""
    with db.unit_of_work() as s:
        user = _user(s, user_id)
        set_password(user, password)
        user.failed_logins, user.locked_until = 0, None
        audit.record(s, now, "password_reset", actor_id, user_id=user.id)


def unlock(db, now: datetime, actor_id: int, user_id: int) -> None:
    with db.unit_of_work() as s:
        user = _user(s, user_id)
        user.failed_logins, user.locked_until = 0, None
        audit.record(s, now, "user_unlocked", actor_id, user_id=user.id)


def set_assignment(db, now: datetime, actor_id: int, area_id: int, level: int, user_id: int | None) -> None:
    """Who answers for `area` at `level` of the five contracts; None removes the assignment."""
    with db.unit_of_work() as s:
        row = s.scalar(sa.select(FiveContractAssignment).where(FiveContractAssignment.area_id == area_id,
                                                               FiveContractAssignment.level == level))
        before = row.user_id if row else None
        if user_id is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(FiveContractAssignment(area_id=area_id, level=level, user_id=_user(s, user_id).id))
        else:
            row.user_id = _user(s, user_id).id
        audit.record(s, now, "assignment_changed", actor_id, area_id=area_id, level=level,
                     before_user_id=before, user_id=user_id)


def _user(s, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise WorkflowError("没有这个用户。")
    return user

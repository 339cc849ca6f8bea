"""Administration of the organisation: users, passwords, login delays and five-contract assignments.

Each function is one action: one unit of work, refused unless the actor is an active administrator, and
recorded in the audit log with who and when.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.exceptions import PermissionDenied, WorkflowError
from workflows.org import throttle
from workflows.org.access import active_user
from workflows.org.accounts import add_user, by_username, check_new_password, end_sessions, set_password
from workflows.org.models import Area, Department, FiveContractAssignment, User
from workflows.org.roles import ADMIN


def create_user(services, actor_id: int, *, username: str, password: str, display_name: str, roles: list[str],
                area_id: int | None, department_id: int | None, phone: str) -> int:
    """A new account with its roles, area and initial password; returns its id."""
    with services.db.unit_of_work() as s:
        _admin(s, actor_id)
        if by_username(s, username):
            raise WorkflowError(f"用户名 {username} 已存在。")
        area = s.get(Area, area_id) if area_id else None
        department = s.get(Department, department_id) if department_id else None
        check_new_password(password, username)
        user = add_user(s, username, password, display_name, " ".join(sorted(roles)), area, department, phone)
        # The administrator knows this password: the user replaces it at the first login.
        user.must_change_password = True
        audit.record(s, services.workflow.now(), "user_created", actor_id, username=username,
                     roles=user.roles, area_id=area_id)
        return user.id


def update_user(services, actor_id: int, user_id: int, *, display_name: str, roles: list[str],
                area_id: int | None, department_id: int | None, phone: str, active: bool) -> None:
    """Change an account's name, roles, area, unit and phone, or disable it (never one's own)."""
    with services.db.unit_of_work() as s:
        _admin(s, actor_id)
        user = _user(s, user_id)
        if user.id == actor_id and (ADMIN not in roles or not active):
            raise WorkflowError("不能停用自己的账号或取消自己的管理员角色。")
        before = {"roles": user.roles, "area_id": user.area_id, "active": user.active}
        user.display_name, user.roles = display_name, " ".join(sorted(roles))
        user.area_id, user.department_id, user.phone, user.active = area_id, department_id, phone, active
        now = services.workflow.now()
        audit.record(s, now, "user_updated", actor_id, user_id=user.id, before=before,
                     after={"roles": user.roles, "area_id": area_id, "active": active})
        if before["active"] and not active:
            end_sessions(s, now, user, "deactivated", actor_id)


def reset_password(services, actor_id: int, user_id: int, password: str) -> None:
    """A new password the user must replace at the next login; it also lifts login delays on the account and
    ends the user's open sessions."""
    with services.db.unit_of_work() as s:
        _admin(s, actor_id)
        user = _user(s, user_id)
        check_new_password(password, user.username)
        set_password(user, password)
        user.must_change_password = True
        throttle.clear_account(s, user.username)
        now = services.workflow.now()
        audit.record(s, now, "password_reset", actor_id, user_id=user.id)
        end_sessions(s, now, user, "password_reset", actor_id)


def unlock(services, actor_id: int, user_id: int) -> None:
    """Lift the login delays on an account, from every address."""
    with services.db.unit_of_work() as s:
        _admin(s, actor_id)
        user = _user(s, user_id)
        lifted = throttle.clear_account(s, user.username)
        audit.record(s, services.workflow.now(), "user_unlocked", actor_id, user_id=user.id, lifted=lifted)


def set_assignment(services, actor_id: int, area_id: int, level: int, user_id: int | None) -> None:
    """Who answers for `area` at `level` of the five contracts; None removes the assignment."""
    with services.db.unit_of_work() as s:
        _admin(s, actor_id)
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
        audit.record(s, services.workflow.now(), "assignment_changed", actor_id, area_id=area_id, level=level,
                     before_user_id=before, user_id=user_id)


def _admin(s: Session, actor_id: int) -> User:
    actor = active_user(s, actor_id)
    if not actor.has_role(ADMIN):
        raise PermissionDenied("只有系统管理员可以管理用户和五包责任人。")
    return actor


def _user(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise WorkflowError("没有这个用户。")
    return user

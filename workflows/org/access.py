"""Who may see and change area-scoped records (ledgers, sweeps): one rule, used everywhere."""
from __future__ import annotations

from sqlalchemy.orm import Session

from workflows.exceptions import PermissionDenied
from workflows.org.models import User


def active_user(session: Session, user_id) -> User:
    """The acting user, who must exist and be active."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        raise PermissionDenied("请先登录。")
    return user


def visible_prefix(user: User, what: str) -> str:
    """The area path prefix a user may see; the district-wide administrator sees everything."""
    if user.has_role("admin") and user.area is None:
        return "/"
    if user.area is None:
        raise PermissionDenied(f"您的账号未设置辖区，无法查看{what}。")
    return user.area.path


def check_edit(user: User, area_path: str, roles: set[str], refused: str, what: str) -> None:
    """Refuse a change unless the user holds one of `roles` and the place lies in their area."""
    if not (user.role_set & roles):
        raise PermissionDenied(refused)
    if not area_path.startswith(visible_prefix(user, what)):
        raise PermissionDenied("该地址不在您的辖区内。")


def can_act(user: User, task) -> bool:
    """Whether `user` may complete a task (a human-task mirror row): its assignee, or, while it is in a role's
    shared inbox, a holder of that role whose area contains the task's."""
    if not user.active:
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return (task.role in user.role_set and user.area is not None
            and task.area_path.startswith(user.area.path))

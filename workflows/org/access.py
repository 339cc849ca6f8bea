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

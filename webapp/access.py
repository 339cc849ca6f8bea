"""Access rules in one place: who may see a case, act on a task, or open a role's pages."""
from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from workflows.org.models import Area
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org import access as rules

from .db import read_session, services


def under(column, path: str):
    """`column` lies in the subtree `path` ("/1/4/"), written so each database can use its index.

    SQLite compares bytes, and paths hold only digits and "/" ("0" follows "/" in ASCII), so every
    descendant of "/1/4/" sorts between "/1/4/" and "/1/40": a range scan. PostgreSQL's collation
    may ignore punctuation when sorting, which would break that range, so there it is a literal
    prefix LIKE (indexable with a C collation or text_pattern_ops).
    """
    if services().db.is_postgres:
        return column.like(path + "%")
    return sa.and_(column >= path, column < path[:-1] + "0")


def within(column, path: str):
    """The same test as `under`, written so that no index on `column` can serve it.

    For queries that another index should drive (e.g. overdue steps in due-date order): given an
    indexable area range, the planners prefer walking the area, which for a district is everything.
    """
    return sa.func.substr(column, 1, len(path)) == path


def sees_path(user, area_path: str | None) -> bool:
    """Whether `user`'s area contains `area_path`. A case with no address belongs to the whole district."""
    if not user.is_authenticated or user.area is None:
        return False
    if not area_path:
        return user.area.parent_id is None
    return area_path.startswith(user.area.path)


def visible_instance(instance_id: int) -> ProcessInstance:
    """The instance, or 404 when it does not exist and 403 when it lies outside the user's area."""
    inst = read_session().get(ProcessInstance, instance_id)
    if inst is None:
        abort(404, "找不到该案件。")
    if not sees_path(current_user, inst.area_path):
        abort(403, "该案件不在您的辖区内，您无权查看。")
    return inst


def may_see_instance(instance_id: int) -> bool:
    inst = read_session().get(ProcessInstance, instance_id)
    return inst is not None and sees_path(current_user, inst.area_path)


def can_act(user, task: HumanTask) -> bool:
    """The engine's own rule (assignee, or role over the area), so the page never offers what the engine refuses."""
    return user.is_authenticated and rules.can_act(user.user, task)


def task_or_404(task_id: str) -> HumanTask:
    task = read_session().get(HumanTask, task_id)
    if task is None:
        abort(404, "找不到该任务，可能已被撤销。请刷新待办列表。")
    return task


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site; "//evil.example" or "https://..." would leave it."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def role_required(*roles: str):
    """Only users holding one of `roles`; everybody else gets the 403 page."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not current_user.role_set & set(roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def areas_below(user, kinds: tuple[str, ...]) -> list[Area]:
    """Areas of the given kinds inside the user's area (for filters and pickers)."""
    if user.area is None:
        return []
    return list(read_session().scalars(
        sa.select(Area).where(under(Area.path, user.area.path), Area.kind.in_(kinds))
        .order_by(Area.path)))

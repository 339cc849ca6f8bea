"""The web side of the one access rule (workflows.org.access): its answers for the logged-in user, and the
same test written as indexable SQL for the lists."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required
from werkzeug.local import LocalProxy

from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org import access as rules
from workflows.org import areas
from workflows.org.models import Area
from workflows.substitutes import service as substitutes

from .db import now, read_session, services


def resolved(user):
    """The user behind `current_user`: the proxy looks the user up again on every attribute read, and the access
    rule reads several."""
    return user._get_current_object() if isinstance(user, LocalProxy) else user


def under(column, path: str):
    """`column` lies in the subtree `path`, as an index range (workflows.org.areas.under) on this app's database."""
    return areas.path_range(column, path, services().db.is_postgres)


def within(column, path: str):
    """The same test as `under`, written so that no index on `column` can serve it.

    For queries that another index should drive (e.g. overdue steps in due-date order): given an
    indexable area range, the planners prefer walking the area, which for a district is everything.
    """
    return sa.func.substr(column, 1, len(path)) == path


def in_scope(column, user, indexed: bool = True):
    """The one rule (workflows.org.access.sees) as a WHERE clause on an area path column, for `user`.

    `indexed` picks `under` (the path index drives the query) or `within` (another index does). A user who
    sees nothing gets FALSE; a district-wide user also gets the records without an address.
    """
    user = resolved(user)
    account = user if user.is_authenticated else None
    prefix = rules.scope_of(account)
    if prefix is None:
        return sa.false()
    clause = under(column, prefix) if indexed else within(column, prefix)
    return sa.or_(clause, column == "") if rules.district_wide(account) else clause


def scope_parts(column, user) -> list:
    """`in_scope` (indexed) as disjoint conditions whose rows together are the same: a count over their
    UNION ALL reads one index range each, where PostgreSQL gives up the range for "prefix OR empty"."""
    user = resolved(user)
    return rules.visible_parts(column, user if user.is_authenticated else None, under)


def sees(user, area_path: str | None) -> bool:
    """The one rule for the logged-in `user` (anonymous visitors see nothing)."""
    user = resolved(user)
    return user.is_authenticated and rules.sees(user, area_path)


def visible_record(model, record_id: int, missing: str, outside: str):
    """The `model` row (one with an area_path), or 404 saying `missing` when there is none and 403 saying
    `outside` when it lies outside the user's area."""
    record = read_session().get(model, record_id)
    if record is None:
        abort(404, missing)
    if not sees(current_user, record.area_path):
        abort(403, outside)
    return record


def visible_instance(instance_id: int) -> ProcessInstance:
    """The instance, or 404 when it does not exist and 403 when it lies outside the user's area."""
    return visible_record(ProcessInstance, instance_id, "找不到该案件。", "该案件不在您的辖区内，您无权查看。")


def may_see_instance(instance_id: int) -> bool:
    inst = read_session().get(ProcessInstance, instance_id)
    return inst is not None and sees(current_user, inst.area_path)


def can_act(user, task: HumanTask) -> bool:
    """The engine's own rule (assignee, or role over the area, or standing in for the assignee), so the page
    never offers what the engine refuses."""
    user = resolved(user)
    return user.is_authenticated and (rules.can_act(user, task) or stands_in(user, task))


def stands_in(user, task: HumanTask) -> bool:
    """Whether `user` does `task` today as the substitute (代班) of its assignee."""
    user = resolved(user)
    if not (user.is_authenticated and user.active) or task.assignee_id in (None, user.id):
        return False  # nobody to stand in for (substitutes.stands_in says the same), no look-up
    return substitutes.stands_in(
        read_session(), user.id, task.assignee_id, now())


TASK_GONE = "找不到该任务，可能已被撤销。请刷新待办列表。"


def task_or_404(task_id: str) -> HumanTask:
    task = read_session().get(HumanTask, task_id)
    if task is None:
        abort(404, TASK_GONE)
    return task


def safe_next(target: str | None) -> str | None:
    """`target` if it is a plain path on this site, else None.

    Browsers drop tabs and line breaks from a URL and read "\\" as "/", so "/\t/evil.example" would become
    "//evil.example" (another host); a line break in a Location header is refused by the server. Anything
    holding a control character, a space or a backslash is therefore refused outright, and what is left
    must parse as a path with neither scheme nor host.
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "//" in parts.path[:2]:
        return None
    return target


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
    user = resolved(user)
    prefix = rules.scope_of(user) if user.is_authenticated else None
    if prefix is None:
        return []
    return list(read_session().scalars(
        sa.select(Area).where(under(Area.path, prefix), Area.kind.in_(kinds))
        .order_by(Area.path)))

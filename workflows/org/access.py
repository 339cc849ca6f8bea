"""The one access rule: who may see and act on what, by area and role.

Every page, export, API call and notice asks these functions; nothing else compares area paths to decide
access. The rule:

- A user sees the records whose area path lies inside their own area (paths are materialized: "/1/4/"
  contains "/1/4/17/").
- The district-wide administrator — the admin role and no area — sees everything in the district (the
  prefix "/"). The district is the whole system, so an administrator without an area is the district's,
  not nobody's.
- Any other user without an area sees nothing: actions are refused with a message saying the account has no
  area, boolean checks answer False.
- A record without an address belongs to the whole district: only users whose area is the district root
  (or the district-wide administrator) see it.
- Acting on a task needs its assignee, or (while it waits in a role's shared inbox) that role and sight of
  the task's area; changing a ledger or sweep needs one of the domain's roles and sight of the place;
  reassigning needs the supervisor role and sight of the task's area, and the person who receives the task
  must hold the task's role (its lane's) and work in an area that holds the task's address — otherwise a
  reassignment would hand a case's persons to someone who may not see them.

Domains add rights on top (the first receiver of a complaint keeps sight of it, 首接负责) but never a
second version of these.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, joinedload

from workflows.exceptions import PermissionDenied
from workflows.org.models import Area, User
from workflows.org.roles import ADMIN, LANE_ROLES, ROLE_NAMES, SUPERVISOR

DISTRICT_WIDE = "/"  # the prefix of every area path


def active_user(session: Session, user_id) -> User:
    """The acting user, who must exist and be active."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        raise PermissionDenied("请先登录。")
    return user


def scope_of(user: User | None) -> str | None:
    """The area path prefix `user` may see, or None when they may see nothing (never raises)."""
    if user is None or not user.active:
        return None
    if user.area is not None:
        return user.area.path
    return DISTRICT_WIDE if user.has_role(ADMIN) else None


def visible_prefix(user: User, what: str = "辖区内的记录") -> str:
    """The area path prefix `user` may see; PermissionDenied for a user without an area (not an admin)."""
    prefix = scope_of(user)
    if prefix is None:
        raise PermissionDenied(f"您的账号未设置辖区，无法查看或办理{what}。请联系系统管理员设置辖区。")
    return prefix


def district_wide(user: User | None) -> bool:
    """Whether `user` answers for the whole district: their area is its root, or the district-wide admin."""
    prefix = scope_of(user)
    return prefix is not None and (prefix == DISTRICT_WIDE or user.area.parent_id is None)


def sees(user: User | None, area_path: str | None) -> bool:
    """Whether `user` may see a record at `area_path`; an empty path (no address) is the whole district's."""
    prefix = scope_of(user)
    if prefix is None:
        return False
    if not area_path:
        return district_wide(user)
    return area_path.startswith(prefix)


def visible_clause(column, user: User | None):
    """`sees` as a portable SQL condition on an area path column, for services' own queries.

    The web app's lists use webapp.access.in_scope instead, which writes the same test so that each
    database can use its index.
    """
    prefix = scope_of(user)
    if prefix is None:
        return sa.false()
    clause = column.startswith(prefix)
    return sa.or_(clause, column == "") if district_wide(user) else clause


def visible_parts(column, user: User | None, subtree=None) -> list:
    """`visible_clause` as disjoint conditions whose rows together are the same, for a UNION ALL: each part
    reads one index range, where PostgreSQL, given "prefix OR empty", scans the whole index instead.
    `subtree(column, prefix)` writes the area's part (default: the path starts with the prefix)."""
    prefix = scope_of(user)
    if prefix is None:
        return [sa.false()]
    area = subtree(column, prefix) if subtree is not None else column.startswith(prefix)
    return [area] + ([column == ""] if district_wide(user) else [])


def check_sees(user: User, area_path: str | None, refused: str = "该记录不在您的辖区内。",
               what: str = "辖区内的记录") -> None:
    """Refuse unless `user` may see `area_path` (a user without an area hears why)."""
    visible_prefix(user, what)
    if not sees(user, area_path):
        raise PermissionDenied(refused)


def check_edit(user: User, area_path: str, roles: set[str], refused: str, what: str = "辖区内的记录") -> None:
    """Refuse a change unless the user holds one of `roles` and may see the place."""
    if not (user.role_set & roles):
        raise PermissionDenied(refused)
    check_sees(user, area_path, "该地址不在您的辖区内。", what)


def can_act(user: User, task) -> bool:
    """Whether `user` may complete a task (a human-task mirror row): its assignee, or, while it is in a role's
    shared inbox, a holder of that role who sees the task's area."""
    if not user.active:
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return task.role in user.role_set and sees(user, task.area_path)


def may_reassign(user: User, task_area_path: str | None) -> bool:
    """Whether `user` may move a task to another person or level: supervisors, within what they see."""
    return user.active and user.has_role(SUPERVISOR) and sees(user, task_area_path)


def receive_problem(user: User, task_role: str, task_area_path: str | None) -> str | None:
    """Why `user` may not be handed a task of `task_role` at `task_area_path` (None: they may): an active
    account, the task's role, and an area that holds the task's address."""
    if not user.active:
        return f"{user.display_name} 的账号已停用，不能接收任务。"
    if not sees(user, task_area_path):
        return f"{user.display_name} 的辖区不包含该事项的地址，不能接收。"
    if task_role and task_role not in user.role_set:
        return f"{user.display_name} 不是{ROLE_NAMES.get(task_role, task_role)}，不能接收该岗位的任务。"
    return None


def reassignable_users(session: Session, supervisor: User) -> list[User]:
    """The people a supervisor may hand work to: active, holding a role that works in the processes, and
    working in an area that holds some place the supervisor sees (inside it, or one of the areas above it).
    Each reassignment still checks `receive_problem` against the task itself."""
    prefix = scope_of(supervisor)
    if prefix is None or not supervisor.has_role(SUPERVISOR):
        return []
    parts = [p for p in prefix.split("/") if p]
    above = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]
    # Their area and unit come in the same statement: the board names each of them by both (person_label).
    # The areas are picked first, each kind by its own index range: given "prefix OR one of these" PostgreSQL
    # walked every area of a province (22,000) to match them with the users.
    areas = sa.union_all(sa.select(Area.id).where(Area.path.startswith(prefix)),
                         *([sa.select(Area.id).where(Area.path.in_(above))] if above else []))
    users = session.scalars(sa.select(User).join(Area, User.area_id == Area.id)
                            .options(contains_eager(User.area), joinedload(User.department))
                            .where(User.active.is_(True), Area.id.in_(areas))
                            .order_by(Area.path, User.display_name))
    return [u for u in users if u.role_set & set(LANE_ROLES.values())]

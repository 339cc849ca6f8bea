"""Setting, ending and reading substitutes (代班).

A substitution is read at the moment it matters (inbox, task page, completion): whoever stands in for an
officer sees and does the tasks assigned to that officer, the old and the new ones, from `starts_at` until
`ends_at`; after that it simply no longer applies, so it ends by itself with nothing to undo. Completing a
task as a substitute is audited with both people (workflows.engine records `on_behalf_of`).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from workflows import audit
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.org import access
from workflows.org.models import User
from workflows.org.roles import ADMIN
from workflows.substitutes.models import Substitution

# A longer absence is a change of post, for the administrator, not a substitution.
LONGEST = timedelta(days=92)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def _in_force(now: datetime):
    return sa.and_(Substitution.starts_at <= now, Substitution.ends_at > now, Substitution.cancelled_at.is_(None))


def standing_in_for(session: Session, user_id: int, now: datetime) -> list[int]:
    """The officers `user_id` stands in for right now."""
    return list(session.scalars(sa.select(Substitution.absent_id)
                                .where(Substitution.substitute_id == user_id, _in_force(now))))


def stands_in(session: Session, user_id: int, assignee_id: int | None, now: datetime) -> bool:
    """Whether `user_id` may do a task assigned to `assignee_id` because they stand in for them now."""
    if assignee_id is None or assignee_id == user_id:
        return False
    return session.scalar(sa.select(Substitution.id).where(
        Substitution.substitute_id == user_id, Substitution.absent_id == assignee_id, _in_force(now))) is not None


def set_substitute(services, actor_id: int, substitute_id: int, starts_at: datetime, ends_at: datetime,
                   reason: str, absent_id: int | None = None) -> int:
    """`substitute_id` stands in for `absent_id` (the actor, unless an administrator sets it for someone)."""
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "请填写代班事由。")
    if ends_at <= starts_at:
        raise _invalid("ends_at", "结束时间须晚于开始时间。")
    if ends_at - starts_at > LONGEST:
        raise _invalid("ends_at", "代班期限不能超过 92 天；更长的请由系统管理员调整岗位。")
    now = services.workflow.now()
    if ends_at <= now:
        raise _invalid("ends_at", "结束时间已过，请重新填写。")
    with services.db.unit_of_work() as s:
        actor = access.active_user(s, actor_id)
        absent_id = actor_id if absent_id is None else absent_id
        if absent_id != actor_id and not actor.has_role(ADMIN):
            raise PermissionDenied("只能为自己设置代班人。")
        absent, substitute = s.get(User, absent_id), s.get(User, substitute_id)
        if absent is None or substitute is None:
            raise NotFound("找不到该人员。")
        if substitute.id == absent.id:
            raise _invalid("substitute", "代班人不能是本人。")
        if not substitute.active:
            raise _invalid("substitute", f"{substitute.display_name} 的账号已停用，不能代班。")
        if not substitute.role_set & absent.role_set:
            raise _invalid("substitute", f"{substitute.display_name} 与 {absent.display_name} 没有相同岗位，不能代为办理。")
        overlap = s.scalar(sa.select(Substitution.id).where(
            Substitution.absent_id == absent.id, Substitution.cancelled_at.is_(None),
            Substitution.starts_at < ends_at, Substitution.ends_at > starts_at))
        if overlap is not None:
            raise _invalid("starts_at", "该时段已设有代班人，请先结束原代班。")
        row = Substitution(absent_id=absent.id, substitute_id=substitute.id, starts_at=starts_at, ends_at=ends_at,
                           reason=reason[:200], created_at=now, created_by_id=actor_id)
        s.add(row)
        s.flush()
        audit.record(s, now, "substitute_set", actor_id, None, absent_id=absent.id, absent=absent.display_name,
                     substitute_id=substitute.id, substitute=substitute.display_name,
                     starts_at=starts_at.isoformat(timespec="minutes"),
                     ends_at=ends_at.isoformat(timespec="minutes"), reason=reason)
        return row.id


def end_substitution(services, actor_id: int, substitution_id: int) -> None:
    """End a substitution now (back early); its absent officer or an administrator may."""
    now = services.workflow.now()
    with services.db.unit_of_work() as s:
        actor = access.active_user(s, actor_id)
        row = s.get(Substitution, substitution_id)
        if row is None:
            raise NotFound("找不到该代班记录。")
        if row.absent_id != actor_id and not actor.has_role(ADMIN):
            raise PermissionDenied("只能结束为自己设置的代班。")
        if row.cancelled_at is not None or row.ends_at <= now:
            raise WorkflowError("该代班已结束。")
        row.cancelled_at = now
        audit.record(s, now, "substitute_ended", actor_id, None, substitution_id=row.id, absent_id=row.absent_id,
                     substitute_id=row.substitute_id)


def listing(session: Session, user_id: int, now: datetime) -> dict:
    """My substitutions (who stands in for me) and those in which I stand in for others, current and coming."""
    def rows(condition):
        return list(session.scalars(
            sa.select(Substitution).options(joinedload(Substitution.absent), joinedload(Substitution.substitute))
            .where(condition, Substitution.cancelled_at.is_(None), Substitution.ends_at > now)
            .order_by(Substitution.starts_at)))
    return {"mine": rows(Substitution.absent_id == user_id), "covering": rows(Substitution.substitute_id == user_id)}

"""The inbox query: my tasks, then my roles' unclaimed tasks in my area, from the task mirror only."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org import access as rules
from workflows.org.models import Area
from workflows.substitutes import service as substitutes
from workflows.vocabulary import TaskState

from ..access import in_scope, under
from ..params import is_number, page_number
from ..search import instance_condition, normalise

FAR_FUTURE = datetime(9999, 1, 1)
# The heading says "1000+" beyond this: counting every ready task of a busy street on every page view
# costs time and tells nobody more. The pager then reaches the first 1000; filters narrow the rest.
COUNT_CAP = 1000


@dataclass
class InboxFilters:
    process: str = ""
    step: str = ""
    area_id: int | None = None
    overdue: bool = False
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "InboxFilters":
        area = args.get("area", "")
        page = args.get("page", "1")
        return cls(process=args.get("process", "")[:64], step=args.get("step", "")[:400],
                   area_id=int(area) if is_number(area) else None, overdue=args.get("overdue") == "1",
                   q=normalise(args.get("q")), page=page_number(page))

    def as_args(self) -> dict:
        out = {"process": self.process, "step": self.step, "area": self.area_id or "",
               "overdue": "1" if self.overdue else "", "q": self.q}
        return {k: v for k, v in out.items() if v}


@dataclass
class InboxRow:
    task: HumanTask
    reference: str
    case_title: str
    address: str


@dataclass
class InboxPage:
    rows: list[InboxRow] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    capped: bool = False


def mine(user, standing_in: list[int] = ()):
    """The ready tasks that are mine: assigned to me, or unassigned with my role where I may act
    (workflows.org.access.can_act, as SQL).

    Two branches joined by UNION ALL rather than one OR, so each branch walks its own index
    (assignee; state+role+area_path) and no other filter can tempt the planner into a scan of every
    ready task. The branches carry whole rows, so nothing is looked up twice.
    """
    branches = [sa.select(HumanTask).where(HumanTask.state == TaskState.READY,
                                           HumanTask.assignee_id == user.id)]
    if standing_in:
        # The tasks of the officers I stand in for (代班), old and new, while the substitution lasts.
        branches.append(sa.select(HumanTask).where(HumanTask.state == TaskState.READY,
                                                   HumanTask.assignee_id.in_(standing_in)))
    if user.role_set and rules.scope_of(user) is not None:
        branches.append(sa.select(HumanTask).where(
            HumanTask.state == TaskState.READY, HumanTask.role.in_(sorted(user.role_set)),
            in_scope(HumanTask.area_path, user), HumanTask.assignee_id.is_(None)))
    return aliased(HumanTask, sa.union_all(*branches).subquery("mine"))


def reassigned_to_me(session: Session, user, now: datetime, days: int = 7, limit: int = 20) -> list[HumanTask]:
    """Open tasks a supervisor moved to me in the last `days` days, newest first, for the inbox's notice."""
    since = now - timedelta(days=days)
    return list(session.scalars(
        sa.select(HumanTask).options(joinedload(HumanTask.reassigned_by), joinedload(HumanTask.instance))
        .where(HumanTask.assignee_id == user.id, HumanTask.state == TaskState.READY,
               HumanTask.reassigned_at >= since)
        .order_by(HumanTask.reassigned_at.desc()).limit(limit)))


def inbox(session: Session, user, filters: InboxFilters, now: datetime, page_size: int) -> InboxPage:
    """One page of the inbox, overdue first (the earliest due date is the most overdue), then by due time."""
    task = mine(user, substitutes.standing_in_for(session, user.id, now))
    where, needs_case = [], False
    if filters.process:
        where.append(task.process_id == filters.process)
    if filters.step:
        where.append(task.task_name.in_(filters.step.split(",")[:20]))
    if filters.overdue:
        # Wrapped so no database uses the (state, due_at) index for it: that condition gets pushed into
        # the branches of `mine`, and most ready tasks of a district are overdue, so the due-date index
        # would walk nearly all of them instead of my few.
        where.append(sa.func.coalesce(task.due_at, FAR_FUTURE) < now)
    if filters.area_id:
        area = session.get(Area, filters.area_id)
        if area is not None:
            where.append(under(ProcessInstance.area_path, area.path))
            needs_case = True
    if filters.q:
        where.append(instance_condition(filters.q))
        needs_case = True

    def filtered(*columns):
        query = sa.select(*columns).select_from(task)
        if needs_case:  # join the case (and its address) only when a filter reads them
            query = (query.join(ProcessInstance, ProcessInstance.id == task.instance_id)
                     .outerjoin(Area, Area.id == ProcessInstance.area_id))
        return query.where(*where)

    counted = session.scalar(sa.select(sa.func.count()).select_from(filtered(task.id).limit(COUNT_CAP + 1).subquery()))
    total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    # Pick the page's ids from the task rows alone, then load just those rows with their case.
    ids = session.scalars(filtered(task.id).order_by(task.due_at.is_(None), task.due_at, task.created_at, task.id)
                          .limit(page_size).offset((page - 1) * page_size)).all()
    if not ids:
        return InboxPage([], total, page, pages, capped)
    loaded = {t.id: (t, ref, title, address) for t, ref, title, address in session.execute(
        sa.select(HumanTask, ProcessInstance.reference, ProcessInstance.title, Area.full_name)
        .options(joinedload(HumanTask.assignee))
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Area, Area.id == ProcessInstance.area_id)
        .where(HumanTask.id.in_(ids)))}
    rows = [InboxRow(t, ref, title, address or "") for t, ref, title, address in (loaded[i] for i in ids)]
    return InboxPage(rows, total, page, pages, capped)

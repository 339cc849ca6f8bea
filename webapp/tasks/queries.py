"""The inbox query: my tasks, then my roles' unclaimed tasks in my area, from the task mirror only."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.models import Area, HumanTask, ProcessInstance

from ..access import under
from ..search import instance_condition, normalise


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
        return cls(process=args.get("process", "")[:64], step=args.get("step", "")[:64],
                   area_id=int(area) if area.isdigit() else None, overdue=args.get("overdue") == "1",
                   q=normalise(args.get("q")), page=max(1, int(page)) if page.isdigit() else 1)

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


def mine_condition(user):
    """Assigned to me, or unassigned with one of my roles inside my area (the engine's can_act rule)."""
    conditions = [HumanTask.assignee_id == user.id]
    if user.area is not None and user.role_set:
        conditions.append(sa.and_(HumanTask.assignee_id.is_(None), HumanTask.role.in_(sorted(user.role_set)),
                                  under(HumanTask.area_path, user.area.path)))
    return sa.or_(*conditions)


def inbox(session: Session, user, filters: InboxFilters, now: datetime, page_size: int) -> InboxPage:
    """One page of the inbox, overdue first (the earliest due date is the most overdue), then by due time."""
    where = [HumanTask.state == "ready", mine_condition(user)]
    if filters.process:
        where.append(HumanTask.process_id == filters.process)
    if filters.step:
        where.append(HumanTask.task_name == filters.step)
    if filters.overdue:
        where.append(HumanTask.due_at < now)
    if filters.area_id:
        area = session.get(Area, filters.area_id)
        if area is not None:
            where.append(under(ProcessInstance.area_path, area.path))
    if filters.q:
        where.append(instance_condition(filters.q))

    joined = (sa.select(HumanTask, ProcessInstance.reference, ProcessInstance.title, Area.full_name)
              .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
              .outerjoin(Area, Area.id == ProcessInstance.area_id)
              .where(*where))
    total = session.scalar(sa.select(sa.func.count()).select_from(
        sa.select(HumanTask.id).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Area, Area.id == ProcessInstance.area_id).where(*where).subquery()))
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    result = session.execute(joined.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at,
                                             HumanTask.id)
                             .limit(page_size).offset((page - 1) * page_size))
    rows = [InboxRow(task, ref, title, address or "") for task, ref, title, address in result]
    return InboxPage(rows, total, page, pages)

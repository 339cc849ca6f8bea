"""The supervisor board: open five-contracts matters and overdue steps in an area, by level, oldest first."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from workflows.models import FIVE_CONTRACT_LEVEL_NAMES, Area, HumanTask, ProcessInstance, User

from ..access import under

MATTER_PROCESS = "five_contracts"
GROUP_LIMIT = 100  # rows shown per group; the heading still gives the full count


@dataclass
class BoardGroup:
    key: str
    title: str
    total: int = 0
    rows: list = field(default_factory=list)  # (HumanTask, reference, case title, created_at, address)


def board(session: Session, area_path: str, now: datetime) -> list[BoardGroup]:
    """Level 5 down to level 1, then overdue steps of cases; each group oldest first."""
    in_area = under(HumanTask.area_path, area_path)
    matter = sa.and_(HumanTask.state == "ready", HumanTask.process_id == MATTER_PROCESS, in_area)
    overdue = sa.and_(HumanTask.state == "ready", HumanTask.process_id != MATTER_PROCESS,
                      HumanTask.due_at < now, in_area)
    counts = dict(session.execute(sa.select(HumanTask.level, sa.func.count()).where(matter)
                                  .group_by(HumanTask.level)).all())
    overdue_total = session.scalar(sa.select(sa.func.count()).select_from(HumanTask).where(overdue))

    groups = []
    for level in sorted(FIVE_CONTRACT_LEVEL_NAMES, reverse=True):
        if counts.get(level):
            group = BoardGroup(f"level{level}", f"第 {level} 级 · {FIVE_CONTRACT_LEVEL_NAMES[level]}", counts[level])
            group.rows = _rows(session, sa.and_(matter, HumanTask.level == level))
            groups.append(group)
    if overdue_total:
        group = BoardGroup("overdue", "逾期未办的案件环节", overdue_total)
        group.rows = _rows(session, overdue)
        groups.append(group)
    return groups


def _rows(session: Session, condition) -> list:
    return session.execute(
        sa.select(HumanTask, ProcessInstance.reference, ProcessInstance.title, ProcessInstance.created_at,
                  Area.full_name)
        .options(joinedload(HumanTask.assignee))
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Area, Area.id == ProcessInstance.area_id)
        .where(condition)
        .order_by(ProcessInstance.created_at, HumanTask.created_at, HumanTask.id)
        .limit(GROUP_LIMIT)).all()


def assignable_users(session: Session) -> list[User]:
    """Active people a supervisor can hand work to, grouped by where they work."""
    return list(session.scalars(sa.select(User).options(joinedload(User.area))
                                .where(User.active.is_(True), User.roles != "admin")
                                .order_by(User.area_id, User.display_name)))

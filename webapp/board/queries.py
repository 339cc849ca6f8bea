"""The supervisor board: open five-contracts matters and overdue steps in an area, by level, oldest first."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org.models import FIVE_CONTRACT_LEVEL_NAMES, Area, User
from workflows.vocabulary import TaskState

from ..access import in_scope, scope_parts

MATTER_PROCESS = "five_contracts"
PAGE_SIZE = 20       # rows per group and page: the oldest come first, the rest a page away
COUNT_CAP = 1000     # beyond this a heading says "1000+": counting further costs time and tells nobody more
OVERDUE_KEY = 0      # the overdue steps' count beside the counts per level (matters' levels are 1 to 5)


@dataclass
class BoardGroup:
    key: str
    title: str
    total: int = 0
    capped: bool = False
    page: int = 1
    pages: int = 1
    rows: list = field(default_factory=list)  # (step row, reference, case title, created_at, address)


def board(session: Session, user, now: datetime, only: str | None = None, page: int = 1) -> list[BoardGroup]:
    """Level 5 down to level 1, then overdue steps of cases in what `user` sees; matters oldest first, steps
    most overdue first.

    `only` with `page` pages through one group; the other groups are left out then. Two queries in
    all: the counts per level with the capped count of overdue steps, then every group's page of rows.
    """
    in_area = in_scope(HumanTask.area_path, user)
    groups, pages_of_ids = [], []
    # Counted over the scope's parts (an area's range, and for the district the matters without an address)
    # so that with a province's matters only the user's own are read.
    open_matters = sa.union_all(*(
        sa.select(HumanTask.level).where(HumanTask.state == TaskState.READY, HumanTask.process_id == MATTER_PROCESS,
                                         part)
        for part in scope_parts(HumanTask.area_path, user))).subquery()
    per_level = sa.select(open_matters.c.level, sa.func.count()).group_by(open_matters.c.level)
    # SQLite (one district): driven by the (state, due_at, process_id, area_path) index, the area test
    # riding along in it. PostgreSQL may hold a province: walking every overdue step of it to find one
    # street's would grow with the province, so there the area's range of the open steps is read.
    province_scale = session.get_bind().dialect.name == "postgresql"
    overdue = (HumanTask.state == TaskState.READY, HumanTask.due_at < now, HumanTask.process_id != MATTER_PROCESS)
    condition = sa.and_(*overdue, in_scope(HumanTask.area_path, user, indexed=province_scale))
    counted = (sa.union_all(*(sa.select(HumanTask.id).where(*overdue, part)
                              for part in scope_parts(HumanTask.area_path, user)))
               if province_scale else sa.select(HumanTask.id).where(condition))
    # The counts per level and the capped count of overdue steps (as level OVERDUE_KEY) in one round trip.
    capped_overdue = sa.select(sa.literal(OVERDUE_KEY).label("level"), sa.func.count()).select_from(
        counted.limit(COUNT_CAP + 1).subquery())
    levels = dict(session.execute(sa.union_all(per_level, capped_overdue)).all())
    overdue_n = levels.pop(OVERDUE_KEY, 0)
    for level in sorted(FIVE_CONTRACT_LEVEL_NAMES, reverse=True):
        key = f"level{level}"
        if not levels.get(level) or (only and only != key):
            continue
        group = _group(key, f"第 {level} 级 · {FIVE_CONTRACT_LEVEL_NAMES[level]}", levels[level], False,
                       page if only == key else 1)
        # Oldest first: the matter that has waited longest at this level (its task was created when it
        # arrived here), read in order from the (process_id, state, level, created_at) index.
        pages_of_ids.append(_page_of_ids(group, sa.and_(
            HumanTask.state == TaskState.READY, HumanTask.process_id == MATTER_PROCESS,
            HumanTask.level == level, in_area), HumanTask.created_at))
        groups.append(group)
    if only in (None, "overdue") and overdue_n:
        group = _group("overdue", "逾期未办的案件环节", min(overdue_n, COUNT_CAP), overdue_n > COUNT_CAP,
                       page if only == "overdue" else 1)
        # The earliest due date is the step waiting longest past its deadline: the index's own order.
        pages_of_ids.append(_page_of_ids(group, condition, HumanTask.due_at))
        groups.append(group)
    if pages_of_ids:
        _load(session, groups, pages_of_ids)
    return groups


def _group(key: str, title: str, total: int, capped: bool, page: int) -> BoardGroup:
    pages = max(1, -(-total // PAGE_SIZE))
    return BoardGroup(key, title, total, capped, min(max(page, 1), pages), pages)


def _page_of_ids(group: BoardGroup, condition, oldest_first):
    """One group's page of task ids with their place on it, from the task index alone: the planners
    misjudge how many rows the area filter keeps and, joining first, would fetch every matter before
    sorting."""
    page = (sa.select(HumanTask.id, sa.func.row_number().over(order_by=oldest_first).label("place"))
            .where(condition).order_by(oldest_first)
            .limit(PAGE_SIZE).offset((group.page - 1) * PAGE_SIZE).subquery())
    # Wrapped, because a branch of a UNION may not carry its own ORDER BY and LIMIT.
    return sa.select(sa.literal(group.key).label("group_key"), page.c.id, page.c.place)


def _load(session: Session, groups: list[BoardGroup], pages_of_ids: list) -> None:
    """Every group's page with its case, address and assignee, in one statement and as plain rows (the page
    reads a few columns of each; a hundred mapped objects cost more than the query), in each group's order."""
    pages = sa.union_all(*pages_of_ids).subquery()
    rows = session.execute(
        sa.select(pages.c.group_key, pages.c.place, HumanTask.id, HumanTask.instance_id, HumanTask.title,
                  HumanTask.role, HumanTask.state, HumanTask.created_at, HumanTask.due_at, HumanTask.assignee_id,
                  User.display_name.label("assignee_name"), ProcessInstance.reference,
                  ProcessInstance.title.label("case_title"), ProcessInstance.created_at.label("case_created"),
                  Area.full_name)
        .select_from(pages)
        .join(HumanTask, HumanTask.id == pages.c.id)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .outerjoin(Area, Area.id == ProcessInstance.area_id)
        .outerjoin(User, User.id == HumanTask.assignee_id)).all()
    by_group: dict[str, list] = {g.key: [] for g in groups}
    for row in sorted(rows, key=lambda r: r.place):
        by_group[row.group_key].append((row, row.reference, row.case_title, row.case_created, row.full_name))
    for g in groups:
        g.rows = by_group[g.key]

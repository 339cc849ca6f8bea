"""What the case page and the case search read: the mirror tables and the audit log, never the workflow."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer, joinedload

from workflows.audit.models import AuditEvent
from workflows.cases.models import CasePerson
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org import access as rules
from workflows.org.models import Area, User
from workflows.vocabulary import EventKind, InstanceStatus, TaskState

from ..access import in_scope, scope_parts
from ..search import instance_condition


@dataclass
class CaseView:
    inst: ProcessInstance
    persons: list[CasePerson]
    open_tasks: list[HumanTask]
    steps: list[dict]          # completed tasks in order: title, who, when, data
    timeline: list[AuditEvent]
    facts: dict                # the data of every step merged, later steps winning
    matters: list[ProcessInstance] = field(default_factory=list)
    parent: ProcessInstance | None = None


def load_case(session: Session, inst: ProcessInstance) -> CaseView:
    persons = list(session.scalars(sa.select(CasePerson).where(CasePerson.instance_id == inst.id)
                                   .order_by(CasePerson.id)))
    open_tasks = list(session.scalars(sa.select(HumanTask).options(joinedload(HumanTask.assignee))
                                      .where(HumanTask.instance_id == inst.id,
                                             HumanTask.state == TaskState.READY)
                                      .order_by(HumanTask.created_at)))
    timeline = list(session.scalars(sa.select(AuditEvent).options(joinedload(AuditEvent.actor))
                                    .where(AuditEvent.instance_id == inst.id)
                                    .order_by(AuditEvent.at, AuditEvent.id)))
    facts: dict = {}
    steps = []
    for ev in timeline:
        data = (ev.details or {}).get("data") or {}
        if ev.kind == EventKind.STARTED:
            facts.update(data)
        elif ev.kind == EventKind.COMPLETED:
            facts.update(data)
            steps.append({"task": ev.details.get("task"), "title": ev.details.get("title"), "at": ev.at,
                          "actor": ev.actor.display_name if ev.actor else "系统", "data": data})
    matters = list(session.scalars(sa.select(ProcessInstance).where(ProcessInstance.parent_instance_id == inst.id)
                                   .order_by(ProcessInstance.id)))
    parent = session.get(ProcessInstance, inst.parent_instance_id) if inst.parent_instance_id else None
    return CaseView(inst, persons, open_tasks, steps, timeline, facts, matters, parent)


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids))).all())


COUNT_CAP = 1000  # a district's case list says "1000+" rather than counting every case it holds


def _in_area(user):
    """For a district or a street the area test rides along (not indexable on purpose): newest-first
    walks the created_at index and stops at the page. Smaller areas hold few cases: their path index."""
    prefix = rules.scope_of(user)
    wide = prefix is None or prefix.count("/") <= 3  # "/" everything, "/1/" district, "/1/4/" street
    return in_scope(ProcessInstance.area_path, user, indexed=not wide)


def search_cases(session: Session, user, q: str, status: str, process: str, page: int, page_size: int):
    """Cases in the user's area matching the search, newest first: (rows, total, capped, page, pages)."""
    where = [_in_area(user)]
    if q:
        # The case lies in the user's area anyway: its address is looked for among that area's alone.
        where.append(instance_condition(q, in_scope(Area.path, user)))
    if status in tuple(InstanceStatus):
        where.append(ProcessInstance.status == status)
    if process:
        where.append(ProcessInstance.process_id == process)
    if session.get_bind().dialect.name == "postgresql":
        # A province: count over the scope's parts, each read as one area's range of the area index (walking
        # the newest cases, as the page does, would pass a district's share of a million to count 1000).
        base = sa.union_all(*(sa.select(ProcessInstance.id).outerjoin(Area, Area.id == ProcessInstance.area_id)
                              .where(part, *where[1:]) for part in scope_parts(ProcessInstance.area_path, user)))
    else:
        base = sa.select(ProcessInstance.id).outerjoin(Area, Area.id == ProcessInstance.area_id).where(*where)
    counted = session.scalar(sa.select(sa.func.count()).select_from(base.limit(COUNT_CAP + 1).subquery()))
    total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    # The page's ids first, from the (created_at, id, area_path) index alone on PostgreSQL: a later page of a
    # district skips a thousand cases without reading them. Then just those rows with their address.
    ids = session.scalars(sa.select(ProcessInstance.id).where(*where)
                          .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
                          .limit(page_size).offset((page - 1) * page_size)).all()
    loaded = {row[0].id: row for row in session.execute(
        sa.select(ProcessInstance, Area.full_name).outerjoin(Area, Area.id == ProcessInstance.area_id)
        .options(defer(ProcessInstance.state)).where(ProcessInstance.id.in_(ids)))} if ids else {}
    return [loaded[i] for i in ids], total, capped, page, pages

"""Time-limit compliance by step: of the steps whose deadline fell in the period, how many were done on time, how
many late and by how much, and how many are still open past their deadline (the 报警 light) or not yet due.

Read from the human-task mirror's due and completion times (no workflow is restored). The light rule is
workflows.time_limits.light's: a step is 报警 from its deadline on, so an open step counts as overdue exactly when
the inbox shows it red."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import HumanTask, ProcessVersion
from workflows.engine.service import WorkflowService
from workflows.org.areas import under
from workflows.clock import office_bounds
from workflows.vocabulary import TaskState

DAY_SECONDS = 86400
# How late a late step was, in days (upper bounds, inclusive); the last bucket has no bound.
LATE_BUCKETS = ((1, "1天以内"), (3, "1至3天"), (7, "3至7天"), (None, "7天以上"))
# A step's class in the period's count.
ON_TIME, LATE, OVERDUE, NOT_DUE = 0, 1, 2, 3


def _seconds(session: Session, later, earlier):
    """later - earlier in seconds, in each database's own date arithmetic."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * DAY_SECONDS


def steps(session: Session) -> list[tuple[str, str, str]]:
    """(process id, BPMN task id, title) of every user task of every deployed version, the latest title kept."""
    titles: dict[tuple[str, str], str] = {}
    for version in session.scalars(sa.select(ProcessVersion).order_by(ProcessVersion.id)):
        for name, title in WorkflowService.step_titles(version).items():
            titles[(version.process_id, name)] = title
    # By process, each process's steps in the order its diagram lists them.
    return sorted(((process_id, name, title) for (process_id, name), title in titles.items()), key=lambda x: x[0])


def compliance_by_step(session: Session, area_path: str, start: date, end: date, now: datetime) -> list[dict]:
    """Per step (process, BPMN task id) with a deadline in the period: {process_id, task_name, title, total,
    on_time, late, open_overdue, open_not_due, late_buckets: [count per LATE_BUCKETS], late_days_avg,
    late_days_max}; `now` is naive UTC.

    `late` counts steps completed after their deadline; the buckets and the lateness figures cover them and the
    open overdue steps (late so far, up to `now`). Steps without a deadline are not counted. One aggregate per
    step, each a range of the index ix_human_task_step_due (process, step, state, due_at, then the columns it
    reads): no sort of the period's steps, which a single GROUP BY over a district's year needs."""
    lo, hi = office_bounds(start, end)
    completed, ready = HumanTask.state == TaskState.COMPLETED, HumanTask.state == TaskState.READY
    is_late = sa.or_(sa.and_(completed, HumanTask.completed_at > HumanTask.due_at),
                     sa.and_(ready, HumanTask.due_at <= now))
    lateness = _seconds(session, sa.case((completed, HumanTask.completed_at), else_=sa.literal(now)),
                        HumanTask.due_at)
    # Each step's class and lateness once per row, in a subquery the planners keep apart (OFFSET 0: neither
    # SQLite nor PostgreSQL pulls it up), so the date arithmetic is not repeated in every sum below.
    per_row = [sa.case((sa.and_(completed, HumanTask.completed_at <= HumanTask.due_at), ON_TIME),
                       (completed, LATE), (HumanTask.due_at <= now, OVERDUE), else_=NOT_DUE).label("cls"),
               sa.case((is_late, lateness), else_=None).label("late_s")]

    def figures(rows):
        def count(condition):
            return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)
        bands, lower = [], 0
        for upper, _label in LATE_BUCKETS:
            band = rows.c.late_s > lower * DAY_SECONDS
            if upper is not None:
                band = sa.and_(band, rows.c.late_s <= upper * DAY_SECONDS)
            bands.append(count(band))
            lower = upper
        return [sa.func.count(), *(count(rows.c.cls == k) for k in (ON_TIME, LATE, OVERDUE, NOT_DUE)),
                sa.func.sum(rows.c.late_s), sa.func.max(rows.c.late_s), *bands]

    out = []
    for process_id, task_name, title in steps(session):
        rows = sa.select(*per_row).where(
            HumanTask.process_id == process_id, HumanTask.task_name == task_name,
            HumanTask.state.in_((TaskState.COMPLETED, TaskState.READY)),
            HumanTask.due_at >= lo, HumanTask.due_at < hi, under(session, HumanTask.area_path, area_path)
        ).offset(0).subquery()
        row = session.execute(sa.select(*figures(rows))).one()
        total, on_time, late, open_overdue, open_not_due, late_sum, late_max, *counts = row
        if not total:
            continue
        late_count = int(late) + int(open_overdue)
        out.append({
            "process_id": process_id, "task_name": task_name, "title": title, "total": int(total),
            "on_time": int(on_time), "late": int(late), "open_overdue": int(open_overdue),
            "open_not_due": int(open_not_due), "late_buckets": [int(n) for n in counts],
            "late_days_avg": round(float(late_sum or 0) / DAY_SECONDS / late_count, 1) if late_count else 0.0,
            "late_days_max": round(float(late_max or 0) / DAY_SECONDS, 1),
        })
    return out

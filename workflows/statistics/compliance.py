"""Time-limit compliance by step: of the steps whose deadline fell in the period, how many were done on time, how
many late and by how much, and how many are still open past their deadline (the 报警 light) or not yet due.

Read from the human-task mirror's due and completion times in one GROUP BY, whose WHERE (state, due_at, area_path)
is the leading part of the index ix_human_task_due; no workflow is restored. The light rule is
workflows.time_limits.light's: a step is 报警 from its deadline on, so an open step counts as overdue exactly when
the inbox shows it red."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import HumanTask
from workflows.statistics.periods import under, utc_bounds
from workflows.vocabulary import TaskState

DAY_SECONDS = 86400
# How late a late step was, in days (upper bounds, inclusive); the last bucket has no bound.
LATE_BUCKETS = ((1, "1天以内"), (3, "1至3天"), (7, "3至7天"), (None, "7天以上"))


def _seconds(session: Session, later, earlier):
    """later - earlier in seconds, in each database's own date arithmetic."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * DAY_SECONDS


def compliance_by_step(session: Session, area_path: str, start: date, end: date, now: datetime) -> list[dict]:
    """Per step (process, BPMN task id): {process_id, task_name, title, total, on_time, late, open_overdue,
    open_not_due, late_buckets: [count per LATE_BUCKETS], late_days_avg, late_days_max}; `now` is naive UTC.

    `late` counts steps completed after their deadline; the buckets and the lateness figures cover them and the
    open overdue steps (late so far, up to `now`). Steps without a deadline are not counted."""
    lo, hi = utc_bounds(start, end)
    completed = HumanTask.state == TaskState.COMPLETED
    is_late = sa.or_(sa.and_(completed, HumanTask.completed_at > HumanTask.due_at),
                     sa.and_(HumanTask.state == TaskState.READY, HumanTask.due_at <= now))
    lateness = _seconds(session, sa.case((completed, HumanTask.completed_at), else_=sa.literal(now)),
                        HumanTask.due_at)

    def count(condition):
        return sa.func.sum(sa.case((condition, 1), else_=0))

    buckets, lower = [], 0
    for upper, _label in LATE_BUCKETS:
        band = lateness > lower * DAY_SECONDS
        if upper is not None:
            band = sa.and_(band, lateness <= upper * DAY_SECONDS)
        buckets.append(count(sa.and_(is_late, band)).label(f"late_{lower}"))
        lower = upper
    query = (sa.select(
        HumanTask.process_id, HumanTask.task_name, sa.func.max(HumanTask.title).label("title"),
        sa.func.count().label("total"),
        count(sa.and_(completed, HumanTask.completed_at <= HumanTask.due_at)).label("on_time"),
        count(sa.and_(completed, HumanTask.completed_at > HumanTask.due_at)).label("late"),
        count(sa.and_(HumanTask.state == TaskState.READY, HumanTask.due_at <= now)).label("open_overdue"),
        count(sa.and_(HumanTask.state == TaskState.READY, HumanTask.due_at > now)).label("open_not_due"),
        sa.func.sum(sa.case((is_late, lateness), else_=0)).label("late_seconds"),
        sa.func.max(sa.case((is_late, lateness), else_=None)).label("late_max"),
        *buckets)
        .where(HumanTask.state.in_((TaskState.COMPLETED, TaskState.READY)),
               HumanTask.due_at >= lo, HumanTask.due_at < hi, under(session, HumanTask.area_path, area_path))
        .group_by(HumanTask.process_id, HumanTask.task_name)
        .order_by(HumanTask.process_id, HumanTask.task_name))
    out = []
    for row in session.execute(query):
        late_count = int(row.late) + int(row.open_overdue)
        out.append({
            "process_id": row.process_id, "task_name": row.task_name, "title": row.title, "total": int(row.total),
            "on_time": int(row.on_time), "late": int(row.late), "open_overdue": int(row.open_overdue),
            "open_not_due": int(row.open_not_due),
            "late_buckets": [int(getattr(row, b.name)) for b in buckets],
            "late_days_avg": round(float(row.late_seconds or 0) / DAY_SECONDS / late_count, 1) if late_count else 0.0,
            "late_days_max": round(float(row.late_max or 0) / DAY_SECONDS, 1),
        })
    return out

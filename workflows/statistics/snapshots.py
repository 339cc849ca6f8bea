"""Stored statistics: the page reads the figures the worker computed for an area and period, never the raw records.

A district's year of figures takes seconds to count (distinct persons across the year, every step's deadline);
the page must answer in a fraction of a second. So the worker computes the whole page, with the very functions the
assessment scores with, for an area and a period of whole months, and stores it in one row (one transaction per
refresh, so a page never shows half old, half new figures). The page says when the figures were computed; an
officer may ask for a refresh, which queues the job (never runs it in the request), and the worker's periodic duty
keeps this year's figures of the district and every street fresh."""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.clock import office_date
from workflows.jobs import queue
from workflows.org.models import Area
from workflows.statistics.models import StatisticsSnapshot

JOB_KIND = "statistics"
# Stored figures older than this are computed again by the worker's periodic duty.
REFRESH_EVERY = timedelta(minutes=30)
# A refresh asked for and not done after this long (its job failed for good, or no worker runs) may be asked again.
GIVE_UP_AFTER = timedelta(hours=1)
# Periods ending before the first of last year are history: kept as computed, refreshed only on request.
HISTORY_YEARS = 1


def whole_months(start: date, end: date) -> tuple[date, date]:
    """The period widened to whole months: the first day of `start`'s month to the last day of `end`'s."""
    return start.replace(day=1), end.replace(day=calendar.monthrange(end.year, end.month)[1])


def default_period(today: date) -> tuple[date, date]:
    """This year so far, in whole months: 1 January to the end of the current month."""
    return whole_months(date(today.year, 1, 1), today)


def find(session: Session, area_id: int, start: date, end: date) -> StatisticsSnapshot | None:
    return session.scalar(sa.select(StatisticsSnapshot).where(
        StatisticsSnapshot.area_id == area_id, StatisticsSnapshot.period_start == start,
        StatisticsSnapshot.period_end == end))


def pending(snapshot: StatisticsSnapshot, now: datetime) -> bool:
    """A refresh has been asked for (within GIVE_UP_AFTER) and not yet done."""
    return (snapshot.requested_at is not None and snapshot.requested_at > now - GIVE_UP_AFTER
            and (snapshot.computed_at is None or snapshot.requested_at > snapshot.computed_at))


def _queue(session: Session, snapshots: list[StatisticsSnapshot], *, now: datetime, actor_id: int | None) -> int:
    """Mark `snapshots` asked for and queue one job computing them; those already queued are left as they are."""
    wanted = [s for s in snapshots if not pending(s, now)]
    for snapshot in wanted:
        snapshot.requested_at, snapshot.requested_by_id = now, actor_id
    if wanted:
        session.flush()
        queue.enqueue(session, JOB_KIND, {"snapshot_ids": [s.id for s in wanted]}, now=now, created_by_id=actor_id)
    return len(wanted)


def _get_or_add(session: Session, area: Area, start: date, end: date) -> StatisticsSnapshot:
    snapshot = find(session, area.id, start, end)
    if snapshot is None:
        snapshot = StatisticsSnapshot(area_id=area.id, area_path=area.path, period_start=start, period_end=end)
        session.add(snapshot)
    return snapshot


def request_refresh(session: Session, *, area: Area, start: date, end: date, actor_id: int,
                    now: datetime) -> StatisticsSnapshot:
    """An officer asks for the figures of `area` and a whole-month period to be computed (again), in the caller's
    unit of work; the caller has checked that the officer sees `area`."""
    start, end = whole_months(start, end)
    snapshot = _get_or_add(session, area, start, end)
    queued = _queue(session, [snapshot], now=now, actor_id=actor_id)
    audit.record(session, now, "statistics_refresh_requested", actor_id, area_id=area.id,
                 start=start.isoformat(), end=end.isoformat(), queued=bool(queued))
    return snapshot


def stale(session: Session, now: datetime, every: timedelta = REFRESH_EVERY,
          history: bool = False) -> list[StatisticsSnapshot]:
    """This year's figures of the district(s) and every street, made if missing, and every stored period (not yet
    history, unless `history`) whose figures are older than `every`."""
    start, end = default_period(office_date(now))
    areas = session.scalars(sa.select(Area).where(Area.kind.in_(("district", "street"))).order_by(Area.path))
    made = [_get_or_add(session, area, start, end) for area in areas]
    session.flush()
    wanted = {s.id: s for s in made}
    recent = date(1, 1, 1) if history else date(start.year - HISTORY_YEARS, 1, 1)
    wanted.update((s.id, s) for s in session.scalars(sa.select(StatisticsSnapshot).where(
        StatisticsSnapshot.period_end >= recent)))
    return sorted((s for s in wanted.values() if s.computed_at is None or s.computed_at <= now - every),
                  key=lambda s: s.id)


def due_refresh(engine) -> int:
    """The worker's duty: queue the computation of missing and stale figures; returns how many were queued."""
    now = engine.now().replace(tzinfo=None)
    with engine.db.unit_of_work() as s:
        return _queue(s, stale(s, now), now=now, actor_id=None)


def queue_everything(session: Session, now: datetime) -> int:
    """`dachuan stats-refresh`: queue every stored period and this year's of every area, however fresh."""
    return _queue(session, stale(session, now, every=timedelta(0), history=True), now=now, actor_id=None)


def store(session: Session, snapshot_id: int, charts: list[dict], *, now: datetime, seconds: float) -> None:
    """Write one area and period's freshly computed charts (the job's transaction for that snapshot)."""
    snapshot = session.get(StatisticsSnapshot, snapshot_id)
    if snapshot is None:
        return
    snapshot.charts, snapshot.computed_at, snapshot.compute_seconds = charts, now, round(seconds, 3)
    audit.record(session, now, "statistics_refreshed", None, area_id=snapshot.area_id,
                 start=snapshot.period_start.isoformat(), end=snapshot.period_end.isoformat())

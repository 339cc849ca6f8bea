"""Workers' heartbeats and the health check a proxy or monitor reads: the database answers, a worker is alive,
no background job is stuck. The answer names only checks and states, never data or hosts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from workflows.jobs.models import QUEUED, RUNNING, Job
from workflows.operations.models import WorkerHeartbeat

OK, FAILING, UNKNOWN = "ok", "failing", "unknown"
FORGET_AFTER = timedelta(days=7)


def beat(db, worker_id: str, now: datetime) -> None:
    """Record that the worker `worker_id` finished a round at `now` (its own small transaction)."""
    with db.unit_of_work() as s:
        row = s.get(WorkerHeartbeat, worker_id)
        if row is None:
            # A worker's first round: each start writes a new id, so drop the rows of workers long gone.
            s.execute(sa.delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - FORGET_AFTER))
            s.add(WorkerHeartbeat(worker_id=worker_id, started_at=now, beat_at=now, rounds=1))
        else:
            row.beat_at, row.rounds = now, row.rounds + 1


@dataclass
class Health:
    checks: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v == OK for v in self.checks.values())

    def as_json(self) -> dict:
        return {"status": OK if self.ok else FAILING, "checks": dict(self.checks)}


def check(db, settings, now: datetime) -> Health:
    """Database reachable; a worker's last sign of life (a round, or progress on a job) recent; no job stuck."""
    health = Health({"database": UNKNOWN, "worker": UNKNOWN, "jobs": UNKNOWN})
    try:
        with db.read() as s:
            s.execute(sa.text("SELECT 1"))
            health.checks["database"] = OK
            last_round = s.scalar(sa.select(sa.func.max(WorkerHeartbeat.beat_at)))
            # A worker deep in a long job does not finish rounds, but it renews the job's lease.
            last_job_beat = s.scalar(sa.select(sa.func.max(Job.heartbeat_at)).where(Job.status == RUNNING))
            last = max((t for t in (last_round, last_job_beat) if t is not None), default=None)
            fresh = last is not None and last >= now - timedelta(seconds=settings.worker_stale_seconds)
            health.checks["worker"] = OK if fresh else FAILING
            waited = now - timedelta(seconds=settings.job_stuck_seconds)
            stuck = s.scalar(sa.select(sa.func.count()).select_from(Job).where(sa.or_(
                # Queued and free to run for too long: nobody takes jobs.
                sa.and_(Job.status == QUEUED, Job.created_at < waited,
                        sa.or_(Job.lease_until.is_(None), Job.lease_until < waited)),
                # Running under a lease that ran out long ago: its worker died and nobody took it over.
                sa.and_(Job.status == RUNNING, Job.lease_until < waited))))
            health.checks["jobs"] = OK if not stuck else FAILING
    except sa.exc.SQLAlchemyError:
        health.checks["database"] = FAILING
    return health

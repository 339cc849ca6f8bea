"""The jobs table as a queue several workers share: enqueue inside the caller's unit of work, claim under a
lease, heartbeat with progress, finish, fail (tried again until its attempts run out), release on a clean stop.

Every write a worker makes after claiming is fenced by its claim (owner and attempt number): once its lease ran
out and another worker took the job over, its writes match no row and raise LeaseLost, so the job's effects
are committed by one worker only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.database.session import Database
from workflows.exceptions import LeaseLost
from workflows.jobs.models import DONE, FAILED, OPEN, QUEUED, RUNNING, Job

DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Claim:
    """One worker's hold on one job, and the fence its later writes are checked against."""

    id: int
    kind: str
    payload: dict
    owner: str
    attempt: int
    max_attempts: int
    created_by_id: int | None
    # Earlier workers died on its last allowed attempt: the claimer ends it instead of running it again.
    exhausted: bool = False


def enqueue(session: Session, kind: str, payload: dict, *, now: datetime, created_by_id: int | None = None,
            max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Job:
    """Add a job in the caller's transaction, so it exists exactly when the caller's own rows do."""
    job = Job(kind=kind, payload=dict(payload), status=QUEUED, attempts=0, max_attempts=max_attempts, done=0,
              total=0, error="", created_by_id=created_by_id, created_at=now)
    session.add(job)
    session.flush()
    return job


def claim(db: Database, worker_id: str, *, now: datetime, lease_seconds: int, kinds: Iterable[str] | None = None,
          job_id: int | None = None) -> Claim | None:
    """Lease the oldest open job whose lease (or retry wait) is over, or the one job `job_id`, to `worker_id`.

    A queued job, or a running one whose worker stopped renewing its lease, qualifies. On PostgreSQL,
    FOR UPDATE SKIP LOCKED lets workers claim side by side without both taking one job; on SQLite the unit of
    work's BEGIN IMMEDIATE serializes claims. `kinds` limits the claim to jobs this worker has handlers for,
    so a worker of an older release leaves a new kind of job to one that knows it.
    """
    with db.unit_of_work() as s:
        query = sa.select(Job).where(Job.status.in_(OPEN),
                                     sa.or_(Job.lease_until.is_(None), Job.lease_until <= now))
        if kinds is not None:
            query = query.where(Job.kind.in_(list(kinds)))
        if job_id is not None:
            query = query.where(Job.id == job_id)
        job = s.scalar(db.claimable(query.order_by(Job.id).limit(1)))
        if job is None:
            return None
        exhausted = job.attempts >= job.max_attempts
        if not exhausted:
            job.attempts += 1
        job.status, job.lease_owner = RUNNING, worker_id
        job.lease_until, job.heartbeat_at = now + timedelta(seconds=lease_seconds), now
        job.started_at = job.started_at or now
        return Claim(job.id, job.kind, dict(job.payload or {}), worker_id, job.attempts, job.max_attempts,
                     job.created_by_id, exhausted)


def _held(claim: Claim) -> tuple:
    return (Job.id == claim.id, Job.status == RUNNING, Job.lease_owner == claim.owner,
            Job.attempts == claim.attempt)


def heartbeat(session: Session, claim: Claim, *, now: datetime, lease_seconds: int, done: int | None = None,
              total: int | None = None) -> None:
    """Extend the lease (and record progress) in the caller's transaction; LeaseLost if the job is not ours.

    Run first in a transaction, it also takes the job's row lock until commit, so no worker can claim the job
    between this check and the caller's writes.
    """
    values: dict = {"lease_until": now + timedelta(seconds=lease_seconds), "heartbeat_at": now}
    if done is not None:
        values["done"] = done
    if total is not None:
        values["total"] = total
    written = session.execute(sa.update(Job).where(*_held(claim)).values(**values)
                              .execution_options(synchronize_session=False))
    if written.rowcount != 1:
        raise LeaseLost(claim.id)


def finish(session: Session, claim: Claim, *, now: datetime, result: dict | None = None) -> None:
    """Mark the job done in the caller's transaction, so it commits together with the handler's last writes."""
    written = session.execute(sa.update(Job).where(*_held(claim)).values(
        status=DONE, result=result, error="", finished_at=now, heartbeat_at=now, lease_owner=None,
        lease_until=None).execution_options(synchronize_session=False))
    if written.rowcount != 1:
        raise LeaseLost(claim.id)


def fail(db: Database, claim: Claim, error: str, *, now: datetime, retry_seconds: int, final: bool = False,
         on_failure: Callable[[Session, Job], None] | None = None) -> str:
    """End an attempt that raised; returns the job's new status.

    While attempts remain (and the error is not `final`) the job is queued again, claimable after
    `retry_seconds`. Otherwise it ends as failed with `error`, and `on_failure` lets its domain record say so
    in the same transaction, so the page that shows it never stays "running".
    """
    with db.unit_of_work() as s:
        job = s.scalar(sa.select(Job).where(*_held(claim)).with_for_update())
        if job is None:
            raise LeaseLost(claim.id)
        job.error, job.lease_owner = error[:4000], None
        if final or job.attempts >= job.max_attempts:
            job.status, job.finished_at, job.lease_until = FAILED, now, None
            if on_failure is not None:
                on_failure(s, job)
        else:
            job.status, job.lease_until = QUEUED, now + timedelta(seconds=retry_seconds)
        return job.status


def release(db: Database, claim: Claim) -> None:
    """Give a job back when its worker is stopped cleanly: claimable at once, the interrupted attempt not counted."""
    with db.unit_of_work() as s:
        s.execute(sa.update(Job).where(*_held(claim)).values(
            status=QUEUED, attempts=claim.attempt - (0 if claim.exhausted else 1), lease_owner=None,
            lease_until=None).execution_options(synchronize_session=False))


def get(db: Database, job_id: int) -> Job | None:
    """A job as it stands (detached from its session)."""
    with db.read() as s:
        job = s.get(Job, job_id)
        if job is not None:
            s.expunge(job)
        return job

"""The jobs table: one row per piece of background work, claimed by a worker under a lease."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import JobStatus

# A job's life: queued -> running (claimed, leased) -> done | failed. A failed attempt that may be tried again
# goes back to queued; a running job whose lease ran out is claimable as it stands (its worker died).
QUEUED, RUNNING, DONE, FAILED = JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED
STATUSES = (QUEUED, RUNNING, DONE, FAILED)
OPEN = (QUEUED, RUNNING)


class Job(Base):
    """One background job; its domain record (an import, a batch print) points here."""

    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint("status IN (%s)" % ", ".join(f"'{s}'" for s in STATUSES), name="status"),
        # The claim query: open jobs whose lease (or retry wait) is over, oldest first.
        sa.Index("ix_job_claim", "status", "lease_until", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    lease_owner: Mapped[Optional[str]] = mapped_column(sa.String(120))
    # Running: the worker must show a sign of life before then. Queued after a failed attempt: not before then.
    lease_until: Mapped[Optional[datetime]] = mapped_column()
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column()
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[Optional[dict]] = mapped_column(sa.JSON)
    # The last attempt's error; on a failed job, the reason it failed.
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column()
    started_at: Mapped[Optional[datetime]] = mapped_column()
    finished_at: Mapped[Optional[datetime]] = mapped_column()

"""The notices' tables: issued notices, their per-issuer counters and batch print jobs."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import JobStatus, NoticeStatus


class Notice(Base):
    """One issued notice; its content is frozen at issue (a correction is a new row that voids this one)."""

    __tablename__ = "notice"
    __table_args__ = (
        sa.UniqueConstraint("prefix", "year", "sequence", name="uq_notice_prefix_year_sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(64), unique=True)  # 东市监责改〔2026〕3号
    prefix: Mapped[str] = mapped_column(sa.String(32))  # issuer abbreviation + type code, e.g. 东市监责改
    year: Mapped[int] = mapped_column()
    sequence: Mapped[int] = mapped_column()
    notice_type: Mapped[str] = mapped_column(sa.String(32), index=True)
    title: Mapped[str] = mapped_column(sa.String(64))
    addressee: Mapped[str] = mapped_column(sa.String(300))
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[Optional[str]] = mapped_column(sa.String(36))
    # Copied from the case (or the named community) so access checks need no join.
    area_path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    issuer_department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"))
    issued_at: Mapped[datetime] = mapped_column()
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    # Canonical JSON of everything the template prints, legal wording included; text so it stays byte-stable.
    content: Mapped[str] = mapped_column(sa.Text)
    digest: Mapped[str] = mapped_column(sa.String(64))  # sha256 of content
    status: Mapped[str] = mapped_column(sa.String(16), default=NoticeStatus.ISSUED, index=True)
    voided_at: Mapped[Optional[datetime]] = mapped_column()
    voided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    void_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    replaces_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))
    replaced_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))

    @property
    def data(self) -> dict:
        return json.loads(self.content)


class NoticeCounter(Base):
    """The last number used in one series (issuer abbreviation + type code, per year)."""

    __tablename__ = "notice_counter"

    prefix: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class NoticeBatch(Base):
    """A large batch print rendered in the background; state lives here so any web process can report it."""

    __tablename__ = "notice_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column()
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    notice_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default=JobStatus.RUNNING)  # running | done | failed
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    pdf: Mapped[Optional[bytes]] = mapped_column(sa.LargeBinary)
    finished_at: Mapped[Optional[datetime]] = mapped_column()
    # The background job rendering it (the worker's lease and attempts live there).
    job_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("job.id"), index=True)

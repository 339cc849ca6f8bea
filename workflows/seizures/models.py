"""The 查封 tables: one row per 查封 (its party, premises, approval, time limit and documents), and the measures
third parties take while it is in force (water, power, gas cut off; the lock changed)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import MeasureStatus, SeizureStatus


class Seizure(Base):
    """One 查封 of premises; the workflow (bpmn/seizure.bpmn) carries its steps, this row what they decided."""

    __tablename__ = "seizure"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), unique=True)
    # The six-step case (and its step) the 查封 was asked for from, if any.
    case_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    case_task_id: Mapped[str] = mapped_column(sa.String(36), default="")
    area_path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=SeizureStatus.REQUESTED, index=True)
    party_name: Mapped[str] = mapped_column(sa.String(200))
    party_id: Mapped[str] = mapped_column(sa.String(18), default="")
    party_address: Mapped[str] = mapped_column(sa.String(300))
    premises: Mapped[str] = mapped_column(sa.String(300))
    reasons: Mapped[str] = mapped_column(sa.Text)
    items: Mapped[list] = mapped_column(sa.JSON, default=list)  # the 查封清单, one line per item
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column()
    # The head's prior written approval (or refusal), before any decision is made.
    approved_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    approved_at: Mapped[Optional[datetime]] = mapped_column()
    approval_note: Mapped[str] = mapped_column(sa.String(500), default="")
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    starts_on: Mapped[Optional[date]] = mapped_column()
    ends_on: Mapped[Optional[date]] = mapped_column()  # the last day of the 查封, extension included
    extension_days: Mapped[int] = mapped_column(default=0)
    extension_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    extension_approved_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    ended_at: Mapped[Optional[datetime]] = mapped_column()
    end_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    decision_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))
    extension_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))
    release_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))


class SeizureMeasure(Base):
    """A measure a third party takes at the bureau's request while a 查封 is in force; it ends with the 查封."""

    __tablename__ = "seizure_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    seizure_id: Mapped[int] = mapped_column(sa.ForeignKey("seizure.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # water | power | gas | lock
    supplier: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default=MeasureStatus.ACTIVE)
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[Optional[datetime]] = mapped_column()
    assist_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))
    restore_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))

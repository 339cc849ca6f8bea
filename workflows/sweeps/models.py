"""The concentrated sweeps' tables: a sweep and the houses checked in it."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import SweepStatus


class Sweep(Base):
    """One concentrated sweep of an area on a day; the assessment counts finished ones per month or quarter."""

    __tablename__ = "sweep"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    # Copied from the area so area-scoped lists need no join.
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    # Whether the area (or a street above it) was a key area when the sweep was planned.
    key_area: Mapped[bool] = mapped_column(default=False)
    planned_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=SweepStatus.PLANNED, index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    planned_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    planned_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[Optional[datetime]] = mapped_column()
    finished_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    summary: Mapped[str] = mapped_column(sa.String(1000), default="")


class SweepCheck(Base):
    """One house checked during a sweep; a suspicious one opens a six-step case past its sweep step."""

    __tablename__ = "sweep_check"
    __table_args__ = (sa.UniqueConstraint("sweep_id", "area_id", name="uq_sweep_check_sweep_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sweep_id: Mapped[int] = mapped_column(sa.ForeignKey("sweep.id"), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    address: Mapped[str] = mapped_column(sa.String(400), default="")
    checked_on: Mapped[date] = mapped_column()
    house_type: Mapped[str] = mapped_column(sa.String(16))  # rental | vacant | resident
    occupants: Mapped[int] = mapped_column(default=0)
    flags: Mapped[list] = mapped_column(sa.JSON, default=list)
    suspicious: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    case_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column()

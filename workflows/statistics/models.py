"""The statistics page's stored figures: one row per area and period (whole months), holding every chart of the
page as the worker last computed it, so a request reads one row instead of a district's raw records."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base


class StatisticsSnapshot(Base):
    """The page's charts for one area and period. `charts` is None until the worker first computes them;
    `requested_at` later than `computed_at` means a refresh is queued."""

    __tablename__ = "statistics_snapshot"
    __table_args__ = (sa.UniqueConstraint("area_id", "period_start", "period_end",
                                          name="uq_statistics_snapshot_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255))
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    charts: Mapped[Optional[list]] = mapped_column(sa.JSON)
    computed_at: Mapped[Optional[datetime]] = mapped_column()
    # How long the last computation took (seconds), for the operators' eyes.
    compute_seconds: Mapped[Optional[float]] = mapped_column()
    requested_at: Mapped[Optional[datetime]] = mapped_column()
    requested_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))

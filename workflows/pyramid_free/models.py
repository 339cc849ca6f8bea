"""The 创无 tables: namings (one application and what became of it), inspections, lot draws, platforms and
their periodic reports."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import NamingStatus


class Platform(Base):
    """An online platform in the register (无传销网络平台 candidates and named ones alike)."""

    __tablename__ = "pf_platform"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    operator: Mapped[str] = mapped_column(sa.String(200))
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)  # 统一社会信用代码
    icp_number: Mapped[str] = mapped_column(sa.String(64), default="")
    app_ids: Mapped[str] = mapped_column(sa.String(400), default="")  # apps and mini-programs, one per line
    platform_type: Mapped[str] = mapped_column(sa.String(16))
    liaison_name: Mapped[str] = mapped_column(sa.String(64), default="")
    liaison_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    # The unit that registered it answers for it: its area scopes who sees the platform.
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class PlatformReport(Base):
    """A platform's report for one period: clean-up statistics, complaints, assistance to investigators."""

    __tablename__ = "pf_platform_report"
    __table_args__ = (sa.UniqueConstraint("platform_id", "period", name="uq_pf_platform_report_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("pf_platform.id"), index=True)
    period: Mapped[str] = mapped_column(sa.String(16))  # e.g. 2026-Q4
    items_removed: Mapped[int] = mapped_column(default=0)
    accounts_closed: Mapped[int] = mapped_column(default=0)
    complaints_received: Mapped[int] = mapped_column(default=0)
    clues_reported: Mapped[int] = mapped_column(default=0)
    assistance_requests: Mapped[int] = mapped_column(default=0)
    # Mean hours the platform took to answer investigators' requests in the period.
    assistance_hours: Mapped[Optional[int]] = mapped_column()
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    reported_on: Mapped[date] = mapped_column()
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column()


class Naming(Base):
    """One application of a community or platform for a year and everything that became of it: refused,
    failed, named, under watch, revoked."""

    __tablename__ = "pf_naming"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(16), index=True)  # community | platform
    # The community's node of the address tree, or (a platform) the registering unit's area.
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    platform_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("pf_platform.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=NamingStatus.APPLIED, index=True)
    applied_at: Mapped[datetime] = mapped_column()
    applied_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    self_assessment: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), unique=True)
    # The re-inspection under way (one at a time).
    watch_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    decision_reason: Mapped[str] = mapped_column(sa.String(1000), default="")  # refusal or return reasons
    accepted_on: Mapped[Optional[date]] = mapped_column()  # the day the acceptance inspection passed
    named_at: Mapped[Optional[datetime]] = mapped_column()
    certificate_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))
    next_periodic_at: Mapped[Optional[datetime]] = mapped_column(index=True)
    # The rectification ordered by the namer (who answers for revoking it when the deadline passes).
    rectification_due_at: Mapped[Optional[datetime]] = mapped_column()
    rectification_ordered_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    revoked_at: Mapped[Optional[datetime]] = mapped_column()
    revoke_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    revocation_notice_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("notice.id"))
    updated_at: Mapped[datetime] = mapped_column()


class Inspection(Base):
    """One scored inspection (self-assessment, acceptance, re-inspection or re-check) with its items."""

    __tablename__ = "pf_inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    naming_id: Mapped[int] = mapped_column(sa.ForeignKey("pf_naming.id"), index=True)
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))  # acceptance | reinspection | recheck
    # [{code, mechanism, title, weight, mode, score, note, no_data, records}]
    items: Mapped[list] = mapped_column(sa.JSON, default=list)
    inspector_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    score: Mapped[float] = mapped_column(sa.Float, default=0)  # out of 100, over the items that have data
    pass_score: Mapped[float] = mapped_column(sa.Float, default=0)
    passed: Mapped[bool] = mapped_column(default=False)
    serious_problems: Mapped[list] = mapped_column(sa.JSON, default=list)
    draw_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("pf_draw.id"))
    at: Mapped[datetime] = mapped_column()
    by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))


class LotDraw(Base):
    """A draw by lot (households to visit, namings to re-inspect at random): the seed is stored, so anyone can
    draw again from the same population and get the same picks."""

    __tablename__ = "pf_draw"
    # One quarter's random draw is made once, even by two workers at the same moment.
    __table_args__ = (sa.UniqueConstraint("purpose", "key", "round", name="uq_pf_draw_purpose_key_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(16), index=True)  # sample | random
    key: Mapped[str] = mapped_column(sa.String(32), index=True)  # naming id, or the quarter (2026Q4)
    round: Mapped[int] = mapped_column(default=1)  # the how-manieth draw for this purpose and key
    seed: Mapped[str] = mapped_column(sa.String(64))
    population: Mapped[list] = mapped_column(sa.JSON, default=list)  # sorted ids drawn from
    size: Mapped[int] = mapped_column()
    picked: Mapped[list] = mapped_column(sa.JSON, default=list)
    drawn_at: Mapped[datetime] = mapped_column()
    drawn_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))

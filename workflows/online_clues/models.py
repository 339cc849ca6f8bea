"""The online MLM clues' tables: the clue ledger, the names a clue answers to, and its links to other records."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import ClueLinkStatus, ClueStatus

# Where a clue came from (线上监测 finds most of them; complaints and platforms' own reports bring the rest).
SOURCES = {"monitoring": "网络巡查监测", "complaint": "投诉举报", "platform": "平台报送", "referral": "上级交办",
           "police": "公安通报", "other": "其他"}

STATUS_NAMES = {ClueStatus.MONITORING: "线上监测", ClueStatus.VERIFYING: "线下实证", ClueStatus.HANDLING: "多措处置",
                ClueStatus.AFTERMATH: "稳妥善后", ClueStatus.CLOSED: "已办结", ClueStatus.DISMISSED: "已排除"}

# How a confirmed clue is handled, by tier (多措处置).
TIERS = {"interview": "约谈或警示", "penalty": "行政处罚", "criminal": "移送公安机关"}

# What a link points at: a complaint naming the clue's subject, the platform's re-inspection, the penalty case.
LINK_KINDS = {"complaint": "关联举报", "reinspection": "平台复查", "penalty": "行政处罚"}


class OnlineClue(Base):
    """One online MLM clue and its ledger facts; the workflow (online_clue) carries the four steps."""

    __tablename__ = "online_clue"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), unique=True)
    reference: Mapped[str] = mapped_column(sa.String(40), default="", index=True)
    source: Mapped[str] = mapped_column(sa.String(16))
    received_on: Mapped[date] = mapped_column(index=True)
    scheme_name: Mapped[str] = mapped_column(sa.String(200))
    # One per line: what the scheme also calls itself (names change faster than the scheme).
    aliases: Mapped[str] = mapped_column(sa.Text, default="")
    urls: Mapped[str] = mapped_column(sa.Text, default="")
    app_ids: Mapped[str] = mapped_column(sa.Text, default="")
    # [{sha256, name, content_type, size}], files stored by content hash like every evidence file
    screenshots: Mapped[list] = mapped_column(sa.JSON, default=list)
    platform_name: Mapped[str] = mapped_column(sa.String(200), default="")
    platform_credit_code: Mapped[str] = mapped_column(sa.String(18), default="", index=True)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    # Copied from the area so area-scoped lists need no join.
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=ClueStatus.MONITORING, index=True)
    # Facts of the offline verification: the organisation's size decides whether it goes to the police.
    member_count: Mapped[Optional[int]] = mapped_column()
    levels: Mapped[Optional[int]] = mapped_column()
    criminal_threshold_reached: Mapped[bool] = mapped_column(default=False)
    tier: Mapped[str] = mapped_column(sa.String(16), default="")
    victim_count: Mapped[Optional[int]] = mapped_column()
    mass_incident_risk: Mapped[str] = mapped_column(sa.String(8), default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    closed_at: Mapped[Optional[datetime]] = mapped_column()


class OnlineClueName(Base):
    """A normalised name a clue answers to (its scheme, aliases and platform), so complaints find it by index."""

    __tablename__ = "online_clue_name"
    __table_args__ = (sa.UniqueConstraint("clue_id", "key", name="uq_online_clue_name_clue_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clue_id: Mapped[int] = mapped_column(sa.ForeignKey("online_clue.id"))
    key: Mapped[str] = mapped_column(sa.String(200), index=True)


class OnlineClueLink(Base):
    """A clue's link to a complaint, a platform re-inspection or a penalty procedure, made in the action that
    opened it; the clue's page leads from here to what it links to."""

    __tablename__ = "online_clue_link"
    __table_args__ = (sa.Index("ix_online_clue_link_kind_target", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clue_id: Mapped[int] = mapped_column(sa.ForeignKey("online_clue.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16), default=ClueLinkStatus.LINKED)
    target_id: Mapped[Optional[int]] = mapped_column()
    # What the clue asked the other domain for (the call's arguments).
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column()
    linked_at: Mapped[Optional[datetime]] = mapped_column()

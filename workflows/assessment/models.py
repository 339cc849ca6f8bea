"""The assessment tables: a run (one numbered, versioned score sheet of one area and period), its rows, the
records behind each deduction (findings) and the evidence of manual entries and overrides."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import AssessmentStatus

POINTS = sa.Numeric(10, 2)


class AssessmentRun(Base):
    """One version of one area's score sheet for one period. A published run is never changed again."""

    __tablename__ = "assessment_run"
    __table_args__ = (sa.UniqueConstraint("area_id", "period_start", "period_end", "version",
                                          name="uq_assessment_run_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(64), unique=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default=AssessmentStatus.DRAFT, index=True)
    # The sampling seed: drawing again with it gives the same sampled records.
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    settings_snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # What was sampled, per sample key: record ids in draw order (the draw can be checked against the seed).
    draws: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    total: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(0))
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column()
    published_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    published_at: Mapped[Optional[datetime]] = mapped_column()
    supersedes_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("assessment_run.id"))
    # The background job that made it (all streets at once): a job taken over after a crash skips the streets
    # it already scored.
    job_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("job.id"), index=True)


class AssessmentRow(Base):
    """One rule's result in a run: the computed figure, a manual entry and an override side by side, and the
    final deduction after the row's and the second level's caps."""

    __tablename__ = "assessment_row"
    __table_args__ = (sa.UniqueConstraint("run_id", "rule_id", name="uq_assessment_row_rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_run.id"), index=True)
    rule_id: Mapped[str] = mapped_column(sa.String(16))
    position: Mapped[int] = mapped_column(default=0)
    computed_deduction: Mapped[Optional[Decimal]] = mapped_column(POINTS)
    manual_deduction: Mapped[Optional[Decimal]] = mapped_column(POINTS)
    override_deduction: Mapped[Optional[Decimal]] = mapped_column(POINTS)
    override_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    deduction: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(0))
    score: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(0))
    count: Mapped[int] = mapped_column(default=0)
    no_data: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.String(2000), default="")


class AssessmentFinding(Base):
    """A record behind a row's computed deduction (the drill-down)."""

    __tablename__ = "assessment_finding"
    __table_args__ = (sa.Index("ix_assessment_finding_rule", "run_id", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_run.id"))
    rule_id: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[Optional[int]] = mapped_column()
    label: Mapped[str] = mapped_column(sa.String(500))
    deduction: Mapped[Decimal] = mapped_column(POINTS)
    url: Mapped[str] = mapped_column(sa.String(255), default="")


class AssessmentEvidence(Base):
    """What an inspector or supervisor gave for a manual entry or an override: a note and optionally a file."""

    __tablename__ = "assessment_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_run.id"), index=True)
    rule_id: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16))  # manual | override
    deduction: Mapped[Decimal] = mapped_column(POINTS)
    note: Mapped[str] = mapped_column(sa.String(2000), default="")
    # The stored upload in webapp.uploads' storage (its SHA-256, name and type; empty when only a note was given).
    file: Mapped[str] = mapped_column(sa.String(255), default="")
    file_name: Mapped[str] = mapped_column(sa.String(255), default="")
    file_type: Mapped[str] = mapped_column(sa.String(100), default="")
    entered_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    entered_at: Mapped[datetime] = mapped_column()

    @property
    def file_meta(self) -> dict | None:
        """The stored file as webapp.uploads.send_recorded takes it, or None."""
        if not self.file:
            return None
        return {"sha256": self.file, "name": self.file_name, "content_type": self.file_type}

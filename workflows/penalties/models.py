"""The penalty procedure's own table: one row per party's procedure, what each step decided, for lists and counts."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import PenaltyOutcome


class PenaltyCase(Base):
    """A party's penalty procedure (the process instance holds the steps; this row holds the record)."""

    __tablename__ = "penalty_case"
    __table_args__ = (
        # The assessment's penalty cases filed in one area's range and period (one per ten complaints), answered
        # from the index; the area as a pattern on PostgreSQL, whose collation may not sort paths bytewise.
        sa.Index("ix_penalty_case_area_filed", "area_path", "filed_on", "instance_id",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("process_instance.id"), unique=True)
    # The case the procedure came from (a six-step case, a clue, ...), when it came from one.
    source_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    source_task: Mapped[str] = mapped_column(sa.String(64), default="")
    area_path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    party_name: Mapped[str] = mapped_column(sa.String(120))
    party_id_number: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    party_kind: Mapped[str] = mapped_column(sa.String(16), default="person")  # person | organisation
    party_address: Mapped[str] = mapped_column(sa.String(255), default="")
    # The fine range's key in legal_texts.json (participant, introducer, organiser, premises), fixed by the
    # party's classification in the source case.
    role: Mapped[str] = mapped_column(sa.String(32))
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str] = mapped_column(sa.String(16), default=PenaltyOutcome.PENDING, index=True)
    discovered_on: Mapped[date] = mapped_column()
    filing_due: Mapped[date] = mapped_column()
    filed_on: Mapped[Optional[date]] = mapped_column()
    decision_due: Mapped[Optional[date]] = mapped_column()
    decision_extended: Mapped[bool] = mapped_column(default=False)
    proposed_fine: Mapped[Optional[int]] = mapped_column()
    notified_on: Mapped[Optional[date]] = mapped_column()
    response: Mapped[str] = mapped_column(sa.String(16), default="")
    hearing_on: Mapped[Optional[date]] = mapped_column()
    fine: Mapped[Optional[int]] = mapped_column()
    decision_number: Mapped[str] = mapped_column(sa.String(60), default="")
    decided_on: Mapped[Optional[date]] = mapped_column()
    served_on: Mapped[Optional[date]] = mapped_column()
    service_method: Mapped[str] = mapped_column(sa.String(16), default="")
    receipt_returned_on: Mapped[Optional[date]] = mapped_column()
    paid_on: Mapped[Optional[date]] = mapped_column()
    paid_amount: Mapped[Optional[int]] = mapped_column()
    surcharge: Mapped[Optional[int]] = mapped_column()
    enforcement_applied_on: Mapped[Optional[date]] = mapped_column()
    closed_on: Mapped[Optional[date]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(index=True)
    # Everything the steps recorded so far (the data each completion handed in, with the dates it implied),
    # so a step's checks read the procedure's record without restoring its workflow.
    record: Mapped[dict] = mapped_column(sa.JSON, default=dict)

"""The office records' tables: every row belongs to one area (copied path, so scoped lists need no join)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base


class Recorded:
    """What every office record carries: its area, a note, and who recorded or last changed it, when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class PublicityActivity(Recorded, Base):
    """A publicity activity, material handed out, a board put up or a responsible-person plate hung."""

    __tablename__ = "publicity_activity"

    held_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    place: Mapped[str] = mapped_column(sa.String(200))
    participants: Mapped[int] = mapped_column(default=0)
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{sha256, name, content_type, size}]


class RegistrationLetterSent(Recorded, Base):
    """致传销人员户籍地基层组织一封信 sent for one person caught (found by ID number)."""

    __tablename__ = "registration_letter_sent"

    id_number: Mapped[str] = mapped_column(sa.String(18), index=True)
    person_name: Mapped[str] = mapped_column(sa.String(64))
    registration_place: Mapped[str] = mapped_column(sa.String(120))
    sent_on: Mapped[date] = mapped_column(index=True)
    letter_number: Mapped[str] = mapped_column(sa.String(64))
    blacklist_entry_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("blacklist_entry.id"))
    case_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))


class PoliceAlertCount(Recorded, Base):
    """How many 110 alerts about MLM the police received in an area over a period (their XLSX, imported)."""

    __tablename__ = "police_alert_count"
    __table_args__ = (sa.UniqueConstraint("area_id", "period_start", "period_end",
                                          name="uq_police_alert_count_area_period"),)

    period_start: Mapped[date] = mapped_column(index=True)
    period_end: Mapped[date] = mapped_column()
    alerts: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(sa.String(200), default="")  # the imported file's name


class CriminalFiling(Recorded, Base):
    """A criminal case the police filed after a transfer (移送), from their 立案回执."""

    __tablename__ = "criminal_filing"

    case_reference: Mapped[str] = mapped_column(sa.String(64))  # the police's filing number
    filed_on: Mapped[date] = mapped_column(index=True)
    transfer_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    persons: Mapped[str] = mapped_column(sa.String(500), default="")
    receipt: Mapped[Optional[dict]] = mapped_column(sa.JSON)


class CaseReport(Recorded, Base):
    """报备 of an illegal direct-selling or MLM case to the level above: due by a day, reported (or not yet)."""

    __tablename__ = "case_report"

    case_label: Mapped[str] = mapped_column(sa.String(200))
    case_kind: Mapped[str] = mapped_column(sa.String(16))
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    due_on: Mapped[date] = mapped_column(index=True)
    reported_on: Mapped[Optional[date]] = mapped_column()


class StatisticalReport(Recorded, Base):
    """A periodic report owed upward (统计报表、工作动态、重大信息、总结): due by a day, submitted (or not yet)."""

    __tablename__ = "statistical_report"

    kind: Mapped[str] = mapped_column(sa.String(16))
    period_label: Mapped[str] = mapped_column(sa.String(40))
    due_on: Mapped[date] = mapped_column(index=True)
    submitted_on: Mapped[Optional[date]] = mapped_column()


class WorkingGroup(Recorded, Base):
    """The 241 task force, a street or community working group, or a key area's full-time team."""

    __tablename__ = "working_group"

    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(200))
    formed_on: Mapped[date] = mapped_column()
    dissolved_on: Mapped[Optional[date]] = mapped_column()
    members: Mapped[list] = mapped_column(sa.JSON, default=list)  # user ids


class OfficeDocument(Recorded, Base):
    """An uploaded plan (方案), the emergency plan, the assessment rules or the funding statement of a year."""

    __tablename__ = "office_document"

    kind: Mapped[str] = mapped_column(sa.String(24))
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    approved_on: Mapped[Optional[date]] = mapped_column()
    amount: Mapped[Optional[Decimal]] = mapped_column(sa.Numeric(14, 2))  # the funding statement's sum, yuan
    file: Mapped[Optional[dict]] = mapped_column(sa.JSON)

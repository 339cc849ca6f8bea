"""The ledgers' tables (台账): rental houses and their catches, intermediaries, the blacklist, import jobs."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.vocabulary import JobStatus

THREE_STOPS_STATES = {"none": "未实施", "in_place": "已实施", "lifted": "已解除"}


def filing_complete(house) -> bool:
    """两书一备案 complete for a house (a RentalHouse or a row with its dates): both letters signed, rental filed."""
    return bool(house.commitment_signed_on and house.security_pledge_signed_on and house.filed_on)


class RentalHouse(Base):
    """A rental house at one standard address, its landlord, filings and anti-MLM history."""

    __tablename__ = "rental_house"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), unique=True)
    # Copied from the area so area-scoped lists need no join.
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    address: Mapped[str] = mapped_column(sa.String(400), default="")
    owner_name: Mapped[str] = mapped_column(sa.String(64), default="")
    owner_id_number: Mapped[str] = mapped_column(sa.String(18), default="")
    owner_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    owner_party_member: Mapped[bool] = mapped_column(default=False)
    owner_public_official: Mapped[bool] = mapped_column(default=False)
    tenants: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{name, id_number, phone}]
    # 两书一备案: rental commitment letter, security responsibility pledge, rental filing.
    commitment_signed_on: Mapped[Optional[date]] = mapped_column()
    security_pledge_signed_on: Mapped[Optional[date]] = mapped_column()
    filed_on: Mapped[Optional[date]] = mapped_column()
    filing_number: Mapped[str] = mapped_column(sa.String(64), default="")
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    flagged_at: Mapped[Optional[datetime]] = mapped_column()
    unflagged_at: Mapped[Optional[datetime]] = mapped_column()
    catch_count: Mapped[int] = mapped_column(default=0)
    last_caught_at: Mapped[Optional[datetime]] = mapped_column()
    reflux_count: Mapped[int] = mapped_column(default=0)
    last_reflux_at: Mapped[Optional[datetime]] = mapped_column()
    three_stops_state: Mapped[str] = mapped_column(sa.String(16), default="none")
    three_stops_on: Mapped[Optional[date]] = mapped_column()
    three_stops_lifted_on: Mapped[Optional[date]] = mapped_column()
    patrol_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    updated_at: Mapped[datetime] = mapped_column()

    @property
    def two_letters_one_filing(self) -> bool:
        """两书一备案 complete: both letters signed and the rental filed."""
        return filing_complete(self)


class HouseCatch(Base):
    """One six-step case that found MLM in a house; the count of earlier rows drives the landlord branch."""

    __tablename__ = "house_catch"
    __table_args__ = (sa.UniqueConstraint("house_id", "instance_id", name="uq_house_catch_house_instance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(sa.ForeignKey("rental_house.id"), index=True)
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("process_instance.id"))
    caught_at: Mapped[datetime] = mapped_column()


class Intermediary(Base):
    """A housing agency and its 拒绝为传销人员提供房源承诺书 (refusal pledge)."""

    __tablename__ = "intermediary"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)  # 统一社会信用代码
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255), index=True)
    address: Mapped[str] = mapped_column(sa.String(400), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(64), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    pledge_signed_on: Mapped[Optional[date]] = mapped_column()
    violation_count: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    updated_at: Mapped[datetime] = mapped_column()


class IntermediaryViolation(Base):
    """An intermediary found renting to MLM participants despite its pledge."""

    __tablename__ = "intermediary_violation"

    id: Mapped[int] = mapped_column(primary_key=True)
    intermediary_id: Mapped[int] = mapped_column(sa.ForeignKey("intermediary.id"), index=True)
    at: Mapped[datetime] = mapped_column()
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))


class BlacklistEntry(Base):
    """黑名单: everyone caught, with how often (回流)."""

    __tablename__ = "blacklist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(sa.String(18), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    registration_place: Mapped[str] = mapped_column(sa.String(120), default="")
    phones: Mapped[str] = mapped_column(sa.String(200), default="")
    group_numbers: Mapped[str] = mapped_column(sa.String(200), default="")  # 手机集团号
    bank_cards: Mapped[str] = mapped_column(sa.String(200), default="")
    catch_count: Mapped[int] = mapped_column(default=1)
    last_role: Mapped[str] = mapped_column(sa.String(16), default="")
    first_caught_at: Mapped[datetime] = mapped_column()
    last_caught_at: Mapped[datetime] = mapped_column()
    last_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))


class LedgerImportJob(Base):
    """A ledger file being checked (and, when chosen, imported); state lives here so any web process can show it."""

    __tablename__ = "ledger_import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    ledger: Mapped[str] = mapped_column(sa.String(32))  # houses | intermediaries | blacklist
    filename: Mapped[str] = mapped_column(sa.String(200))
    # Kept until the rows are imported, so "import the good rows" needs no second upload.
    content: Mapped[Optional[bytes]] = mapped_column(sa.LargeBinary)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column()
    phase: Mapped[str] = mapped_column(sa.String(16), default="check")  # check | import_good
    status: Mapped[str] = mapped_column(sa.String(16), default=JobStatus.RUNNING)  # running | done | failed
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    valid: Mapped[int] = mapped_column(default=0)
    # Rows committed so far: each chunk of rows and this counter commit together, so a restart resumes here.
    imported: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[line, column, message], ...]
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    finished_at: Mapped[Optional[datetime]] = mapped_column()
    # The background job doing the current phase (the worker's lease and attempts live there).
    job_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("job.id"), index=True)

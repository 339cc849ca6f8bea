"""The complaints' tables: complaints, the subjects reported for online MLM, API client systems."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base
from workflows.org.roles import ROLE_NAMES

# Channels a report arrives by (有警（诉）必接: every one of them is accepted).
CHANNELS = {"110": "110报警", "12315": "12315平台", "phone": "电话", "letter": "来信", "email": "电子邮件",
            "visit": "来访", "online": "网络平台", "api": "外部系统"}


def subject_key(name: str) -> str:
    """Normalise an entity or platform name so 'XX 商城 ' and 'xx商城' count as one subject (a complaint's
    subject and an online clue's names are compared by this key)."""
    return re.sub(r"[\s\u3000·.\-_]+", "", (name or "")).lower()


# The units a complaint is transferred to are the market-supervision and police roles, under their names.
RESPONSIBLE_UNITS = {role: ROLE_NAMES[role] for role in ("market", "police")}


class Complaint(Base):
    """One report and its ledger facts; the workflow (complaint_intake) carries the handling itself."""

    __tablename__ = "complaint"
    __table_args__ = (
        # Idempotent API submission: a client system's own reference id never creates two complaints.
        sa.UniqueConstraint("client_system", "client_reference", name="uq_complaint_client_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), unique=True)
    reference: Mapped[str] = mapped_column(sa.String(40), default="", index=True)
    channel: Mapped[str] = mapped_column(sa.String(16))
    content: Mapped[str] = mapped_column(sa.Text)
    address_text: Mapped[str] = mapped_column(sa.String(300), default="")
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    # Online MLM reports name an entity or platform; repeated reports of one subject trigger an investigation.
    online_mlm: Mapped[bool] = mapped_column(default=False)
    subject_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("complaint_subject.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    # The complainant's identity lives only here, never in workflow data or the audit log.
    complainant_name: Mapped[str] = mapped_column(sa.String(64), default="")
    complainant_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    complainant_id_number: Mapped[str] = mapped_column(sa.String(18), default="")
    complainant_contact: Mapped[str] = mapped_column(sa.String(200), default="")
    first_receiver_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    client_system: Mapped[Optional[str]] = mapped_column(sa.String(64))
    client_reference: Mapped[Optional[str]] = mapped_column(sa.String(100))
    payload_digest: Mapped[str] = mapped_column(sa.String(64), default="")
    received_at: Mapped[datetime] = mapped_column(index=True)
    responsible_unit: Mapped[str] = mapped_column(sa.String(16), default="")
    transferred_at: Mapped[Optional[datetime]] = mapped_column()
    linked_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    reward_status: Mapped[str] = mapped_column(sa.String(16), default="")  # approved | rejected
    reward_amount: Mapped[int] = mapped_column(default=0)
    reward_decided_at: Mapped[Optional[datetime]] = mapped_column()


class ComplaintSubject(Base):
    """An entity or online platform named in online-MLM reports, with how often it was reported."""

    __tablename__ = "complaint_subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)  # normalised name
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16), default="platform")  # entity | platform
    report_count: Mapped[int] = mapped_column(default=0)
    first_reported_at: Mapped[datetime] = mapped_column()
    last_reported_at: Mapped[datetime] = mapped_column()
    investigation_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))


class ApiClient(Base):
    """Another system allowed to submit complaints; only a hash of its token is kept."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Complaints it submits without an address are filed under this area (e.g. the district).
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column()

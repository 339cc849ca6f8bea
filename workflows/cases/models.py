"""The six-step case's own table: the persons found in a case."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base


class CasePerson(Base):
    """A person found in a case, mirrored from the case data so searches never deserialize workflows."""

    __tablename__ = "case_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64), index=True)
    id_number: Mapped[str] = mapped_column(sa.String(18), index=True, default="")
    phone: Mapped[str] = mapped_column(sa.String(32), default="")
    bank_card: Mapped[str] = mapped_column(sa.String(32), default="")
    classification: Mapped[str] = mapped_column(sa.String(16), default="")  # participant|core|crime

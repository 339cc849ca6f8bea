"""The substitutes' table: who stands in for whom, from when until when, and why."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.database.base import Base
from workflows.org.models import User


class Substitution(Base):
    """`substitute` holds `absent`'s tasks while starts_at <= now < ends_at; it ends by itself at ends_at."""

    __tablename__ = "substitution"
    __table_args__ = (sa.Index("ix_substitution_absent_period", "absent_id", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    substitute_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column()
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    # Set when someone ends it early; the period's own end needs no write.
    cancelled_at: Mapped[Optional[datetime]] = mapped_column()

    absent: Mapped[User] = relationship(foreign_keys=[absent_id])
    substitute: Mapped[User] = relationship(foreign_keys=[substitute_id])

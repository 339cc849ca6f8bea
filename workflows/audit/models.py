"""The audit log's table: append-only (database triggers refuse UPDATE and DELETE)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.database.base import Base
from workflows.org.models import User


class AuditEvent(Base):
    """Append-only: who did what to which instance or task, and when."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[Optional[str]] = mapped_column(sa.String(36))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[Optional[User]] = relationship()

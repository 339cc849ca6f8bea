"""The workers' heartbeats: each `dachuan worker` writes its row after every round, so a health check can tell
a live worker from one that hangs or died."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.database.base import Base


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeat"

    worker_id: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column()
    beat_at: Mapped[datetime] = mapped_column(index=True)
    rounds: Mapped[int] = mapped_column(default=0)

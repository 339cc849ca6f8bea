"""The history table: finished rounds cut out of long-lived workflows, kept whole and read back on demand."""
from __future__ import annotations

import json
import zlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import WorkflowHistory

_INSERT = sa.insert(WorkflowHistory.__table__)


def archive(session: Session, instance_id: int, now: datetime, tasks: list[dict]) -> None:
    """Keep the tasks just cut out of an instance's workflow, in the action's transaction."""
    if tasks:
        archive_on(session.connection(), instance_id, now, tasks)


def archive_on(connection, instance_id: int, now: datetime, tasks: list[dict]) -> None:
    """The same on a bare connection (the migration that converts stored instances)."""
    text = json.dumps(tasks, separators=(",", ":"), ensure_ascii=False, default=str)
    blob = zlib.compress(text.encode(), 1)
    connection.execute(_INSERT, {"instance_id": instance_id, "archived_at": now, "task_count": len(tasks),
                                 "tasks": blob})


def archived_tasks(session: Session, instance_id: int) -> list[dict]:
    """Every task ever cut out of an instance's workflow, oldest first."""
    rows = session.scalars(sa.select(WorkflowHistory.tasks).where(WorkflowHistory.instance_id == instance_id)
                           .order_by(WorkflowHistory.id))
    return [task for blob in rows for task in json.loads(zlib.decompress(blob))]

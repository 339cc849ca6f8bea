"""The append-only audit log."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.audit.models import AuditEvent


def record(session: Session, at, kind: str, actor_id=None, instance_id=None, task_id=None, **details):
    """Add one event to the current transaction; it commits or rolls back with the action it describes."""
    # A plain INSERT: events are never read back in the same action, so the ORM's bookkeeping is waste.
    session.execute(sa.insert(AuditEvent).values(at=at, kind=kind, actor_id=actor_id, instance_id=instance_id,
                                                 task_id=task_id, details=details))

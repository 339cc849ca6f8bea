"""The audit log: every start, completion, claim, reassignment, escalation, timer firing and administrative
change as an append-only event with who and when (database triggers refuse UPDATE and DELETE). An event is
written in the transaction of the action it describes, so it commits or rolls back with it."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.audit.models import AuditEvent
from workflows.database.driver import DriverStatement


def record(session: Session, at, kind: str, actor_id=None, instance_id=None, task_id=None, **details):
    """Add one event to the current transaction; it commits or rolls back with the action it describes."""
    # A plain INSERT straight to the driver (workflows.database.driver): events are never read back in the
    # same action, so the ORM's bookkeeping and SQLAlchemy's statement machinery are waste.
    _INSERT.write(session, {"at": at, "kind": kind, "actor_id": actor_id, "task_id": task_id,
                            "instance_id": instance_id, "details": details})


_INSERT = DriverStatement(sa.insert(AuditEvent.__table__))

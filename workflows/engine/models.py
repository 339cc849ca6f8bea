"""The engine's tables: deployed process versions, instances and the human-task mirror."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.database.base import Base
from workflows.org.models import Area, User
from workflows.vocabulary import IncidentStatus, InstanceStatus, TaskState


class ProcessVersion(Base):
    """One deployed version of one process: stored once, keyed by the hash of its BPMN file."""

    __tablename__ = "process_version"
    __table_args__ = (sa.UniqueConstraint("process_id", "content_hash", name="uq_process_version_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    # Deferred: loading an instance needs only the hash; the parsed spec is cached per hash.
    bpmn_xml: Mapped[str] = mapped_column(sa.Text, deferred=True)
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    deployed_at: Mapped[datetime] = mapped_column()
    deployed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    __table_args__ = (
        # PostgreSQL only, for a province's data: counting the cases of one area (the case list's "1000+")
        # reads that area's range rather than every case, whatever the database collation.
        sa.Index("ix_process_instance_area_pattern", "area_path",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
        # PostgreSQL only: the case list's page of ids, newest first with the area tested inside the index.
        sa.Index("ix_process_instance_newest", "created_at", "id", "area_path").ddl_if(dialect="postgresql"),
        # The statistics' cases by outcome: one process's cases in one area's range, counted from the index alone.
        sa.Index("ix_process_instance_outcome", "process_id", "area_path", "created_at", "status", "end_event",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("process_version.id"), index=True)
    process_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)  # case number shown to people
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"), index=True)
    area_path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=InstanceStatus.RUNNING, index=True)
    end_event: Mapped[str] = mapped_column(sa.String(64), default="")
    # Serialized workflow state (JSON without the spec, compressed: engine/state_codec.py).
    state: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # Optimistic lock: every save bumps it; a save against a stale value fails cleanly (service._save).
    version: Mapped[int] = mapped_column(default=1)
    next_timer_at: Mapped[Optional[datetime]] = mapped_column(index=True)
    parent_instance_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    level: Mapped[Optional[int]] = mapped_column()  # five-contracts matters: current level of the chain
    created_at: Mapped[datetime] = mapped_column(index=True)  # case lists, newest first
    updated_at: Mapped[datetime] = mapped_column()
    completed_at: Mapped[Optional[datetime]] = mapped_column()
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    # Set while an administrator holds the instance: its tasks cannot be completed and its timers do not fire.
    suspended_at: Mapped[Optional[datetime]] = mapped_column()

    process_version: Mapped[ProcessVersion] = relationship()
    area: Mapped[Optional[Area]] = relationship()


class HumanTask(Base):
    """A mirror of each user task, so inboxes and boards never deserialize a workflow."""

    __tablename__ = "human_task"
    __table_args__ = (
        sa.Index("ix_human_task_inbox", "state", "role", "area_path"),
        sa.Index("ix_human_task_assignee", "assignee_id", "state"),
        # Overdue steps in due order, with the process and area tested inside the index (board, worker).
        sa.Index("ix_human_task_due", "state", "due_at", "process_id", "area_path"),
        # The supervisor board: open matters per level, oldest at the level first, area inside the index.
        sa.Index("ix_human_task_board", "process_id", "state", "level", "created_at", "area_path"),
        # PostgreSQL only: "area_path LIKE '/1/4/%'" can use an index only with pattern ops whatever
        # the database collation (SQLite compares bytes and uses ix_human_task_inbox as it is).
        sa.Index("ix_human_task_inbox_pattern", "state", "role", "area_path",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
        # PostgreSQL only, for a province's data: the board's counts (matters per level, overdue steps)
        # read one area's range of these instead of every open matter or overdue step of the province.
        sa.Index("ix_human_task_board_area", "process_id", "state", "area_path", "level",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
        sa.Index("ix_human_task_due_area", "state", "area_path", "due_at", "process_id",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
        # PostgreSQL only: the open steps of one area with what their lights and the board's overdue page
        # read, answered from the index alone (a district's 10,000 open steps of a province's five million
        # task rows without a visit to each row); only the open steps are in it, so it stays small.
        sa.Index("ix_human_task_open_due", "area_path", "due_at", "process_id",
                 postgresql_ops={"area_path": "varchar_pattern_ops"}, postgresql_include=["created_at", "id"],
                 postgresql_where=sa.text(f"state = '{TaskState.READY.value}'")).ddl_if(dialect="postgresql"),
        # The statistics' time-limit compliance: one step's deadlines in a period, with what it reads, so a
        # district's year is counted from the index alone and without sorting it.
        sa.Index("ix_human_task_step_due", "process_id", "task_name", "state", "due_at", "area_path",
                 "completed_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)  # SpiffWorkflow task id
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    process_id: Mapped[str] = mapped_column(sa.String(64))
    task_name: Mapped[str] = mapped_column(sa.String(64))  # the BPMN element id, e.g. "entry"
    title: Mapped[str] = mapped_column(sa.String(120))
    lane: Mapped[str] = mapped_column(sa.String(64), default="")
    role: Mapped[str] = mapped_column(sa.String(32), default="")
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"))
    area_path: Mapped[str] = mapped_column(sa.String(255), default="")
    assignee_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    level: Mapped[Optional[int]] = mapped_column()
    state: Mapped[str] = mapped_column(sa.String(16), default=TaskState.READY)
    created_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[Optional[datetime]] = mapped_column()
    overdue_matter_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    completed_at: Mapped[Optional[datetime]] = mapped_column()
    completed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    # The last reassignment, shown to the new holder on the task and in their inbox.
    reassigned_at: Mapped[Optional[datetime]] = mapped_column()
    reassigned_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    reassign_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    instance: Mapped[ProcessInstance] = relationship(foreign_keys=[instance_id])
    assignee: Mapped[Optional[User]] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[Optional[User]] = relationship(foreign_keys=[completed_by_id])
    reassigned_by: Mapped[Optional[User]] = relationship(foreign_keys=[reassigned_by_id])


class Incident(Base):
    """An action on an instance that failed inside the engine (a script task, a hook, a timer's firing).

    The failed action rolled back as a whole; this row, written in a transaction of its own, keeps what is
    needed to run it again (the task and the data that were submitted) until an administrator retries it
    (after the cause is fixed) or skips the failing step. One open incident per instance and action.
    """

    __tablename__ = "incident"
    __table_args__ = (sa.Index("ix_incident_open", "status", "instance_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # IncidentKind
    status: Mapped[str] = mapped_column(sa.String(16), default=IncidentStatus.OPEN)
    # The user task whose completion failed (none for a timer), its title, and who completed it.
    task_id: Mapped[Optional[str]] = mapped_column(sa.String(36))
    task_title: Mapped[str] = mapped_column(sa.String(120), default="")
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The diagram element that failed (a script task's id and name), when the engine names it.
    element_id: Mapped[str] = mapped_column(sa.String(64), default="")
    element_name: Mapped[str] = mapped_column(sa.String(120), default="")
    error: Mapped[str] = mapped_column(sa.Text, default="")
    attempts: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column()
    failed_at: Mapped[datetime] = mapped_column()  # the last failure
    resolved_at: Mapped[Optional[datetime]] = mapped_column()
    resolved_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))
    resolution: Mapped[str] = mapped_column(sa.Text, default="")  # the reason for a skip, or a note

    instance: Mapped[ProcessInstance] = relationship()
    actor: Mapped[Optional[User]] = relationship(foreign_keys=[actor_id])
    resolved_by: Mapped[Optional[User]] = relationship(foreign_keys=[resolved_by_id])


class ReferenceCounter(Base):
    """The last number given to references of one prefix in one year (AJ, JB and WB each count from 1)."""

    __tablename__ = "reference_counter"

    prefix: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class WorkflowHistory(Base):
    """Finished rounds cut out of a long-lived instance's workflow (a patrol's quiet rounds, a matter's
    earlier levels), so the stored state stays one round long. Append-only, like the audit trail: each
    row holds the cut tasks (zlib-compressed JSON list: id, parent, spec, BPMN id, state, data)."""

    __tablename__ = "workflow_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("process_instance.id"), index=True)
    archived_at: Mapped[datetime] = mapped_column()
    task_count: Mapped[int] = mapped_column()
    tasks: Mapped[bytes] = mapped_column(sa.LargeBinary)

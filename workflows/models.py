"""Database tables: the org model, process versions, instances, the human-task mirror and the audit log."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


# The standard address (一标三实) from the district down to the room.
AREA_KINDS = ("district", "street", "community", "compound", "building", "unit", "room")
AREA_KIND_NAMES = {"district": "区", "street": "街道", "community": "社区", "compound": "小区",
                   "building": "楼栋", "unit": "单元", "room": "户"}
# Five contracts (五包): level -> the kind of area that level answers for.
FIVE_CONTRACT_LEVEL_KIND = {1: "unit", 2: "building", 3: "compound", 4: "community", 5: "street"}
FIVE_CONTRACT_LEVEL_NAMES = {1: "楼栋长", 2: "社区", 3: "街道分管领导", 4: "区直部门", 5: "区级领导"}

ROLE_NAMES = {
    "grid": "网格员", "police": "公安", "market": "市场监管", "housing": "住房保障",
    "responsible": "五包责任人", "receiver": "受理人", "supervisor": "督办领导", "admin": "系统管理员",
}


class Area(Base):
    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(120))
    # Materialized path "/1/4/17/": subtree checks are one indexed prefix comparison.
    path: Mapped[str] = mapped_column(sa.String(255), index=True, default="")
    full_name: Mapped[str] = mapped_column(sa.String(400), default="")
    is_key_area: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[Optional["Area"]] = relationship(remote_side="Area.id")

    def contains(self, other: "Area") -> bool:
        return other.path.startswith(self.path)


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # police | market | housing | community | street | district
    # Issuer abbreviation for document numbers, e.g. 东市监.
    abbreviation: Mapped[str] = mapped_column(sa.String(16), default="")


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    display_name: Mapped[str] = mapped_column(sa.String(64))
    roles: Mapped[str] = mapped_column(sa.String(200), default="")  # space separated role codes
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"))
    department_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("department.id"))
    phone: Mapped[str] = mapped_column(sa.String(32), default="")
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column()

    area: Mapped[Optional[Area]] = relationship()
    department: Mapped[Optional[Department]] = relationship()

    @property
    def role_set(self) -> set[str]:
        return set(self.roles.split())

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class FiveContractAssignment(Base):
    """Who answers for which area at which level of the five-contracts chain."""

    __tablename__ = "five_contract_assignment"
    __table_args__ = (sa.UniqueConstraint("area_id", "level", name="uq_five_contract_area_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"))
    level: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))

    area: Mapped[Area] = relationship()
    user: Mapped[User] = relationship()


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

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("process_version.id"), index=True)
    process_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)  # case number shown to people
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("area.id"), index=True)
    area_path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="running", index=True)  # running|completed
    end_event: Mapped[str] = mapped_column(sa.String(64), default="")
    # Serialized workflow state (zlib-compressed JSON, without the spec).
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
    state: Mapped[str] = mapped_column(sa.String(16), default="ready")  # ready|completed|cancelled
    created_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[Optional[datetime]] = mapped_column()
    overdue_matter_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("process_instance.id"))
    completed_at: Mapped[Optional[datetime]] = mapped_column()
    completed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user_account.id"))

    instance: Mapped[ProcessInstance] = relationship(foreign_keys=[instance_id])
    assignee: Mapped[Optional[User]] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[Optional[User]] = relationship(foreign_keys=[completed_by_id])


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


from . import notice_models  # noqa: E402,F401  (registers the notice tables)
from . import complaint_models, registry_models  # noqa: E402,F401  (registers complaint and ledger tables)
from . import sweep_models  # noqa: E402,F401  (registers the sweep and import-job tables)
from .jobs import models as _jobs  # noqa: E402,F401  (registers the background jobs table)

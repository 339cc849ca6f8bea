"""The organisation's tables: the address tree, departments, users and the five-contract assignments."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.database.base import Base

# The standard address (一标三实) from the district down to the room.
AREA_KINDS = ("district", "street", "community", "compound", "building", "unit", "room")


AREA_KIND_NAMES = {"district": "区", "street": "街道", "community": "社区", "compound": "小区",
                   "building": "楼栋", "unit": "单元", "room": "户"}


# Five contracts (五包): level -> the kind of area that level answers for.
FIVE_CONTRACT_LEVEL_KIND = {1: "unit", 2: "building", 3: "compound", 4: "community", 5: "street"}


FIVE_CONTRACT_LEVEL_NAMES = {1: "楼栋长", 2: "社区", 3: "街道分管领导", 4: "区直部门", 5: "区级领导"}



class Area(Base):
    __tablename__ = "area"
    # PostgreSQL only: "path LIKE '/1/2/%'" (an officer's areas for pickers and filters) reads the range of
    # one street rather than a province's whole address tree, whatever the database collation.
    __table_args__ = (sa.Index("ix_area_path_pattern", "path", postgresql_ops={"path": "varchar_pattern_ops"})
                      .ddl_if(dialect="postgresql"),)

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
    # Raised whenever every session of the user must end (logout, password change or reset, deactivation):
    # the session cookie carries the generation it was issued under, and an older one is refused.
    session_generation: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    # Set for an account created or reset by an administrator: the user chooses their own password first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

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


class LoginThrottle(Base):
    """Failed logins counted per key (an account name, a client address, or the two together), shared by every
    web process; `blocked_until` is when the next attempt under this key is heard again.

    A key "known:<user id>:<address>" marks an address the account has logged in from, which attacks on the
    account from elsewhere never block.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[Optional[datetime]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(index=True)

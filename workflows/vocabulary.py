"""One vocabulary: the statuses the code compares against, defined once (never bare strings elsewhere).

Each is a `StrEnum`, so it is stored as its plain value and compares equal to it.
"""
from __future__ import annotations

from enum import StrEnum


class InstanceStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"


class TaskState(StrEnum):
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

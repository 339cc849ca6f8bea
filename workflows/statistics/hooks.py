"""The statistics' part in the worker's round: keep the stored figures fresh (no process of their own)."""
from __future__ import annotations

from workflows.engine.hooks import HookRegistry
from workflows.statistics import snapshots


def register(registry: HookRegistry) -> None:
    registry.periodic_duty("statistics_refresh", snapshots.due_refresh)

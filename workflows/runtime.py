"""Wiring: one place that builds the database, settings, clock, the engine and its domains' hooks."""
from __future__ import annotations

import gc
from dataclasses import dataclass

from workflows.cases import hooks as case_hooks
from workflows.clock import SystemClock
from workflows.complaints import hooks as complaint_hooks
from workflows.config import Settings
from workflows.database import migrate
from workflows.database.session import Database
from workflows.engine.hooks import HookRegistry
from workflows.engine.service import WorkflowService
from workflows.ledgers import hooks as ledger_hooks
from workflows.matters import hooks as matter_hooks
from workflows.online_clues import hooks as online_clue_hooks
from workflows.org import demo
from workflows.penalties import hooks as penalty_hooks
from workflows.pyramid_free import hooks as pyramid_free_hooks
from workflows.seizures import hooks as seizure_hooks
from workflows.statistics import hooks as statistics_hooks

# Every domain that runs processes registers its hooks here; the engine itself knows none of them.
DOMAINS = (case_hooks, matter_hooks, complaint_hooks, ledger_hooks, online_clue_hooks, seizure_hooks,
           pyramid_free_hooks, penalty_hooks, statistics_hooks)


@dataclass
class Services:
    db: Database
    settings: Settings
    workflow: WorkflowService


def hook_registry() -> HookRegistry:
    registry = HookRegistry()
    for domain in DOMAINS:
        domain.register(registry)
    return registry


def build(database_url: str | None = None, settings_overrides: dict | None = None, clock=None) -> Services:
    settings = Settings.load(settings_overrides)
    if database_url:
        settings.database_url = database_url
    db = Database(settings.database_url)
    return Services(db, settings, WorkflowService(db, settings, clock or SystemClock(), hook_registry()))


def prepare(services: Services, with_demo: bool = False) -> dict:
    """Migrate, deploy changed diagrams and (optionally) load the demo data once."""
    migrate.upgrade(services.db)
    deployed = services.workflow.deploy_directory()
    loaded = False
    if with_demo:
        with services.db.unit_of_work() as s:
            loaded = demo.load(s)
    return {"deployed": [f"{v.process_id}#{v.id}" for v in deployed], "demo_loaded": loaded}


def settle_heap() -> None:
    """Once a long-running process has started (services built, diagrams parsed, the app made), move what it
    holds for good out of the garbage collector's way: its full collections, which every so many actions
    trigger, then walk only what later actions create instead of every module, mapper and parsed diagram."""
    gc.collect()
    gc.freeze()

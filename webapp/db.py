"""The engine's services and a per-request read session, so pages query the models directly."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, g
from sqlalchemy.orm import Session

from workflows.engine.service import WorkflowService
from workflows.runtime import Services


def services() -> Services:
    return current_app.extensions["dachuan"]


def workflow() -> WorkflowService:
    return services().workflow


def read_session() -> Session:
    """One read-only session per request; writes go through the service's unit of work instead."""
    if "read_session" not in g:
        g.read_session = services().db.read()
    return g.read_session


def close_request_session(_exc=None) -> None:
    session = g.pop("read_session", None)
    if session is not None:
        session.close()


def now() -> datetime:
    """The service's clock as naive UTC, the way the database stores times."""
    return workflow().now()

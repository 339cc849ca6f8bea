"""The engine's services and a per-request read session, so pages query the models directly."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, g
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from workflows.engine.service import WorkflowService
from workflows.runtime import Services


def services() -> Services:
    return current_app.extensions["dachuan"]


def workflow() -> WorkflowService:
    return services().workflow


def read_connection() -> Connection:
    """The request's read connection: one transaction for the whole request, so every read it makes (the
    user, the record, the page's lists) sees the same snapshot; rows read as plain Core rows go straight to
    it, without the ORM session's bookkeeping."""
    if "read_connection" not in g:
        g.read_connection = services().db.engine.connect()
    return g.read_connection


def read_session() -> Session:
    """One read-only session per request, on the request's read connection; writes go through the service's
    unit of work instead."""
    if "read_session" not in g:
        g.read_session = services().db.sessions(bind=read_connection())
    return g.read_session


def end_reads() -> None:
    """End the request's read transaction now (a later read starts a new one). Called before a write the
    request waits for: on SQLite a reader left open across another connection's commit keeps that commit's
    checkpoint from finishing, so the log is never restarted and every commit checkpoints (and syncs) again."""
    close_request_session()


def close_request_session(_exc=None) -> None:
    session, connection = g.pop("read_session", None), g.pop("read_connection", None)
    try:
        if session is not None:
            session.close()
    finally:
        if connection is not None:
            connection.close()  # rolls the read transaction back and returns the connection to the pool


def now() -> datetime:
    """The service's clock as naive UTC, the way the database stores times."""
    return workflow().now()

"""The engine's services and a per-request read session, so pages query the models directly."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from workflows.database.driver import DriverStatement
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
    request_globals = g._get_current_object()  # several reads and writes: one look-up through the proxy
    connection = request_globals.get("read_connection")
    if connection is None:
        engine = services().db.engine
        pooled = request_globals.pop("read_pooled", None)
        # Rows read so far (OneRow) came from a connection taken from the pool directly, in the request's
        # transaction: SQLAlchemy takes that connection over and joins its transaction (on SQLite the
        # engine's begin hook sends no second BEGIN).
        connection = Connection(engine, connection=pooled) if pooled is not None else engine.connect()
        request_globals.read_connection = connection
    return connection


def _read_dbapi():
    """The DB-API connection of the request's reads, its transaction begun: the read connection's when a
    page opened one, else one taken from the pool directly. SQLAlchemy's Connection, with its transaction
    and events, costs more than the one or two rows a submission reads before its service call."""
    request_globals = g._get_current_object()
    connection = request_globals.get("read_connection")
    if connection is not None:
        if not connection.in_transaction():
            connection.begin()
        return connection.connection.dbapi_connection
    pooled = request_globals.get("read_pooled")
    if pooled is None:
        engine = services().db.engine
        pooled = request_globals.read_pooled = engine.raw_connection()
        if engine.dialect.name == "sqlite":  # PostgreSQL's driver begins with the first statement
            pooled.driver_connection.execute("BEGIN")
    return pooled


def read_session() -> Session:
    """One read-only session per request, on the request's read connection; writes go through the service's
    unit of work instead."""
    session = g.get("read_session")
    if session is None:
        session = g.read_session = services().db.sessions(bind=read_connection())
    return session


def end_reads() -> None:
    """End the request's read transaction now (a later read starts a new one). Called before a write the
    request waits for: on SQLite a reader left open across another connection's commit keeps that commit's
    checkpoint from finishing, so the log is never restarted and every commit checkpoints (and syncs) again."""
    close_request_session()


class OneRow:
    """A fixed SELECT of at most one row that every request runs (the logged-in user, a submitted task), sent
    straight to the driver's cursor in the request's read transaction (`_read_dbapi`) by
    workflows.database.driver: compiled once per dialect, its parameters and values converted by the columns'
    own SQLAlchemy types (SQLite's dates and booleans) as a Core result would, as a plain tuple in the order of
    the selected columns.

    SQLAlchemy's statement machinery costs several times what SQLite takes to find one row by its key, on
    every request. Such a read does not pass SQLAlchemy's execution events."""

    def __init__(self, statement: sa.Select):
        self.statement = statement
        self._driver = DriverStatement(statement)

    def first(self, **params) -> tuple | None:
        """The row, read in the request's read transaction."""
        return self._driver.first(_read_dbapi(), services().db.engine.dialect, params)


def close_request_session(_exc=None) -> None:
    request_globals = g._get_current_object()  # one look-up through the proxy, not three
    session = request_globals.pop("read_session", None)
    connection = request_globals.pop("read_connection", None)
    pooled = request_globals.pop("read_pooled", None)
    try:
        if session is not None:
            session.close()
    finally:
        if connection is not None:
            connection.close()  # rolls the read transaction back and returns the connection to the pool
        elif pooled is not None:
            pooled.close()  # back to the pool, whose reset on return rolls the read transaction back


def now() -> datetime:
    """The service's clock as naive UTC, the way the database stores times."""
    return workflow().now()

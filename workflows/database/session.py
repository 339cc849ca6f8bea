"""Database engines and the unit of work: one transaction per user action."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> sa.Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and write transactions that queue instead of failing."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, decide when transactions begin (see _sqlite_begin).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A write transaction takes the write lock up front, so two writers queue on busy_timeout
            # rather than the second failing on a stale snapshot half-way through.
            if conn.get_execution_options().get("writing"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def claimable(self, query):
        """`query` for claiming work several workers race for: on PostgreSQL it locks the rows it returns and
        skips those another worker holds; on SQLite the unit of work's BEGIN IMMEDIATE already serializes it."""
        return query.with_for_update(skip_locked=True) if self.is_postgres else query

    def read(self) -> Session:
        """A session for reading (pages, lists); it never commits."""
        return self.sessions()

    def unit_of_work(self) -> "UnitOfWork":
        return UnitOfWork(self)

    def dispose(self):
        self.engine.dispose()


class UnitOfWork:
    """`with db.unit_of_work() as session:` commits once at the end, or rolls everything back."""

    def __init__(self, db: Database):
        self.db = db

    def __enter__(self) -> Session:
        self.session = self.db.sessions()
        # Bind the session to a connection marked as writing before anything runs (see _sqlite_begin).
        self.session.connection(execution_options={"writing": True})
        return self.session

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
        return False

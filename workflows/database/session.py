"""Database engines and the unit of work: one transaction per user action."""
from __future__ import annotations

import contextvars
import sqlite3
import threading
import weakref
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> sa.Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and write transactions that queue instead of failing."""
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path:
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
            # The checkpointer thread (see Checkpointer) moves committed pages into the database file; the
            # connection's own checkpoint, which would make one action in a few dozen wait for the file's
            # sync, stays only as a backstop should the WAL grow that far.
            cur.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}")
            cur.close()

        # A write transaction takes the write lock up front, so two writers queue on busy_timeout rather than
        # the second failing on a stale snapshot half-way through. The dialect's own hook, straight to the
        # driver, rather than a "begin" event: nothing in a BEGIN needs SQLAlchemy's statement machinery, and
        # an engine with a connection event listener dispatches events around every statement it runs
        # (about 3 µs each).
        engine.dialect.do_begin = _sqlite_begin
        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


# True while a unit of work begins its transaction on this thread (a context variable: per thread).
_begin_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("dachuan_begin_writing", default=False)


def _sqlite_begin(dbapi_connection) -> None:
    driver = dbapi_connection.driver_connection
    writing = _begin_writing.get()
    if not writing and driver.in_transaction:
        return  # a read transaction begun on the pooled connection itself (webapp.db): join it
    driver.execute("BEGIN IMMEDIATE" if writing else "BEGIN")


# Pages (4 KB) the WAL may reach before a committing connection checkpoints it itself; the checkpointer
# thread keeps it far below that.
BACKSTOP_CHECKPOINT_PAGES = 10000
CHECKPOINT_INTERVAL_S = 0.25


def sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL, None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    path = sa.engine.make_url(url).database
    return path if path and path != ":memory:" else None


class Checkpointer:
    """Checkpoints a SQLite database's WAL from a thread of its own, a few times a second.

    A checkpoint copies committed pages from the WAL into the database file and syncs the file. Left to
    SQLite, the connection whose commit crosses the WAL's size limit does it, inside the action that
    committed: one action in a few dozen then waits for the sync (10 ms and more on a busy disk). Here a
    PASSIVE checkpoint runs beside the actions: it never waits for readers or writers, and writers go on
    appending to the WAL meanwhile. Durability is SQLite's WAL durability either way: a commit is in the
    WAL when the action returns; the checkpoint only moves it into the main file.
    """

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL_S):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(path, interval, self._stop),
                                        name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    @staticmethod
    def _run(path: str, interval: float, stop: threading.Event) -> None:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            while not stop.wait(interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    pass  # e.g. the file went away in a test; the next round, or the backstop, checkpoints
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._checkpoint_path = sqlite_file(url)
        self._checkpointer: Checkpointer | None = None
        self._checkpointer_lock = threading.Lock()

    @property
    def checkpointer(self) -> Checkpointer | None:
        """The running checkpointer, if any."""
        return self._checkpointer

    def start_checkpointer(self) -> Checkpointer | None:
        """The SQLite checkpointer, started with the first write (a process that only reads needs none)."""
        if self._checkpoint_path is None:
            return None
        with self._checkpointer_lock:
            if self._checkpointer is None:
                self._checkpointer = Checkpointer(self._checkpoint_path)
                # Stopped with the database object even if nobody disposes of it (a script, a test).
                weakref.finalize(self, self._checkpointer.stop)
        return self._checkpointer

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
        if self._checkpointer is None:
            self.start_checkpointer()
        return UnitOfWork(self)

    def dispose(self):
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()


class UnitOfWork:
    """`with db.unit_of_work() as session:` commits once at the end, or rolls everything back."""

    def __init__(self, db: Database):
        self.db = db

    def __enter__(self) -> Session:
        self.session = self.db.sessions()
        # Bind the session to a connection whose transaction begins as a writer's before anything runs
        # (see _sqlite_begin).
        token = _begin_writing.set(True)
        try:
            self.session.connection()
        finally:
            _begin_writing.reset(token)
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

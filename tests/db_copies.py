"""Copies of one prepared database for every test: a template file on SQLite, a row snapshot on PostgreSQL.

    seal_sqlite(path)             # once: fold the WAL into the file, so the file alone is the database
    copy_sqlite(path, dest)       # per test: a plain file copy
    snap = PgSnapshot.take(url, ["area", ...])   # once: the rows of these tables and every sequence
    snap.restore(url)             # per test: delete all rows, copy the snapshot back, reset sequences

Why rows and not ``CREATE DATABASE ... TEMPLATE``: on a loopback server with this schema, measured per
test (build the copy, then connect), DELETE + COPY took 0.02 s, TRUNCATE + COPY 0.14 s and
DROP/CREATE DATABASE from a template 0.23-0.27 s (either STRATEGY); migrating and loading the demo
afresh, as before, took 1.05 s.

Deleting rows of a table whose triggers forbid it (the append-only audit log, issued notices) needs
``session_replication_role = replica``, which only a superuser may set: the server of pg_server.py
runs as one. Without it (``DACHUAN_TEST_PG_URL`` naming a database of an ordinary role) the tables are
truncated instead, which is slower but needs no privilege beyond owning them.

This module does not import the application.
"""
from __future__ import annotations

import io
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pg_server import libpq_url

__all__ = ["seal_sqlite", "copy_sqlite", "PgSnapshot"]

_LOCK_TIMEOUT = "20s"


def seal_sqlite(path: Path) -> None:
    """Checkpoint the WAL into the file and leave rollback-journal mode, so copying the file copies it all.

    Call it once no connection has the database open. The copies are opened with WAL again by the
    application's engine, exactly like a new file.
    """
    conn = sqlite3.connect(path)
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        conn.close()
    leftovers = [p for p in (f"{path}-wal", f"{path}-shm", f"{path}-journal") if os.path.exists(p)]
    if mode.lower() != "delete" or leftovers:
        raise RuntimeError(f"could not seal {path}: journal_mode={mode}, still present: {leftovers} "
                           "(is a connection to it still open?)")


def copy_sqlite(template: Path, dest: Path) -> None:
    """A private copy of a sealed template file (nothing ever opens the template itself)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, dest)


@dataclass
class PgSnapshot:
    """The rows of some tables and the position of every sequence, to put a database back as it was."""

    tables: list[str]  # parents before children (metadata.sorted_tables order)
    rows: dict[str, bytes]  # table -> COPY ... (FORMAT binary) of its rows; only non-empty tables
    sequences: list[tuple[str, int, bool]]  # (name, value, is_called) for setval
    schema_revision: str
    superuser: bool

    @classmethod
    def take(cls, url: str, tables: list[str]) -> "PgSnapshot":
        import psycopg

        rows = {}
        with psycopg.connect(libpq_url(url)) as conn:
            for table in tables:
                if conn.execute(f'SELECT EXISTS (SELECT FROM "{table}")').fetchone()[0]:
                    buf = io.BytesIO()
                    with conn.cursor().copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                        for chunk in copy:
                            buf.write(chunk)
                    rows[table] = buf.getvalue()
            sequences = [(f'"{schema}"."{name}"', last if last is not None else 1, last is not None)
                         for schema, name, last in conn.execute(
                             "SELECT schemaname, sequencename, last_value FROM pg_sequences "
                             "WHERE schemaname = current_schema() ORDER BY sequencename")]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        return cls(list(tables), rows, sequences, revision, superuser)

    def restore(self, url: str) -> None:
        """Make the database at `url` hold exactly the snapshot again, in one transaction.

        Engines of earlier tests may stay connected (idle) meanwhile; one that still holds locks on
        these tables makes this fail after a while rather than hang.
        """
        import psycopg

        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != self.schema_revision:
                raise RuntimeError(f"the schema of {url} is at revision {revision and revision[0]!r}, the "
                                   f"snapshot at {self.schema_revision!r}: an earlier test changed it; a test "
                                   "that needs another schema must use its own database (empty_pg_url)")
            try:
                if self.superuser:
                    # No triggers (append-only tables) and no foreign-key checks: the rows were consistent.
                    conn.execute("SET LOCAL session_replication_role = replica")
                    for table in reversed(self.tables):
                        conn.execute(f'DELETE FROM "{table}"')
                else:
                    conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables) + " CASCADE")
            except psycopg.errors.LockNotAvailable as exc:
                raise RuntimeError(f"could not empty the tables of {url} within {_LOCK_TIMEOUT}: a connection "
                                   "left open by an earlier test holds locks on them (dispose its engine)") from exc
            for table in self.tables:
                if table in self.rows:
                    with conn.cursor().copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(self.rows[table])
            if self.sequences:
                names, values, called = zip(*self.sequences)
                conn.execute("SELECT setval(s::regclass, v, c) FROM unnest(%s::text[], %s::bigint[], %s::bool[]) "
                             "AS t(s, v, c)", (list(names), list(values), list(called)))

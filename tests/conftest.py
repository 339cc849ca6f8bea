"""Fixtures: every database test runs on SQLite and on a real PostgreSQL server started for the run."""
from __future__ import annotations

import pytest

from engine_helpers import Lookup
from pg_server import running_postgres
from workflows.database import migrate
from workflows import runtime
from workflows.clock import MovableClock
from workflows.database.session import Database
from workflows.database.metadata import metadata


@pytest.fixture(scope="session")
def pg_url():
    with running_postgres() as url:
        db = Database(url)
        migrate.upgrade(db)
        db.dispose()
        yield url


def _truncate_postgres(url: str) -> None:
    db = Database(url)
    tables = ", ".join(t.name for t in metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dachuan.sqlite'}"
    url = request.getfixturevalue("pg_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def clock():
    return MovableClock()


@pytest.fixture
def services(db_url, clock):
    """Migrated database with the demo district and users, and a clock the test moves."""
    svc = runtime.build(db_url, clock=clock)
    runtime.prepare(svc, with_demo=True)
    yield svc
    svc.db.dispose()


@pytest.fixture
def lookup(services):
    return Lookup(services)


ROOM = "吴家山街第一社区花园小区1栋1单元101室"

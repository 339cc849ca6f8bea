"""Fixtures: every database test runs on SQLite and on a real PostgreSQL server started for the run.

The demo database (migrated, diagrams deployed, demo district and users loaded) is built once per run
on each database and copied for every test (db_copies.py): a template file on SQLite, a snapshot of
its rows put back into the one test database on PostgreSQL. It is built with the clock every test
starts from, so a copy holds exactly what preparing a new database in the test would have written;
`runtime.prepare(services, with_demo=True)` on a copy changes nothing.

Tests that need an empty database: `empty_pg_url` (PostgreSQL) or a file under `tmp_path` (SQLite).
"""
from __future__ import annotations

import pytest

from db_copies import PgSnapshot, copy_sqlite, seal_sqlite
from engine_helpers import Lookup
from pg_server import empty_database, running_postgres
from workflows import runtime
from workflows.clock import MovableClock
from workflows.database.metadata import metadata as all_tables

DEMO_CLOCK_START = MovableClock().now()
"""The time the demo copies were prepared at: where the `clock` fixture starts."""


def _prepare_demo(url: str) -> None:
    svc = runtime.build(url, clock=MovableClock(DEMO_CLOCK_START))
    try:
        runtime.prepare(svc, with_demo=True)
    finally:
        svc.db.dispose()


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory):
    """A sealed SQLite file holding the demo database; never opened by a test, only copied."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    _prepare_demo(f"sqlite:///{path}")
    seal_sqlite(path)
    return path


@pytest.fixture
def sqlite_demo_copy(sqlite_demo_template, tmp_path):
    """URL of this test's own copy of the SQLite demo database."""
    path = tmp_path / "dachuan.sqlite"
    copy_sqlite(sqlite_demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def pg_server_url():
    """The run's PostgreSQL server (pg_server.py), with the still empty test database."""
    with running_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def metadata():
    """Every table of the models (what the migrations must build)."""
    return all_tables


@pytest.fixture(scope="session")
def pg_demo_snapshot(pg_server_url, metadata):
    _prepare_demo(pg_server_url)
    return PgSnapshot.take(pg_server_url, [t.name for t in metadata.sorted_tables])


@pytest.fixture
def pg_url(pg_server_url, pg_demo_snapshot):
    """The PostgreSQL test database, holding the demo database again for this test."""
    pg_demo_snapshot.restore(pg_server_url)
    return pg_server_url


@pytest.fixture
def empty_pg_url(pg_server_url):
    """A new, empty PostgreSQL database on the run's server (not the demo test database)."""
    return empty_database(pg_server_url, "dachuan_empty")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    """A demo database of this test's own, on each database."""
    return request.getfixturevalue("sqlite_demo_copy" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def clock():
    return MovableClock(DEMO_CLOCK_START)


@pytest.fixture
def services(db_url, clock):
    """Migrated database with the demo district and users, and a clock the test moves."""
    assert clock.now() == DEMO_CLOCK_START, (
        f"the demo databases were prepared at {DEMO_CLOCK_START}, this test's clock starts at {clock.now()}: "
        "advance the clock in the test instead, or prepare a database of its own with runtime.prepare")
    svc = runtime.build(db_url, clock=clock)
    yield svc
    svc.db.dispose()


@pytest.fixture
def lookup(services):
    return Lookup(services)


ROOM = "吴家山街第一社区花园小区1栋1单元101室"

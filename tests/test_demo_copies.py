"""The demo database every test starts from is a copy: it must hold exactly what preparing a new one writes."""
import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver
from workflows import runtime


def _contents(url, metadata) -> dict:
    """Every row of every table, and on PostgreSQL where each sequence stands.

    Password hashes are left out: the demo accounts share one hash with a random salt.
    """
    engine = sa.create_engine(url)
    out = {}
    try:
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                columns = [c for c in table.c if (table.name, c.name) != ("user_account", "password_hash")]
                out[table.name] = conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            if conn.dialect.name == "postgresql":
                out["sequences"] = conn.exec_driver_sql(
                    "SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename").all()
    finally:
        engine.dispose()
    return out


@pytest.fixture
def fresh_demo(request, db_url, clock, tmp_path):
    """A database of the same kind as `db_url`, prepared now, in the test, the way every test used to."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}" if db_url.startswith("sqlite") else request.getfixturevalue(
        "empty_pg_url")
    svc = runtime.build(url, clock=clock)
    try:
        runtime.prepare(svc, with_demo=True)
    finally:
        svc.db.dispose()
    return url


def test_the_copy_holds_what_preparing_a_new_database_writes(db_url, fresh_demo, metadata):
    expected = _contents(fresh_demo, metadata)
    assert sum(map(len, expected.values())) > 1000  # the demo district is there
    assert _contents(db_url, metadata) == expected


def test_preparing_the_copy_again_changes_nothing(services, metadata):
    before = _contents(services.db.url, metadata)
    assert runtime.prepare(services, with_demo=True) == {"deployed": [], "demo_loaded": False}
    assert _contents(services.db.url, metadata) == before


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_postgres_test_database_is_put_back_for_the_next_test(services, lookup, metadata, pg_demo_snapshot):
    before = _contents(services.db.url, metadata)
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})  # instance, tasks, audit rows, sequences
    with services.db.unit_of_work() as s:
        s.execute(sa.text("UPDATE user_account SET session_generation = 3 WHERE username = 'admin'"))
    assert _contents(services.db.url, metadata) != before
    services.db.dispose()
    pg_demo_snapshot.restore(services.db.url)
    assert _contents(services.db.url, metadata) == before

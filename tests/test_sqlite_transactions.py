"""SQLite: a unit of work holds the write lock from its first moment (writers queue rather than fail half-way);
a read, a page's connection or a read session, takes none, so it never waits for a writer nor holds one up."""
import sqlite3

import pytest
import sqlalchemy as sa

from workflows.database.session import Database


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 't.sqlite'}")
    with database.unit_of_work() as s:
        s.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
        s.execute(sa.text("INSERT INTO t (v) VALUES ('a')"))
    yield database
    database.dispose()


def _other_writer_may_begin(db) -> bool:
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_a_unit_of_work_takes_the_write_lock_before_its_first_statement(db):
    assert _other_writer_may_begin(db)
    with db.unit_of_work():
        assert not _other_writer_may_begin(db)
    assert _other_writer_may_begin(db)


def test_reads_take_no_write_lock_and_see_one_snapshot(db):
    with db.read() as s:
        assert s.execute(sa.text("SELECT v FROM t")).scalars().all() == ["a"]
        assert _other_writer_may_begin(db)
        with db.unit_of_work() as w:  # a writer commits while the read is open
            w.execute(sa.text("INSERT INTO t (v) VALUES ('b')"))
        # The read's transaction began with its first statement: it still sees what it saw.
        assert s.execute(sa.text("SELECT v FROM t")).scalars().all() == ["a"]
    with db.engine.connect() as conn:  # a page's read connection
        assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 2
        assert _other_writer_may_begin(db)

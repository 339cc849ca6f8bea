"""SQLite: committed pages reach the database file from the checkpointer thread, not from the action's commit."""
import sqlite3
import time

import sqlalchemy as sa

from workflows.database.session import BACKSTOP_CHECKPOINT_PAGES, Database


def _rows_in_main_file(path) -> int:
    """Rows of table t as the database file alone holds them (the WAL ignored)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]
    except sqlite3.DatabaseError:
        return -1  # the table itself is still only in the WAL, or a checkpoint is writing the file just now
    finally:
        conn.close()


def _wait_for(predicate, seconds=20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_committed_rows_reach_the_database_file_without_a_checkpoint_in_the_action(tmp_path):
    path = tmp_path / "c.sqlite"
    db = Database(f"sqlite:///{path}")
    try:
        with db.unit_of_work() as s:
            s.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            # The action's own connection would checkpoint only past the backstop.
            assert s.execute(sa.text("PRAGMA wal_autocheckpoint")).scalar() == BACKSTOP_CHECKPOINT_PAGES
        for i in range(40):
            with db.unit_of_work() as s:
                s.execute(sa.text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 500})
        # Far below the backstop, so only the checkpointer can have moved them into the file.
        assert _wait_for(lambda: _rows_in_main_file(path) == 40)
        with db.read() as s:
            assert s.execute(sa.text("SELECT count(*) FROM t")).scalar() == 40
    finally:
        db.dispose()


def test_the_checkpointer_starts_with_the_first_write_and_stops_with_the_database(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'd.sqlite'}")
    with db.read() as s:
        s.execute(sa.text("SELECT 1"))
    assert db.checkpointer is None  # a process that only reads starts none
    with db.unit_of_work() as s:
        s.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
    checkpointer = db.checkpointer
    assert checkpointer.running
    db.dispose()
    assert not checkpointer.running


def test_no_checkpointer_for_postgresql_or_memory():
    assert Database("sqlite://").start_checkpointer() is None
    assert Database("postgresql+psycopg://u:p@127.0.0.1:1/x").start_checkpointer() is None

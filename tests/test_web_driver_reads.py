"""The rows every request reads straight from the driver (the logged-in user, a submitted task:
webapp.db.OneRow) are the rows SQLAlchemy's own Core result gives for the same statement, value for value and
type for type (SQLite hands back dates as text and booleans as 0/1), on both databases; they are read in the
request's one read transaction, which the page's later reads through SQLAlchemy join, and the connection goes
back to the pool when the request ends."""
from __future__ import annotations

import sqlalchemy as sa

from web_fixtures import STEP_DATA, app, client, login_as, ready_task, start_case, submit  # noqa: F401
from webapp.auth.identity import _IDENTITY_ROW
from webapp.db import close_request_session, read_connection, read_session
from webapp.tasks.views import _SUBMITTED_TASK
from workflows.engine.models import HumanTask
from workflows.org.models import User


def _core(one_row, **params):
    row = read_connection().execute(one_row.statement, params).first()
    return None if row is None else tuple(row)


def _same(driver, core):
    assert driver == core
    if core is not None:
        assert [type(v) for v in driver] == [type(v) for v in core]


def test_the_identity_row_is_the_core_row(services, app):
    with services.db.unit_of_work() as s:  # cover a user without an area, a deactivated one, a forced change
        users = {u.username: u for u in s.scalars(sa.select(User))}
        users["wjs_police1"].area_id = None
        users["wjs_market1"].active = False
        users["wjs_grid"].must_change_password = True
    with services.db.read() as s:
        ids = list(s.scalars(sa.select(User.id).order_by(User.id)))
    seen_false = seen_true = False
    for user_id in ids + [max(ids) + 1000]:
        with app.test_request_context("/"):
            driver = _IDENTITY_ROW.first(b_id=user_id)
            _same(driver, _core(_IDENTITY_ROW, b_id=user_id))
            if driver is not None:
                seen_false |= driver[4] is False
                seen_true |= driver[7] is True
    assert seen_false and seen_true  # the booleans came back as booleans, both ways


def test_the_submitted_task_row_is_the_core_row(services, app, login_as):
    grid = login_as("wjs_grid")
    case = start_case(grid)
    sweep = ready_task(services, case, "sweep")
    submit(grid, sweep, STEP_DATA["sweep"])  # one completed task (its dates set) and the next one ready
    with services.db.read() as s:
        task_ids = list(s.scalars(sa.select(HumanTask.id).where(HumanTask.instance_id == case)))
        states = set(s.scalars(sa.select(HumanTask.state).where(HumanTask.instance_id == case)))
    assert len(task_ids) >= 2 and {"ready", "completed"} <= states
    for task_id in task_ids + ["no-such-task"]:
        with app.test_request_context("/"):
            driver = _SUBMITTED_TASK.first(b_id=task_id)
            _same(driver, _core(_SUBMITTED_TASK, b_id=task_id))
            if task_id == sweep:
                assert driver[9] is not None and driver[9].year >= 2000  # completed_at, a datetime


def test_later_reads_share_the_snapshot_and_the_connection_goes_back(services, app):
    pool = services.db.engine.pool
    with services.db.read() as s:
        user_id, original = s.execute(sa.select(User.id, User.display_name)
                                      .where(User.username == "wjs_grid")).one()
    for later in ("connection", "session", "nothing"):
        before = pool.checkedout()
        with app.test_request_context("/"):
            assert _IDENTITY_ROW.first(b_id=user_id)[1] == "wjs_grid"
            with services.db.unit_of_work() as s:  # another connection renames the user meanwhile
                s.get(User, user_id).display_name = "改名之后"
            if later == "connection":
                name = read_connection().scalar(sa.select(User.display_name).where(User.id == user_id))
            elif later == "session":
                name = read_session().get(User, user_id).display_name
            else:
                name = None
            if services.db.engine.dialect.name == "sqlite" and name is not None:
                assert name != "改名之后"  # the request's snapshot, taken by its first read
            close_request_session()
            assert pool.checkedout() == before
            assert _IDENTITY_ROW.first(b_id=user_id)[2] == "改名之后"  # a new transaction after the end
        assert pool.checkedout() == before
        with services.db.unit_of_work() as s:
            s.get(User, user_id).display_name = original

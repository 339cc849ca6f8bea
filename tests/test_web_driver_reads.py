"""The rows every request reads straight from the driver (the logged-in user, a submitted task:
webapp.db.OneRow) are the rows SQLAlchemy's own Core result gives for the same statement, value for value and
type for type (SQLite hands back dates as text and booleans as 0/1), on both databases; and they are read inside
the request's one read transaction, as the page's other reads are."""
from __future__ import annotations

import sqlalchemy as sa

from web_fixtures import STEP_DATA, app, client, login_as, ready_task, start_case, submit  # noqa: F401
from webapp.auth.identity import _IDENTITY_ROW
from webapp.db import read_connection
from webapp.tasks.views import _SUBMITTED_TASK
from workflows.engine.models import HumanTask
from workflows.org.models import User


def _core(connection, one_row, **params):
    row = connection.execute(one_row.statement, params).first()
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
            connection = read_connection()
            driver = _IDENTITY_ROW.first(connection, b_id=user_id)
            assert connection.in_transaction()  # the request's snapshot, which later reads share
            _same(driver, _core(connection, _IDENTITY_ROW, b_id=user_id))
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
            connection = read_connection()
            driver = _SUBMITTED_TASK.first(connection, b_id=task_id)
            _same(driver, _core(connection, _SUBMITTED_TASK, b_id=task_id))
            if task_id == sweep:
                assert driver[9] is not None and driver[9].year >= 2000  # completed_at, a datetime

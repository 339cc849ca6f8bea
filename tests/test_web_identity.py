"""The logged-in user as each request reads it (one row of the user and its area, not the ORM model): it answers
the access rule exactly as the User model does, and a change to an account (roles, area) counts from the very
next request, and a submission holds no read transaction open while the service completes the task (the session
cookie: tests/test_sessions.py)."""
from __future__ import annotations

import sqlalchemy as sa

from web_fixtures import (STEP_DATA, app, client, login_as, ready_task, start_case, submit, text,  # noqa: F401
                          user_id)
from webapp.auth.identity import load_user
from webapp.db import read_session
from workflows.engine.models import HumanTask
from workflows.org import access as rules
from workflows.org.models import Area, User


def token(user: User) -> str:
    """The session id the login stores: id, session generation, a piece of the password hash."""
    return f"{user.id}:{user.session_generation}:{user.password_hash[-12:]}"


def test_the_identity_answers_the_access_rule_as_the_user_model_does(services, app):
    with services.db.unit_of_work() as s:  # one account without an area, one deactivated, to cover those paths
        users = {u.username: u for u in s.scalars(sa.select(User))}
        users["wjs_police1"].area_id = None
        users["wjs_market1"].active = False
    with services.db.read() as s:
        users = list(s.scalars(sa.select(User).order_by(User.id)))
        for u in users:
            _ = u.area  # loaded while the session is open
        paths = [""] + list(s.scalars(sa.select(Area.path).order_by(Area.path)))
        tasks = list(s.scalars(sa.select(HumanTask).limit(50)))
    assert any(u.area is None for u in users) and any(not u.active for u in users)
    checked = 0
    for user in users:
        with app.test_request_context("/"):
            identity = load_user(token(user))
            if not user.active:
                assert identity is None
                continue
            assert identity.get_id() == token(user)
            assert (identity.id, identity.username, identity.display_name, identity.must_change_password) == \
                (user.id, user.username, user.display_name, user.must_change_password)
            assert identity.role_set == user.role_set and identity.active is True
            if user.area is None:
                assert identity.area is None
            else:
                assert (identity.area.id, identity.area.parent_id, identity.area.kind, identity.area.path,
                        identity.area.full_name) == (user.area.id, user.area.parent_id, user.area.kind,
                                                     user.area.path, user.area.full_name)
            assert rules.scope_of(identity) == rules.scope_of(user)
            assert rules.district_wide(identity) == rules.district_wide(user)
            assert [rules.sees(identity, p) for p in paths] == [rules.sees(user, p) for p in paths]
            assert [rules.can_act(identity, t) for t in tasks] == [rules.can_act(user, t) for t in tasks]
            # A page that needs the model itself still gets it, from this request's session.
            assert identity.user.id == user.id and identity.user in read_session()
            checked += 1
    assert checked >= 5


def test_a_stale_session_id_finds_nobody(services, app):
    with services.db.read() as s:
        user = s.scalar(sa.select(User).where(User.username == "wjs_grid"))
    with app.test_request_context("/"):
        assert load_user(token(user)) is not None
        assert load_user(f"{user.id}:{user.session_generation + 1}:{user.password_hash[-12:]}") is None
        assert load_user(f"{user.id}:{user.session_generation}:xxxxxxxxxxxx") is None
        assert load_user("abc:0:x") is None and load_user("") is None


def test_a_role_change_counts_from_the_next_request(services, login_as):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    sweep = ready_task(services, case_id, "sweep")
    assert grid.get(f"/tasks/{sweep}").status_code == 200
    uid = user_id(services, "wjs_grid")
    with services.db.unit_of_work() as s:
        s.execute(sa.update(User).where(User.id == uid).values(roles="housing"))
    with services.db.read() as s:
        assert s.get(HumanTask, sweep).assignee_id is None  # in the grid role's shared inbox
    # Without the role the step is not theirs any more: refused, nothing completed.
    r = submit(grid, sweep, STEP_DATA["sweep"])
    assert r.status_code == 403
    assert ready_task(services, case_id, "sweep") == sweep
    with services.db.unit_of_work() as s:
        s.execute(sa.update(User).where(User.id == uid).values(roles="grid"))
    r = submit(grid, sweep, STEP_DATA["sweep"])
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/cases/{case_id}?done={sweep}")


def test_an_area_change_counts_from_the_next_request(services, login_as):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    assert grid.get(f"/cases/{case_id}").status_code == 200
    uid = user_id(services, "wjs_grid")
    with services.db.unit_of_work() as s:
        elsewhere = s.scalar(sa.select(Area.id).where(Area.full_name == "金银湖街"))
        s.execute(sa.update(User).where(User.id == uid).values(area_id=elsewhere))
    page = grid.get(f"/cases/{case_id}")
    assert page.status_code == 403
    assert "金银湖街" in text(grid.get("/tasks"))  # the page header names the new area


def test_a_submission_holds_no_read_transaction_while_the_task_is_completed(services, login_as, monkeypatch):
    from flask import g

    import webapp.tasks.views as task_views
    seen = []
    complete = task_views._complete

    def watched(task, data):
        seen.append(("read_connection" in g, "read_session" in g, "read_pooled" in g))
        return complete(task, data)

    monkeypatch.setattr(task_views, "_complete", watched)
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    r = submit(grid, ready_task(services, case_id, "sweep"), STEP_DATA["sweep"])
    assert r.status_code == 302 and seen == [(False, False, False)]
    assert "已完成“摸排”" in text(grid.get(r.headers["Location"]))

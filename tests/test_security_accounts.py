"""Accounts under attack: sessions end server-side, login throttling that nobody can turn into a lock-out or
an oracle of user names, and passwords that are neither common nor trivial, changed by their owner."""
from __future__ import annotations

import sqlalchemy as sa

from web_fixtures import PASSWORD, app, client, login_as, text, user_id  # noqa: F401  (fixtures)
from webapp import create_app
from workflows import runtime
from workflows.audit.models import AuditEvent
from workflows.org.models import LoginThrottle

NEW_USER = {"username": "wjs_market3", "display_name": "市场监管 钱多多", "roles": ["market"],
            "area": "吴家山街", "department": "", "phone": "13800001111", "password": "Hu7#kite-Lamp",
            "confirm": "Hu7#kite-Lamp", "active": "y"}
GOOD = "Qi9-lantern-Rowan"


def events(services, kind):
    with services.db.read() as s:
        return list(s.scalars(sa.select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.id)))


def from_address(app, address):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


def login(c, username, password=PASSWORD):
    return c.post("/login", data={"username": username, "password": password})


def copy_of(app, c):
    """Another browser holding a copy of `c`'s session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", c.get_cookie("session").value)
    return thief


def logged_in(c) -> bool:
    return c.get("/tasks").status_code == 200


# ---------------------------------------------------------------- sessions end server-side
def test_a_cookie_copied_before_logout_no_longer_works(services, app, login_as):
    c = login_as("wjs_grid")
    thief = copy_of(app, c)
    assert logged_in(thief)
    c.post("/logout")
    assert not logged_in(thief) and not logged_in(c)
    assert [e.details["reason"] for e in events(services, "sessions_ended")] == ["logout"]


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(services, app, login_as):
    here, elsewhere = login_as("wjs_grid"), login_as("wjs_grid")
    r = here.post("/password", data={"current": PASSWORD, "password": GOOD, "confirm": GOOD})
    assert r.status_code == 302, text(r)
    assert logged_in(here) and not logged_in(elsewhere)
    assert login(app.test_client(), "wjs_grid", GOOD).status_code == 302


def test_an_administrators_reset_or_deactivation_ends_every_session(services, app, login_as):
    admin = login_as("admin")
    grid, police = login_as("wjs_grid"), login_as("wjs_police1")
    r = admin.post(f"/admin/users/{user_id(services, 'wjs_grid')}/password", data={"password": GOOD, "confirm": GOOD})
    assert r.status_code == 302
    assert not logged_in(grid)
    uid = user_id(services, "wjs_police1")
    thief = copy_of(app, police)
    form = {"display_name": "公安 王建国", "roles": ["police"], "area": "吴家山街", "department": "", "phone": ""}
    assert admin.post(f"/admin/users/{uid}", data=form).status_code == 302  # no "active": deactivated
    assert not logged_in(police)
    assert admin.post(f"/admin/users/{uid}", data=dict(form, active="y")).status_code == 302
    assert not logged_in(thief)  # re-enabling the account does not bring an old cookie back
    assert {e.details["reason"] for e in events(services, "sessions_ended")} == {"password_reset", "deactivated"}


# ---------------------------------------------------------------- throttling, not locking
def test_unknown_and_real_accounts_get_the_same_answers(app):
    real, unknown = from_address(app, "10.0.0.1"), from_address(app, "10.0.0.2")
    answers = []
    for c, name in ((real, "wjs_grid"), (unknown, "no_such_user")):
        answers.append([(r.status_code, r.get_data(as_text=True).count("请"), "过于频繁" in text(r))
                        for r in (login(c, name, "wrong") for _ in range(6))])
    assert answers[0] == answers[1]
    assert answers[0][0][:1] == (401,) and answers[0][-1][2]  # first a wrong password, later a wait
    assert "锁定" not in text(login(unknown, "no_such_user", "wrong"))


def test_delays_grow_and_the_right_password_waits_them_out(app, clock, services):
    c = from_address(app, "10.0.0.7")
    for _ in range(3):
        assert "用户名或密码错误" in text(login(c, "wjs_grid", "wrong"))
    delays = []
    for _ in range(3):
        assert "用户名或密码错误" in text(login(c, "wjs_grid", "wrong"))  # heard, and starts a delay
        r = login(c, "wjs_grid")  # even the right password is not heard during the delay
        assert r.status_code == 429 and "过于频繁" in text(r)
        with services.db.read() as s:
            row = s.get(LoginThrottle, "pair:wjs_grid|10.0.0.7")
            delays.append(round((row.blocked_until - services.workflow.now()).total_seconds()))
        clock.advance(seconds=delays[-1])
    assert delays == [2, 4, 8]
    assert login(c, "wjs_grid").status_code == 302
    assert len(events(services, "login_throttled")) == 3


def test_an_attack_from_elsewhere_never_keeps_the_administrator_out(app, services):
    desk = from_address(app, "10.1.1.1")
    assert login(desk, "admin").status_code == 302  # the administrator's usual machine
    desk.post("/logout")
    for i in range(60):  # many machines guessing the administrator's password
        login(from_address(app, f"192.0.2.{i % 30}"), "admin", f"guess{i}")
    assert "过于频繁" in text(login(from_address(app, "192.0.2.200"), "admin"))  # a stranger's machine waits
    assert login(desk, "admin").status_code == 302  # the known machine is never held back


def test_the_server_operator_lifts_the_waits_from_the_command_line(app, services, db_url):
    from click.testing import CliRunner

    from webapp.cli import main
    for i in range(12):
        login(from_address(app, f"192.0.2.{i}"), "admin", f"guess{i}")
    assert "过于频繁" in text(login(from_address(app, "198.51.100.1"), "admin"))
    result = CliRunner().invoke(main, ["--database-url", db_url, "unlock", "admin"])
    assert result.exit_code == 0 and "已解除 admin 的登录限制" in result.output
    assert login(from_address(app, "198.51.100.1"), "admin").status_code == 302
    assert events(services, "user_unlocked")[-1].details["via"] == "command line"


def test_one_address_trying_many_names_is_slowed_down(app):
    c = from_address(app, "10.9.9.9")
    for i in range(20):
        assert login(c, f"name{i}", "wrong").status_code == 401
    assert login(c, "name20", "wrong").status_code == 401  # the 21st failure starts a delay for the address
    assert "过于频繁" in text(login(c, "wjs_grid"))
    assert login(from_address(app, "10.9.9.10"), "wjs_grid").status_code == 302


def test_the_throttle_is_shared_by_every_web_process(app, db_url, clock):
    other = runtime.build(db_url, clock=clock)
    try:
        second = create_app({"SERVICES": other, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test"})
        for _ in range(4):
            login(from_address(app, "10.3.3.3"), "wjs_grid", "wrong")
        assert "过于频繁" in text(login(from_address(second, "10.3.3.3"), "wjs_grid"))
    finally:
        other.db.dispose()


# ---------------------------------------------------------------- passwords
def test_common_and_trivial_passwords_are_refused_with_the_reason(login_as):
    admin = login_as("admin")
    for weak, reason in (("password123", "常见密码"), ("1234567890", "过于简单"), ("aaaaaaaaaaaa", "过于简单"),
                         ("qwertyuiop2026", "过于简单"), ("wjs_market3-2026", "不能包含用户名"),
                         ("woaini1314520", "常见密码")):
        r = admin.post("/admin/users/new", data=dict(NEW_USER, password=weak, confirm=weak))
        assert r.status_code == 422 and reason in text(r), weak
        assert "市场监管 钱多多" in text(r)
    uid = 0
    r = admin.post("/admin/users/new", data=NEW_USER)
    assert r.status_code == 302
    uid = int(r.headers["Location"].rsplit("/", 1)[1])
    r = admin.post(f"/admin/users/{uid}/password", data={"password": "11111111111", "confirm": "11111111111"},
                   follow_redirects=True)
    assert "密码未重置" in text(r) and "过于简单" in text(r)


def test_a_new_account_changes_its_password_at_the_first_login(services, app, login_as):
    assert login_as("admin").post("/admin/users/new", data=NEW_USER).status_code == 302
    c = app.test_client()
    r = login(c, "wjs_market3", NEW_USER["password"])
    assert r.headers["Location"] == "/password"
    for url in ("/tasks", "/cases", "/registries/houses"):
        assert c.get(url).headers["Location"] == "/password", url
    r = c.post("/password", data={"current": NEW_USER["password"], "password": "abc12345678", "confirm": "abc12345678"})
    assert r.status_code == 422 and "过于简单" in text(r) or "常见密码" in text(r)
    r = c.post("/password", data={"current": NEW_USER["password"], "password": NEW_USER["password"],
                                  "confirm": NEW_USER["password"]})
    assert r.status_code == 422 and "不能与当前密码相同" in text(r)
    r = c.post("/password", data={"current": "wrong", "password": GOOD, "confirm": GOOD})
    assert r.status_code == 422 and "当前密码不正确" in text(r)
    r = c.post("/password", data={"current": NEW_USER["password"], "password": GOOD, "confirm": GOOD})
    assert r.status_code == 302 and r.headers["Location"] == "/tasks"
    assert logged_in(c)
    c.post("/logout")
    assert login(c, "wjs_market3", GOOD).headers["Location"] == "/tasks"
    [changed] = events(services, "password_changed")
    assert changed.details == {"forced": True}


def test_after_an_administrators_reset_the_user_chooses_a_new_password(services, app, login_as):
    admin = login_as("admin")
    admin.post(f"/admin/users/{user_id(services, 'wjs_grid')}/password", data={"password": GOOD, "confirm": GOOD})
    c = app.test_client()
    assert login(c, "wjs_grid", GOOD).headers["Location"] == "/password"
    assert c.get("/tasks").headers["Location"] == "/password"


def test_the_demo_accounts_log_straight_in(app):
    for name in ("wjs_grid", "admin", "wjs_leader"):
        c = app.test_client()
        assert login(c, name).headers["Location"] == "/tasks", name

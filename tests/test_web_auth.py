"""Login and logout: hashed passwords, one message for any wrong name or password, delays after failures."""
from __future__ import annotations

from web_fixtures import PASSWORD, app, client, login_as, text  # noqa: F401  (fixtures)


def login(client, username, password=PASSWORD, **kw):
    return client.post("/login", data={"username": username, "password": password}, **kw)


def test_login_page_is_in_chinese(client):
    r = client.get("/login")
    assert r.status_code == 200
    assert "用户名" in text(r) and "密码" in text(r) and 'lang="zh-CN"' in text(r)


def test_pages_need_login(client):
    for url in ("/", "/tasks", "/cases", "/cases/new", "/cases/1", "/board", "/admin/users"):
        r = client.get(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url


def test_login_then_logout(client):
    r = login(client, "wjs_grid")
    assert r.status_code == 302 and r.headers["Location"] == "/tasks"
    page = text(client.get("/"))
    assert "网格员 陈小红" in page and "我的待办" in page
    r = client.post("/logout")
    assert r.status_code == 302
    assert "/login" in client.get("/").headers["Location"]


def test_logout_is_not_a_get(client):
    login(client, "wjs_grid")
    assert client.get("/logout").status_code == 405


def test_wrong_password_and_unknown_user_get_the_same_message(client):
    wrong_password = login(client, "wjs_grid", "not-the-password")
    unknown_user = login(client, "nobody_here", "whatever")
    for r in (wrong_password, unknown_user):
        assert r.status_code == 401
        assert "用户名或密码错误。" in text(r)
    assert "不存在" not in text(unknown_user)


def test_the_form_keeps_the_user_name_after_a_failure(client):
    r = login(client, "wjs_grid", "bad")
    assert 'value="wjs_grid"' in text(r)


def test_empty_fields_are_explained(client):
    r = client.post("/login", data={"username": "", "password": ""})
    assert r.status_code == 400
    assert "请输入用户名" in text(r) and "请输入密码" in text(r)


def test_failures_slow_the_next_attempts_down_without_locking_the_account(client, clock):
    for _ in range(4):
        assert "用户名或密码错误。" in text(login(client, "wjs_grid", "bad"))
    # Even the right password waits out the delay; nothing says the account exists or is locked.
    r = login(client, "wjs_grid")
    assert r.status_code == 429 and "过于频繁" in text(r) and "锁定" not in text(r)
    clock.advance(seconds=2)
    assert login(client, "wjs_grid").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, clock):
    for _ in range(3):
        login(client, "wjs_grid", "bad")
    assert login(client, "wjs_grid").status_code == 302
    client.post("/logout")
    for _ in range(3):
        assert "用户名或密码错误。" in text(login(client, "wjs_grid", "bad"))


def test_a_disabled_account_cannot_log_in(client, services):
    from workflows.org.accounts import by_username
    with services.db.unit_of_work() as s:
        by_username(s, "wjs_grid").active = False
    r = login(client, "wjs_grid")
    assert r.status_code == 401 and "用户名或密码错误。" in text(r)


def test_next_only_goes_to_this_site(client):
    r = client.post("/login?next=/cases", data={"username": "wjs_grid", "password": PASSWORD})
    assert r.headers["Location"] == "/cases"
    client.post("/logout")
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = client.post("/login?next=" + evil, data={"username": "wjs_grid", "password": PASSWORD})
        assert r.headers["Location"] == "/tasks", evil
        client.post("/logout")


def test_session_cookie_is_httponly_and_samesite(client):
    r = login(client, "wjs_grid")
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_stored_hashed(services):
    from workflows.org.accounts import by_username
    with services.db.read() as s:
        stored = by_username(s, "wjs_grid").password_hash
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_a_logged_in_user_visiting_login_goes_to_the_inbox(client):
    login(client, "wjs_grid")
    r = client.get("/login")
    assert r.status_code == 302 and r.headers["Location"].endswith("/tasks")

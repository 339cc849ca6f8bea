"""The app factory, error pages, security headers, CSRF and the vendored assets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from web_fixtures import (PASSWORD, STEP_DATA, app, client, forms_without_token, login_as,  # noqa: F401
                          ready_task, start_case, submit, text)
from webapp import create_app
from workflows.exceptions import TaskAlreadyCompleted

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"


def test_the_factory_reuses_given_services(app, services):
    assert app.extensions["dachuan"] is services
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 32 * 1024 * 1024


def test_the_factory_builds_services_from_a_url(sqlite_demo_copy, clock):
    url = sqlite_demo_copy
    own = create_app({"DATABASE_URL": url, "CLOCK": clock, "SECRET_KEY": "k"})
    assert own.extensions["dachuan"].db.url == url
    assert own.extensions["dachuan"].workflow.clock is clock
    c = own.test_client()
    assert c.get("/login").status_code == 200
    r = c.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text(r)).group(1)
    assert c.post("/login", data={"username": "wjs_grid", "password": PASSWORD, "csrf_token": token}).status_code == 302


def test_without_a_secret_key_one_is_kept_in_the_instance_folder(services, tmp_path, monkeypatch):
    monkeypatch.delenv("DACHUAN_SECRET_KEY", raising=False)
    config = {"SERVICES": services, "UPLOAD_FOLDER": str(tmp_path), "SECRET_KEY_FILE": str(tmp_path / "key")}
    first, again = create_app(config), create_app(config)
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == again.config["SECRET_KEY"]
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_security_headers(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["X-Frame-Options"] == "DENY"


def test_404_page_in_chinese(login_as):
    r = login_as("wjs_grid").get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in text(r) and "返回我的待办" in text(r)


def test_404_page_for_anonymous_users(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in text(r) and "前往登录" in text(r)


def test_403_page_in_chinese(login_as):
    r = login_as("wjs_grid").get("/admin/users")
    assert r.status_code == 403 and "无权访问" in text(r) and "您没有权限" in text(r)


def test_500_page_in_chinese(app, login_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaput")

    r = login_as("wjs_grid").get("/boom")
    assert r.status_code == 500 and "系统出错" in text(r) and "kaput" not in text(r)


def test_a_workflow_error_becomes_its_status_and_message(app, login_as):
    @app.route("/stale")
    def stale():
        raise TaskAlreadyCompleted("该任务已由某某完成。", None)

    r = login_as("wjs_grid").get("/stale")
    assert r.status_code == 409 and "该任务已由某某完成。" in text(r)


def test_csrf_is_enforced_when_enabled(services, tmp_path):
    guarded = create_app({"SERVICES": services, "SECRET_KEY": "k", "UPLOAD_FOLDER": str(tmp_path)})
    c = guarded.test_client()
    r = c.post("/login", data={"username": "wjs_grid", "password": PASSWORD})
    assert r.status_code == 400 and "CSRF" in text(r)
    page = text(c.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert c.post("/login", data={"username": "wjs_grid", "password": PASSWORD, "csrf_token": token}).status_code == 302
    # Every state-changing form needs it: a task post, a claim, logout, the board, admin.
    inbox = text(c.get("/"))
    assert 'name="csrf_token"' in inbox
    for url in ("/logout", "/cases/new", "/board/reassign", "/admin/users/new", "/tasks/x/claim"):
        assert c.post(url, data={}).status_code == 400, url
    token = re.search(r'name="csrf_token" value="([^"]+)"', inbox).group(1)
    r = c.post("/cases/new", data={"kind": "six_step_case", "address": "吴家山街第一社区花园小区1栋1单元101室",
                                   "title": "有令牌", "source": "sweep", "csrf_token": token})
    assert r.status_code == 302
    case_id = int(r.headers["Location"].rsplit("/", 1)[1])
    task_id = ready_task(services, case_id, "sweep")
    assert c.post(f"/tasks/{task_id}", data=STEP_DATA["sweep"]).status_code == 400
    # The task form carries the token CSRFProtect checks (the form has no token field of its own).
    page = text(c.get(f"/tasks/{task_id}"))
    assert forms_without_token(page) == []
    form = page[page.index('class="card task-form"'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert c.post(f"/tasks/{task_id}", data={**STEP_DATA["sweep"], "csrf_token": "x" + token}).status_code == 400
    assert c.post(f"/tasks/{task_id}", data={**STEP_DATA["sweep"], "csrf_token": token}).status_code == 302


def test_every_page_uses_only_vendored_assets(login_as, services):
    case_id = start_case(login_as("wjs_grid"))
    c = login_as("admin")
    for url in ("/", f"/cases/{case_id}", "/cases", "/cases/new", "/admin/users", "/admin/processes"):
        page = text(c.get(url))
        for ref in re.findall(r'(?:src|href)="([^"]+)"', page):
            assert not re.match(r"^(https?:)?//", ref), f"{url} loads {ref}"
    for name in ("bpmn-navigated-viewer.production.min.js", "bpmn-js.css", "diagram-js.css", "LICENSE"):
        assert (WEBAPP / "static" / "vendor" / "bpmn-js" / name).exists()
        assert c.get(f"/static/vendor/bpmn-js/{name}").status_code == 200


def test_templates_reference_no_cdn():
    for path in (WEBAPP / "templates").rglob("*.html"):
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", path.read_text(encoding="utf-8")), path


def test_the_layout_adapts_at_768px():
    css = (WEBAPP / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert "@media (max-width: 768px)" in css
    base = (WEBAPP / "templates" / "base.html").read_text(encoding="utf-8")
    assert 'name="viewport"' in base and 'lang="zh-CN"' in base


@pytest.mark.parametrize("url", ["/", "/cases", "/cases/new", "/board", "/admin/users", "/admin/assignments",
                                 "/admin/processes", "/admin/users/new"])
def test_pages_render_for_the_roles_that_use_them(login_as, url):
    who = "dubanban" if url == "/board" else "admin"
    r = login_as(who).get(url)
    assert r.status_code == 200 and "打传案件办理系统" in text(r)


def test_a_task_page_shows_the_form_with_its_guidance(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    for step in ("sweep",):
        submit(login_as("wjs_grid"), ready_task(services, case_id, step), STEP_DATA[step])
    page = text(login_as("wjs_police1").get(f"/tasks/{ready_task(services, case_id, 'entry')}"))
    assert "《禁止传销条例》第十五条" in page and 'name="officers-1-badge"' in page and "添加一行" in page
    assert "js/forms.js" in page and "enctype=\"multipart/form-data\"" in page


def test_deployment_settings_from_the_environment(services, tmp_path, monkeypatch):
    monkeypatch.setenv("DACHUAN_UPLOAD_FOLDER", str(tmp_path / "shared"))
    monkeypatch.setenv("DACHUAN_SECURE_COOKIES", "1")
    monkeypatch.setenv("DACHUAN_SECRET_KEY", "from-the-environment")
    deployed = create_app({"SERVICES": services})
    assert deployed.config["UPLOAD_FOLDER"] == str(tmp_path / "shared")
    assert deployed.config["SESSION_COOKIE_SECURE"] and deployed.config["SECRET_KEY"] == "from-the-environment"

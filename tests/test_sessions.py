"""The session cookie: byte for byte the one Flask's own session interface writes and reads (so sessions
survive the change of code in a running deployment, either way), an empty session for a cookie that does not
check out, and through the app what an officer notices: the flashed message after a redirect, staying logged
in, logging out, and the session ending after PERMANENT_SESSION_LIFETIME without a change."""
from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Flask, flash, get_flashed_messages, session
from flask.json.tag import JSONTag, TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from markupsafe import Markup

from web_fixtures import (STEP_DATA, app, login_as, ready_task, session_written,  # noqa: F401  (fixtures)
                          start_case, submit, text)
from webapp import sessions
from webapp.sessions import CookieCodec

NOW = 1_790_000_000
LIFETIME = timedelta(hours=10)

SESSIONS = [
    # What a logged-in officer's cookie holds after a step: Flask-Login's keys, the CSRF token, a flash.
    {"_user_id": "12:3:abcdefabcdef", "_fresh": True, "_id": "f" * 128, "csrf_token": "0123456789abcdef" * 3,
     "_flashes": [("success", "已完成“巡查”。"), ("info", "请先登录。")]},
    {"after_password_change": "/tasks?page=2", "n": 3, "x": 2.5, "none": None, "no": False, "big": 2 ** 70},
    {"nested": {"list": [1, (2, "二"), [None]], "deep": {"a": {"b": ()}}}},
    # Values only Flask's tagger knows, and dicts that look like tags: through Flask's own serializer.
    {"when": datetime(2026, 11, 30, 8, 30, tzinfo=timezone.utc), "id": uuid.UUID(int=7), "raw": b"\x00\xff",
     "safe": Markup("<b>已办结</b>"), "pair": ("a", 1)},
    {"looks_tagged": {" t": [1, 2]}, "also": {" di": {"x": 1}}},
    {" t": "a single key that is a tag"},
    {"emoji": "巡查 😀", "controls": "\x00\x7f\n\t\u2028\"\\", "nan": float("inf")},
    {"incompressible": uuid.UUID(int=12345).hex},  # too short to gain from zlib: stored plain
    {"long": "巡查记录" * 300},
]


@pytest.fixture
def fixed_time(monkeypatch):
    """Both signers see the same clock (the signing time is part of the cookie)."""
    now = [NOW]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now[0])
    monkeypatch.setattr(CookieCodec, "timestamp", staticmethod(lambda: now[0]))
    return now


def bare_app(ours: bool, **config) -> Flask:
    site = Flask(__name__)
    site.config.update({"SECRET_KEY": "test-secret", "PERMANENT_SESSION_LIFETIME": LIFETIME, **config})
    if ours:
        sessions.register(site)

    @site.post("/put")
    def put():
        session["officer"] = "吴家山街 网格员"
        session["visits"] = session.get("visits", 0) + 1
        session["when"] = datetime(2026, 11, 30, 8, 30, tzinfo=timezone.utc)
        flash("已完成“巡查”。", "success")
        return "ok"

    @site.get("/show")
    def show():
        return {"session": {k: repr(v) for k, v in session.items() if k != "_flashes"},
                "flashes": get_flashed_messages(with_categories=True)}

    @site.get("/look")
    def look():
        return {"officer": session.get("officer")}

    @site.post("/clear")
    def clear():
        session.clear()
        return "ok"

    @site.post("/permanent")
    def permanent():
        session.permanent = True
        session["officer"] = "x"
        return "ok"

    @site.post("/vary")
    def vary():  # a page that varies on something else too
        session["officer"] = "乙"
        return "ok", 200, {"Vary": "Accept-Language"}

    @site.get("/plain")
    def plain():  # does not touch the session
        return "ok"

    return site


def serializers(site: Flask):
    return (site.session_interface.get_signing_serializer(site),
            SecureCookieSessionInterface().get_signing_serializer(site))


# ---------------------------------------------------------------- the codec against itsdangerous and Flask
@pytest.mark.parametrize("data", SESSIONS, ids=range(len(SESSIONS)))
def test_the_cookie_is_byte_for_byte_flasks_and_reads_back_either_way(data, fixed_time):
    site = bare_app(ours=True)
    with site.test_request_context("/"):
        ours, flasks = serializers(site)
        assert isinstance(ours, CookieCodec)
        signed = ours.dumps(data)
        assert signed == flasks.dumps(data)
        for read in (ours.loads(signed, max_age=60), flasks.loads(signed, max_age=60)):
            assert read == data
            assert {k: type(v) for k, v in read.items()} == {k: type(v) for k, v in data.items()}
        if "_flashes" in data:
            assert ours.loads(signed)["_flashes"] == [("success", "已完成“巡查”。"), ("info", "请先登录。")]


def test_a_tag_the_app_registers_is_honoured(fixed_time):
    class Pair(JSONTag):
        key = " p"

        def check(self, value):
            return isinstance(value, tuple) and len(value) == 2

        def to_json(self, value):
            return [self.serializer.tag(item) for item in value]

        def to_python(self, value):
            return tuple(value)

    own = TaggedJSONSerializer()
    own.register(Pair, index=0)
    site = bare_app(ours=True)
    site.session_interface.serializer = own
    flasks = type("Flasks", (SecureCookieSessionInterface,), {"serializer": own})()
    with site.test_request_context("/"):
        signed = site.session_interface.get_signing_serializer(site).dumps(SESSIONS[0])
        assert signed == flasks.get_signing_serializer(site).dumps(SESSIONS[0])
        assert '" p"' in zlib.decompress(base64.urlsafe_b64decode(signed[1:].split(".")[0] + "==")).decode()


def test_an_app_with_its_own_json_settings_gets_flasks_cookie(fixed_time):
    site = bare_app(ours=True)
    site.json.sort_keys = False  # set up before the first request, as an app would
    data = {"b": 1, "a": ("乙", 2)}
    with site.test_request_context("/"):
        ours, flasks = serializers(site)
        signed = ours.dumps(data)
        assert signed == flasks.dumps(data) != bare_codec_dumps(data)
        assert ours.loads(signed) == flasks.loads(signed) == data


def bare_codec_dumps(data: dict) -> str:
    site = bare_app(ours=True)
    with site.test_request_context("/"):
        return serializers(site)[0].dumps(data)


def test_both_compressed_and_plain_payloads_are_covered(fixed_time):
    site = bare_app(ours=True)
    with site.test_request_context("/"):
        ours, _ = serializers(site)
        kinds = {ours.dumps(d).startswith(".") for d in SESSIONS}
    assert kinds == {True, False}


def test_a_cookie_that_does_not_check_out_is_refused(fixed_time):
    site = bare_app(ours=True)
    with site.test_request_context("/"):
        ours, flasks = serializers(site)
        signed = ours.dumps(SESSIONS[0])
        payload, stamp, signature = signed.rsplit(".", 2)
        other = "A" if signature[0] != "A" else "B"
        bad = [
            f"{payload}.{stamp}.{other}{signature[1:]}",   # signature changed
            f"{payload[:-2]}xx.{stamp}.{signature}",       # payload changed
            f"{payload}.{stamp}",                          # signature cut off
            "no-dots-at-all", "", f"{payload}.{stamp}.!!!!",
        ]
        for cookie in bad:
            for serializer in (ours, flasks):
                with pytest.raises(BadSignature):
                    serializer.loads(cookie, max_age=60)
        # Too old, or signed in the future: expired for both.
        fixed_time[0] = NOW + 61
        for serializer in (ours, flasks):
            with pytest.raises(SignatureExpired):
                serializer.loads(signed, max_age=60)
        fixed_time[0] = NOW - 1
        for serializer in (ours, flasks):
            with pytest.raises(SignatureExpired):
                serializer.loads(signed, max_age=60)
        fixed_time[0] = NOW + 60
        assert ours.loads(signed, max_age=60) == SESSIONS[0]


def test_another_secret_key_is_refused_and_a_fallback_key_still_reads(fixed_time):
    old = bare_app(ours=True, SECRET_KEY="old-key")
    with old.test_request_context("/"):
        signed_old = old.session_interface.get_signing_serializer(old).dumps(SESSIONS[1])
    rotated = bare_app(ours=True, SECRET_KEY="new-key", SECRET_KEY_FALLBACKS=["older-key", "old-key"])
    stranger = bare_app(ours=True, SECRET_KEY="new-key")
    with rotated.test_request_context("/"):
        ours, flasks = serializers(rotated)
        assert ours.loads(signed_old, max_age=60) == flasks.loads(signed_old, max_age=60) == SESSIONS[1]
        signed_new = ours.dumps(SESSIONS[1])
        assert signed_new == flasks.dumps(SESSIONS[1]) != signed_old  # only the current key signs
    with stranger.test_request_context("/"):
        codec = stranger.session_interface.get_signing_serializer(stranger)
        assert codec.loads(signed_new, max_age=60) == SESSIONS[1]
        with pytest.raises(BadSignature):
            codec.loads(signed_old, max_age=60)


def test_a_signed_cookie_whose_payload_does_not_decode_is_an_empty_session(fixed_time):
    site = bare_app(ours=True)
    with site.test_request_context("/"):
        codec, flasks = serializers(site)
        signer = flasks.make_signer()
        for payload in (b"bm90IGpzb24", b".bm90IHpsaWI"):  # "not json"; "not zlib" marked as compressed
            with pytest.raises(BadSignature):
                codec.loads(signer.sign(payload).decode(), max_age=60)
        assert codec.loads(signer.sign(b"e30").decode(), max_age=60) == {}  # "{}" for contrast
    client = site.test_client()
    client.set_cookie("session", signer.sign(b"bm90IGpzb24").decode())
    assert client.get("/look").json == {"officer": None}


# ---------------------------------------------------------------- the whole interface against Flask's
@pytest.mark.parametrize("template, found", [
    ("session={c}", True), ("a=1; session={c}; b=2", True), ("xsession=no; session={c}", True),
    ("session={c}; session=second", True), ("session=second; session={c}", False), ("  session  =  {c}  ;", True),
    ('session="{c}"', True), ("session", False), ("session=; other={c}", False), ("other=1", False),
    ("a=1;;session={c}", True), ("session=\u00e9t\u00e9; session={c}", False), ("", False),
])
def test_the_cookie_is_found_in_the_header_as_flask_finds_it(template, found, fixed_time):
    site = bare_app(ours=True)
    with site.test_request_context("/"):
        cookie = site.session_interface.get_signing_serializer(site).dumps({"officer": "甲"})
    with site.test_request_context("/", headers={"Cookie": template.format(c=cookie)}) as ctx:
        ours = site.session_interface.open_session(site, ctx.request)
        flasks = SecureCookieSessionInterface().open_session(site, ctx.request)
    assert ours == flasks == ({"officer": "甲"} if found else {})


def exchange(writer: Flask, reader: Flask, path: str = "/put"):
    """A request to `writer`, its cookie then carried to `reader`."""
    w = writer.test_client()
    r = w.post(path)
    cookie = w.get_cookie("session")
    c = reader.test_client()
    c.set_cookie("session", cookie.value)
    return r, c


@pytest.mark.parametrize("config", [{}, {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_SAMESITE": "Lax",
                                          "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_DOMAIN": "example.cn",
                                          "SESSION_COOKIE_PATH": "/app", "SESSION_COOKIE_NAME": "dachuan"}])
def test_the_response_headers_are_flasks(config, fixed_time, monkeypatch):
    # A permanent session's expiry is Flask's own computation on both sides; fixed so the second cannot turn.
    monkeypatch.setattr(SecureCookieSessionInterface, "get_expiration_time",
                        lambda self, site, s: datetime(2026, 12, 1, tzinfo=timezone.utc) if s.permanent else None)
    ours, flasks = bare_app(True, **config), bare_app(False, **config)
    name = config.get("SESSION_COOKIE_NAME", "session")
    with ours.test_request_context("/"):
        codec = ours.session_interface.get_signing_serializer(ours)
        cookies = {"browser": codec.dumps({"officer": "甲"}),
                   "permanent": codec.dumps({"officer": "甲", "_permanent": True})}
    requests = [("/put", "POST"), ("/permanent", "POST"), ("/look", "GET"), ("/clear", "POST"), ("/vary", "POST"),
                ("/plain", "GET")]
    for kind, cookie in cookies.items():
        for path, method in requests:
            answers = []
            for site in (ours, flasks):
                browser = site.test_client()
                browser.set_cookie(name, cookie)
                r = browser.open(path, method=method)
                answers.append((r.status_code, r.headers.getlist("Set-Cookie"), r.headers.getlist("Vary"),
                                [k for k, _ in r.headers]))
            assert answers[0] == answers[1], (kind, path)
            assert answers[0][0] == 200 and (path != "/look" or r.json == {"officer": "甲"})
            # A permanent session is signed again on every request (SESSION_REFRESH_EACH_REQUEST), as in Flask.
            assert (answers[0][1] == []) == (path in ("/look", "/plain") and kind == "browser"), (kind, path)


def test_flasks_cookie_reads_in_ours_and_ours_in_flasks(fixed_time):
    ours, flasks = bare_app(True), bare_app(False)
    for writer, reader in ((flasks, ours), (ours, flasks)):
        _, c = exchange(writer, reader)
        page = c.get("/show").json
        assert page["flashes"] == [["success", "已完成“巡查”。"]]
        assert page["session"] == {"officer": repr("吴家山街 网格员"), "visits": "1",
                                   "when": repr(datetime(2026, 11, 30, 8, 30, tzinfo=timezone.utc))}
        assert c.get("/show").json["flashes"] == []  # shown once, then gone from the cookie


def test_a_cookie_too_large_for_browsers_warns_as_flask_does(fixed_time):
    site = bare_app(True)

    @site.post("/huge")
    def huge():
        session["noise"] = os.urandom(3500).hex()  # 3,500 random bytes: no compression brings it under 4,093
        return "ok"

    with pytest.warns(UserWarning, match="cookie is too large"):
        r = site.test_client().post("/huge")
    assert r.headers["Set-Cookie"].startswith("session=")


# ---------------------------------------------------------------- through the app, as an officer notices it
def test_a_step_done_writes_no_cookie_and_the_officer_stays_logged_in(services, app, login_as):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    assert "已登记" in text(grid.get(f"/cases/{case_id}"))  # a flash, shown and taken out of the session
    before = grid.get_cookie("session").value
    r = submit(grid, ready_task(services, case_id, "sweep"), STEP_DATA["sweep"])
    assert r.status_code == 302 and not session_written(r)  # "已完成" travels in the address
    page = grid.get(r.headers["Location"])
    assert page.status_code == 200 and "已完成“摸排”" in text(page) and not session_written(page)
    assert grid.get_cookie("session").value == before
    assert grid.get("/tasks").status_code == 200


def test_a_page_view_that_changes_nothing_writes_no_cookie(login_as):
    grid = login_as("wjs_grid")
    grid.get("/tasks")  # the first page issues the form token
    r = grid.get("/tasks")
    assert r.status_code == 200 and not session_written(r) and "Cookie" in r.headers["Vary"]


def test_logging_out_ends_the_session(app, login_as):
    grid = login_as("wjs_grid")
    copy = app.test_client()
    copy.set_cookie("session", grid.get_cookie("session").value)
    r = grid.post("/logout")
    assert r.status_code == 302 and session_written(r)
    assert "您已退出登录" in text(grid.get(r.headers["Location"]))
    for browser in (grid, copy):
        r = browser.get("/tasks")
        assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_login_survives_the_change_of_session_code_either_way(app, login_as):
    ours = app.session_interface
    app.session_interface = SecureCookieSessionInterface()  # logged in while Flask's own code ran
    grid = login_as("wjs_grid")
    assert grid.get("/tasks").status_code == 200
    app.session_interface = ours
    assert grid.get("/tasks").status_code == 200
    case_id = start_case(grid)  # flashed and signed by ours ...
    app.session_interface = SecureCookieSessionInterface()
    page = grid.get(f"/cases/{case_id}")  # ... shown by Flask's
    assert page.status_code == 200 and "已登记" in text(page)


def test_a_session_idle_for_longer_than_its_lifetime_ends(app, login_as, fixed_time):
    grid = login_as("wjs_grid")
    assert grid.get("/tasks").status_code == 200  # signed again at NOW (the form token joined the session)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    fixed_time[0] = NOW + lifetime
    r = grid.get("/tasks")
    assert r.status_code == 200 and session_written(r)  # still valid, and signed anew by this request ...
    fixed_time[0] += lifetime + 1
    r = grid.get("/tasks")  # ... but nothing came for longer than the lifetime after it
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_an_officer_at_work_stays_logged_in_and_the_cookie_is_renewed_once_an_hour(app, login_as, fixed_time):
    grid = login_as("wjs_grid")
    grid.get("/tasks")  # the first page issues the form token: signed at NOW
    renew_after = int(app.config["SESSION_RENEW_AFTER"].total_seconds())
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert renew_after < lifetime
    writes, signed_at = 0, NOW
    # A page every 20 minutes for twice the session's lifetime.
    for minute in range(20, 2 * lifetime // 60 + 1, 20):
        fixed_time[0] = NOW + minute * 60
        r = grid.get("/tasks")
        assert r.status_code == 200, minute
        if session_written(r):
            writes += 1
            assert fixed_time[0] - signed_at >= renew_after  # only a cookie an hour old is signed again
            signed_at = fixed_time[0]
        else:
            assert fixed_time[0] - signed_at < renew_after
    assert writes == 2 * lifetime // renew_after


def test_the_session_cookie_benchmark_runs_and_prints_its_figures():
    root = Path(__file__).resolve().parent.parent
    script = str(root / "bench" / "session_cookie.py")
    out = subprocess.run([sys.executable, script, "--rounds", "4", "--warmup", "2"], cwd=root, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"session_cookie: ours_us=\d+ flask_us=\d+ ratio=[\d.]+ post_ms_ours=[\d.]+ "
                        r"post_ms_flask=[\d.]+", last), out.stdout[-2000:]

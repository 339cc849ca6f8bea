"""Session cookie benchmark: what reading and writing the signed session cookie costs inside a real request.

Usage: python bench/session_cookie.py [--rounds 300]
Submits rental-house patrols over HTTP (the task page's POST through the WSGI app, as bench/engine.py does)
and times, in CPU time of the process, the session interface's open_session (at the request's start) and
save_session (at its end, after the completion; each submission's session is marked changed, so that a
cookie is signed there) inside each request. Rounds alternate between this app's
interface (webapp/sessions.py) and Flask's own SecureCookieSessionInterface on the same app, cookie and secret
key (each reads the cookie the other wrote), so both run under the same load. Medians over the rounds after a
warm-up; a piece of code costs several times more here than in a loop of its own (the completion before it
leaves the CPU's caches cold), which is why it is measured in the flow.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask.sessions import SecureCookieSessionInterface, SessionInterface  # noqa: E402
from werkzeug.test import EnvironBuilder, run_wsgi_app  # noqa: E402

from webapp import create_app  # noqa: E402
from workflows import runtime  # noqa: E402
from workflows.clock import MovableClock  # noqa: E402
from workflows.engine.models import HumanTask  # noqa: E402
from workflows.ledgers import registries  # noqa: E402
from workflows.ledgers.models import RentalHouse  # noqa: E402
from workflows.org import demo  # noqa: E402
from workflows.org.models import Area, User  # noqa: E402

FORM = {"patrolled_on": "2026-11-23", "door_opened": "yes", "three_stops_in_place": "no", "people_back": "no",
        "note": "基准巡查"}


class Timed(SessionInterface):
    """Another interface with its open_session and save_session timed in CPU time while `on` is set."""

    def __init__(self, inner: SessionInterface):
        self.inner, self.on, self.times = inner, False, {"open": [], "save": []}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def make_null_session(self, app):
        return self.inner.make_null_session(app)

    def is_null_session(self, obj) -> bool:
        return self.inner.is_null_session(obj)

    def open_session(self, app, request):
        started = time.process_time()
        try:
            return self.inner.open_session(app, request)
        finally:
            if self.on:
                self.times["open"].append(time.process_time() - started)

    def save_session(self, app, session, response):
        # A submitted step changes nothing in the session (its "已完成" travels in the redirect's address), and
        # a cookie in use is signed again only once an hour: marked changed here, so that both interfaces sign
        # a cookie at this point of the flow, as after a login, a claim or that hourly renewal.
        session.modified = True
        started = time.process_time()
        try:
            return self.inner.save_session(app, session, response)
        finally:
            if self.on:
                self.times["save"].append(time.process_time() - started)


def run(rounds: int, warmup: int) -> dict:
    clock = MovableClock()
    with tempfile.TemporaryDirectory() as tmp:
        services = runtime.build(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", clock=clock)
        runtime.prepare(services, with_demo=True)
        with services.db.read() as s:
            users = dict(s.execute(sa.select(User.username, User.id)).all())
            room = s.scalar(sa.select(Area.full_name).where(Area.kind == "room", Area.full_name.like("吴家山街%"))
                            .order_by(Area.id).limit(1))
        house = registries.save_house(services, users["wjs_housing"], room, owner_name="房东", flagged=True)
        with services.db.read() as s:
            patrol = s.get(RentalHouse, house).patrol_instance_id
        app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False,
                          "SECRET_KEY": "bench"})
        timed = {"ours": Timed(app.session_interface), "flask": Timed(SecureCookieSessionInterface())}
        client = app.test_client()
        login = client.post("/login", data={"username": "wjs_grid", "password": demo.DEMO_PASSWORD})
        assert login.status_code == 302
        posts = {"ours": [], "flask": []}
        runtime.settle_heap()
        for i in range(rounds + warmup):
            kind = ("ours", "flask")[i % 2]
            clock.advance(days=7, seconds=1)
            services.workflow.fire_due_timers()
            with services.db.read() as s:
                task_id = s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == patrol,
                                                                 HumanTask.task_name == "patrol",
                                                                 HumanTask.state == "ready"))
            app.session_interface = timed[kind]
            cookie = client.get_cookie("session").value
            environ = EnvironBuilder(f"/tasks/{task_id}", method="POST", data=FORM, environ_base=client.environ_base,
                                     headers={"Cookie": f"session={cookie}"}).get_environ()
            timed[kind].on = i >= warmup
            started = time.process_time()
            _body, status, headers = run_wsgi_app(app, environ, buffered=True)
            if timed[kind].on:
                posts[kind].append(time.process_time() - started)
            timed[kind].on = False
            assert status.startswith("302"), status
            renewed = next(v for k, v in headers.items() if k == "Set-Cookie" and v.startswith("session="))
            client.set_cookie("session", renewed.split(";", 1)[0].split("=", 1)[1])
            # The case page, as a browser follows the redirect (after the request: code run just before it
            # would be warm for it).
            assert client.get(headers["Location"]).status_code == 200
        services.db.dispose()
    us = lambda values: statistics.median(values) * 1e6  # noqa: E731
    return {kind: {"open_us": us(t.times["open"]), "save_us": us(t.times["save"]),
                   "post_ms": us(posts[kind]) / 1000} for kind, t in timed.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=40)
    args = ap.parse_args()
    r = run(args.rounds, args.warmup)
    for kind, f in r.items():
        print(f"{kind:6s} open_session_us={f['open_us']:.0f} save_session_us={f['save_us']:.0f} "
              f"together_us={f['open_us'] + f['save_us']:.0f} post_ms={f['post_ms']:.2f}")
    ours, flask = (r[k]["open_us"] + r[k]["save_us"] for k in ("ours", "flask"))
    print(f"session_cookie: ours_us={ours:.0f} flask_us={flask:.0f} ratio={ours / flask:.2f} "
          f"post_ms_ours={r['ours']['post_ms']:.2f} post_ms_flask={r['flask']['post_ms']:.2f}")


if __name__ == "__main__":
    main()

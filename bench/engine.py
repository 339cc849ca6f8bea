"""Engine benchmark: complete six-step cases through the service layer, against SpiffWorkflow in memory.

Usage: python bench/engine.py [--cases 200] [--cycles 500] [--rounds 200] [--pg postgresql+psycopg://...]
Prints tasks completed per second, the median time of one completion, bytes stored per instance,
and the ratio to running the same cases in memory with SpiffWorkflow alone (each service case is followed
by its in-memory twin, so both run under the same load).
Then, on rental-house patrols (a BPMN timer cycle): the cost of a completion on a patrol that has run
`--cycles` rounds against one that has run a single round (history_ratio), and the cost of the same
completion submitted over HTTP (the task page's POST through the WSGI app) against the service call
(http_ratio), with the floor under the latter: the same POST to a view that only completes the step
through the service and redirects, against the service call (http_floor_ratio). All ratios are measured in
the same run, so a busy machine slows both sides alike.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflows import runtime  # noqa: E402
from workflows.engine import deployment  # noqa: E402
from workflows.engine import spiff  # noqa: E402
from workflows.engine.context import ActionContext, running  # noqa: E402
from workflows.engine.hooks import HookRegistry  # noqa: E402
from workflows.engine.models import HumanTask, ProcessInstance  # noqa: E402
from workflows.idnumbers import registration_place  # noqa: E402
from workflows.org.models import Area, User  # noqa: E402

ROOM = "吴家山街第一社区花园小区1栋1单元101室"
PERSONS = [{"name": f"人员{i}", "id_number": "11010519491231002X", "phone": "13912345678"} for i in range(3)]
STEPS = [
    ("sweep", "wjs_grid", {"suspicious": True, "house_type": "rental"}),
    ("entry", "wjs_police1", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS}),
    ("initial_check", "wjs_market1", {"mlm_found": True}),
    ("evidence", "wjs_market1", {"evidence_summary": "账本、课堂笔记"}),
    ("comparison", "wjs_market1", {"has_participants": True, "has_core": False, "has_crime": False,
                                   "house_is_rental": True, "landlord_official": False, "house_prior_catches": 0}),
    ("handle_participants", "wjs_market1", {"result": "教育遣返"}),
    ("rectify_house", "wjs_housing", {"result": "三停一换"}),
    ("close_case", "wjs_market1", {"summary": "结案"}),
]


def run_service(url: str, cases: int) -> dict:
    """Six-step cases through the service layer, each followed by the same case in memory (so that both
    run under the same load, on a machine shared with other work)."""
    services = runtime.build(url)
    runtime.prepare(services, with_demo=True)
    with services.db.read() as s:
        users = dict(s.execute(sa.select(User.username, User.id)).all())
        room = s.scalar(sa.select(Area.id).where(Area.full_name == ROOM))
        memory_case = memory_runner(deployment.parsed(deployment.current_version(s, "six_step_case")),
                                    services.workflow.now())
    runtime.settle_heap()  # as the web and worker processes do once started
    wf = services.workflow
    timings, started, memory_s = [], [], 0.0
    t0 = time.perf_counter()
    for _ in range(cases):
        result = wf.start("six_step_case", {}, users["wjs_grid"], room, "基准案件")
        started.append(result.instance_id)
        for name, user, data in STEPS:
            with services.db.read() as s:
                task_id = s.scalar(sa.select(HumanTask.id).where(
                    HumanTask.instance_id == result.instance_id, HumanTask.task_name == name,
                    HumanTask.state == "ready"))
            t = time.perf_counter()
            wf.complete(task_id, data, users[user])
            timings.append(time.perf_counter() - t)
        memory_s += memory_case()
    elapsed = time.perf_counter() - t0
    with services.db.read() as s:
        sizes = s.scalars(sa.select(sa.func.length(ProcessInstance.state))
                          .where(ProcessInstance.id.in_(started))).all()
        done = s.scalar(sa.select(sa.func.count()).select_from(ProcessInstance)
                        .where(ProcessInstance.id.in_(started), ProcessInstance.end_event == "end_closed"))
    services.db.dispose()
    assert done == cases, f"only {done} of {cases} cases closed"
    return {"tasks": len(timings), "completion_s": sum(timings), "elapsed_s": elapsed, "memory_s": memory_s,
            "median_ms": statistics.median(timings) * 1000, "bytes": statistics.mean(sizes)}


def memory_runner(parsed, now):
    """One case with SpiffWorkflow alone, in memory (no database, no serialization); returns the seconds
    its completions took."""
    # The same comparison work minus the database look-ups (registration place, non-local flag).
    hooks = HookRegistry()
    hooks.script_function("compare_persons", lambda _ctx, persons: {"persons": [
        dict(p, registration_place=registration_place(p["id_number"]), non_local=not p["id_number"].startswith("42"))
        for p in persons]})
    hooks.script_function("record_house_catch", lambda _ctx: {
        "registered": False, "house_id": None, "prior_catches": 0, "landlord_official": False,
        "two_letters_one_filing": False})
    in_memory = ActionContext(engine=types.SimpleNamespace(hooks=hooks), session=None, actor_id=None, now=now)

    def one_case() -> float:
        total = 0.0
        with running(in_memory):
            rt = spiff.Runtime.start(parsed, {"persons": []})
            for name, _user, data in STEPS:
                task = next(t for t in rt.ready_tasks() if t.name == name)
                t = time.perf_counter()
                rt.complete(task.id, dict(data))
                total += time.perf_counter() - t
            assert rt.end_event() == "end_closed"
        return total
    return one_case


def _median_ms(values) -> float:
    return statistics.median(values) * 1000


def run_patrols(url: str, cycles: int, rounds: int = 200) -> dict:
    """history_ratio and http_ratio on patrols: A fresh (service), B fresh (HTTP), C after `cycles` rounds;
    and the floor under http_ratio: the same POST to a view that only completes D's step through the service
    and redirects (http_floor_ratio), and to a view that only redirects."""
    from workflows.clock import MovableClock
    from workflows.ledgers import registries
    from workflows.ledgers.models import RentalHouse
    from flask import redirect
    from flask_login import current_user, login_required
    from werkzeug.test import EnvironBuilder

    from webapp import create_app

    clock = MovableClock()
    services = runtime.build(url, clock=clock)
    with services.db.read() as s:
        users = dict(s.execute(sa.select(User.username, User.id)).all())
        # Rooms no case of the first part caught (a caught house is already in the ledger, patrolled on the
        # system clock's time): these patrols start on this part's clock.
        caught = sa.select(RentalHouse.area_id).where(RentalHouse.area_id.is_not(None))
        rooms = s.scalars(sa.select(Area.full_name).where(Area.kind == "room", Area.full_name.like("吴家山街%"),
                                                          Area.id.not_in(caught))
                          .order_by(Area.id).limit(4)).all()
    def flag(room):
        house = registries.save_house(services, users["wjs_housing"], room, owner_name="房东", flagged=True)
        with services.db.read() as s:
            return s.get(RentalHouse, house).patrol_instance_id

    # What the patrol form hands the service for the HTTP side's submission (form.to_data()), so the service
    # call and the HTTP submit complete the same step with the same data.
    quiet = {"door_opened": True, "three_stops_in_place": False, "people_back": False,
             "patrolled_on": "2026-11-23", "patrol_note": "基准巡查"}
    wf = services.workflow

    def patrol_task(instance_id):
        with services.db.read() as s:
            return s.scalar(sa.select(HumanTask.id).where(
                HumanTask.instance_id == instance_id, HumanTask.task_name == "patrol", HumanTask.state == "ready"))

    def next_round():
        clock.advance(days=7, seconds=1)
        wf.fire_due_timers()

    old = flag(rooms[0])
    for _ in range(cycles):  # the long-lived patrol: `cycles` rounds before measuring
        next_round()
        wf.complete(patrol_task(old), quiet, users["wjs_grid"])
    # Flagged now, the other two patrols start their first round with the next firing.
    fresh, http, bare = flag(rooms[1]), flag(rooms[2]), flag(rooms[3])
    # As in production, every POST carries its form token (CSRF), checked on every submission.
    app = create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "bench"})
    # The floor under http_ratio: the same POST, through the same app (the session cookie's check, the form
    # token's, login, the before- and after-request hooks), to a view that does nothing but complete the step
    # with the data the form gives and redirect: neither the task's check nor the form's, both of which the
    # task page must do. bare / fresh is the lowest http_ratio any task page could reach on this app; a POST
    # to a view that only redirects shows how much of it is the app before any view runs.
    def bare_submit(task_id):
        wf.complete(task_id, quiet, current_user.id)
        return redirect("/")
    app.add_url_rule("/bench/bare/<task_id>", "bench_bare", login_required(bare_submit), methods=["POST"])
    app.add_url_rule("/bench/empty", "bench_empty", login_required(lambda: redirect("/")), methods=["POST"])
    client = app.test_client()
    login = client.post("/login", data={"username": "wjs_grid", "password": _demo_password(),
                                        "csrf_token": _form_token(client, "/login")})
    assert login.status_code == 302, login.status_code
    form = {"patrolled_on": "2026-11-23", "door_opened": "yes", "three_stops_in_place": "no",
            "people_back": "no", "note": "基准巡查", "csrf_token": _form_token(client, "/")}
    times = {"fresh": [], "http": [], "old": [], "bare": [], "empty": []}
    redirected = []

    def by_service(key, instance_id):
        task_id = patrol_task(instance_id)
        t = time.perf_counter()
        wf.complete(task_id, quiet, users["wjs_grid"])
        times[key].append(time.perf_counter() - t)

    def post(key, path):
        # What the browser sends, built before the clock starts (encoding the form and picking cookies is the
        # client's work); timed is what a WSGI server runs per request: the app from the environ to the
        # response's last byte, the session cookie's check and renewal, login, form parsing and the redirect.
        cookie = f"session={client.get_cookie('session').value}"
        environ = EnvironBuilder(path, method="POST", data=form, environ_base=client.environ_base,
                                 headers={"Cookie": cookie}).get_environ()
        t = time.perf_counter()
        status, headers = _serve(app, environ)
        times[key].append(time.perf_counter() - t)
        assert status.startswith("302"), (status, headers)
        return headers

    def by_http():
        headers = post("http", f"/tasks/{patrol_task(http)}")
        location = dict(headers).get("Location", "")
        assert location.startswith("/cases/"), headers
        # A submission changes nothing in the session ("已完成" travels in the redirect's address), so the
        # browser keeps its cookie; one renewed (an hour old: webapp/sessions.py) replaces it.
        renewed = next((v for k, v in headers if k == "Set-Cookie" and v.startswith("session=")), None)
        if renewed is not None:
            client.set_cookie("session", renewed.split(";", 1)[0].split("=", 1)[1])
        redirected.append(location)

    def follow_redirect():
        # As a browser does, the case page the redirect led to, which says "已完成"; at the start of the next
        # round, before its timers fire, so that the page, which leaves the caches colder, comes right before
        # none of the timed calls. (Nothing here touches the session before a timed request: the test
        # client's session_transaction, used that way before, ran the session code in a request context of
        # its own and left it warm for the request measured, which read 0.06-0.12 lower against the service.)
        while redirected:
            page = client.get(redirected.pop())
            assert page.status_code == 200 and "已完成" in page.get_data(as_text=True), page.status

    steps = [lambda: by_service("fresh", fresh), by_http, lambda: by_service("old", old)]
    floor = [lambda: post("bare", f"/bench/bare/{patrol_task(bare)}"), lambda: post("empty", "/bench/empty")]
    for i in range(rounds):
        follow_redirect()
        next_round()
        # Each in turn goes first: none always pays for the garbage the one before it left.
        for step in steps[i % 3:] + steps[:i % 3]:
            step()
        # The floor's two POSTs last, in turn, so that they leave Flask's code warm for none of the three (the
        # next round starts with a page and the timers); they come right after the HTTP submit in a third of
        # the rounds, which if anything lowers them: the floor is not overstated.
        for step in floor[i % 2:] + floor[:i % 2]:
            step()
    with services.db.read() as s:
        old_bytes, fresh_bytes = (s.scalar(sa.select(sa.func.length(ProcessInstance.state))
                                           .where(ProcessInstance.id == i)) for i in (old, fresh))
    services.db.dispose()
    fresh_ms, http_ms, old_ms = (_median_ms(times[k]) for k in ("fresh", "http", "old"))
    bare_ms, empty_ms = _median_ms(times["bare"]), _median_ms(times["empty"])
    return {"fresh_ms": fresh_ms, "http_ms": http_ms, "old_ms": old_ms, "bare_ms": bare_ms,
            "empty_ms": empty_ms,
            "history_ratio": old_ms / fresh_ms, "http_ratio": http_ms / fresh_ms,
            "http_floor_ratio": bare_ms / fresh_ms,
            "old_bytes": old_bytes, "fresh_bytes": fresh_bytes}


def _serve(app, environ: dict) -> tuple[str, list]:
    """The app run as a WSGI server runs it: called with the environ, its body read to the end and closed.
    (Werkzeug's run_wsgi_app would also copy the environ and parse the headers into a Headers object, the
    client's work, not the server's.)"""
    started = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status, headers]
        return lambda _data: None  # the write() of old applications; Flask never calls it

    body = app(environ, start_response)
    try:
        for _chunk in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return started[0], started[1]


def _form_token(client, path: str) -> str:
    """The form token (CSRF) a page gives its browser, as the browser sends it back with a form."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, f"no form token on {path}"
    return found.group(1)


def _demo_password() -> str:
    from workflows.org import demo
    return demo.DEMO_PASSWORD


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--cycles", type=int, default=500, help="rounds of the long-lived patrol")
    ap.add_argument("--rounds", type=int, default=200,
                    help="measured patrol rounds (each completes one step of each patrol: medians of as many)")
    ap.add_argument("--pg", help="also run on this PostgreSQL URL (its tables are used as they are)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        results = {"sqlite": run_service(sqlite_url, args.cases)}
        patrol = run_patrols(sqlite_url, args.cycles, args.rounds)
        if args.pg:
            results["postgresql"] = run_service(args.pg, args.cases)
    for name, r in results.items():
        print(f"{name:10s} tasks={r['tasks']} tasks_per_s={r['tasks'] / r['completion_s']:.0f} "
              f"median_ms={r['median_ms']:.2f} bytes_per_instance={r['bytes']:.0f} "
              f"ratio_vs_memory={r['completion_s'] / r['memory_s']:.1f}")
    r = results["sqlite"]
    print(f"memory     tasks={r['tasks']} tasks_per_s={r['tasks'] / r['memory_s']:.0f}")
    p = patrol
    print(f"patrol     completion_ms: 1 round={p['fresh_ms']:.2f} {args.cycles} rounds={p['old_ms']:.2f} "
          f"over HTTP={p['http_ms']:.2f} (to a view that only completes={p['bare_ms']:.2f}, "
          f"to one that only redirects={p['empty_ms']:.2f}); "
          f"state bytes: 1 round={p['fresh_bytes']} "
          f"{args.cycles} rounds={p['old_bytes']}")
    print(f"engine: tasks_per_s={r['tasks'] / r['completion_s']:.0f} median_ms={r['median_ms']:.2f} "
          f"bytes_per_instance={r['bytes']:.0f} ratio_vs_memory={r['completion_s'] / r['memory_s']:.1f} "
          f"history_ratio={p['history_ratio']:.2f} http_ratio={p['http_ratio']:.2f} "
          f"http_floor_ratio={p['http_floor_ratio']:.2f}")


if __name__ == "__main__":
    main()

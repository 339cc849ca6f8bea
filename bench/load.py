"""Load benchmark: many officers at once against the real servers, on SQLite and PostgreSQL.

Usage: python bench/load.py [--seconds 30] [--warmup 5] [--users 20] [--think 0.5] [--cases 2000]
                            [--db both|sqlite|pg] [--pg auto|URL]

For each database a fresh one is migrated, given the demo district and `--cases` generated cases (the
generator of bench/web.py), and served the way production serves it: waitress (8 threads, as `dachuan run`)
on SQLite, gunicorn with 4 workers on PostgreSQL. A SEPARATE process then plays `--users` officers at once,
each with its own login and keep-alive connection, for `--seconds`: reading the inbox, the supervisor board,
case pages and searches, registering cases and completing their first step through the forms (CSRF
tokens and all), and previewing notices, pausing between clicks (`--think`, mean seconds; 0 = none). Every response is checked (status and a word of the page);
anything else counts as an error. The last line is for scripts:
`load: sqlite_p95_ms=<n> sqlite_rps=<n> pg_p95_ms=<n> pg_rps=<n> errors=<n>`.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROOM = "吴家山街第一社区花园小区1栋1单元101室"
PASSWORD = "dachuan2026"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TASK_LINK_RE = re.compile(r'href="/tasks/([0-9a-f-]{36})"')
NOTICE = {"type": "rectification_order", "party_name": "刘大成", "party_id": "420106198808080022",
          "party_address": ROOM, "facts": "你将位于花园小区1栋1单元101室的房屋出租给传销人员聚集、居住和培训。",
          "violation": "premises", "corrections": "立即清退承租的传销人员，不得再向传销人员出租房屋。",
          "deadline": "2026-12-31", "contact_person": "赵晓明", "contact_phone": "027-83890000",
          "action": "preview"}
SWEEP = {"swept_on": "2026-11-22", "house_type": "rental", "occupants": "6", "sweep_flags": ["non_local"],
         "suspicious": "yes", "note": "多名外地青年合租，白天聚集上课"}

# (user, what they do, weight): who plays which part of the crowd, cycled over the officers.
PARTS = [
    ("wjs_grid", "register"), ("wjs_market1", "read"), ("wjs_police1", "read"), ("wjs_leader", "supervise"),
    ("wjs_market2", "notice"), ("wjs_grid", "register"), ("wjs_housing", "read"), ("dubanban", "supervise"),
    ("wjs_police2", "read"), ("wjs_market1", "notice"),
]
MIX = {  # action: weight, by part
    "read": {"inbox": 4, "case": 3, "search": 2},
    "supervise": {"board": 4, "inbox": 1, "case": 2, "search": 2},
    "register": {"start_and_complete": 2, "inbox": 3, "case": 1},
    "notice": {"notice_preview": 2, "inbox": 2, "case": 2, "search": 1},
}
FIRST = {"read": "search", "supervise": "board", "register": "start_and_complete", "notice": "notice_preview"}


# ------------------------------------------------------------------ the simulated officers (driver process)
class Failed(Exception):
    pass


class Officer:
    """One person at one browser: a keep-alive connection, a session cookie, timings of every request."""

    def __init__(self, host: str, port: int, username: str):
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.username = username
        self.cookies: dict[str, str] = {}
        self.samples: list[tuple[str, float]] = []
        self.errors: list[str] = []
        self.started: list[int] = []  # the cases this officer registered
        self.measure_from = 0.0  # requests before this moment (time.monotonic) warm the servers up, unrecorded

    def request(self, kind: str, method: str, path: str, form: dict | None = None, expect=(200,),
                contains: str | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t = time.monotonic()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()  # reconnects on the next request
            raise Failed(f"{kind} {path}: {exc!r}") from exc
        elapsed = (time.monotonic() - t) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if t >= self.measure_from:
            self.samples.append((kind, elapsed))
        if response.status not in expect or (contains and contains not in text):
            raise Failed(f"{kind} {method} {path}: {response.status} {text[:200]!r}")
        return response.status, dict(response.headers), text

    def csrf(self, kind: str, path: str) -> str:
        _, _, text = self.request(kind, "GET", path)
        match = CSRF_RE.search(text)
        if not match:
            raise Failed(f"{kind} {path}: no CSRF token on the page")
        return match.group(1)

    def login(self) -> None:
        token = self.csrf("login", "/login")
        self.request("login", "POST", "/login", {"csrf_token": token, "username": self.username,
                                                 "password": PASSWORD}, expect=(302,))


def act(officer: Officer, action: str, rng: random.Random, material: dict) -> None:
    if action == "inbox":
        officer.request("inbox", "GET", rng.choice(["/", "/", "/?page=2", "/?overdue=1"]), contains="我的待办")
    elif action == "board":
        officer.request("board", "GET", "/board", contains="督办看板")
    elif action == "case":
        # The grid worker answers for one compound only: the cases it registered itself are its to read.
        case = rng.choice(officer.started) if officer.started else rng.choice(material["cases"])
        officer.request("case", "GET", f"/cases/{case}", contains="时间线")
    elif action == "search":
        officer.request("search", "GET", "/cases?" + urllib.parse.urlencode({"q": rng.choice(material["numbers"])}),
                        contains="案件编号")
    elif action == "start_and_complete":
        token = officer.csrf("case_form", "/cases/new")
        _, headers, _ = officer.request("start", "POST", "/cases/new", {
            "csrf_token": token, "kind": "six_step_case", "address": ROOM, "source": "sweep",
            "title": "花园小区1栋1单元101室疑似传销窝点", "note": ""}, expect=(302,))
        case_path = urllib.parse.urlsplit(headers["Location"]).path
        officer.started.append(int(case_path.rsplit("/", 1)[1]))
        _, _, page = officer.request("case", "GET", case_path, contains="时间线")
        task = TASK_LINK_RE.search(page)
        if not task:
            raise Failed(f"start: no step to act on at {case_path}")
        token = officer.csrf("task_form", f"/tasks/{task.group(1)}")
        officer.request("complete", "POST", f"/tasks/{task.group(1)}", dict(SWEEP, csrf_token=token), expect=(302,))
    elif action == "notice_preview":
        case = rng.choice(material["cases"])
        path = f"/notices/new?type=rectification_order&instance_id={case}"
        token = officer.csrf("notice_form", path)
        officer.request("notice_preview", "POST", "/notices/new", dict(NOTICE, csrf_token=token, instance_id=case),
                        contains="预览稿")
    else:
        raise ValueError(action)


def officer_loop(officer: Officer, part: str, seed: int, material: dict, deadline: float, think: float) -> None:
    rng = random.Random(seed)
    actions, weights = zip(*MIX[part].items())
    try:
        officer.login()
    except Failed as exc:
        officer.errors.append(str(exc))
        return
    # Each begins with what their part is for (whoever registers cases then reads cases it may see).
    first = [FIRST[part]]
    while time.monotonic() < deadline:
        try:
            act(officer, first.pop() if first else rng.choices(actions, weights)[0], rng, material)
        except Failed as exc:
            officer.errors.append(str(exc))
        # A moment to read the page: officers click neither at once nor without pause.
        time.sleep(rng.uniform(0, 2 * think))


def drive(base_url: str, seconds: float, users: int, material: dict, think: float, warmup: float) -> dict:
    """Play `users` officers for `warmup` + `seconds`, timing the last `seconds`; returns the timings,
    requests per second and the errors (those of the warm-up too)."""
    parsed = urllib.parse.urlsplit(base_url)
    officers = [(Officer(parsed.hostname, parsed.port, PARTS[i % len(PARTS)][0]), PARTS[i % len(PARTS)][1])
                for i in range(users)]
    started = time.monotonic() + warmup
    for officer, _ in officers:
        officer.measure_from = started
    deadline = started + seconds
    threads = [threading.Thread(target=officer_loop, args=(o, part, i, material, deadline, think))
               for i, (o, part) in enumerate(officers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = seconds
    samples = [s for o, _ in officers for s in o.samples if s[0] != "login"]
    errors = [e for o, _ in officers for e in o.errors]
    by_kind: dict[str, list[float]] = {}
    for kind, ms in samples:
        by_kind.setdefault(kind, []).append(ms)
    return {"requests": len(samples), "rps": len(samples) / elapsed, "p95_ms": p95([ms for _, ms in samples]),
            "median_ms": statistics.median([ms for _, ms in samples]) if samples else 0.0,
            "kinds": {k: {"n": len(v), "median_ms": statistics.median(v), "p95_ms": p95(v)}
                      for k, v in sorted(by_kind.items())},
            "errors": len(errors), "first_errors": errors[:5]}


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


# ------------------------------------------------------------------ the servers (orchestrating process)
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str, cases: int) -> dict:
    """Migrate, load the demo, generate `cases` cases; returns the case ids and ID numbers to request."""
    import sqlalchemy as sa

    sys.path.insert(0, str(ROOT / "bench"))
    import web as webbench

    from workflows import runtime
    from workflows.cases.models import CasePerson
    from workflows.clock import MovableClock
    from workflows.engine.models import ProcessInstance
    from workflows.org.models import Area

    clock = MovableClock(webbench.START)
    services = runtime.build(url, clock=clock)
    runtime.prepare(services, with_demo=True)
    templates = webbench.build_templates(services, clock)
    # Shifted to now, so open steps are days (not months) old when the server's real clock reads them.
    webbench.generate(services, templates, cases, datetime.now(timezone.utc).replace(tzinfo=None))
    with services.db.read() as s:
        street = s.scalar(sa.select(Area.path).where(Area.full_name == "吴家山街"))
        ids = s.scalars(sa.select(ProcessInstance.id).where(ProcessInstance.area_path.startswith(street))
                        .order_by(ProcessInstance.id).limit(500)).all()
        numbers = s.scalars(sa.select(CasePerson.id_number)
                            .join(ProcessInstance, ProcessInstance.id == CasePerson.instance_id)
                            .where(ProcessInstance.area_path.startswith(street))
                            .order_by(CasePerson.id).limit(500)).all()
    services.db.dispose()
    return {"cases": list(ids), "numbers": list(numbers) or ["420106198001010013"]}


def server_command(kind: str, port: int, threads: int = 4) -> list[str]:
    if kind == "sqlite":  # as `dachuan run` serves: one process, eight threads
        return [sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={port}", "--threads=8",
                "webapp.wsgi:app"]
    # Production on PostgreSQL: four processes, each with a few threads (`threads` 1: gunicorn's sync workers)
    # so a process's CPU is not idle while a request waits on the database.
    workers = ["--worker-class=gthread", f"--threads={threads}"] if threads > 1 else ["--worker-class=sync"]
    return [sys.executable, "-m", "gunicorn", "--workers=4", *workers, f"--bind=127.0.0.1:{port}",
            "--log-level=warning", "webapp.wsgi:app"]


@contextlib.contextmanager
def serving(kind: str, url: str, tmp: str, threads: int = 4):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, DACHUAN_SECRET_KEY="bench-load", DACHUAN_UPLOAD_FOLDER=f"{tmp}/uploads",
               PYTHONPATH=str(ROOT))
    log = open(f"{tmp}/{kind}-server.log", "wb")
    proc = subprocess.Popen(server_command(kind, port, threads), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_until_up(port, proc, f"{tmp}/{kind}-server.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def wait_until_up(port: int, proc: subprocess.Popen, log_path: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {Path(log_path).read_text(errors='replace')[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def run_load(kind: str, url: str, tmp: str, args) -> dict:
    t = time.perf_counter()
    material = prepare_database(url, args.cases)
    print(f"{kind}: demo and {args.cases} cases ready in {time.perf_counter() - t:.1f} s", flush=True)
    with serving(kind, url, tmp, args.gunicorn_threads) as base:
        material_file = Path(tmp) / f"{kind}-material.json"
        material_file.write_text(json.dumps(material))
        # The officers run in a process of their own, so their work does not share the server's interpreter.
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--drive", base,
                              "--seconds", str(args.seconds), "--users", str(args.users), "--think", str(args.think),
                              "--warmup", str(args.warmup),
                              "--material", str(material_file)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{kind}: {result['requests']} requests in {args.seconds:g} s by {args.users} officers: "
          f"{result['rps']:.1f}/s, median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
          f"errors {result['errors']}")
    for name, k in result["kinds"].items():
        print(f"  {name:<15} n={k['n']:<6} median {k['median_ms']:6.1f} ms   p95 {k['p95_ms']:6.1f} ms")
    for error in result["first_errors"]:
        print(f"  error: {error}")
    return result


@contextlib.contextmanager
def postgres(option: str):
    if option != "auto":
        yield option
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_server import running_postgres
    with running_postgres() as url:
        yield url


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long the officers work, per database")
    parser.add_argument("--users", type=int, default=20, help="officers at once")
    parser.add_argument("--warmup", type=float, default=5,
                        help="seconds of work before timing starts: each server process parses its diagrams "
                             "and compiles its templates once")
    parser.add_argument("--think", type=float, default=0.5,
                        help="mean seconds an officer pauses between requests (0: click as fast as answered)")
    parser.add_argument("--cases", type=int, default=2000, help="generated cases in the database beforehand")
    parser.add_argument("--db", choices=("both", "sqlite", "pg"), default="both")
    parser.add_argument("--pg", default="auto", help="auto (a throw-away server) or a URL to an empty database")
    parser.add_argument("--gunicorn-threads", type=int, default=4,
                        help="threads per gunicorn worker on PostgreSQL (1: sync workers)")
    parser.add_argument("--drive", help=argparse.SUPPRESS)      # internal: the officers' process
    parser.add_argument("--material", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drive:
        material = json.loads(Path(args.material).read_text())
        print(json.dumps(drive(args.drive, args.seconds, args.users, material, args.think, args.warmup)))
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="dachuan-load-") as tmp:
        if args.db in ("both", "sqlite"):
            results["sqlite"] = run_load("sqlite", f"sqlite:///{tmp}/load.sqlite", tmp, args)
        if args.db in ("both", "pg"):
            with postgres(args.pg) as url:
                results["pg"] = run_load("pg", url, tmp, args)
    figures = []
    for kind in ("sqlite", "pg"):
        r = results.get(kind)
        figures += [f"{kind}_p95_ms={r['p95_ms']:.1f}" if r else f"{kind}_p95_ms=-",
                    f"{kind}_rps={r['rps']:.1f}" if r else f"{kind}_rps=-"]
    errors = sum(r["errors"] for r in results.values())
    print("load: " + " ".join(figures) + f" errors={errors}")


if __name__ == "__main__":
    main()

"""/healthz for the proxy (database, worker heartbeat, stuck jobs; no login, no data) and structured logs with
the request id and the user."""
from __future__ import annotations

import io
import json
import logging

import pytest

from web_fixtures import app, client, login_as  # noqa: F401  (fixtures)
from workflows.jobs import queue
from workflows.jobs.worker import run_worker
from workflows.operations import health, logs


def _health(client):
    r = client.get("/healthz")
    return r.status_code, r.get_json()


def test_health_needs_a_live_worker_and_says_nothing_else(services, client, clock):
    status, body = _health(client)  # no login needed
    assert status == 503
    assert body == {"status": "failing", "checks": {"database": "ok", "worker": "failing", "jobs": "ok"}}

    # One round of the real worker loop leaves its heartbeat.
    run_worker(services, {}, once=True)
    status, body = _health(client)
    assert status == 200 and body["status"] == "ok"
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"

    clock.advance(seconds=services.settings.worker_stale_seconds + 1)
    status, body = _health(client)
    assert status == 503 and body["checks"]["worker"] == "failing"


def test_a_job_nobody_takes_makes_the_system_unhealthy(services, client, clock):
    with services.db.unit_of_work() as s:
        queue.enqueue(s, "ledger_import", {"x": 1}, now=clock.now())
    clock.advance(seconds=services.settings.job_stuck_seconds + 1)
    health.beat(services.db, "w1", clock.now())
    status, body = _health(client)
    assert status == 503 and body["checks"] == {"database": "ok", "worker": "ok", "jobs": "failing"}


def test_health_reports_an_unreachable_database(services):
    from workflows.database.session import Database
    gone = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        result = health.check(gone, services.settings, services.workflow.now())
    finally:
        gone.dispose()
    assert not result.ok and result.checks["database"] == "failing"


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logs.configure(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def test_each_request_has_an_id_echoed_and_logged_as_json_with_the_user(login_as, client, log_lines):
    officer = login_as("wjs_grid")
    r = officer.get("/tasks", headers={"X-Request-ID": "proxy-abc.123"})
    assert r.headers["X-Request-ID"] == "proxy-abc.123"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32 and generated != "proxy-abc.123"
    # An id that would break a log line is replaced, not copied.
    assert client.get("/healthz", headers={"X-Request-ID": "a\"b {x}"}).headers["X-Request-ID"] != "a\"b {x}"

    lines = [line for line in log_lines() if line["logger"] == "dachuan.request"]
    tasks = next(line for line in lines if line["request_id"] == "proxy-abc.123")
    assert (tasks["user"], tasks["method"], tasks["path"], tasks["status"]) == ("wjs_grid", "GET", "/tasks", 200)
    assert tasks["level"] == "INFO" and "ts" in tasks and tasks["duration_ms"] >= 0
    anonymous = next(line for line in lines if line["request_id"] == generated)
    assert anonymous["user"] is None and anonymous["path"] == "/healthz"


def test_search_terms_stay_out_of_the_log(login_as, log_lines):
    login_as("wjs_grid").get("/cases?q=11010519491231002X")
    assert "11010519491231002X" not in json.dumps(log_lines(), ensure_ascii=False)

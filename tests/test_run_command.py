"""`dachuan run` (what `make run` ends with): serves the app, prints the logins, keeps data, stops cleanly."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ledger_helpers import HEADERS, house_row


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(url: str, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "webapp.cli", "--database-url", url, "run", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _wait_for_login(port: int, proc: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dachuan run exited early:\n{proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as resp:
                return resp.read().decode("utf-8")
        except OSError:
            time.sleep(0.3)
    pytest.fail("the web app did not answer within 60 s")


def _workers(url: str) -> list[str]:
    out = subprocess.run(["pgrep", "-af", "webapp.cli"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if url in line and " worker" in line]


def _import_through_the_worker(url: str) -> str:
    """Queue a ledger import as the upload page does; the worker that `dachuan run` started does it."""
    from workflows import runtime
    from workflows.ledgers import import_jobs
    from workflows.org.accounts import by_username
    services = runtime.build(url)
    with services.db.read() as s:
        housing = by_username(s, "wjs_housing").id
    content = "\n".join([",".join(HEADERS), ",".join(house_row("吴家山街第一社区花园小区1栋1单元101室"))])
    record_id = import_jobs.create_job(services, housing, "houses", "h.csv", content.encode("utf-8"))
    deadline = time.monotonic() + 60
    status = "running"
    while status == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        status = import_jobs.get_job(services, record_id, housing).status
    services.db.dispose()
    return status


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=30)
    return output


def test_run_serves_the_login_page_prints_logins_and_stops_its_worker(tmp_path):
    url = f"sqlite:///{tmp_path / 'run.sqlite'}"
    port = _free_port()
    proc = _start(url, port)
    try:
        page = _wait_for_login(port, proc)
        assert "登录" in page and "csrf_token" in page
        assert len(_workers(url)) == 1
        assert _import_through_the_worker(url) == "done"
    finally:
        output = _stop(proc)
    assert f"http://127.0.0.1:{port}/" in output and "wjs_police1" in output and "dachuan2026" in output
    time.sleep(0.5)
    assert _workers(url) == []

    # A second run keeps the data: the demo is not loaded again.
    proc = _start(url, port)
    try:
        _wait_for_login(port, proc)
    finally:
        _stop(proc)
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM user_account WHERE username = 'admin'").scalar() == 1
    engine.dispose()
    assert os.path.exists(tmp_path / "run.sqlite")


def test_run_lists_the_demo_accounts_with_role_names_in_chinese():
    from webapp.cli import demo_account_lines
    from workflows.org.demo import DEMO_USERS
    lines = demo_account_lines(DEMO_USERS)
    assert any("wjs_grid" in line and "（网格员）" in line for line in lines)
    assert any("jiedao" in line and "督办" in line for line in lines)
    assert not any(code in line for line in lines for code in ("grid）", "police）", "supervisor", "responsible"))

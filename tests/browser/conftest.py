"""Browser fixtures: the app on a real waitress server on 127.0.0.1, driven by Debian's chromium via Playwright.

These run on SQLite only (the HTTP layer is the same on both databases; the client tests cover PostgreSQL).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from webapp import create_app
from workflows import runtime

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DACHUAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def shots_dir():
    """Screenshots of every page visited, under the run's output folder (test-output/ by default)."""
    path = Path(os.environ.get("DACHUAN_TEST_OUTPUT", ROOT / "test-output")) / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def live(tmp_path, sqlite_demo_copy, clock):
    """(base URL, services, clock) of a copy of the demo database served by waitress in a thread."""
    from waitress import create_server

    services = runtime.build(sqlite_demo_copy, clock=clock)
    app = create_app({"SERVICES": services, "SECRET_KEY": "browser-test", "UPLOAD_FOLDER": str(tmp_path / "up")})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", services, clock
    finally:
        server.close()
        thread.join(timeout=5)
        services.db.dispose()


@pytest.fixture(scope="session")
def browser():
    """Chromium under Playwright; a missing one is an error of the run, never a reason to skip."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        missing = (f"The browser tests need the Python package playwright ({exc}). `make test` installs it "
                   "(or: pip install -e '.[test]').")
    else:
        missing = None if Path(CHROMIUM).exists() else (
            f"The browser tests need Chromium at {CHROMIUM} (DACHUAN_CHROMIUM names another path). "
            "`make test` installs it (or: sudo apt-get install -y chromium).")
    if missing:
        pytest.fail(missing, pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()

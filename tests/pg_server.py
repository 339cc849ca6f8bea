"""A throw-away PostgreSQL server for the test suite.

    from pg_server import running_postgres, empty_database

    with running_postgres() as url:   # postgresql+psycopg://postgres@127.0.0.1:PORT/dachuan_test
        other = empty_database(url, "dachuan_other")   # a second, empty database on that server
        ...

The server runs from a fresh temporary directory, listens on 127.0.0.1 only
(on a free port, plus a Unix socket inside that directory), trusts every local
connection and is stopped and deleted when the ``with`` block ends.

If ``DACHUAN_TEST_PG_URL`` is set, that URL is yielded instead and nothing is
started (e.g. to test against an existing server). The suite then replaces all
rows of that database for every test, and the migrations test creates (and
drops) a second database, ``dachuan_empty``, on the same server, which needs
the CREATEDB privilege.

PostgreSQL refuses to run as root; when we are root, initdb and pg_ctl run as
the ``postgres`` system user (created by the Debian ``postgresql`` package)
through ``runuser``.

This module does not import pytest; psycopg is imported only when needed.
Run it directly (``python tests/pg_server.py``) to get a server for manual use
until Ctrl-C.
"""
from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Iterator

__all__ = ["running_postgres", "reset_database", "empty_database", "libpq_url", "find_pg_bin", "ENV_URL",
           "DB_NAME"]

ENV_URL = "DACHUAN_TEST_PG_URL"
DB_NAME = "dachuan_test"
SUPERUSER = "postgres"  # database role created by initdb -U
RUN_AS = "postgres"  # system user used when we are root

_MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
    "/usr/lib/postgresql/*/bin or PATH. Install the Debian package 'postgresql' "
    "(sudo apt-get install -y postgresql, or run `make test`, which does it), "
    f"or set {ENV_URL} to the URL of an existing database."
)


def _version_key(path: str) -> tuple:
    ver = os.path.basename(os.path.dirname(path))  # /usr/lib/postgresql/<ver>/bin
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.\-]", ver))


def find_pg_bin() -> str:
    """Directory holding initdb/pg_ctl/postgres (highest Debian version first, then PATH)."""
    needed = ("initdb", "pg_ctl", "postgres")
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for d in candidates:
        if all(os.access(os.path.join(d, n), os.X_OK) for n in needed):
            return d
    found = [shutil.which(n) for n in needed]
    if all(found) and len({os.path.dirname(f) for f in found}) == 1:
        return os.path.dirname(found[0])
    raise RuntimeError(_MISSING)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        raise RuntimeError("running as root but 'runuser' (util-linux) is not available")
    return ["runuser", "-u", RUN_AS, "--", *cmd]


def _run(cmd: list[str], cwd: str, timeout: float = 120) -> subprocess.CompletedProcess:
    # cwd must be readable by the postgres user (root's cwd may not be).
    return subprocess.run(
        _as_pg_user(cmd), cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=timeout,
    )


def libpq_url(url: str) -> str:
    """SQLAlchemy URL (postgresql+psycopg://...) -> libpq URI (postgresql://...)."""
    return re.sub(r"^postgres(?:ql)?(\+\w+)?://", "postgresql://", url)


def _initdb(bindir: str, tmp: str, datadir: str) -> None:
    errors = []
    for locale in ("C.UTF-8", "C"):
        res = _run([os.path.join(bindir, "initdb"), "-D", datadir, "-A", "trust",
                    "-U", SUPERUSER, "--encoding=UTF8", f"--locale={locale}"], cwd=tmp)
        if res.returncode == 0:
            return
        errors.append(f"--locale={locale}:\n{res.stdout}{res.stderr}")
        shutil.rmtree(datadir, ignore_errors=True)
    raise RuntimeError("initdb failed:\n" + "\n".join(errors))


def _start(bindir: str, tmp: str, datadir: str, port: int) -> None:
    opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={tmp} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200")
    logfile = os.path.join(tmp, "postgres.log")
    # -l is required: without it the server would inherit our stdout pipe.
    res = _run([os.path.join(bindir, "pg_ctl"), "-D", datadir, "-l", logfile, "-w",
                "-t", "60", "-o", opts, "start"], cwd=tmp)
    if res.returncode != 0:
        log = ""
        with contextlib.suppress(OSError):
            with open(logfile, encoding="utf-8", errors="replace") as f:
                log = f.read()[-4000:]
        raise RuntimeError(f"pg_ctl start failed (port {port}):\n{res.stdout}{res.stderr}\n{log}")


def _stop(bindir: str, tmp: str, datadir: str) -> None:
    res = _run([os.path.join(bindir, "pg_ctl"), "-D", datadir, "-m", "immediate", "-w",
                "stop"], cwd=tmp, timeout=60)
    if res.returncode == 0:
        return
    # Last resort: kill the postmaster named in postmaster.pid.
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open(os.path.join(datadir, "postmaster.pid")) as f:
            pid = int(f.readline().strip())
        os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            os.kill(pid, 0)  # raises once the process is gone
            time.sleep(0.1)


def _create_database(port: int) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres",
                         autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{DB_NAME}" ENCODING \'UTF8\' TEMPLATE template0')


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Yield a SQLAlchemy URL for a private PostgreSQL server (or $DACHUAN_TEST_PG_URL)."""
    env_url = os.environ.get(ENV_URL)
    if env_url:
        yield env_url
        return

    bindir = find_pg_bin()
    if os.geteuid() == 0:
        try:
            import pwd
            pw = pwd.getpwnam(RUN_AS)
        except KeyError:
            raise RuntimeError(
                f"running as root, but the '{RUN_AS}' system user does not exist; "
                "install the Debian package 'postgresql' (apt-get install -y postgresql)"
            ) from None

    tmp = tempfile.mkdtemp(prefix="dachuan-pg-")
    datadir = os.path.join(tmp, "data")
    started = False
    try:
        if os.geteuid() == 0:
            os.chown(tmp, pw.pw_uid, pw.pw_gid)
        _initdb(bindir, tmp, datadir)
        for attempt in range(3):  # the free port may be taken between probe and bind
            port = _free_port()
            try:
                _start(bindir, tmp, datadir, port)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        started = True
        _create_database(port)
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{DB_NAME}"
    finally:
        try:
            if started:
                _stop(bindir, tmp, datadir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def reset_database(url: str) -> None:
    """Drop and recreate the ``public`` schema: an empty database for the next test module.

    Close (dispose) every engine/connection that still uses the database first,
    otherwise DROP SCHEMA waits for their locks.
    """
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=10) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")


def empty_database(url: str, name: str) -> str:
    """Drop (if present) and create the database `name` on the server of `url`; returns its URL.

    Connections still open to an earlier database of that name are ended first.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain database name: {name!r}")
    target = make_url(url).set(database=name)
    admin = libpq_url(target.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return target.render_as_string(hide_password=False)


if __name__ == "__main__":
    with running_postgres() as _url:
        print(_url, flush=True)
        print("Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()

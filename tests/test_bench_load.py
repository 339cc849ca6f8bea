"""bench/load.py runs end to end for a few seconds against the real waitress server on SQLite: every
officer logs in, reads, registers a case, completes its first step and previews a notice, without an error."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_load_benchmark_runs_against_sqlite_without_errors():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--db", "sqlite", "--seconds", "5",
                          "--warmup", "0", "--users", "10", "--think", "0.05", "--cases", "40"],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    last = lines[-1]
    assert re.fullmatch(r"load: sqlite_p95_ms=[\d.]+ sqlite_rps=[\d.]+ pg_p95_ms=- pg_rps=- errors=0", last), \
        out.stdout[-3000:]
    assert float(re.search(r"sqlite_rps=([\d.]+)", last).group(1)) > 0
    # Every kind of work was done, writes included, and answered as a user would expect.
    report = "\n".join(lines)
    for kind in ("inbox", "board", "case", "search", "start", "complete", "notice_preview"):
        assert re.search(rf"^\s+{kind}\s+n=[1-9]", report, re.M), f"no {kind} requests:\n{report}"


def test_the_province_benchmark_writes_loadable_cases_by_copy():
    """bench/web.py at a small size on PostgreSQL: the COPY path writes cases in two districts that the pages
    then show (every timed request checks its page), and the last line carries the PostgreSQL figures."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "web.py"), "--cases", "300", "--districts", "2",
                          "--db", "pg", "--requests", "5"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:] + out.stdout[-3000:]
    assert "300 cases in 2 district(s) (1141 areas added)" in out.stdout
    assert re.fullmatch(r"web: pg_inbox_p95_ms=[\d.]+ pg_board_p95_ms=[\d.]+ pg_search_p95_ms=[\d.]+ "
                        r"pg_case_p95_ms=[\d.]+", out.stdout.strip().splitlines()[-1]), out.stdout[-2000:]

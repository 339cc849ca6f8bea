"""Benchmark: render one notice to PDF (median) and a 200-notice batch merged into one PDF.

    .venv/bin/python bench/notices.py [--count 200] [--samples 30] [--database-url URL]

Notices of all nine types are issued into a scratch SQLite database (or the given one, which should be
empty), then rendered from their stored content exactly as the print pages do. Targets: under 0.3 s per
notice, under 40 s for 200. The last line is for scripts: `notices: one_ms=<n> batch200_s=<n>`.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the sample fields live with the tests

from notice_helpers import SAMPLES  # noqa: E402
from webapp.notices import render  # noqa: E402
from workflows import runtime  # noqa: E402
from workflows.clock import MovableClock  # noqa: E402
from workflows.notices.service import NoticeService  # noqa: E402
from workflows.org.accounts import by_username  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="notices in the batch")
    parser.add_argument("--samples", type=int, default=30, help="single renders timed for the median")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        services = runtime.build(args.database_url or f"sqlite:///{tmp}/bench.sqlite", clock=MovableClock())
        runtime.prepare(services, with_demo=True)
        svc = NoticeService.for_services(services)
        with services.db.read() as s:
            officer = by_username(s, "wjs_market1").id

        types = list(SAMPLES)
        issue_times, ids = [], []
        for i in range(args.count):
            t0 = time.perf_counter()
            ids.append(svc.issue(types[i % len(types)], SAMPLES[types[i % len(types)]], officer).id)
            issue_times.append(time.perf_counter() - t0)
        items = [(content, n.status, "") for n, content in svc.contents(ids, officer)]

        render.render_pdf(items[0][0])  # warm-up: font discovery happens once per process
        one = []
        for i in range(args.samples):
            t0 = time.perf_counter()
            render.render_pdf(items[i % len(items)][0])
            one.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        pdf = render.render_batch(items)
        batch = time.perf_counter() - t0
        services.db.dispose()

    one_ms = statistics.median(one) * 1000
    print(f"issue one notice (number + store + audit): median {statistics.median(issue_times) * 1000:.1f} ms")
    print(f"render one notice to PDF: median {one_ms:.0f} ms, max {max(one) * 1000:.0f} ms "
          f"over {args.samples} renders of {len(types)} types (target < 300 ms)")
    print(f"batch of {args.count} notices merged into one PDF: {batch:.1f} s, {len(pdf) / 1e6:.1f} MB "
          f"(target < 40 s for 200)")
    print(f"notices: one_ms={one_ms:.0f} batch{args.count}_s={batch:.1f}")


if __name__ == "__main__":
    main()

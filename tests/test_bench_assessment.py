"""bench/assessment.py at a tiny scale on SQLite: the district is generated through the engine to the requested
size, holds together, is assessed and its statistics page served, and the last line has the shape scripts read."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_assessment_benchmark_generates_the_requested_district_and_reports_its_figures():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "assessment.py"), "--scale", "0.002", "--db",
                          "sqlite", "--requests", "3"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:] + out.stdout[-3000:]
    lines = out.stdout.strip().splitlines()
    assert re.fullmatch(r"assessment: one_street_s=[\d.]+ all_streets_s=[\d.]+ stats_p95_ms=[\d.]+", lines[-1]), \
        out.stdout[-3000:]
    held = dict((k, int(v)) for k, v in re.findall(r"(\w+) (\d+)", next(
        line for line in lines if line.startswith("SQLite: streets"))))
    # 0.002 of 100,000 cases and houses, 12,000 complaints, 600 sweeps and intermediaries; twelve streets.
    assert (held["streets"], held["cases"], held["houses"], held["complaints"]) == (12, 200, 200, 24)
    assert (held["sweeps"], held["intermediaries"]) == (1, 1)
    assert held["persons"] >= 3 * held["cases"]
    # What the caught cases brought with them through the services: penalties, blacklist entries, patrols.
    assert held["penalties"] > 0 and held["blacklist"] > 0 and held["patrols"] > 0
    assert "SQLite: foreign keys and references consistent, 30 sampled workflows restored" in out.stdout

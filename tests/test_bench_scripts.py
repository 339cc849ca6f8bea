"""Every benchmark named in the README starts as the README says (`python bench/<name>.py`), and the engine
benchmark runs end to end at a small size and ends with the line scripts read. A bench file named like a
standard-library module once hid that module from every other bench script run from the same folder."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The scripts are the rows of the README's benchmark table; the other bench files are their modules.
SCRIPTS = sorted(set(re.findall(r"^\| `bench/(\w+)\.py", README, re.M)))


def test_the_readme_names_every_benchmark_script():
    assert {"engine", "web", "load", "notices", "assessment", "statistics_page"} <= set(SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_benchmark_script_starts_and_explains_itself(name):
    out = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "usage:" in out.stdout


def test_the_engine_benchmark_runs_and_prints_its_figures():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "engine.py"), "--cases", "2", "--cycles", "3",
                          "--rounds", "6"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"engine: tasks_per_s=\d+ median_ms=[\d.]+ bytes_per_instance=\d+ ratio_vs_memory=[\d.]+ "
                        r"history_ratio=[\d.]+ http_ratio=[\d.]+ http_floor_ratio=[\d.]+", last), \
        out.stdout[-2000:]

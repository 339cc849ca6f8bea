"""Timing the assessment and the statistics page over a generated district (see bench/assessment.py)."""
from __future__ import annotations


def measure(services, clock, start, end, requests: int) -> dict:
    return {"one_street_s": None, "all_streets_s": None, "stats_median_ms": None, "stats_p95_ms": None}


def line(figures: dict, prefix: str = "") -> str:
    def fmt(v):
        return "n/a" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)
    return " ".join(f"{prefix}{k}={fmt(figures[k])}" for k in ("one_street_s", "all_streets_s", "stats_p95_ms"))

"""创无 coverage as the statistics page shows it: workflows.pyramid_free.coverage for the year the period ends in,
flattened to plain rows (its figures are the ones Annex 3 row 6 and the 创无 pages use)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from workflows.pyramid_free.coverage import coverage


def coverage_rows(session: Session, area_path: str, start: date, end: date) -> dict:
    """{year, target, streets: [{label, named, total, rate, meets_target}], communities: {...}, platforms: {...}};
    a name counts for the year the period ends in (coverage is a standing, not a flow, so `start` is unused)."""
    figures = coverage(session, area_path, end.year)

    def flat(figure) -> dict:
        return {"label": figure.label, "named": figure.named, "total": figure.total, "rate": figure.rate,
                "meets_target": figure.meets_target}

    return {"year": end.year, "target": figures["target"], "streets": [flat(f) for f in figures["streets"]],
            "communities": flat(figures["communities"]), "platforms": flat(figures["platforms"])}

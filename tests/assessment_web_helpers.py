"""Helpers for the assessment page tests: street ids, an assessor account, running an assessment through the form."""
from __future__ import annotations

import re

import sqlalchemy as sa

from web_fixtures import PASSWORD
from workflows.assessment.models import AssessmentFinding, AssessmentRun
from workflows.org.accounts import add_user, generate_password_hash
from workflows.org.models import Area

PERIOD = {"start": "2026-01-01", "end": "2026-11-22"}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def street_id(services, name: str) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(Area.id).where(Area.name == name, Area.kind == "street"))


def add_assessor(services, username: str = "kp_wjs", street: str = "吴家山街") -> str:
    """An inspector (考评人员) of one street."""
    with services.db.unit_of_work() as s:
        area = s.scalar(sa.select(Area).where(Area.name == street, Area.kind == "street"))
        add_user(s, username, None, f"考评人员（{street}）", "assessor", area,
                 password_hash=generate_password_hash(PASSWORD))
    return username


def run_via_form(client, services, street: str = "吴家山街", period: dict | None = None) -> int:
    r = client.post("/assessment/run", data={"area_id": street_id(services, street), **(period or PERIOD)})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    match = re.search(r"/assessment/(\d+)$", r.headers["Location"])
    assert match, r.headers["Location"]
    return int(match.group(1))


def get_run(services, run_id: int) -> AssessmentRun:
    with services.db.read() as s:
        return s.get(AssessmentRun, run_id)


def findings_by_rule(services, run_id: int) -> dict[str, list[AssessmentFinding]]:
    out: dict[str, list] = {}
    with services.db.read() as s:
        for f in s.scalars(sa.select(AssessmentFinding).where(AssessmentFinding.run_id == run_id)
                           .order_by(AssessmentFinding.id)):
            out.setdefault(f.rule_id, []).append(f)
    return out

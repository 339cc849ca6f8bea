"""Search by case number, address, person name or ID number, shaped so that each kind hits an index."""
from __future__ import annotations

import re

import sqlalchemy as sa

from workflows.cases.models import CasePerson
from workflows.engine.models import ProcessInstance
from workflows.org.models import Area

ID_NUMBER_RE = re.compile(r"^\d{17}[\dXx]$")
REFERENCE_RE = re.compile(r"^[A-Za-z]{2}\d{6,}$")


def normalise(q: str | None) -> str:
    return re.sub(r"\s+", "", q or "")[:60]


def instance_condition(q: str, within=None):
    """A condition on ProcessInstance (with Area joined on its area_id) for the search text `q`.

    An ID number or a case number is matched exactly (indexed); other text matches a person's name
    exactly or any part of the standard address. `within` (a condition on Area.path: the user's area)
    narrows the addresses looked at to those the user may see anyway, so with a province's address tree
    only one street's or district's are read.
    """
    if ID_NUMBER_RE.match(q):
        return ProcessInstance.id.in_(sa.select(CasePerson.instance_id).where(CasePerson.id_number == q.upper()))
    if REFERENCE_RE.match(q):
        return ProcessInstance.reference == q.upper()
    # The address is matched in the small area table first, so cases are then found by area_id
    # (indexed) rather than by reading every case's address.
    return sa.or_(
        ProcessInstance.id.in_(sa.select(CasePerson.instance_id).where(CasePerson.name == q)),
        ProcessInstance.area_id.in_(sa.select(Area.id).where(Area.full_name.contains(q, autoescape=True),
                                                              *([within] if within is not None else []))),
    )

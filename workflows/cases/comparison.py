"""信息比对: persons against the blacklist and earlier cases; registration place from the ID number."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.idnumbers import registration_place
from workflows.ledgers.models import BlacklistEntry


def compare_persons(session: Session, instance_id: int, persons: list, local_prefix: str) -> dict:
    """One row per person: blacklist hits, earlier cases (回流), registration place, non-local flag."""
    numbers = [p.get("id_number", "") for p in persons if p.get("id_number")]
    listed = {b.id_number: b for b in session.scalars(
        sa.select(BlacklistEntry).where(BlacklistEntry.id_number.in_(numbers)))} if numbers else {}
    earlier: dict[str, int] = {}
    if numbers:
        for number, count in session.execute(
                sa.select(CasePerson.id_number, sa.func.count(sa.distinct(CasePerson.instance_id)))
                .where(CasePerson.id_number.in_(numbers), CasePerson.instance_id != instance_id)
                .group_by(CasePerson.id_number)):
            earlier[number] = count
    rows = []
    for p in persons:
        number = p.get("id_number", "")
        entry = listed.get(number)
        rows.append({
            "name": p.get("name", ""),
            "id_number": number,
            "registration_place": registration_place(number) if number else "",
            "non_local": bool(number) and not number.startswith(local_prefix),
            "blacklisted": entry is not None,
            "catch_count": entry.catch_count if entry else 0,
            "earlier_cases": earlier.get(number, 0),
            "reflux": bool(entry) or earlier.get(number, 0) > 0,
        })
    return {"persons": rows, "reflux_count": sum(1 for r in rows if r["reflux"])}

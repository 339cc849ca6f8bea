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
    listed, earlier = {}, {}
    if numbers:
        conn = session.connection()
        listed = {row.id_number: row for row in conn.execute(_LISTED, {"numbers": numbers})}
        earlier = dict(conn.execute(_EARLIER, {"numbers": numbers, "instance_id": instance_id}).all())
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
            "reflux": entry is not None or earlier.get(number, 0) > 0,
        })
    return {"persons": rows, "reflux_count": sum(1 for r in rows if r["reflux"])}


# Built once (the comparison runs in every case): two plain reads, the numbers bound as an expanding list.
_LISTED = sa.select(BlacklistEntry.id_number, BlacklistEntry.catch_count).where(
    BlacklistEntry.id_number.in_(sa.bindparam("numbers", expanding=True)))
_EARLIER = (sa.select(CasePerson.id_number, sa.func.count(sa.distinct(CasePerson.instance_id)))
            .where(CasePerson.id_number.in_(sa.bindparam("numbers", expanding=True)),
                   CasePerson.instance_id != sa.bindparam("instance_id"))
            .group_by(CasePerson.id_number))

"""信息比对: persons against the blacklist and earlier cases; registration place from the ID number."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.idnumbers import registration_place
from workflows.ledgers.models import BlacklistEntry


def compare_persons(session: Session, instance_id: int, persons: list, local_prefix: str) -> dict:
    """One row per person: blacklist hits, earlier cases (回流), registration place, non-local flag."""
    numbers = list(dict.fromkeys(p["id_number"] for p in persons if p.get("id_number")))  # each once
    listed, earlier = {}, {}
    if numbers:
        for number, kind, n in session.connection().execute(_FACTS, {"listed": numbers, "earlier": numbers,
                                                                      "instance_id": instance_id}):
            (listed if kind == _LISTED else earlier)[number] = n
    rows = []
    for p in persons:
        number = p.get("id_number", "")
        catch_count = listed.get(number)
        rows.append({
            "name": p.get("name", ""),
            "id_number": number,
            "registration_place": registration_place(number) if number else "",
            "non_local": bool(number) and not number.startswith(local_prefix),
            "blacklisted": catch_count is not None,
            "catch_count": catch_count or 0,
            "earlier_cases": earlier.get(number, 0),
            "reflux": catch_count is not None or earlier.get(number, 0) > 0,
        })
    return {"persons": rows, "reflux_count": sum(1 for r in rows if r["reflux"])}


# Built once (the comparison runs in every case): one read for both, the blacklist entries and the earlier cases
# of the numbers (bound as expanding lists), told apart by a constant.
_LISTED, _EARLIER = 1, 2
_FACTS = sa.union_all(
    sa.select(BlacklistEntry.id_number, sa.literal(_LISTED).label("kind"), BlacklistEntry.catch_count.label("n"))
    .where(BlacklistEntry.id_number.in_(sa.bindparam("listed", expanding=True))),
    sa.select(CasePerson.id_number, sa.literal(_EARLIER), sa.func.count(sa.distinct(CasePerson.instance_id)))
    .where(CasePerson.id_number.in_(sa.bindparam("earlier", expanding=True)),
           CasePerson.instance_id != sa.bindparam("instance_id"))
    .group_by(CasePerson.id_number))

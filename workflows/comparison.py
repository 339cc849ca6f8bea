"""信息比对: persons against the blacklist and earlier cases; registration place from the ID number."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Session
from stdnum.cn import ric

from .models import BlacklistEntry, CasePerson


def registration_place(id_number: str) -> str:
    """户籍地 from the first six digits of a resident ID number, as far as python-stdnum knows it."""
    try:
        place = ric.get_birth_place(id_number)
    except Exception:  # stdnum raises its own errors for unknown codes and bad numbers alike
        place = _place_by_code(id_number)
    county = re.sub(r"^\[[^\]]*\]", "", place.get("county") or "")
    return "".join(v for v in (place.get("province"), place.get("city"), county) if v)


def _place_by_code(id_number: str) -> dict:
    """The place of a code whatever the birth year: stdnum refuses a person born before their county's
    code was assigned (e.g. 420106 for someone born in 1978), yet that is still where they are registered."""
    from stdnum import numdb
    info = {k: v for _part, props in numdb.get("cn/loc").info(id_number[:6]) for k, v in props.items()}
    counties = [c for c in (info.get("county") or "").split(",") if c]
    if counties:
        info["county"] = counties[-1]  # the newest name of the county
    return info


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

"""黑名单: everyone caught in a closed case is entered (or counted again) automatically.

Annex 3 scores the blacklist entry rate against 100%; entering people by hand is how rows go missing.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.idnumbers import registration_place
from workflows.ledgers.models import BlacklistEntry


def _merge(old: str, new: str) -> str:
    """Comma-separated values, the new one added once."""
    values = [v for v in old.split(",") if v]
    if new and new not in values:
        values.append(new)
    return ",".join(values)[:200]


def enter_caught_persons(session: Session, instance_id: int, now: datetime) -> int:
    """Upsert every person of the case that has an ID number; returns how many were entered or counted."""
    conn = session.connection()
    persons = conn.execute(_PERSONS, {"b_instance_id": instance_id}).all()
    if not persons:
        return 0
    # Set-based: one upsert for all persons of the case, each row still its own atomic upsert, so two cases
    # closing at once with the same person both count. A person listed twice in the case is counted twice, as
    # entered twice: folded into one row (a statement may touch a row only once) counting both, with the name
    # and the role (if any) the later listing gave, as two upserts one after the other would leave them.
    rows: dict[str, dict] = {}
    for p in persons:
        row = rows.get(p.id_number)
        if row is None:
            rows[p.id_number] = dict(
                id_number=p.id_number, name=p.name, registration_place=registration_place(p.id_number),
                phones=p.phone, bank_cards=p.bank_card, catch_count=1, last_role=p.classification,
                first_caught_at=now, last_caught_at=now, last_instance_id=instance_id, group_numbers="")
        else:
            row["catch_count"] += 1
            row["name"] = p.name
            if p.classification:
                row["last_role"] = p.classification
    # The upsert hands back each entry's phones and bank cards as they now stand (it leaves them alone):
    # they accumulate, merged in Python, and only the entries that changed are written again.
    current = {row.id_number: [row.phones, row.bank_cards]
               for row in conn.execute(_upsert(conn.dialect.name), list(rows.values()))}
    before = {number: list(values) for number, values in current.items()}
    for p in persons:
        values = current[p.id_number]
        values[0], values[1] = _merge(values[0], p.phone), _merge(values[1], p.bank_card)
    changed = [{"b_number": number, "phones": v[0], "bank_cards": v[1]}
               for number, v in current.items() if v != before[number]]
    if changed:
        conn.execute(_UPDATE_CONTACTS, changed)
    return len(persons)


# Built once: closing a case runs them every time.
_TABLE, _PERSON = BlacklistEntry.__table__, CasePerson.__table__
_PERSONS = (sa.select(_PERSON.c.id_number, _PERSON.c.name, _PERSON.c.phone, _PERSON.c.bank_card,
                      _PERSON.c.classification)
            .where(_PERSON.c.instance_id == sa.bindparam("b_instance_id"), _PERSON.c.id_number != "")
            .order_by(_PERSON.c.id))
_UPDATE_CONTACTS = _TABLE.update().where(_TABLE.c.id_number == sa.bindparam("b_number"))


_UPSERTS: dict = {}


def _upsert(dialect: str):
    """The blacklist upsert for one database, built once: a new person is entered, a known one counted (as
    many times as the case lists them)."""
    if dialect not in _UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(BlacklistEntry.__table__)
        table = BlacklistEntry.__table__
        _UPSERTS[dialect] = stmt.on_conflict_do_update(
            index_elements=[table.c.id_number],
            set_={"catch_count": table.c.catch_count + stmt.excluded.catch_count,
                  "last_caught_at": stmt.excluded.last_caught_at,
                  "last_instance_id": stmt.excluded.last_instance_id, "name": stmt.excluded.name,
                  "last_role": sa.case((stmt.excluded.last_role != "", stmt.excluded.last_role),
                                       else_=table.c.last_role)}
        ).returning(table.c.id_number, table.c.phones, table.c.bank_cards)
    return _UPSERTS[dialect]

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
    persons = session.execute(sa.select(CasePerson.id_number, CasePerson.name, CasePerson.phone,
                                        CasePerson.bank_card, CasePerson.classification)
                              .where(CasePerson.instance_id == instance_id, CasePerson.id_number != "")
                              .order_by(CasePerson.id)).all()
    if not persons:
        return 0
    # Set-based: one prepared upsert run for all persons at once. Each row is still its own atomic upsert,
    # so two cases closing at once with the same person both count. A person listed twice in the case is
    # counted twice, as entered twice: such repeats go in a later batch, since a driver may fold a batch
    # into one multi-row statement, which may touch a row only once.
    batches: list[list] = []
    for p in persons:
        batch = next((b for b in batches if all(q.id_number != p.id_number for q in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(p)
    upsert = _upsert(session.get_bind().dialect.name)
    for batch in batches:
        session.connection().execute(upsert, [dict(
            id_number=p.id_number, name=p.name, registration_place=registration_place(p.id_number),
            phones=p.phone, bank_cards=p.bank_card, catch_count=1, last_role=p.classification,
            first_caught_at=now, last_caught_at=now, last_instance_id=instance_id, group_numbers="")
            for p in batch])
    # Phones and bank cards accumulate: merge them in Python, write only the entries that changed.
    table = BlacklistEntry.__table__
    current = {row.id_number: [row.phones, row.bank_cards] for row in session.execute(
        sa.select(table.c.id_number, table.c.phones, table.c.bank_cards)
        .where(table.c.id_number.in_({p.id_number for p in persons})))}
    before = {number: list(values) for number, values in current.items()}
    for p in persons:
        values = current[p.id_number]
        values[0], values[1] = _merge(values[0], p.phone), _merge(values[1], p.bank_card)
    changed = [{"b_number": number, "phones": v[0], "bank_cards": v[1]}
               for number, v in current.items() if v != before[number]]
    if changed:
        update = table.update().where(table.c.id_number == sa.bindparam("b_number"))
        session.connection().execute(update, changed)
    return len(persons)


_UPSERTS: dict = {}


def _upsert(dialect: str):
    """The blacklist upsert for one database, built once: a new person is entered, a known one counted."""
    if dialect not in _UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(BlacklistEntry.__table__)
        table = BlacklistEntry.__table__
        _UPSERTS[dialect] = stmt.on_conflict_do_update(
            index_elements=[table.c.id_number],
            set_={"catch_count": table.c.catch_count + 1, "last_caught_at": stmt.excluded.last_caught_at,
                  "last_instance_id": stmt.excluded.last_instance_id, "name": stmt.excluded.name,
                  "last_role": sa.case((stmt.excluded.last_role != "", stmt.excluded.last_role),
                                       else_=table.c.last_role)})
    return _UPSERTS[dialect]

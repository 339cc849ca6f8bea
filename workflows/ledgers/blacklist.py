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
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Set-based: one upsert for all persons (an upsert may touch a row once, so a person listed twice in
    # the case goes into a second round and is counted twice, as entered twice). Each round is still one
    # atomic statement per row, so two cases closing at once with the same person both count.
    rounds: list[list] = []
    for p in persons:
        target = next((r for r in rounds if all(q.id_number != p.id_number for q in r)), None)
        if target is None:
            rounds.append(target := [])
        target.append(p)
    for group in rounds:
        stmt = insert(BlacklistEntry).values([dict(
            id_number=p.id_number, name=p.name, registration_place=registration_place(p.id_number),
            phones=p.phone, bank_cards=p.bank_card, catch_count=1, last_role=p.classification,
            first_caught_at=now, last_caught_at=now, last_instance_id=instance_id, group_numbers="")
            for p in group])
        session.execute(stmt.on_conflict_do_update(
            index_elements=[BlacklistEntry.id_number],
            set_={"catch_count": BlacklistEntry.catch_count + 1, "last_caught_at": now,
                  "last_instance_id": instance_id, "name": stmt.excluded.name,
                  "last_role": sa.case((stmt.excluded.last_role != "", stmt.excluded.last_role),
                                       else_=BlacklistEntry.last_role)}))
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
        session.connection().execute(table.update().where(table.c.id_number == sa.bindparam("b_number")), changed)
    return len(persons)

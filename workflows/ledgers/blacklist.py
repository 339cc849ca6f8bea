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
    persons = session.scalars(sa.select(CasePerson).where(CasePerson.instance_id == instance_id,
                                                          CasePerson.id_number != "")).all()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for p in persons:
        # One statement per person, so two cases closing at once with the same person both count.
        stmt = insert(BlacklistEntry).values(
            id_number=p.id_number, name=p.name, registration_place=registration_place(p.id_number),
            phones=p.phone, bank_cards=p.bank_card, catch_count=1, last_role=p.classification,
            first_caught_at=now, last_caught_at=now, last_instance_id=instance_id, group_numbers="")
        session.execute(stmt.on_conflict_do_update(
            index_elements=[BlacklistEntry.id_number],
            set_={"catch_count": BlacklistEntry.catch_count + 1, "last_caught_at": now,
                  "last_instance_id": instance_id, "name": p.name,
                  "last_role": p.classification or BlacklistEntry.last_role}))
        entry = session.scalar(sa.select(BlacklistEntry).where(BlacklistEntry.id_number == p.id_number))
        entry.phones, entry.bank_cards = _merge(entry.phones, p.phone), _merge(entry.bank_cards, p.bank_card)
    return len(persons)

"""Case numbers: each prefix (AJ, JB, WB, ...) counts from 1 in each year, so the year's first complaint is JB…01."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workflows.engine.models import ReferenceCounter

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_reference(session: Session, prefix: str, year: int) -> str:
    """The next reference for `prefix` in `year`, taken in the action's transaction.

    One upsert both creates the year's counter and bumps it; the row lock it takes makes a concurrent
    action wait for this one to commit, so no two instances ever get the same number.
    """
    insert = _INSERT[session.get_bind().dialect.name](ReferenceCounter)
    statement = (insert.values(prefix=prefix, year=year, last=1)
                 .on_conflict_do_update(index_elements=["prefix", "year"],
                                        set_={"last": ReferenceCounter.last + 1})
                 .returning(ReferenceCounter.last))
    number = session.execute(statement).scalar_one()
    return f"{prefix}{year}{number:06d}"


"""Draws by lot with a stored seed: anyone can draw again from the stored population and seed and get the same
picks (`verify`). Used for the households an acceptance inspection visits and the quarter's random re-inspections."""
from __future__ import annotations

import random
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows import audit
from workflows.exceptions import ConcurrentUpdate
from workflows.pyramid_free.models import LotDraw

SAMPLE, RANDOM = "sample", "random"


def pick(seed: str, population: list[int], size: int) -> list[int]:
    """The draw itself: deterministic for a seed and population (sorted, so order of reading does not matter)."""
    ordered = sorted(set(population))
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def draw(session: Session, now: datetime, purpose: str, key: str, population: list[int], size: int,
         actor_id: int | None, seed: str | None = None, **details) -> LotDraw:
    """Draw `size` of `population` with a new seed (or the given one), store and audit it (with `details`)."""
    seed = seed or secrets.token_hex(16)
    earlier = session.scalar(sa.select(sa.func.max(LotDraw.round)).where(LotDraw.purpose == purpose,
                                                                         LotDraw.key == key)) or 0
    row = LotDraw(purpose=purpose, key=key, round=earlier + 1, seed=seed, population=sorted(set(population)),
                  size=size, picked=pick(seed, population, size), drawn_at=now, drawn_by_id=actor_id)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Someone drew the same lot at the same moment: this action rolls back and theirs stands.
        raise ConcurrentUpdate() from None
    audit.record(session, now, "pf_lot_drawn", actor_id, None, None, draw_id=row.id, purpose=purpose, key=key,
                 seed=seed, size=size, picked=row.picked, **details)
    return row


def verify(row: LotDraw) -> bool:
    """Whether drawing again from the stored seed and population gives the stored picks."""
    return pick(row.seed, row.population, row.size) == list(row.picked)

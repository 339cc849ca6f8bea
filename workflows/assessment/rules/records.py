"""The record queries several groups' rules share: caught houses and their catches, landlords' penalties, the
blacklist entries of persons caught, the days cases were opened."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import defer

from workflows.assessment import figures
from workflows.assessment.rules.base import Scope
from workflows.clock import office_date
from workflows.cases.models import CasePerson
from workflows.engine.models import ProcessInstance
from workflows.ledgers.models import BlacklistEntry, HouseCatch, RentalHouse
from workflows.org import areas
from workflows.penalties.models import PenaltyCase
from workflows.vocabulary import PenaltyOutcome

LANDLORD_ROLE = "premises"  # 为传销提供经营场所: the fine range a landlord is penalised under


def in_area(scope: Scope, column):
    """`column` (an area path) lies in the scope's area, as an index range (workflows.org.areas.under)."""
    return areas.under(scope.session, column, scope.area.path)


def chunks(values, size: int = 500):
    values = sorted(set(values))
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _opened(scope: Scope) -> dict[int, date]:
    """Every six-step case opened in the area and period -> its office day, in one statement (the cases the
    persons caught come from: the same filter as figures.caught_persons)."""
    return {inst_id: office_date(created) for inst_id, created in scope.session.execute(
        sa.select(ProcessInstance.id, ProcessInstance.created_at).where(_cases(scope)))}


def case_days(scope: Scope, persons) -> dict[int, date]:
    """case instance id -> the office day it was opened, for the persons caught in the scope."""
    opened = scope.remembered("case_days", lambda: _opened(scope))
    return {p.instance_id: opened[p.instance_id] for p in persons}


def _cases(scope: Scope):
    """The six-step cases opened in the area and period (figures.caught_persons' filter), as a WHERE clause whose
    area test the case index can serve."""
    first, after = figures.bounds(scope.start, scope.end)
    return sa.and_(ProcessInstance.process_id == figures.CASE_PROCESS, in_area(scope, ProcessInstance.area_path),
                   ProcessInstance.created_at >= first, ProcessInstance.created_at < after)


def persons(scope: Scope) -> list:
    """The persons caught in the area and period (figures.caught_persons: the statistics page counts the same
    rows), read once per run."""
    return scope.remembered("persons", lambda: figures.caught_persons(
        scope.session, scope.area.path, scope.start, scope.end))


def _caught_numbers(scope: Scope):
    """The ID numbers of the persons caught in the area and period, as a subquery."""
    return (sa.select(CasePerson.id_number).join(ProcessInstance, ProcessInstance.id == CasePerson.instance_id)
            .where(_cases(scope), CasePerson.id_number != ""))


def penalised(scope: Scope, outcomes) -> set[str]:
    """Which ID numbers of the persons caught a penalty case ended with one of `outcomes` for (any time, as
    figures.penalised_id_numbers). The persons' penalty cases are read once per run, in one statement."""
    wanted = set(outcomes)
    ended = scope.remembered("penalty_outcomes", lambda: scope.session.execute(
        sa.select(PenaltyCase.party_id_number, PenaltyCase.outcome).distinct().where(
            PenaltyCase.party_id_number.in_(_caught_numbers(scope)))).all())
    return {number for number, outcome in ended if outcome in wanted}


def blacklist(scope: Scope) -> dict:
    """The blacklist entries of every person caught in the area and period, read once per run in one statement
    (the persons' ID numbers as a subquery, not thousands of bound values)."""
    return scope.remembered("blacklist", lambda: {entry.id_number: entry for entry in scope.session.execute(
        sa.select(BlacklistEntry.id_number, BlacklistEntry.phones, BlacklistEntry.bank_cards,
                  BlacklistEntry.registration_place, BlacklistEntry.catch_count).where(
            BlacklistEntry.id_number.in_(_caught_numbers(scope))))})


def caught_houses(scope: Scope) -> list[RentalHouse]:
    """The rental houses of the area caught (涉传) in the period, in id order."""
    return list(scope.remembered("caught_houses", lambda: _read_caught_houses(scope)))


def _read_caught_houses(scope: Scope) -> list[RentalHouse]:
    first, after = figures.bounds(scope.start, scope.end)
    caught = sa.select(HouseCatch.house_id).where(HouseCatch.caught_at >= first, HouseCatch.caught_at < after)
    return list(scope.session.scalars(sa.select(RentalHouse).where(
        in_area(scope, RentalHouse.area_path), RentalHouse.id.in_(caught))
        # The tenants (JSON) only for the few houses a rule samples: decoding every house's list cost more
        # than the rest of reading them.
        .options(defer(RentalHouse.tenants)).order_by(RentalHouse.id)))


def catches_until_end(scope: Scope, house_ids) -> dict[int, list[HouseCatch]]:
    """house id -> its catches up to the period's end, oldest first."""
    _first, after = figures.bounds(scope.start, scope.end)
    out: dict[int, list[HouseCatch]] = {h: [] for h in house_ids}
    for chunk in chunks(house_ids):
        for catch in scope.session.scalars(sa.select(HouseCatch).where(
                HouseCatch.house_id.in_(chunk), HouseCatch.caught_at < after)
                .order_by(HouseCatch.caught_at, HouseCatch.id)):
            out[catch.house_id].append(catch)
    return out


def house_rows(scope: Scope) -> list[tuple[RentalHouse, list[HouseCatch]]]:
    """Each house caught in the period with all its catches up to the period's end, read once per run."""
    def read() -> list[tuple[RentalHouse, list[HouseCatch]]]:
        houses = caught_houses(scope)
        catches = catches_until_end(scope, [h.id for h in houses])
        return [(house, catches[house.id]) for house in houses]
    return list(scope.remembered("house_rows", read))


def repeat_house_rows(scope: Scope) -> list[tuple[RentalHouse, list[HouseCatch]]]:
    """The houses caught in the period that have been caught `repeat_threshold` times or more (两次以上)."""
    return [(h, c) for h, c in house_rows(scope) if len(c) >= scope.settings.repeat_threshold]


def landlord_penalised(scope: Scope, house: RentalHouse, catches: list[HouseCatch],
                       ordinary_only: bool = False) -> bool:
    """Whether the landlord was penalised for a catch at this house: a penalty case under the premises range,
    from one of the house's cases or against the registered owner's ID number."""
    if ordinary_only:
        outcomes: tuple = (PenaltyOutcome.DECIDED,)
    else:
        outcomes = figures.penalty_outcomes(scope.settings.warning_counts_as_penalty)
    sources = [c.instance_id for c in catches]
    matches = [PenaltyCase.source_instance_id.in_(sources)] if sources else []
    if house.owner_id_number:
        matches.append(PenaltyCase.party_id_number == house.owner_id_number)
    if not matches:
        return False
    return bool(scope.session.scalar(sa.select(sa.func.count()).select_from(PenaltyCase).where(
        PenaltyCase.role == LANDLORD_ROLE, PenaltyCase.outcome.in_(outcomes), sa.or_(*matches))))

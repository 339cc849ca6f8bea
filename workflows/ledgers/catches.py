"""A six-step case that finds MLM in a rental house brings the house into the ledger: registered with the case's
address, landlord and tenants, counted, flagged and patrolled. (Its 三停一换 state follows the 查封 of the premises:
workflows/seizures.)

Both steps that do this (the evidence step's automatic comparison and the officer's comparison) run in every
case, so they are plain statements: one locked read gives the house with whether this case's catch is counted
(and, on SQLite, whether its patrol runs), and the house gets one UPDATE with everything the step changed.
"""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.models import ProcessInstance
from workflows.ledgers import registries
from workflows.ledgers.models import HouseCatch, RentalHouse
from workflows.vocabulary import InstanceStatus

_HOUSE, _CATCH, _INSTANCE = RentalHouse.__table__, HouseCatch.__table__, ProcessInstance.__table__


def _tenants(persons) -> list[dict]:
    return [{"name": p.get("name", ""), "id_number": p.get("id_number", ""), "phone": p.get("phone", "")}
            for p in persons or [] if isinstance(p, dict) and p.get("name")]


def _locked_house_query(with_tenants: bool, with_patrol_status: bool):
    columns = [_HOUSE.c.id, _HOUSE.c.area_id, _HOUSE.c.address, _HOUSE.c.owner_name, _HOUSE.c.owner_party_member,
               _HOUSE.c.owner_public_official, _HOUSE.c.commitment_signed_on, _HOUSE.c.security_pledge_signed_on,
               _HOUSE.c.filed_on, _HOUSE.c.flagged, _HOUSE.c.catch_count, _HOUSE.c.patrol_instance_id]
    if with_tenants:  # only the officer's comparison adds tenants; the list grows with every case
        columns.append(_HOUSE.c.tenants)
    # Only this case's own actions (one at a time, under the instance's lock) count its catch.
    columns.append(sa.exists().where(_CATCH.c.house_id == _HOUSE.c.id,
                                     _CATCH.c.instance_id == sa.bindparam("b_case")).label("counted"))
    if with_patrol_status:
        columns.append(_PATROL_STATUS.where(_INSTANCE.c.id == _HOUSE.c.patrol_instance_id)
                       .scalar_subquery().label("patrol_status"))
    # Only the house is locked: the catch it counts and the flag it raises are decided under that lock.
    return sa.select(*columns).where(_HOUSE.c.area_id == sa.bindparam("b_area")).with_for_update(of=_HOUSE)


_PATROL_STATUS = sa.select(_INSTANCE.c.status)
_LOCKED_HOUSE = {(tenants, status): _locked_house_query(tenants, status) for tenants in (False, True)
                 for status in (False, True)}
_PATROL_STATUS_BY_ID = _PATROL_STATUS.where(_INSTANCE.c.id == sa.bindparam("b_id"))


def _locked_house(session: Session, case: ProcessInstance, with_tenants: bool):
    """The house at the case's address, locked, with whether this case's catch is counted and the status of its
    patrol (None for none); None when the ledger has no house there.

    Where a transaction holds the database's write lock from its start (SQLite's BEGIN IMMEDIATE), nothing
    changes between its reads, and the patrol's status comes in the same read. On PostgreSQL a row lock waited
    for shows the house as the other action left it (e.g. with the patrol it just started) but the rest of the
    statement as it stood before, so the status is read after the lock, in a statement of its own.
    """
    conn = session.connection()
    one_read = conn.dialect.name == "sqlite"
    row = conn.execute(_LOCKED_HOUSE[(with_tenants, one_read)], {"b_area": case.area_id, "b_case": case.id}).first()
    if row is None:
        return None
    house = SimpleNamespace(**row._mapping)
    if not one_read:
        house.patrol_status = (conn.scalar(_PATROL_STATUS_BY_ID, {"b_id": house.patrol_instance_id})
                               if house.patrol_instance_id else None)
    return house


_INSERT_HOUSE = _HOUSE.insert()
_INSERT_CATCH = _CATCH.insert()
_UPDATE_HOUSE = _HOUSE.update().where(_HOUSE.c.id == sa.bindparam("b_id"))
_HOUSE_MAPPER = sa.inspect(RentalHouse)


def record_catch(ctx: ActionContext, case: ProcessInstance | None) -> dict:
    """A six-step case found MLM at a registered house: count it once, flag the house, start its patrol.

    Returns the comparison's facts of the house (registries.UNREGISTERED when there is none at the address).
    """
    if case is None or case.area_id is None:
        return dict(registries.UNREGISTERED)
    house = _locked_house(ctx.session, case, with_tenants=False)
    if house is None:  # just looked for it, under lock: no second look-up to say so
        return dict(registries.UNREGISTERED)
    changes: dict = {}
    count = _count_and_flag(ctx, case, house, changes)
    _write(ctx.session, house.id, changes)
    # This case's catch is counted exactly once (just now or earlier), so the catches before it are the rest:
    # what registries.house_facts would read back from the rows written here.
    return registries.facts_of(house, max(count - 1, 0))


def register_caught_house(ctx: ActionContext, data: dict) -> int | None:
    """The comparison confirmed a rental house: make sure it is in the ledger, then count the catch and flag it.

    A house nobody registered before is created at the case's address; what the case learnt (the landlord's
    name, the people found living there) fills what the ledger does not know yet, and never overwrites it.
    Returns the house's id (None when the comparison found no rental house).
    """
    case = ctx.instance
    if case is None or case.area_id is None or not data.get("house_is_rental"):
        return None
    session, now = ctx.session, ctx.now
    landlord = (data.get("landlord_name") or "").strip()
    tenants = _tenants(data.get("persons"))
    # Locked now: the catch counted below reads and raises its count in the same action.
    house = _locked_house(session, case, with_tenants=True)
    changes: dict = {}
    if house is None:
        house = _register(ctx, case, landlord, tenants, bool(data.get("landlord_official")))
    else:
        if landlord and not house.owner_name:
            changes["owner_name"] = landlord[:64]
        if data.get("landlord_official") and not house.owner_public_official:
            changes["owner_public_official"] = True
        known = {t.get("id_number") or t.get("name") for t in house.tenants or []}
        added = [t for t in tenants if (t["id_number"] or t["name"]) not in known]
        if added:
            changes["tenants"] = list(house.tenants or []) + added
        changes["updated_at"] = now
    _count_and_flag(ctx, case, house, changes)
    _write(session, house.id, changes)
    return house.id


def _register(ctx: ActionContext, case: ProcessInstance, landlord: str, tenants: list, official: bool):
    """A house the ledger did not know, entered at the case's address; what the catch needs of it."""
    # The address itself (case.area, one more read) is needed only here.
    values = {"area_id": case.area_id, "area_path": case.area_path, "address": case.area.full_name,
              "tenants": tenants, "updated_at": ctx.now, "catch_count": 0, "reflux_count": 0,
              "three_stops_state": "none", "owner_name": landlord[:64], "owner_public_official": official,
              "note": f"由案件 {case.reference} 查获时登记"}
    house_id = ctx.session.connection().execute(_INSERT_HOUSE, values).inserted_primary_key[0]
    audit.record(ctx.session, ctx.now, "house_registered", ctx.actor_id, case.id, house_id=house_id,
                 address=values["address"], owner_name=values["owner_name"], tenants=len(tenants))
    return SimpleNamespace(id=house_id, area_id=case.area_id, address=values["address"], catch_count=0,
                           flagged=False, counted=False, patrol_status=None)


def _count_and_flag(ctx: ActionContext, case: ProcessInstance, house, changes: dict) -> int:
    """Count this case's catch once, flag the house and make sure its patrol runs; adds the house's changed
    columns to `changes` and returns its catch count."""
    session, now = ctx.session, ctx.now
    count = house.catch_count
    if not house.counted:
        session.connection().execute(_INSERT_CATCH, {"house_id": house.id, "instance_id": case.id, "caught_at": now})
        count += 1
        changes.update(catch_count=count, last_caught_at=now, updated_at=now)
        audit.record(session, now, "house_caught", None, case.id, house_id=house.id, catch_count=count)
    if not house.flagged:
        changes.update(flagged=True, flagged_at=now, updated_at=now)
    if house.patrol_status != InstanceStatus.RUNNING:  # none yet, or ended when the flag was last lifted
        changes["patrol_instance_id"] = registries.start_patrol(ctx, house.id, house.address, house.area_id, None)
    return count


def _write(session: Session, house_id: int, changes: dict) -> None:
    """One UPDATE of the house with what the step changed; a copy of it the session holds is kept in step."""
    if not changes:
        return
    session.connection().execute(_UPDATE_HOUSE, dict(changes, b_id=house_id))
    held = session.identity_map.get(_HOUSE_MAPPER.identity_key_from_primary_key((house_id,)))
    if held is not None:
        for key, value in changes.items():
            set_committed_value(held, key, value)

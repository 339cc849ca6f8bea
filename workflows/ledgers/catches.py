"""A six-step case that finds MLM in a rental house brings the house into the ledger: registered with the case's
address, landlord and tenants, counted, flagged and patrolled. (Its 三停一换 state follows the 查封 of the premises:
workflows/seizures.)"""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.ledgers import registries
from workflows.ledgers.models import RentalHouse


def _tenants(persons) -> list[dict]:
    return [{"name": p.get("name", ""), "id_number": p.get("id_number", ""), "phone": p.get("phone", "")}
            for p in persons or [] if isinstance(p, dict) and p.get("name")]


def register_caught_house(ctx: ActionContext, data: dict) -> RentalHouse | None:
    """The comparison confirmed a rental house: make sure it is in the ledger, then count the catch and flag it.

    A house nobody registered before is created at the case's address; what the case learnt (the landlord's
    name, the people found living there) fills what the ledger does not know yet, and never overwrites it.
    """
    case = ctx.instance
    # The address itself (case.area, one more read) is needed only to register a house not yet in the ledger.
    if case is None or case.area_id is None or not data.get("house_is_rental"):
        return None
    session = ctx.session
    # Locked now: the catch counted below reads and raises its count in the same action.
    house = session.scalar(sa.select(RentalHouse).where(RentalHouse.area_id == case.area_id).with_for_update())
    created = house is None
    if created:
        house = RentalHouse(area_id=case.area_id, area_path=case.area_path, address=case.area.full_name,
                            tenants=[], updated_at=ctx.now, catch_count=0, reflux_count=0, three_stops_state="none",
                            owner_name="", note=f"由案件 {case.reference} 查获时登记")
        session.add(house)
    landlord = (data.get("landlord_name") or "").strip()
    if landlord and not house.owner_name:
        house.owner_name = landlord[:64]
    if data.get("landlord_official"):
        house.owner_public_official = True
    tenants = _tenants(data.get("persons"))
    if tenants:
        known = {t.get("id_number") or t.get("name") for t in house.tenants or []}
        house.tenants = list(house.tenants or []) + [t for t in tenants if (t["id_number"] or t["name"]) not in known]
    house.updated_at = ctx.now
    session.flush()
    if created:
        audit.record(session, ctx.now, "house_registered", ctx.actor_id, case.id, house_id=house.id,
                     address=house.address, owner_name=house.owner_name, tenants=len(house.tenants))
    registries.record_catch(ctx, case, house)
    return house

"""Ledgers (台账): rental houses, intermediaries and the blacklist; catches, flags, patrols and reflux."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, WorkflowError
from workflows.ledgers.models import (THREE_STOPS_STATES, BlacklistEntry, HouseCatch, Intermediary,
                                      IntermediaryViolation, RentalHouse, filing_complete)
from workflows.org import access, areas
from workflows.org.models import Area, User
from workflows.vocabulary import InstanceStatus, TaskState

PATROL_PROCESS = "rental_patrol"
CASE_PROCESS = "six_step_case"
# Who may change the ledgers; everyone with an area may read the part of them inside it.
EDITOR_ROLES = {"housing", "grid", "market", "police", "supervisor", "admin"}


# ---------------------------------------------------------------- access
def _viewer(session: Session, user_id: int) -> User:
    return access.active_user(session, user_id)


def scope(user: User) -> str:
    return access.visible_prefix(user, "台账")


def check_edit(user: User, area_path: str) -> None:
    access.check_edit(user, area_path, EDITOR_ROLES, "您无权修改台账。", "台账")


# ---------------------------------------------------------------- rental houses
def house_at(session: Session, area_id: int) -> RentalHouse | None:
    return session.scalar(sa.select(RentalHouse).where(RentalHouse.area_id == area_id))


def house_prior_catches(session: Session, area_id: int, exclude_instance_id: int | None = None) -> int:
    """Catches of the house at `area_id` before the case `exclude_instance_id` (0 if not a registered house).

    The six-step comparison reads this: one or more earlier catches sends the case to the landlord penalty.
    """
    house = house_at(session, area_id)
    if house is None:
        return 0
    own = 0
    if exclude_instance_id is not None:
        own = session.scalar(sa.select(sa.func.count()).select_from(HouseCatch).where(
            HouseCatch.house_id == house.id, HouseCatch.instance_id == exclude_instance_id))
    return max(house.catch_count - own, 0)


UNREGISTERED = {"registered": False, "house_id": None, "prior_catches": 0, "landlord_official": False,
                "two_letters_one_filing": False}


def house_facts(session: Session, area_id: int, instance_id: int | None = None) -> dict:
    """What the comparison step needs about the house at an address (for prefilling its form)."""
    house = house_at(session, area_id)
    if house is None:
        return dict(UNREGISTERED)
    return facts_of(house, house_prior_catches(session, area_id, instance_id))


def facts_of(house, prior_catches: int) -> dict:
    """The comparison's facts of a house: a RentalHouse, or a row with its id, owner flags and filing dates."""
    return {"registered": True, "house_id": house.id, "prior_catches": prior_catches,
            "landlord_official": house.owner_party_member or house.owner_public_official,
            "two_letters_one_filing": filing_complete(house)}


def flag_house(ctx: ActionContext, house: RentalHouse, actor_id: int | None = None) -> None:
    """Mark a house 涉传 and make sure a patrol runs for it (one patrol per house at a time)."""
    session, now = ctx.session, ctx.now
    if not house.flagged:
        house.flagged, house.flagged_at, house.updated_at = True, now, now
    # Only the patrol's status is needed: not its stored workflow.
    status = session.scalar(_PATROL_STATUS, {"b_id": house.patrol_instance_id}) if house.patrol_instance_id else None
    if status != InstanceStatus.RUNNING:
        house.patrol_instance_id = start_patrol(ctx, house.id, house.address, house.area_id, actor_id)


def start_patrol(ctx: ActionContext, house_id: int, address: str, area_id: int, actor_id: int | None) -> int:
    """Start the patrol of a flagged house inside the running action; its instance id."""
    return ctx.engine.start_within(ctx, PATROL_PROCESS, {
        "house_id": house_id, "address": address, "unflag_reason": "",
        # The diagram's timer cycle: repeat for ever at the configured interval until the flag is lifted.
        "patrol_cycle": f"R/{ctx.settings.patrol_interval}",
    }, area_id, f"涉传出租屋巡查 {address}", None, actor_id).instance.id


_PATROL_STATUS = sa.select(ProcessInstance.status).where(ProcessInstance.id == sa.bindparam("b_id"))


def mark_unflagged(ctx: ActionContext, house_id: int, reason: str, patrol: ProcessInstance | None) -> dict:
    """The flag is lifted (the patrol's 解除涉传标记 step): record it on the house."""
    session, now = ctx.session, ctx.now
    house = session.get(RentalHouse, house_id)
    if house is None:
        raise WorkflowError(f"出租屋 {house_id} 不存在。")
    house.flagged, house.unflagged_at, house.updated_at = False, now, now
    audit.record(session, now, "house_unflagged", None, patrol.id if patrol else None, house_id=house.id,
                 reason=reason)
    return {"house_id": house.id, "flagged": False, "at": now.isoformat(timespec="minutes")}


def open_reflux_case(ctx: ActionContext, house_id: int, patrol: ProcessInstance) -> dict:
    """Reflux (回流) found on patrol: count it and open a new six-step case for the house."""
    session, now = ctx.session, ctx.now
    house = session.get(RentalHouse, house_id)
    if house is None:
        raise WorkflowError(f"出租屋 {house_id} 不存在。")
    house.reflux_count += 1
    house.last_reflux_at, house.updated_at = now, now
    case = ctx.engine.start_within(ctx, CASE_PROCESS, {
        "source": "patrol", "house_id": house.id, "patrol_instance_id": patrol.id,
        "patrol_reference": patrol.reference,
    }, house.area_id, f"出租屋回流 {house.address}", patrol.id).instance
    audit.record(session, now, "reflux_recorded", None, patrol.id, house_id=house.id, case_id=case.id,
                 case_reference=case.reference, reflux_count=house.reflux_count)
    return {"instance_id": case.id, "reference": case.reference, "reflux_count": house.reflux_count}


def save_house(services, actor_id: int, address: str, **fields) -> int:
    """Create or update the house at a standard address; flagging starts its patrol. Returns its id."""
    with services.db.unit_of_work() as s:
        user = _viewer(s, actor_id)
        area = areas.area_by_address(s, address)
        if area is None:
            raise WorkflowError(f"地址“{address}”不在标准地址库中。")
        check_edit(user, area.path)
        house = upsert_house(services.workflow.context(s, actor_id), area, fields)
        return house.id


def upsert_house(ctx: ActionContext, area: Area, fields: dict) -> RentalHouse:
    """Create or update the house at `area` with `fields` inside the action `ctx`; flagging starts its patrol."""
    session, now = ctx.session, ctx.now
    house = house_at(session, area.id)
    if house is None:
        house = RentalHouse(area_id=area.id, area_path=area.path, address=area.full_name, tenants=[],
                            updated_at=now, catch_count=0, reflux_count=0, three_stops_state="none")
        session.add(house)
    flag = fields.pop("flagged", None)
    state = fields.get("three_stops_state")
    if state is not None and state not in THREE_STOPS_STATES:
        raise WorkflowError("三停一换状态应为：" + "、".join(THREE_STOPS_STATES.values()))
    for key, value in fields.items():
        if not hasattr(RentalHouse, key) or key in {"id", "area_id", "area_path", "patrol_instance_id"}:
            raise WorkflowError(f"未知字段 {key}")
        setattr(house, key, value)
    house.updated_at = now
    session.flush()
    if flag and not house.flagged:
        flag_house(ctx, house, ctx.actor_id)
    elif flag is False and house.flagged:
        raise WorkflowError("解除涉传标记须通过巡查流程中的“解除涉传标记”办理（unflag_house）。")
    return house


def set_three_stops(services, actor_id: int, house_id: int, state: str, on: date | None = None) -> None:
    """Record 三停一换 (water, power and gas cut, lock changed) put in place or lifted for a house."""
    if state not in THREE_STOPS_STATES:
        raise WorkflowError("三停一换状态应为：" + "、".join(THREE_STOPS_STATES.values()))
    with services.db.unit_of_work() as s:
        house = s.get(RentalHouse, house_id)
        if house is None:
            raise NotFound(f"出租屋 {house_id} 不存在。")
        check_edit(_viewer(s, actor_id), house.area_path)
        day = on or services.workflow.now().date()
        house.three_stops_state = state
        if state == "in_place":
            house.three_stops_on = day
        elif state == "lifted":
            house.three_stops_lifted_on = day
        house.updated_at = services.workflow.now()
        audit.record(s, services.workflow.now(), "three_stops", actor_id, None, house_id=house.id, state=state,
                     on=day.isoformat())


def unflag_house(services, actor_id: int, house_id: int, reason: str) -> None:
    """Lift a house's 涉传 flag: completes its patrol's 解除涉传标记 step, which ends the patrol."""
    if not (reason or "").strip():
        raise WorkflowError("解除涉传标记须填写理由。")
    with services.db.read() as s:
        house = s.get(RentalHouse, house_id)
        if house is None:
            raise NotFound(f"出租屋 {house_id} 不存在。")
        task_id = s.scalar(sa.select(HumanTask.id).where(
            HumanTask.instance_id == house.patrol_instance_id, HumanTask.task_name == "lift_flag",
            HumanTask.state == TaskState.READY)) if house.patrol_instance_id else None
    if task_id is not None:
        services.workflow.complete(task_id, {"unflag_reason": reason}, actor_id)
        return
    with services.db.unit_of_work() as s:
        house = s.get(RentalHouse, house_id)
        check_edit(_viewer(s, actor_id), house.area_path)
        mark_unflagged(services.workflow.context(s, actor_id), house_id, reason, None)


def list_houses(services, viewer_id: int, q: str = "", flagged: bool | None = None,
                limit: int = 200, offset: int = 0) -> list[RentalHouse]:
    """Houses inside the viewer's area, searchable by address, owner name, ID number or phone."""
    with services.db.read() as s:
        user = _viewer(s, viewer_id)
        query = sa.select(RentalHouse).where(RentalHouse.area_path.startswith(scope(user)))
        if q:
            like = f"%{q}%"
            query = query.where(sa.or_(RentalHouse.address.like(like), RentalHouse.owner_name.like(like),
                                       RentalHouse.owner_id_number == q, RentalHouse.owner_phone == q))
        if flagged is not None:
            query = query.where(RentalHouse.flagged.is_(flagged))
        return list(s.scalars(query.order_by(RentalHouse.address).limit(limit).offset(offset)))


def get_house(services, viewer_id: int, house_id: int) -> dict:
    """One house with its catches (cases) for the detail page; 404 outside the viewer's area."""
    with services.db.read() as s:
        user = _viewer(s, viewer_id)
        scope(user)  # a user without an area is told so, rather than shown "not found"
        house = s.get(RentalHouse, house_id)
        if house is None or not access.sees(user, house.area_path):
            raise NotFound(f"出租屋 {house_id} 不存在或不在您的辖区内。")
        catches = s.execute(sa.select(HouseCatch.caught_at, ProcessInstance.id, ProcessInstance.reference)
                            .join(ProcessInstance, ProcessInstance.id == HouseCatch.instance_id)
                            .where(HouseCatch.house_id == house.id).order_by(HouseCatch.caught_at, HouseCatch.id)).all()
        return {"house": house, "catches": [{"at": c[0], "instance_id": c[1], "reference": c[2]} for c in catches],
                "two_letters_one_filing": house.two_letters_one_filing}


# ---------------------------------------------------------------- intermediaries
def save_intermediary(services, actor_id: int, credit_code: str, name: str, address: str, **fields) -> int:
    """Create or update an intermediary by its unified social credit code."""
    from stdnum.cn import uscc
    if not uscc.is_valid(credit_code or ""):
        raise WorkflowError(f"统一社会信用代码“{credit_code}”校验不通过。")
    with services.db.unit_of_work() as s:
        user = _viewer(s, actor_id)
        area = areas.area_by_address(s, address)
        if area is None:
            raise WorkflowError(f"地址“{address}”不在标准地址库中。")
        check_edit(user, area.path)
        agency = s.scalar(sa.select(Intermediary).where(Intermediary.credit_code == uscc.compact(credit_code)))
        if agency is None:
            agency = Intermediary(credit_code=uscc.compact(credit_code), violation_count=0)
            s.add(agency)
        agency.name, agency.area_id, agency.area_path, agency.address = name, area.id, area.path, area.full_name
        for key, value in fields.items():
            if key not in {"contact_name", "contact_phone", "pledge_signed_on", "note"}:
                raise WorkflowError(f"未知字段 {key}")
            setattr(agency, key, value)
        agency.updated_at = services.workflow.now()
        s.flush()
        return agency.id


def record_violation(services, actor_id: int, intermediary_id: int, description: str,
                     instance_id: int | None = None) -> None:
    """An intermediary rented to MLM participants despite its refusal pledge."""
    with services.db.unit_of_work() as s:
        agency = s.get(Intermediary, intermediary_id)
        if agency is None:
            raise NotFound(f"中介机构 {intermediary_id} 不存在。")
        check_edit(_viewer(s, actor_id), agency.area_path)
        now = services.workflow.now()
        s.add(IntermediaryViolation(intermediary_id=agency.id, at=now, instance_id=instance_id,
                                    description=description, recorded_by_id=actor_id))
        agency.violation_count += 1
        agency.updated_at = now
        audit.record(s, now, "intermediary_violation", actor_id, instance_id, intermediary_id=agency.id,
                     description=description)


def list_intermediaries(services, viewer_id: int, q: str = "", limit: int = 200, offset: int = 0):
    """Intermediaries inside the viewer's area, searchable by name, credit code or address."""
    with services.db.read() as s:
        user = _viewer(s, viewer_id)
        query = sa.select(Intermediary).where(Intermediary.area_path.startswith(scope(user)))
        if q:
            like = f"%{q}%"
            query = query.where(sa.or_(Intermediary.name.like(like), Intermediary.credit_code == q.upper(),
                                       Intermediary.address.like(like)))
        return list(s.scalars(query.order_by(Intermediary.name).limit(limit).offset(offset)))


# ---------------------------------------------------------------- blacklist
def list_blacklist(services, viewer_id: int, q: str = "", limit: int = 200, offset: int = 0):
    """The blacklist is district-wide (people move between streets); any officer may search it."""
    with services.db.read() as s:
        user = _viewer(s, viewer_id)
        if not user.role_set:
            raise PermissionDenied("您无权查看黑名单。")
        query = sa.select(BlacklistEntry)
        if q:
            query = query.where(sa.or_(BlacklistEntry.id_number == q.upper(), BlacklistEntry.name.like(f"%{q}%"),
                                       BlacklistEntry.phones.like(f"%{q}%"), BlacklistEntry.bank_cards.like(f"%{q}%"),
                                       BlacklistEntry.group_numbers.like(f"%{q}%")))
        return list(s.scalars(query.order_by(BlacklistEntry.last_caught_at.desc()).limit(limit).offset(offset)))

"""What a six-step case writes to the ledgers, row by row: the caught house (registered, counted, flagged,
patrolled), its catches, the persons mirrored, the blacklist entries at closing and the audit trail of it all.

Three cases at one rental house: the first registers it, the second counts it again while its patrol runs
(and brings a new tenant and an official landlord), the third comes after the flag was lifted and starts a
new patrol. Persons repeat across cases and within one (two phones for one ID number), one has no ID number
and one was already on the blacklist. Every value of every row written is checked, on both databases.
"""
from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa

from engine_helpers import ROOM, CaseDriver, comparison
from workflows.audit.models import AuditEvent
from workflows.cases.models import CasePerson
from workflows.engine.models import ProcessInstance
from workflows.ledgers import registries
from workflows.ledgers.models import BlacklistEntry, HouseCatch, RentalHouse

ZHANG, LI, ZHAO = "11010519491231002X", "420106199001011234", "440305199203150019"
FIRST = [{"name": "张三", "id_number": ZHANG, "phone": "13912345678", "bank_card": "6222020200112233",
          "classification": "participant"},
         {"name": "李四", "id_number": LI, "phone": "13812345678", "classification": "core"},
         {"name": "张三", "id_number": ZHANG, "phone": "13700000001", "classification": ""},
         {"name": "无名氏", "id_number": "", "phone": "13600000000"}]
SECOND = [{"name": "张三丰", "id_number": ZHANG, "phone": "13912345678", "bank_card": "6222020200998877",
           "classification": "core"},
          {"name": "赵六", "id_number": ZHAO, "phone": "13500000000", "classification": "participant"}]


@pytest.fixture
def cases(services, lookup):
    return CaseDriver(services, lookup)


def _to_comparison(cases, persons):
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国"], "persons": persons})
    cases.do(case, "initial_check", {"mlm_found": True})
    cases.do(case, "evidence", {"evidence_summary": "账本"})
    return case


def _finish(cases, case):
    for name in sorted(cases.ready(case)):
        cases.do(case, name, {"result": "已处置"})
    cases.do(case, "close_case", {"summary": "结案"})


def _run(services, lookup, cases, clock):
    """The three cases; returns their ids and the minute each action happened (minutes after the start)."""
    t0 = clock.now()
    with services.db.unit_of_work() as s:  # on the blacklist before: one known phone
        s.add(BlacklistEntry(id_number=LI, name="李四", registration_place="湖北省武汉市武昌区", phones="13800000000",
                             bank_cards="", group_numbers="", catch_count=1, last_role="participant",
                             first_caught_at=t0 - timedelta(days=30), last_caught_at=t0 - timedelta(days=30)))
    first = _to_comparison(cases, FIRST)
    clock.advance(minutes=5)
    cases.do(first, "comparison", comparison(has_participants=True, house_is_rental=True, landlord_name="房东王五",
                                             persons=FIRST))
    clock.advance(minutes=5)
    _finish(cases, first)
    with services.db.read() as s:
        after_first = {e.id_number: (e.name, e.catch_count, e.last_role, e.phones, e.bank_cards)
                       for e in s.scalars(sa.select(BlacklistEntry))}
    clock.advance(days=1)
    second = _to_comparison(cases, SECOND)
    clock.advance(minutes=5)
    cases.do(second, "comparison", comparison(has_participants=True, house_is_rental=True, landlord_official=True,
                                              landlord_name="另一个名字", house_prior_catches=1, persons=SECOND))
    clock.advance(minutes=5)
    _finish(cases, second)
    clock.advance(days=1)
    with services.db.read() as s:
        house_id = s.scalar(sa.select(RentalHouse.id).where(RentalHouse.area_id == lookup.area(ROOM)))
    registries.unflag_house(services, lookup.user("wjs_housing"), house_id, "已整改")
    clock.advance(days=1)
    third = _to_comparison(cases, FIRST[:2])
    clock.advance(minutes=5)
    cases.do(third, "comparison", comparison(house_is_rental=True, house_prior_catches=2, persons=FIRST[:2]))
    return t0, house_id, (first, second, third), after_first


def _naive_utc(at):
    return at.astimezone(timezone.utc).replace(tzinfo=None) if at.tzinfo else at


def _minutes(t0, at):
    return None if at is None else round((_naive_utc(at) - _naive_utc(t0)).total_seconds() / 60)


def test_the_rows_three_cases_write_at_one_house(services, lookup, cases, clock):
    t0, house_id, (first, second, third), after_first = _run(services, lookup, cases, clock)
    day = 24 * 60
    with services.db.read() as s:
        patrols = s.execute(sa.select(ProcessInstance.id, ProcessInstance.status, ProcessInstance.area_id,
                                      ProcessInstance.title).where(ProcessInstance.process_id == "rental_patrol")
                            .order_by(ProcessInstance.id)).all()
        label = {first: "case1", second: "case2", third: "case3", None: None}
        label.update({p.id: f"patrol{i}" for i, p in enumerate(patrols, 1)})
        house = s.get(RentalHouse, house_id)
        catches = [(c.house_id, label[c.instance_id], _minutes(t0, c.caught_at))
                   for c in s.scalars(sa.select(HouseCatch).order_by(HouseCatch.id))]
        entries = {e.id_number: e for e in s.scalars(sa.select(BlacklistEntry))}
        persons = [(label[p.instance_id], p.name, p.id_number, p.phone, p.bank_card, p.classification)
                   for p in s.scalars(sa.select(CasePerson).order_by(CasePerson.instance_id, CasePerson.id))]
        events = [(e.kind, label.get(e.instance_id, "other"), e.details) for e in s.scalars(
            sa.select(AuditEvent).where(AuditEvent.kind.in_(
                ["house_registered", "house_caught", "house_unflagged", "blacklisted"])
                | ((AuditEvent.kind == "started") & AuditEvent.instance_id.in_([p.id for p in patrols])))
            .order_by(AuditEvent.id))]
        room = lookup.area(ROOM)
        address = s.scalar(sa.select(ProcessInstance.area_path).where(ProcessInstance.id == first))

    # Two patrols: the first ended when the flag was lifted, the third case started the second.
    assert [(label[p.id], p.status, p.area_id) for p in patrols] == [
        ("patrol1", "completed", room), ("patrol2", "running", room)]
    assert all(p.title == f"涉传出租屋巡查 {house.address}" for p in patrols)

    assert house.area_id == room and house.area_path == address and house.address.endswith(ROOM)
    assert (house.owner_name, house.owner_id_number, house.owner_phone) == ("房东王五", "", "")
    assert (house.owner_party_member, house.owner_public_official) == (False, True)
    assert house.tenants == [
        {"name": "张三", "id_number": ZHANG, "phone": "13912345678"},
        {"name": "李四", "id_number": LI, "phone": "13812345678"},
        {"name": "张三", "id_number": ZHANG, "phone": "13700000001"},
        {"name": "无名氏", "id_number": "", "phone": "13600000000"},
        {"name": "赵六", "id_number": ZHAO, "phone": "13500000000"}]
    assert (house.commitment_signed_on, house.security_pledge_signed_on, house.filed_on,
            house.filing_number) == (None, None, None, "")
    assert house.flagged is True
    assert [_minutes(t0, x) for x in (house.flagged_at, house.unflagged_at, house.last_caught_at,
                                      house.updated_at)] == [3 * day + 20, 2 * day + 20, 3 * day + 20, 3 * day + 25]
    assert (house.catch_count, house.reflux_count, house.last_reflux_at) == (3, 0, None)
    assert (house.three_stops_state, house.three_stops_on, house.three_stops_lifted_on) == ("none", None, None)
    assert label[house.patrol_instance_id] == "patrol2"
    with services.db.read() as s:
        ref1 = s.scalar(sa.select(ProcessInstance.reference).where(ProcessInstance.id == first))
    assert house.note == f"由案件 {ref1} 查获时登记"

    # Each case counted once, when its evidence step or (first, unregistered then) its comparison caught it.
    assert catches == [(house_id, "case1", 5), (house_id, "case2", day + 10), (house_id, "case3", 3 * day + 20)]

    assert persons == [
        ("case1", "张三", ZHANG, "13912345678", "6222020200112233", "participant"),
        ("case1", "李四", LI, "13812345678", "", "core"),
        ("case1", "张三", ZHANG, "13700000001", "", ""),
        ("case1", "无名氏", "", "13600000000", "", ""),
        ("case2", "张三丰", ZHANG, "13912345678", "6222020200998877", "core"),
        ("case2", "赵六", ZHAO, "13500000000", "", "participant"),
        ("case3", "张三", ZHANG, "13912345678", "6222020200112233", "participant"),
        ("case3", "李四", LI, "13812345678", "", "core")]

    def entry(number):
        e = entries[number]
        return (e.name, e.registration_place, e.phones, e.bank_cards, e.group_numbers, e.catch_count, e.last_role,
                _minutes(t0, e.first_caught_at), _minutes(t0, e.last_caught_at), label[e.last_instance_id])
    # Closing the first case: 张三, listed twice, counted twice, with both phones; the role the second listing
    # left empty does not replace the first's.
    assert after_first == {ZHANG: ("张三", 2, "participant", "13912345678,13700000001", "6222020200112233"),
                           LI: ("李四", 2, "core", "13800000000,13812345678", "")}
    assert set(entries) == {ZHANG, LI, ZHAO}
    # 张三 was listed twice in the first case: counted twice, both phones kept; the empty role kept the last one.
    assert entry(ZHANG) == ("张三丰", "北京市朝阳区", "13912345678,13700000001",
                            "6222020200112233,6222020200998877", "", 3, "core", 10, day + 20, "case2")
    assert entry(LI) == ("李四", "湖北省武汉市武昌区", "13800000000,13812345678", "", "", 2, "core",
                         -30 * day, 10, "case1")
    assert entry(ZHAO) == ("赵六", "广东省深圳市南山区", "13500000000", "", "", 1, "participant",
                           day + 20, day + 20, "case2")

    patrol1 = next(p.id for p in patrols if label[p.id] == "patrol1")
    patrol2 = next(p.id for p in patrols if label[p.id] == "patrol2")
    assert [(kind, where) for kind, where, _ in events] == [
        ("house_registered", "case1"), ("house_caught", "case1"), ("started", "patrol1"),
        ("blacklisted", "case1"),
        ("house_caught", "case2"), ("blacklisted", "case2"),
        ("house_unflagged", "patrol1"),
        ("house_caught", "case3"), ("started", "patrol2")]
    details = [d for _, _, d in events]
    assert details[0] == {"house_id": house_id, "address": house.address, "owner_name": "房东王五", "tenants": 4}
    assert details[1] == {"house_id": house_id, "catch_count": 1}
    assert details[4] == {"house_id": house_id, "catch_count": 2}
    assert details[7] == {"house_id": house_id, "catch_count": 3}
    assert (details[3], details[5]) == ({"persons": 3}, {"persons": 2})
    assert details[6] == {"house_id": house_id, "reason": "已整改"}
    for started, patrol in ((details[2], patrol1), (details[8], patrol2)):
        assert started["process_id"] == "rental_patrol" and started["title"] == f"涉传出租屋巡查 {house.address}"
        assert started["data"] == {"house_id": house_id, "address": house.address, "unflag_reason": "",
                                   "patrol_cycle": started["data"]["patrol_cycle"]}
        assert started["data"]["patrol_cycle"].startswith("R/P")


def test_the_comparison_facts_the_catch_hands_the_diagram(services, lookup, cases, clock):
    """What record_house_catch returns to the comparison step, before and after the house is registered."""
    _t0, house_id, (first, second, third), _after = _run(services, lookup, cases, clock)
    facts = [services.workflow.instance_view(c).last_data["house"] for c in (first, second, third)]
    assert facts[0] == registries.UNREGISTERED
    assert facts[1] == {"registered": True, "house_id": house_id, "prior_catches": 1, "landlord_official": False,
                        "two_letters_one_filing": False}
    assert facts[2] == {"registered": True, "house_id": house_id, "prior_catches": 2, "landlord_official": True,
                        "two_letters_one_filing": False}
    with services.db.read() as s:
        assert registries.house_facts(s, lookup.area(ROOM), third) == facts[2]


def test_the_automatic_comparison_of_each_case(services, lookup, cases, clock):
    """Blacklist hits, earlier cases, registration place and the non-local flag the evidence step computes."""
    _t0, _house, (_first, second, third), _after = _run(services, lookup, cases, clock)

    def person(name, number, place, non_local, catch_count, earlier):
        return {"name": name, "id_number": number, "registration_place": place, "non_local": non_local,
                "blacklisted": catch_count > 0, "catch_count": catch_count, "earlier_cases": earlier,
                "reflux": catch_count > 0 or earlier > 0}
    assert services.workflow.instance_view(second).last_data["comparison"] == {"persons": [
        person("张三丰", ZHANG, "北京市朝阳区", True, 2, 1),
        person("赵六", ZHAO, "广东省深圳市南山区", True, 0, 0)], "reflux_count": 1}
    assert services.workflow.instance_view(third).last_data["comparison"] == {"persons": [
        person("张三", ZHANG, "北京市朝阳区", True, 3, 2),
        person("李四", LI, "湖北省武汉市武昌区", False, 2, 1)], "reflux_count": 2}


def test_a_house_the_action_already_holds_sees_the_catch(services, lookup, cases, clock):
    """The catch writes the house with plain statements; a copy the action's session loaded before stays true."""
    from workflows.ledgers import catches

    from datetime import date

    signed = date(2026, 1, 5)
    house_id = registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="房东甲",
                                     owner_party_member=True, commitment_signed_on=signed,
                                     security_pledge_signed_on=signed, filed_on=signed)
    case = cases.start()
    clock.advance(minutes=1)
    with services.db.unit_of_work() as s:
        held = s.get(RentalHouse, house_id)
        assert (held.catch_count, held.flagged, held.patrol_instance_id) == (0, False, None)
        ctx = services.workflow.context(s).for_instance(s.get(ProcessInstance, case))
        facts = catches.record_catch(ctx, ctx.instance)
        assert facts == {"registered": True, "house_id": house_id, "prior_catches": 0, "landlord_official": True,
                         "two_letters_one_filing": True}
        assert registries.house_facts(s, lookup.area(ROOM), case) == facts
        assert (held.catch_count, held.flagged, held.flagged_at, held.last_caught_at) == (1, True, ctx.now, ctx.now)
        patrol = held.patrol_instance_id
        assert s.get(ProcessInstance, patrol).process_id == "rental_patrol"
        assert catches.record_catch(ctx, ctx.instance) == facts  # counted once, the patrol already runs
        assert (held.catch_count, held.patrol_instance_id) == (1, patrol)
    with services.db.read() as s:
        stored = s.get(RentalHouse, house_id)
        assert (stored.catch_count, stored.flagged, stored.patrol_instance_id) == (1, True, patrol)


def test_two_cases_catching_one_house_at_once_count_twice_and_start_one_patrol(services, lookup, cases, db_url):
    """The second catch waits for the first one's lock on the house, then sees the patrol it started."""
    from engine_helpers import release_together
    from workflows import runtime

    house_id = registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="房东甲")
    both = []
    for _ in range(2):
        case = cases.start()
        cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
        cases.do(case, "entry", {"door_opened": True, "officers": ["王建国"], "persons": FIRST[:1]})
        cases.do(case, "initial_check", {"mlm_found": True})
        both.append(cases.ready(case)["evidence"])
    # Each officer is served by a process of its own in production: each gets its own engine.
    officers = [runtime.build(db_url, clock=services.workflow.clock) for _ in range(2)]
    user = lookup.user("wjs_market1")
    release_together(lambda i: officers[i].workflow.complete(both[i], {"evidence_summary": "账本"}, user), 2)
    for officer in officers:
        officer.db.dispose()
    with services.db.read() as s:
        house = s.get(RentalHouse, house_id)
        patrols = s.scalars(sa.select(ProcessInstance.id).where(ProcessInstance.process_id == "rental_patrol")).all()
        catches = s.scalar(sa.select(sa.func.count()).select_from(HouseCatch).where(HouseCatch.house_id == house_id))
    assert (house.catch_count, catches, house.flagged) == (2, 2, True)
    assert patrols == [house.patrol_instance_id]

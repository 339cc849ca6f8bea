"""Group 5 基础管控 (30 points): rental houses, grid patrols, intermediaries and the blacklist.

The printed table shifts the 计分办法 column one row down from "发现党员干部…" on: the repeat-house penalty line
is printed beside the party-member row, the reflux line beside the intermediaries, the intermediaries' two lines
beside the blacklist, and the blacklist's own line one row further. The rules below are read by meaning (the
setting party_member_row records that choice and is shown on the score sheet); the party-member row itself has
no printed deduction and is entered by hand."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from workflows.assessment import figures
from workflows.assessment.rules import common, records
from workflows.assessment.rules.base import Finding, Findings, Outcome, Scope, computed, manual
from workflows.audit.models import AuditEvent
from workflows.ledgers.models import Intermediary, IntermediaryViolation, RentalHouse
from workflows.notices.models import Notice
from workflows.penalties.models import PenaltyCase
from workflows.vocabulary import NoticeStatus

GROUP = "基础管控"
RENTALS, PATROLS, AGENTS, BLACKLIST = "出租屋和流动人口管理", "网格员巡查", "中介管理", "“黑名单”库建设"
ZERO, HALF = Decimal(0), Decimal("0.5")
ORDERS = ("rectify_order", "lease_terminated")  # the six-step case's 责令改正 / 责令停止 measures
ORDER_NOTICES = ("rectification_order", "lease_termination")


def _houses_note(scope: Scope, key: str, population: int, picked: int) -> str:
    return common.sample_note(scope, key, population, picked, "户涉传出租屋")


def _sample_houses(scope: Scope, key: str) -> tuple[list[RentalHouse], int]:
    houses = records.caught_houses(scope)
    return scope.lot.sample(key, houses, 10), len(houses)


def two_letters(scope: Scope) -> Outcome:
    sampled, population = _sample_houses(scope, "5.1.1")
    if not population:
        return Outcome(ZERO, 0, note="考评期间无涉传出租屋，无可抽查记录。")
    found = []
    for house in sampled:
        missing = [label for label, value in (("《房屋出租承诺书》", house.commitment_signed_on),
                                              ("《治安责任书》", house.security_pledge_signed_on),
                                              ("租赁合同备案", house.filed_on)) if value is None]
        if missing:
            found.append(Finding("house", house.id, f"{house.address} 缺" + "、".join(missing),
                                 HALF * len(missing), common.house_url(house.id)))
    return Outcome(sum((f.deduction for f in found), ZERO), len(sampled), tuple(found),
                   note=_houses_note(scope, "5.1.1", population, len(sampled)))


def _orders_given(scope: Scope, instance_ids: list[int]) -> set[int]:
    """The cases whose house was ordered to rectify: by the case's 出租屋处置 step or by an issued notice."""
    given = {i for i, steps in common.submitted(scope.session, instance_ids, ("rectify_house",)).items()
             if any(set(d.get("house_measures") or []) & set(ORDERS) for d in steps)}
    for chunk in records.chunks(instance_ids):
        given |= set(scope.session.scalars(sa.select(Notice.instance_id).where(
            Notice.instance_id.in_(chunk), Notice.notice_type.in_(ORDER_NOTICES),
            Notice.status == NoticeStatus.ISSUED)))
    return given


def first_time_houses(scope: Scope) -> Outcome:
    first_day, after = figures.bounds(scope.start, scope.end)
    firsts = [(h, c) for h, c in records.house_rows(scope) if c and first_day <= c[0].caught_at < after]
    ordered = _orders_given(scope, [c[0].instance_id for _h, c in firsts])
    found = []
    for house, catches in firsts:
        missing = []
        if catches[0].instance_id not in ordered:
            missing.append("责令改正通知")
        if house.three_stops_on is None:
            missing.append("“三停一换”措施")
        if missing:
            found.append(Finding("house", house.id, f"{house.address} 首次涉传，未落实" + "、".join(missing),
                                 Decimal(1), common.house_url(house.id)))
    return Outcome(Decimal(len(found)), len(firsts), tuple(found))


def repeat_houses(scope: Scope) -> Outcome:
    rows = records.repeat_house_rows(scope)
    found = [Finding("house", house.id, f"{house.address} 涉传 {len(catches)} 次，出租人未受行政处罚", Decimal(1),
                     common.house_url(house.id))
             for house, catches in rows if not records.landlord_penalised(scope, house, catches)]
    return Outcome(Decimal(len(found)), len(rows), tuple(found),
                   note=f"两次以上：涉传 {scope.settings.repeat_threshold} 次及以上（见设置 repeat_threshold）")


def grid_entry(scope: Scope) -> Outcome:
    sampled, population = _sample_houses(scope, "5.2.1a")
    if not population:
        return Outcome(ZERO, 0, note="考评期间无涉传出租屋，无可抽查记录。")
    found = []
    for house in sampled:
        missing = [label for label, ok in (
            ("录入（房东及租住人员信息）", bool(house.owner_name and house.owner_id_number and house.tenants)),
            ("标注涉传", house.flagged_at is not None),
            ("上报巡查", house.patrol_instance_id is not None)) if not ok]
        if missing:
            found.append(Finding("house", house.id, f"{house.address} 未" + "、".join(missing),
                                 HALF * len(missing), common.house_url(house.id)))
    return Outcome(sum((f.deduction for f in found), ZERO), len(sampled), tuple(found),
                   note=_houses_note(scope, "5.2.1a", population, len(sampled)))


def reflux_houses(scope: Scope) -> Outcome:
    """Houses a patrol found shut with no 三停一换 in place, or with people back: reflux (回流), one point each."""
    first, after = figures.bounds(scope.start, scope.end)
    events = scope.session.execute(sa.select(AuditEvent.details).where(
        AuditEvent.kind == "reflux_recorded", AuditEvent.at >= first, AuditEvent.at < after)
        .order_by(AuditEvent.id)).scalars().all()
    ids = sorted({int(d["house_id"]) for d in events if d and d.get("house_id")})
    houses = [h for chunk in records.chunks(ids) for h in scope.session.scalars(
        sa.select(RentalHouse).where(RentalHouse.id.in_(chunk), records.in_area(scope, RentalHouse.area_path))
        .order_by(RentalHouse.id))]
    found = [Finding("house", h.id, f"{h.address} 巡查发现回流（累计 {h.reflux_count} 次）", Decimal(1),
                     common.house_url(h.id)) for h in houses]
    return Outcome(Decimal(len(found)), len(houses), tuple(found))


def _intermediaries(scope: Scope) -> list[Intermediary]:
    return list(scope.session.scalars(sa.select(Intermediary).where(
        records.in_area(scope, Intermediary.area_path)).order_by(Intermediary.id)))


def pledges(scope: Scope) -> Outcome:
    agencies = _intermediaries(scope)
    if not agencies:
        return Outcome(ZERO, 0, note="辖区内无登记的房地产中介服务机构，无可抽查记录。")
    sampled = scope.lot.sample("5.3.1a", agencies, 2)
    found = [Finding("intermediary", a.id, f"{a.name} 未签订《拒绝为传销人员提供房源承诺书》", Decimal(2),
                     common.intermediary_url(a.id))
             for a in sampled if a.pledge_signed_on is None or a.pledge_signed_on > scope.end]
    return Outcome(Decimal(2) * len(found), len(sampled), tuple(found),
                   note=common.sample_note(scope, "5.3.1a", len(agencies), len(sampled), "家中介机构"))


def black_intermediaries(scope: Scope) -> Outcome:
    first, after = figures.bounds(scope.start, scope.end)
    agencies = list(scope.session.scalars(sa.select(Intermediary).where(
        records.in_area(scope, Intermediary.area_path), Intermediary.id.in_(
            sa.select(IntermediaryViolation.intermediary_id).where(IntermediaryViolation.at >= first,
                                                                  IntermediaryViolation.at < after)))
        .order_by(Intermediary.id)))
    outcomes = figures.penalty_outcomes(scope.settings.warning_counts_as_penalty)
    punished = set(scope.session.scalars(sa.select(PenaltyCase.party_id_number).where(
        PenaltyCase.party_id_number.in_([a.credit_code for a in agencies]), PenaltyCase.outcome.in_(outcomes)))
    ) if agencies else set()
    found = [Finding("intermediary", a.id, f"{a.name} 为传销提供房源，未责令改正并处罚", Decimal(2),
                     common.intermediary_url(a.id)) for a in agencies if a.credit_code not in punished]
    return Outcome(Decimal(2) * len(found), len(agencies), tuple(found))


def blacklist_entry(scope: Scope) -> Outcome:
    persons = records.persons(scope)
    days = records.case_days(scope, persons)
    window = common.sample_window(scope, list(days.values()))
    if window is None:
        return Outcome(ZERO, 0, note="考评期间未查获涉传人员，无可抽查记录。")
    population = [p for p in persons if window[0] <= days[p.instance_id] <= window[1]]
    sampled = scope.lot.sample("5.4.1a", population, 10)
    entries = records.blacklist(scope)
    found = [Finding("person", p.id, f"{p.name}（{p.id_number or '无身份证号'}）未录入“黑名单”库", HALF,
                     common.case_url(p.instance_id)) for p in sampled if p.id_number not in entries]
    return Outcome(HALF * len(found), len(sampled), tuple(found),
                   note=common.sample_note(scope, "5.4.1a", len(population), len(sampled), "名涉传人员",
                                           common.window_label(window)))


def _values(text: str) -> frozenset[str]:
    return frozenset(v.strip() for v in (text or "").replace("，", ",").split(","))


def phones_and_cards(scope: Scope) -> Outcome:
    persons = records.persons(scope)
    entries = records.blacklist(scope)
    # Each entry's lists split once (a street's year has thousands of persons against them).
    listed = {number: (_values(e.phones), _values(e.bank_cards)) for number, e in entries.items()}
    nothing = (frozenset(), frozenset())
    found = []
    for p in persons:
        phones, cards = listed.get(p.id_number, nothing)
        phone_missing = bool(p.phone) and p.phone not in phones
        card_missing = bool(p.bank_card) and p.bank_card not in cards
        if phone_missing or card_missing:
            found.append((p, phone_missing, card_missing))
    if not found:
        return Outcome(ZERO, len(persons))
    head = Finding("phones_cards", None, f"{len(found)} 名涉传人员的手机号、银行卡未登记上报", Decimal(1))
    # Each person costs nothing on their own (the row's one point does): labelled only when read.
    return Outcome(Decimal(1), len(persons), Findings((head,), lambda: [
        Finding("person", p.id, f"{p.name}（{p.id_number or '无身份证号'}）使用的"
                + "、".join(label for label, gone in (("手机号", phone), ("银行卡", card)) if gone) + "未登记上报",
                ZERO, common.case_url(p.instance_id)) for p, phone, card in found]))


_RENTAL_WARNING = "对清查出的涉传出租屋，第一次予以警告，采取“三停一换”等措施，两次以上的予以行政处罚。"
_PATROL_TEXT = ("建立网格化管理机制，对清查出的涉传出租屋进行重点巡查，发现人员回流及“三停一换”措施被破坏的及时处置；"
                "将出租屋和流动人口信息，分类录入社会管理与服务信息系统，标注和上报涉传信息，录入、标注及上报率达 100%。")
_AGENT_TEXT = "涉传区域中介机构签订并在醒目位置悬挂《拒绝为传销人员提供房源承诺书》；对房地产中介服务机构为传销提供便利的一律从严查处。"
_BLACKLIST_TEXT = ("建立涉传人员“黑名单”信息库，对查获涉传人员一律登记备案，录入刑事案件一体化办案平台，录入率 100%；"
                   "对涉传人员使用的手机集团号、银行卡逐一登记、上报。")

RULES = (
    computed("5.1.1", GROUP, RENTALS, "10",
             "落实出租屋和流动人口登记备案制度，《房屋出租承诺书》和《治安责任书》签订率 100%，涉传重点区域房屋租赁合同备案率 100%。",
             "抽查 10 户涉传出租屋，看出租合同备案和“两书”签订，缺一项扣 0.5 分", "查阅台账 入户抽查", two_letters,
             sample=10),
    computed("5.1.2a", GROUP, RENTALS, "10", _RENTAL_WARNING,
             "涉传出租屋，属第一次发现的，看是否下达责令改正通知（解除租赁合同通知书）及“三停一换”措施，1 户未落实扣 1 分",
             "查阅台账 入户抽查", first_time_houses),
    # Printed one row lower, beside the party-member row: by meaning it scores "两次以上的予以行政处罚".
    computed("5.1.2b", GROUP, RENTALS, "10", _RENTAL_WARNING,
             "涉传出租屋，已发现两次以上的，查看是行政处罚记录，未给予行政处罚的一户扣 1 分", "查阅台账 入户抽查",
             repeat_houses),
    manual("5.1.3", GROUP, RENTALS, "10", "发现党员干部、公职人员明知而向涉传人员提供出租屋的，交由纪检监察部门追究责任。",
           "（原表此行未列扣分办法，所印扣分办法属上一行）由考评人员按实际情况录入", "查阅台账 入户抽查"),
    computed("5.2.1a", GROUP, PATROLS, "10", _PATROL_TEXT,
             "抽查 10 户涉传出租屋，通过网格化信息系统查看是否录入、标注、上报，缺一项每户扣 0.5 分", "查阅台账 入户抽查",
             grid_entry, sample=10),
    # Printed beside the intermediaries: by meaning the patrol's reflux finding.
    computed("5.2.1b", GROUP, PATROLS, "10", _PATROL_TEXT,
             "出租屋不开门，而且未采取“三停一换”措施的一律视为回流，每户扣 1 分", "查阅台账 入户抽查", reflux_houses),
    computed("5.3.1a", GROUP, AGENTS, "5", _AGENT_TEXT,
             "抽查 1-2 户房地产中介服务机构，未签定、悬挂《拒绝为传销人员提供房源承诺书》的 1 户扣 2 分",
             "查阅台账 入户抽查", pledges, sample=2),
    computed("5.3.1b", GROUP, AGENTS, "5", _AGENT_TEXT, "发现涉传“黑中介”，未下达责令改正并处罚的 1 户扣 2 分",
             "查阅台账 入户抽查", black_intermediaries),
    computed("5.4.1a", GROUP, BLACKLIST, "5", _BLACKLIST_TEXT,
             "抽查当月清查出的 10 个涉传人员，未录入平台的，发现 1 人扣 0.5 分", "查阅台账", blacklist_entry, sample=10),
    computed("5.4.1b", GROUP, BLACKLIST, "5", _BLACKLIST_TEXT,
             "发现涉传人员使用手机集团号、银行卡未登记上报的，扣 1 分", "查阅台账", phones_and_cards, cap="1"),
)

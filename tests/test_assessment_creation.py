"""Group 6 创建工作 computed from the cases, clues and 创无 records, each deduction worked out by hand: new affected
compounds and platforms, creation activity, and the coverage of communities and platforms."""
from datetime import date
from decimal import Decimal

import pytest

from assessment_helpers import caught_case, outcome
from engine_helpers import PERSONS, CaseDriver
from pf_helpers import Creation, name_platform
from workflows.online_clues import service as clues



@pytest.fixture
def cases(services, lookup):
    return CaseDriver(services, lookup)


def test_a_compound_where_mlm_is_found_for_the_first_time_is_new(services, lookup, cases, clock):
    caught_case(cases, PERSONS, close=False)
    new, _lot = outcome(services, "6.1.1a")
    assert new.deduction == Decimal(1) and [f.label for f in new.findings] == ["吴家山街第一社区花园小区 新增涉传小区"]
    clock.advance(days=20)                                           # December: caught there again
    caught_case(cases, PERSONS, close=False, title="再次查获")
    assert outcome(services, "6.1.1a", start=date(2026, 12, 1), end=date(2026, 12, 31))[0].deduction == 0


def test_a_platform_first_reported_in_the_period_is_new(services, lookup):
    from stdnum.cn import uscc
    code = "91420100MA4K12345" + uscc.calc_check_digit("91420100MA4K12345")
    clues.record(services, lookup.user("wjs_market1"), {
        "source": "monitoring", "received_on": "2026-01-05", "scheme_name": "百富优选", "platform_name": "某某短视频平台",
        "platform_credit_code": code, "summary": "直播间宣传拉人头返利"})
    new, _lot = outcome(services, "6.1.1b")
    assert new.deduction == Decimal(1) and new.findings[0].label.startswith("某某短视频平台 新增涉传网络平台")
    assert outcome(services, "6.1.1b", new_platform_deduction=Decimal("0.5"))[0].deduction == Decimal("0.5")
    # Reported before February: not new in a period from February on.
    assert outcome(services, "6.1.1b", start=date(2026, 2, 1))[0].deduction == 0


def test_creation_activity_and_community_coverage(services, lookup):
    none, _lot = outcome(services, "6.1.1c")
    assert none.deduction == Decimal(3)
    cover, _lot = outcome(services, "6.1.1d")
    # Two communities, none named: 0%, 95 points short of 95%: 95 x 0.5 = 47.5 (the row and level caps apply).
    assert cover.deduction == Decimal("47.5") and cover.count == 2
    Creation(services, lookup).named()
    assert outcome(services, "6.1.1c")[0].deduction == 0
    cover, _lot = outcome(services, "6.1.1d")
    # One of two: 50%, 45 short: 22.5.
    assert cover.deduction == Decimal("22.5") and cover.findings[0].label == \
        "2026年“无传销社区（村）”创建率 50%（1/2），应 ≥95%，低 45 个百分点"


def test_platform_coverage_has_no_data_without_platforms(services, lookup):
    empty, _lot = outcome(services, "6.1.1e")
    assert empty.no_data and empty.deduction == 0 and empty.note.startswith("无数据")
    name_platform(services, lookup, _code())
    named, _lot = outcome(services, "6.1.1e", "东西湖区")
    assert named.deduction == 0 and named.count == 1 and not named.no_data


def _code() -> str:
    from stdnum.cn import uscc
    return "91420100MA4K99999" + uscc.calc_check_digit("91420100MA4K99999")

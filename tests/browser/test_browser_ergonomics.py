"""On a tablet (768 px): an officer's day after the ergonomics work — dates that fill themselves in, a caught
house that enters the ledger, a notice issued from its step and back, confirmations before what cannot be
undone, time-limit lights, and a reassignment the new holder sees with its reason and a fresh deadline."""
from __future__ import annotations

import re

import pytest
from test_browser_case import Officer

from engine_helpers import PERSONS, ROOM, CaseDriver, Lookup
from webapp.timefmt import local_now

TABLET = 768

# The people found, with ID numbers whose check digits are right: each participant gets a penalty procedure,
# which refuses a party whose ID number fails its checksum.
FOUND = [PERSONS[0], {**PERSONS[1], "id_number": "420106199001011231"}]


class TabletOfficer(Officer):
    counter = 0

    def __init__(self, browser, base, shots, username):
        super().__init__(browser, base, shots, username, width=TABLET)

    def shot(self, name: str) -> None:
        TabletOfficer.counter += 1
        self.page.screenshot(path=str(self.shots / f"tablet-{TabletOfficer.counter:02d}-{self.username}-{name}.png"),
                             full_page=True)

    def fits(self) -> None:
        """Nothing wider than the tablet: no sideways scrolling."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= TABLET, f"page is {width}px wide at {TABLET}px"


def check(page, name, value):
    page.check(f"input[name={name}][value={value}]")


@pytest.mark.browser
def test_a_day_on_the_tablet(live, browser, shots_dir):
    base, services, clock = live
    cases = CaseDriver(services, Lookup(services))
    case = cases.start("花园小区1栋1单元101室")
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": FOUND})
    reference = cases.instance(case).reference
    today = local_now(services.workflow.now()).date().isoformat()

    # Item 6: the initial check opens with today's date; item 7: the step's light is off while time is ample.
    market = TabletOfficer(browser, base, shots_dir, "wjs_market1")
    market.open_task(reference, "初查")
    page = market.page
    assert page.input_value("#checked_on") == today
    market.fits()
    check(page, "mlm_found", "yes")
    check(page, "mlm_indicators", "entry_fee")
    page.fill("#findings", "要求缴纳入门费，每日授课")
    market.submit("已完成“初查”")
    market.open_task(reference, "证据收集")
    assert page.input_value("#collected_on") == today
    page.fill("#evidence_summary", "笔记本 3 本")
    market.submit("已完成“证据收集”")

    # Item 1: the comparison confirms a rental house with its landlord; the house enters the ledger, flagged.
    market.open_task(reference, "信息比对确认")
    page.select_option("#persons-0-classification", "participant")
    page.select_option("#persons-1-classification", "participant")
    check(page, "house_is_rental", "yes")
    page.fill("#landlord_name", "房东刘大成")
    check(page, "landlord_official", "no")
    market.submit("已完成“信息比对确认”")
    market.go("/registries/houses?q=" + "花园小区1栋1单元101室", "ledger")
    row = page.locator("tr", has_text="花园小区1栋1单元101室")
    assert row.count() == 1 and "房东刘大成" in row.inner_text() and "涉传" in row.inner_text()
    market.fits()
    market.close()

    # Item 4 and 5: the housing officer issues a notice from the step, confirms, and comes back to the step.
    housing = TabletOfficer(browser, base, shots_dir, "wjs_housing")
    housing.open_task(reference, "责令改正")
    page = housing.page
    assert page.input_value("#handled_on") == today
    page.locator("p", has_text="本环节可签发").locator("a:has-text('责令停止违法行为通知书')").click()
    page.wait_for_load_state()
    assert page.input_value("#f-landlord_name") == "房东刘大成"
    assert page.input_value("#f-house_address") == "武汉市东西湖区" + ROOM
    assert "张三" in page.input_value("#f-tenant_name")
    page.fill("#f-facts", "经查，该房屋被用于传销人员聚集、居住和培训。")
    page.fill("#f-deadline", "2026-12-08")
    housing.shot("notice-form")
    page.click("button[name=action][value=issue]")
    page.wait_for_load_state()
    assert housing.confirmations and "取得正式文号" in housing.confirmations[-1]
    number = re.search(r"\S+〔\d{4}〕\d+号", page.inner_text("h1")).group(0)
    assert "经查，经查" not in page.inner_text("main")
    page.click("a:has-text('继续办理')")
    page.wait_for_load_state()
    assert "本环节已签发" in page.inner_text("main") and number in page.inner_text("main")
    housing.fits()
    housing.shot("task-with-notice")
    for measure in ("rectify_order", "lease_terminated"):
        check(page, "measures", measure)
    page.fill("#result", "已责令改正、停止提供房屋")
    housing.submit("已完成")
    housing.close()

    # Item 5: 结案 asks once, saying what will happen; cancelling keeps the form, confirming closes the case.
    closer = TabletOfficer(browser, base, shots_dir, "wjs_market1")
    for task in ("普通参与者处置",):
        closer.open_task(reference, task)
        for measure in ("education", "sent_home"):
            check(closer.page, "measures", measure)
        closer.page.fill("#result", "已教育遣返")
        closer.submit("已完成")
    closer.open_task(reference, "结案审核")
    page = closer.page
    assert page.input_value("#closed_on") == today
    page.fill("#summary", "各项处置均已完成，涉案人员录入黑名单。")
    page.check("#blacklist_confirmed")
    page.remove_listener("dialog", closer._confirm)
    page.once("dialog", lambda d: (closer.confirmations.append(d.message), d.dismiss()))
    page.click("button[name=_submit]")
    assert "结案后案件办结" in closer.confirmations[-1]
    assert page.input_value("#summary").startswith("各项处置")  # cancelled: nothing sent, nothing lost
    page.on("dialog", closer._confirm)
    closer.submit("案件已办结")
    closer.close()

    # Item 7: a matter's light on the board, counted per street; item 2 and 3: reassigned by a labelled picker.
    leader = TabletOfficer(browser, base, shots_dir, "wjs_leader")
    leader.go("/cases/new", "register-matter")
    page = leader.page
    page.check("input[name=kind][value=five_contracts]")
    page.fill("#address", ROOM)
    page.fill("#title", "101室三停一换失效")
    page.fill("#note", "回访发现水电已恢复")
    page.click("button:has-text('登记')")
    page.wait_for_load_state()
    matter = re.search(r"(WB\d{10})", page.inner_text("h1")).group(1)
    clock.advance(hours=23, minutes=30)  # level 1 has 24 hours: half an hour left
    leader.go("/board", "board")
    assert "预警" in page.locator("section.board-group", has_text=matter).inner_text()
    assert "吴家山街" in page.locator("#street-lights").inner_text()
    page.locator("tr", has_text=matter).locator("input[name=task_ids]").check()
    # A matter goes only to someone who holds the five-contracts role where it is: the district department's.
    label = page.locator("#to_user option", has_text="区直部门 韩志远").inner_text()
    assert "账号 quzhi" in label and "东西湖区市场监督管理局" in label
    page.select_option("#to_user", label=label)
    page.fill("#reason", "楼栋长住院，交市场监管先行复查")
    page.click("button:has-text('改派')")
    page.wait_for_load_state()
    assert "重新计算" in leader.confirmations[-1] and "已改派 1 项" in page.inner_text("body")
    leader.fits()
    leader.close()
    clock.advance(hours=1)  # past the old deadline: the matter stays with its new holder
    services.workflow.run_worker_once()
    holder = TabletOfficer(browser, base, shots_dir, "quzhi")
    holder.go("/", "inbox-reassigned")
    notice = holder.page.locator(".notice-reassigned").inner_text()
    assert matter in notice and "楼栋长住院，交市场监管先行复查" in notice
    assert "报警" not in holder.page.locator("tr", has_text=matter).inner_text()
    holder.fits()
    holder.close()


def _diagram_geometry(page) -> dict:
    page.wait_for_selector("#diagram[data-rendered='1']", timeout=15000)
    return page.evaluate("""() => {
        const box = document.getElementById('diagram').getBoundingClientRect();
        const drawn = document.querySelector('#diagram svg g.viewport').getBoundingClientRect();
        const m = document.querySelector('#diagram svg g.viewport').transform.baseVal.consolidate().matrix;
        return {left: box.left, right: box.right, drawnLeft: drawn.left, drawnRight: drawn.right, scale: m.a};
    }""")


@pytest.mark.browser
def test_the_diagram_fits_a_tablet_and_stays_readable_on_a_desktop(live, browser, shots_dir):
    base, services, _clock = live
    cases = CaseDriver(services, Lookup(services))
    case = cases.start("花园小区1栋1单元101室")
    cases.to_comparison(case)
    tablet = TabletOfficer(browser, base, shots_dir, "wjs_market1")
    tablet.go(f"/cases/{case}", "case-diagram")
    g = _diagram_geometry(tablet.page)
    assert g["drawnLeft"] >= g["left"] - 2 and g["drawnRight"] <= g["right"] + 2, g  # all of it, not its left part
    tablet.page.click(".diagram-tools button:has-text('放大')")
    assert _diagram_geometry(tablet.page)["scale"] > g["scale"]
    tablet.fits()
    tablet.close()
    desk = Officer(browser, base, shots_dir, "wjs_market1", width=1280)
    desk.go(f"/cases/{case}", "case-diagram-desktop")
    g = _diagram_geometry(desk.page)
    assert g["scale"] >= 0.99, g  # labels at their full size; pan or 适应宽度 for the rest
    desk.page.click(".diagram-tools button:has-text('适应宽度')")
    fitted = _diagram_geometry(desk.page)
    assert abs(fitted["drawnRight"] - fitted["drawnLeft"] - (fitted["right"] - fitted["left"])) < 40, fitted
    desk.close()

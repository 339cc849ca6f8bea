"""In a real browser: each role in turn carries one case through the six steps to a closed case, then a
matter passes its deadline, shows up on the supervisor board, is reassigned and reaches the new inbox."""
from __future__ import annotations

import re
import struct
import zlib

import pytest

from web_fixtures import ID_A, ID_B, ROOM

PASSWORD = "dachuan2026"


def tiny_png() -> bytes:
    """A real 1x1 PNG, as a phone camera would not make it, but as the content check accepts it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xb4\x23\x2a")) + chunk(b"IEND", b""))


class Officer:
    """One person at one browser window: logs in, clicks, types, and photographs every page."""

    counter = 0

    def __init__(self, browser, base, shots, username, width=1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.base, self.shots, self.username = base, shots, username
        # What cannot be undone asks first (签发, 作废, 结案, 改派, 导入): the officer reads and confirms.
        self.confirmations: list[str] = []
        self.page.on("dialog", self._confirm)
        self.page.goto(base + "/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.shot("login")
        self.page.click("button:has-text('登录')")
        assert self.page.url.endswith("/tasks"), self.page.url

    def _confirm(self, dialog) -> None:
        self.confirmations.append(dialog.message)
        dialog.accept()

    def shot(self, name: str) -> None:
        Officer.counter += 1
        self.page.screenshot(path=str(self.shots / f"{Officer.counter:02d}-{self.username}-{name}.png"),
                             full_page=True)

    def go(self, path: str, name: str) -> None:
        self.page.goto(self.base + path)
        self.shot(name)

    def open_task(self, reference: str, step_title: str) -> None:
        """From the inbox, the row of this case and step: claim it if nobody has, then open the form."""
        self.go("/", "inbox")
        row = self.page.locator("tr", has_text=reference).filter(has_text=step_title).first
        if row.locator("button:has-text('认领')").count():
            row.locator("button:has-text('认领')").click()
            self.page.wait_for_load_state()
            row = self.page.locator("tr", has_text=reference).filter(has_text=step_title).first
            assert row.locator(".badge.mine").count() == 1
        row.locator("a:has-text('办理')").click()
        self.page.wait_for_load_state()
        self.shot(f"form-{step_title}")

    def submit(self, expect: str) -> None:
        self.page.click("button[name=_submit]")
        self.page.wait_for_load_state()
        self.shot("after-submit")
        assert expect in self.page.inner_text("body"), self.page.inner_text("main")[:500]

    def close(self):
        self.context.close()


def check(page, name, value):
    page.check(f"input[name={name}][value={value}]")


@pytest.mark.browser
def test_a_case_from_registration_to_closed_and_an_escalation(live, browser, shots_dir):
    base, services, clock = live
    png = shots_dir.parent / "evidence.png"
    png.write_bytes(tiny_png())

    # 网格员 on a tablet: registers the den and does the sweep.
    grid = Officer(browser, base, shots_dir, "wjs_grid", width=768)
    grid.go("/cases/new", "register")
    grid.page.fill("#address", ROOM)
    grid.page.fill("#title", "花园小区1栋1单元101室疑似传销窝点")
    grid.page.click("button:has-text('登记')")
    grid.page.wait_for_load_state()
    reference = re.search(r"(AJ\d{10})", grid.page.inner_text("h1")).group(1)
    case_url = grid.page.url
    grid.shot("case-registered")
    grid.open_task(reference, "摸排")
    grid.page.fill("#swept_on", "2026-11-22")
    check(grid.page, "house_type", "rental")
    check(grid.page, "sweep_flags", "non_local")
    check(grid.page, "sweep_flags", "non_family")
    check(grid.page, "suspicious", "yes")
    grid.page.fill("#note", "多名外地青年合租，白天聚集上课")
    grid.submit("已完成“摸排”")
    # The message came in the address; the address bar no longer carries it: a reload does not say it again.
    assert grid.page.url == case_url
    grid.page.reload()
    assert "已完成“摸排”" not in grid.page.inner_text("main")
    grid.close()

    # 公安: entry with two officers and the persons found; one ID number mistyped first.
    police = Officer(browser, base, shots_dir, "wjs_police1")
    police.open_task(reference, "入户")
    p = police.page
    p.fill("#entered_at", "2026-11-23T10:00")
    p.fill("#officers-0-name", "王建国")
    p.fill("#officers-0-badge", "420001")
    p.fill("#officers-1-name", "李卫东")
    p.fill("#officers-1-badge", "420002")
    check(p, "door_opened", "yes")
    p.fill("#persons-0-name", "张三")
    p.fill("#persons-0-id_number", ID_A)
    p.fill("#persons-0-phone", "13912345678")
    p.click("fieldset[data-rows=persons] button.add-row")  # JavaScript adds the row
    p.fill("#persons-1-name", "李四")
    p.fill("#persons-1-id_number", ID_B[:-1] + ("0" if ID_B[-1] != "0" else "1"))
    police.shot("entry-filled")
    police.submit("身份证号码校验位不正确")
    assert p.input_value("#persons-0-name") == "张三" and p.input_value("#persons-1-name") == "李四"
    assert p.input_value("#officers-1-badge") == "420002"
    p.fill("#persons-1-id_number", ID_B)
    police.submit("已完成“入户”")
    police.close()

    # 市场监管: initial check, evidence with a photo, comparison.
    market = Officer(browser, base, shots_dir, "wjs_market1")
    market.open_task(reference, "初查")
    market.page.fill("#checked_on", "2026-11-23")
    check(market.page, "mlm_found", "yes")
    check(market.page, "mlm_indicators", "entry_fee")
    market.page.fill("#findings", "要求缴纳 69800 元入门费，每日授课")
    market.submit("已完成“初查”")
    market.open_task(reference, "证据收集")
    market.page.fill("#collected_on", "2026-11-23")
    market.page.fill("#evidence_summary", "笔记本 3 本，授课资料一批")
    market.page.set_input_files("#files", str(png))
    market.submit("已完成“证据收集”")
    assert "evidence.png" in market.page.inner_text("body")
    market.open_task(reference, "信息比对确认")
    assert "自动比对结果" in market.page.inner_text("body")
    market.page.select_option("#persons-0-classification", "participant")
    market.page.select_option("#persons-1-classification", "core")
    check(market.page, "landlord_official", "no")
    market.submit("已完成“信息比对确认”")

    # Sorted handling: participants and the core member (market), the house (housing).
    market.open_task(reference, "普通参与者处置")
    for measure in ("education", "sent_home", "letter"):
        check(market.page, "measures", measure)
    market.page.fill("#handled_on", "2026-11-23")
    market.page.fill("#result", "已教育并遣返，已致信户籍地")
    market.submit("已完成")
    market.open_task(reference, "骨干成员行政处罚")
    market.page.select_option("#parties-0-role", "introducer")
    market.page.fill("#result", "已对骨干成员启动行政处罚程序")
    market.submit("已完成")
    housing = Officer(browser, base, shots_dir, "wjs_housing")
    housing.open_task(reference, "责令改正")
    for measure in ("rectify_order", "seizure"):
        check(housing.page, "measures", measure)
    housing.page.fill("#handled_on", "2026-11-23")
    housing.page.fill("#result", "已责令改正，出租人自行解除租赁并换锁")
    housing.submit("已完成")
    housing.close()
    market.open_task(reference, "结案审核")
    market.page.fill("#closed_on", "2026-11-23")
    market.page.fill("#summary", "各项处置均已完成，涉案人员录入黑名单。")
    market.page.check("#blacklist_confirmed")
    market.submit("案件已办结")

    # The closed case: the diagram is drawn by the vendored viewer with the path taken marked.
    market.page.goto(case_url)
    market.page.wait_for_selector("#diagram[data-rendered='1']", timeout=15000)
    assert market.page.locator("#diagram .djs-element.done").count() >= 10
    assert market.page.locator("#diagram .djs-element.current").count() == 0
    market.shot("case-closed")
    body = market.page.inner_text("body")
    assert "已办结" in body and "普通参与者" in body and "骨干成员" in body
    market.close()

    # A five-contracts matter nobody handles: it climbs a level and lands on the supervisor board.
    leader = Officer(browser, base, shots_dir, "wjs_leader")
    leader.go("/cases/new", "register-matter")
    leader.page.check("input[name=kind][value=five_contracts]")
    leader.page.fill("#address", ROOM)
    leader.page.fill("#title", "101室三停一换失效")
    leader.page.fill("#note", "回访发现水电已恢复，需复查")
    leader.page.click("button:has-text('登记')")
    leader.page.wait_for_load_state()
    matter = re.search(r"(WB\d{10})", leader.page.inner_text("h1")).group(1)
    clock.advance(hours=25)
    services.workflow.run_worker_once()
    leader.go("/board", "board")
    group = leader.page.locator("section.board-group", has_text=matter)
    assert "第 2 级 · 社区" in group.locator("h2").inner_text()
    group.locator("tr", has_text=matter).locator("input[name=task_ids]").check()
    option = leader.page.locator("#to_user option", has_text="街道分管领导 蒋文斌").get_attribute("value")
    leader.page.select_option("#to_user", option)
    leader.page.fill("#reason", "社区书记外出，交街道分管领导先行复查")
    leader.shot("board-reassign")
    leader.page.click("button:has-text('改派')")
    leader.page.wait_for_load_state()
    assert "已改派 1 项" in leader.page.inner_text("body")
    leader.shot("board-after")
    leader.close()

    assignee = Officer(browser, base, shots_dir, "jiedao")
    assignee.go("/", "inbox-reassigned")
    assert matter in assignee.page.inner_text("main")
    assignee.open_task(matter, "责任人处置")
    assignee.page.fill("#handled_on", "2026-11-24")
    check(assignee.page, "resolved", "yes")
    assignee.page.fill("#result", "已复查，水电重新切断并换锁")
    assignee.submit("已完成“责任人处置”")
    assert "已解决" in assignee.page.inner_text("body")
    assignee.close()


@pytest.mark.browser
def test_the_administrator_manages_users_and_versions(live, browser, shots_dir):
    base, services, _clock = live
    admin = Officer(browser, base, shots_dir, "admin")
    admin.go("/admin/users", "admin-users")
    admin.page.click("a:has-text('新建用户')")
    admin.page.fill("#username", "wjs_grid2")
    admin.page.fill("#display_name", "网格员 周小梅")
    admin.page.check("input[name=roles][value=grid]")
    admin.page.fill("#area", "吴家山街第一社区新村小区")
    admin.page.fill("#password", "a-long-password")
    admin.page.fill("#confirm", "a-long-password")
    admin.shot("admin-new-user")
    admin.page.click("button:has-text('保存')")
    admin.page.wait_for_load_state()
    assert "已创建用户 wjs_grid2" in admin.page.inner_text("body")
    admin.go("/admin/assignments?q=吴家山街第一社区花园小区1栋1单元", "admin-assignments")
    assert "楼栋长 钱桂英" in admin.page.inner_text("main")
    admin.go("/admin/processes", "admin-processes")
    assert "六步工作法案件" in admin.page.inner_text("main")
    admin.close()

"""In a real browser: a core member caught in a six-step case is carried through the penalty procedure,
告知 → 申辩 → 决定 → 送达 → 结案, each officer at their own window, and each document is printed and read back
from the PDF with pdftotext. The six-step case itself is brought to sorted handling through the service layer
(test_browser_case clicks through those steps)."""
from __future__ import annotations

import re
import subprocess

import pytest
import sqlalchemy as sa
from test_browser_case import Officer, check

from engine_helpers import CaseDriver, Lookup, comparison
from penalty_helpers import CORE, PARTICIPANT
from workflows.engine.models import HumanTask
from workflows.penalties.models import PenaltyCase

NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")


class PenaltyOfficer(Officer):
    """Screenshots named penalty-NN-… so they never overwrite the other browser tests'."""

    counter = 0

    def shot(self, name: str) -> None:
        PenaltyOfficer.counter += 1
        self.page.screenshot(path=str(self.shots / f"penalty-{PenaltyOfficer.counter:02d}-{self.username}-{name}.png"),
                             full_page=True)

    def step(self, inst: int, title: str) -> None:
        """Open a step of the procedure from the procedure's page."""
        self.go(f"/penalties/{inst}", "procedure")
        self.page.locator("td a", has_text=title).first.click()
        self.page.wait_for_load_state()
        self.shot(f"form-{title}")


def flat(text: str) -> str:
    return "".join(text.split())


def ready_task(services, inst: int, name: str) -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == inst, HumanTask.task_name == name,
                                                      HumanTask.state == "ready"))


def issue_and_print(officer: PenaltyOfficer, inst: int, task_id: str, notice_type: str, typed: dict,
                    selects: dict | None = None) -> str:
    """Fill the document's form (it starts from the procedure's record), issue it, print it; the PDF's text."""
    page = officer.page
    officer.go(f"/notices/new?instance_id={inst}&task_id={task_id}&type={notice_type}", f"form-{notice_type}")
    for key, value in typed.items():
        page.fill(f"#f-{key}", value)
    for key, value in (selects or {}).items():
        page.select_option(f"#f-{key}", value)
    page.click("button[name=action][value=issue]")
    page.wait_for_load_state()
    officer.shot(f"issued-{notice_type}")
    heading = page.inner_text("h1")
    number = NUMBER.search(heading)
    assert number, page.inner_text("main")[:600]
    page.click("a:has-text('打印（PDF）')")
    page.wait_for_load_state()
    response = page.request.get(page.url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    path = officer.shots / f"penalty-{notice_type}.pdf"
    path.write_bytes(response.body())
    text = flat(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)
    assert number.group(0) in text and "\ufffd" not in text
    return text


@pytest.mark.browser
def test_a_core_member_from_the_case_through_notice_defence_decision_service_to_closing(live, browser, shots_dir):
    base, services, clock = live
    lookup = Lookup(services)
    cases = CaseDriver(services, lookup)
    case = cases.start("花园小区1栋1单元101室传销窝点")
    cases.to_comparison(case)
    persons = [{**CORE, "classification": "core"}, {**PARTICIPANT, "classification": "participant"}]
    cases.do(case, "comparison", {**comparison(has_core=True), "persons": persons})
    reference = cases.instance(case).reference

    market = PenaltyOfficer(browser, base, shots_dir, "wjs_market1")
    page = market.page
    # The sorted-handling step starts the procedure; the role is chosen among those a core member may have.
    market.open_task(reference, "骨干成员行政处罚")
    assert page.locator("#parties-0-role option[value=participant]").count() == 0
    page.select_option("#parties-0-role", "introducer")
    page.fill("#result", "已对骨干成员张三启动行政处罚程序")
    market.submit("已完成")
    with services.db.read() as s:
        inst = s.scalar(sa.select(PenaltyCase.instance_id).where(PenaltyCase.source_instance_id == case))
    market.go(f"/cases/{case}", "case-lists-procedure")
    assert "张三（介绍、诱骗、胁迫他人参加传销）" in page.inner_text("main")

    head = PenaltyOfficer(browser, base, shots_dir, "juzhang")
    head.step(inst, "立案审批")
    check(head.page, "filing_decision", "open")
    head.page.fill("#filing_reason", "现场查获，证据确凿，符合立案条件")
    head.submit("已完成")

    market.step(inst, "调查取证")
    page.fill("#officers", "赵晓明 42010001")
    market.submit("不得少于两人")  # refused, and what was typed is still there
    page.fill("#officers", "赵晓明 42010001\n孙丽华 42010002")
    page.fill("#evidence", "现场检查笔录\n询问笔录\n收款记录")
    market.submit("已完成")
    market.step(inst, "调查终结报告")
    page.fill("#report", "当事人介绍他人参加传销，收取入门费。")
    check(page, "conduct_form", "ban_7_2")
    page.fill("#proposed_fine", "150000")
    market.submit("已完成")

    # 告知: the notice is printed, then its service recorded; the five working days are a timer.
    text = issue_and_print(market, inst, ready_task(services, inst, "notify"), "penalty_notice",
                           {"contact_person": "赵晓明", "contact_phone": "027-83891234"})
    assert "行政处罚告知书" in text and "当事人：张三" in text and "有权要求听证" in text
    assert "罚款人民币壹拾伍万元整" in text and "第七条第二项" in text
    market.step(inst, "行政处罚告知")
    page.fill("#notified_on", "2026-11-23")
    market.submit("已完成")
    market.go(f"/penalties/{inst}", "waiting")
    assert "记录当事人陈述申辩" not in page.inner_text("main")
    clock.advance(days=8)
    assert services.workflow.fire_due_timers() == 1

    # 申辩 and 复核.
    market.step(inst, "记录当事人陈述申辩")
    check(page, "response", "statement")
    page.fill("#statement", "初次参与，违法所得较少，请求从轻处罚")
    market.submit("已完成")
    market.step(inst, "陈述申辩复核")
    page.fill("#review_note", "部分采纳，从轻处罚")
    page.fill("#fine_after_review", "200000")
    market.submit("第四十五条")  # never heavier because the party spoke
    page.fill("#fine_after_review", "120000")
    market.submit("已完成")

    # 决定: the decision is printed at its step, reciting the 告知 and what the party said; the head approves.
    text = issue_and_print(market, inst, ready_task(services, inst, "decide"), "penalty_decision",
                           {"fine_yuan": "120000", "confiscation": "违法所得人民币8000元",
                            "payment": "中国工商银行武汉东西湖支行（非税收入账户）"})
    assert "行政处罚决定书" in text and "罚款人民币壹拾贰万元整" in text and "责令停止违法行为" in text
    assert "送达了行政处罚告知书" in text and "初次参与，违法所得较少" in text
    head.step(inst, "行政处罚决定审批")
    check(head.page, "decision", "penalty")
    head.page.fill("#fine", "120000")
    head.page.fill("#decision_number", "东市监罚〔2026〕1号")
    head.submit("已完成")

    # 送达: the return of service is printed and its return recorded.
    text = issue_and_print(market, inst, ready_task(services, inst, "serve"), "service_receipt",
                           {"service_place": "当事人住所"}, {"service_method": "direct"})
    assert "送达回证" in text and "张三" in text and "直接送达" in text
    market.step(inst, "送达")
    check(page, "service_method", "direct")
    page.fill("#served_on", "2026-12-01")
    page.fill("#receipt_returned_on", "2026-12-01")
    market.submit("已完成")

    market.step(inst, "执行")
    check(page, "execution", "paid")
    page.fill("#paid_on", "2026-12-01")
    page.fill("#paid_amount", "120000")
    market.submit("已完成")
    head.step(inst, "结案审批")
    check(head.page, "closing_approved", "yes")
    head.page.fill("#closing_note", "罚款已缴清，准予结案")
    head.submit("已完成")

    market.go(f"/penalties/{inst}", "closed")
    main = page.inner_text("main")
    assert "作出行政处罚决定" in main and "120000 元" in main and "直接送达" in main
    assert reference in main  # the procedure shows its case
    head.close()
    market.close()

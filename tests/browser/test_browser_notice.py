"""In a real browser: the market officer prints a notice from a case in sorted handling.

The case is carried to the sorted-handling step through the service layer (test_browser_case clicks through
every step already); from the case page the officer opens the step, follows the notice it offers, types the
rectification order, previews it, issues it, sees it listed on the case page and prints the PDF, whose text
poppler must find to hold the title, the number the page showed and the addressee typed.
"""
from __future__ import annotations

import re
import subprocess

import pytest
import sqlalchemy as sa
from test_browser_case import Officer

from engine_helpers import ROOM, CaseDriver, Lookup, comparison
from workflows.notices.models import Notice

ADDRESSEE = "刘大成"
PARTY_ID = "420106198808080022"
FACTS = "你将位于花园小区1栋1单元101室的房屋再次出租给传销人员聚集、居住和培训。"
NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")


class NoticeOfficer(Officer):
    """An Officer whose screenshots are named notice-NN-… so they never overwrite the case test's."""

    counter = 0

    def shot(self, name: str) -> None:
        NoticeOfficer.counter += 1
        name = f"notice-{NoticeOfficer.counter:02d}-{self.username}-{name}.png"
        self.page.screenshot(path=str(self.shots / name), full_page=True)


def flat(text: str) -> str:
    """Without spaces and line breaks, so a title set with letter spacing or a wrapped line still matches."""
    return "".join(text.split())


def issued_count(services) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Notice))


@pytest.mark.browser
def test_the_market_officer_prints_a_rectification_order_from_the_case_page(live, browser, shots_dir):
    base, services, _clock = live
    cases = CaseDriver(services, Lookup(services))
    case = cases.start("花园小区1栋1单元101室再次涉传")
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(house_is_rental=True, house_prior_catches=1))
    assert set(cases.ready(case)) == {"penalty_landlord"}  # a repeat house: the landlord branch
    reference = cases.instance(case).reference

    market = NoticeOfficer(browser, base, shots_dir, "wjs_market1")
    page = market.page
    market.go(f"/cases/{case}", "case-before")
    assert "本案尚未签发通知书" in page.inner_text("main")

    # The case page: the open step, then the notices that step offers.
    page.locator("ul.current-tasks li", has_text="房东行政处罚").locator("a:has-text('办理')").click()
    page.wait_for_load_state()
    offered = page.locator("p", has_text="本环节可签发")
    titles = offered.locator("a").all_inner_texts()
    assert "责令改正通知书" in titles and "解除租赁合同通知书" not in titles, titles  # this branch's notices only
    market.shot("task-offers")
    offered.locator("a:has-text('责令改正通知书')").click()
    page.wait_for_load_state()
    assert "签发责令改正通知书" in page.inner_text("h1")
    assert f"案件 {reference}" in page.inner_text("main") and "环节：房东行政处罚" in page.inner_text("main")
    # The case address comes prefilled, in full (city and district first).
    assert page.input_value("#f-party_address") == "武汉市东西湖区" + ROOM

    # Every required field typed in, as the officer would.
    page.locator("#f-party_name").press_sequentially(ADDRESSEE)
    page.locator("#f-party_id").press_sequentially(PARTY_ID)
    page.fill("#f-party_address", "")
    page.locator("#f-party_address").press_sequentially(ROOM)
    page.locator("#f-facts").press_sequentially(FACTS)
    page.select_option("#f-violation", "premises")
    page.locator("#f-corrections").press_sequentially("立即清退承租的传销人员，不得再向传销人员出租房屋。")
    page.fill("#f-deadline", "2026-12-08")
    page.fill("#f-contact_person", "")
    page.locator("#f-contact_person").press_sequentially("赵晓明")
    page.fill("#f-contact_phone", "")
    page.locator("#f-contact_phone").press_sequentially("027-83890000")
    market.shot("form-filled")

    # Preview: the sheet as it will print, no number taken yet.
    page.click("button[name=action][value=preview]")
    page.wait_for_load_state()
    assert "预览（未签发，未占用文号）" in page.inner_text("main"), page.inner_text("main")[:500]
    sheet = flat(page.locator(".notice-paper").inner_text())
    assert "责令改正通知书" in sheet and ADDRESSEE in sheet and "2026年12月8日" in sheet
    assert "东市监责改〔2026〕号" in sheet and not NUMBER.search(sheet)  # the number is left blank
    assert issued_count(services) == 0
    market.shot("preview")

    # Issue: the notice page shows the number it was given.
    page.click("button[name=action][value=issue]")
    page.wait_for_load_state()
    heading = page.inner_text("h1")
    assert "责令改正通知书" in heading, page.inner_text("main")[:500]
    number = NUMBER.search(heading).group(0)
    assert number == "东市监责改〔2026〕1号"  # the first of its type and year for this issuer
    assert f"已签发 {number}" in page.inner_text("body")
    market.shot("issued")

    # Back on the case page the notice is listed; from there to the notice and its PDF.
    market.go(f"/cases/{case}", "case-with-notice")
    row = page.locator("table.notice-list tr", has_text=number)
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[1:4] == [number, "责令改正通知书", ADDRESSEE] and cells[-1] == "有效", cells
    timeline = page.locator("ol.timeline").inner_text()
    assert f"签发通知书 责令改正通知书 {number}" in timeline, timeline
    row.locator(f"a:has-text('{number}')").click()
    page.wait_for_load_state()
    assert number in page.inner_text("h1")
    page.click("a:has-text('打印（PDF）')")
    page.wait_for_load_state()
    assert re.search(r"/notices/\d+\.pdf$", page.url), page.url
    # Served inline, so Chromium shows it in its viewer (the page's body is the viewer, not the file): the
    # file itself is fetched from the same address with the officer's logged-in session, as 下载 would save it.
    response = page.request.get(page.url)
    assert response.ok and response.headers["content-type"] == "application/pdf", response.status
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    path = shots_dir / "notice-rectification-order.pdf"
    path.write_bytes(pdf)
    text = flat(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                               text=True).stdout)
    assert "责令改正通知书" in text and number in text and f"当事人：{ADDRESSEE}" in text, text[:400]
    assert "\ufffd" not in text  # no replacement glyphs
    market.shot("pdf-viewer")  # a picture only: the checks are on the file

    # The print is on the case's record.
    market.go(f"/cases/{case}", "case-after-print")
    assert f"打印通知书 {number}" in page.locator("ol.timeline").inner_text()
    market.close()

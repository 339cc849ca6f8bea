"""In a real browser: a street's supervisor runs the year's assessment from the 考评 menu, reads the score sheet,
opens the records behind a deduction, downloads the XLSX (read back with openpyxl) and the PDF report (read back
with pdftotext), and publishes the run, after which it offers no more entries."""
from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from test_browser_case import Officer

from workflows.assessment.models import AssessmentFinding, AssessmentRun
from workflows.assessment.rules import RULES


class KpOfficer(Officer):
    counter = 0

    def shot(self, name: str) -> None:
        KpOfficer.counter += 1
        self.page.screenshot(path=str(self.shots / f"kp-{KpOfficer.counter:02d}-{self.username}-{name}.png"),
                             full_page=True)


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.browser
def test_run_open_a_deduction_and_download_xlsx_and_pdf(live, browser, shots_dir, tmp_path):
    base, services, _clock = live
    leader = KpOfficer(browser, base, shots_dir, "wjs_leader")
    page = leader.page
    page.click("nav.mainnav a:has-text('考评')")
    page.wait_for_load_state()
    leader.shot("list")
    page.select_option("#area_id", label="吴家山街")
    page.fill("#start", "2026-01-01")
    page.fill("#end", "2026-11-22")
    page.click("button:has-text('生成考评')")
    page.wait_for_load_state()
    leader.shot("sheet")
    main = page.inner_text("main")
    assert "已生成考评结果" in main and "吴家山街打击传销工作检查考评计分表" in main
    with services.db.read() as s:
        run = s.scalar(sa.select(AssessmentRun))
        first = s.scalar(sa.select(AssessmentFinding).where(AssessmentFinding.run_id == run.id)
                         .order_by(AssessmentFinding.id).limit(1))
        behind = list(s.scalars(sa.select(AssessmentFinding.label).where(
            AssessmentFinding.run_id == run.id, AssessmentFinding.rule_id == first.rule_id)))
    assert run.number in main

    # The records behind one deduction.
    page.locator(f'[id="row-{first.rule_id}"] a:has-text("扣分记录")').click()
    page.wait_for_load_state()
    leader.shot("findings")
    listed = page.locator("main table tbody tr").all_inner_texts()
    assert len(listed) == len(behind) and all(label in row for label, row in zip(behind, listed))
    page.click("a:has-text('返回')")
    page.wait_for_load_state()

    # The XLSX, as the browser saves it.
    with page.expect_download() as download:
        page.click("a:has-text('导出 XLSX')")
    path = tmp_path / "sheet.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:len(RULES) + 1]] == [rule.id for rule in RULES]
    totals = {r[1]: r[2] for r in rows if r[0] is None and r[1]}
    assert Decimal(str(totals["总得分"])) == run.total

    # The PDF report, fetched with the officer's own session.
    href = page.get_attribute("a:has-text('打印 PDF 报告')", "href")
    response = page.request.get(base + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = shots_dir / "kp-report.pdf"
    pdf.write_bytes(response.body())
    text = flat(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    total = f"{run.total:.2f}".rstrip("0").rstrip(".")
    assert f"总得分：{total}分" in text and flat(run.number) in text and "\ufffd" not in text

    # Publishing asks first, then the sheet is read-only.
    page.click("button:has-text('发布')")
    page.wait_for_load_state()
    leader.shot("published")
    assert any("定稿" in m for m in leader.confirmations)
    assert "已定稿" in page.inner_text("main") and page.locator("a:has-text('录入')").count() == 0
    leader.go("/assessment/ranking?start=2026-01-01&end=2026-11-22", "ranking")
    row = page.locator("main table tbody tr", has_text="吴家山街")
    assert "已发布" in row.inner_text() and "第 1 版" in row.inner_text()
    leader.close()

    # On a tablet, upright and sideways, the score sheet fits the screen's width (no sideways scrolling).
    for width in (768, 1024):
        tablet = KpOfficer(browser, base, shots_dir, "dubanban", width=width)
        tablet.go(f"/assessment/{run.id}", f"sheet-{width}")
        assert tablet.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        tablet.close()

"""In a real browser: the district office opens the statistics page, asks for its figures (the worker computes
them), and every chart with data is drawn by the vendored ECharts (an SVG appears in its box), with no request leaving the app's own address and no script error;
the XLSX link downloads the table."""
from __future__ import annotations

import pytest
from job_helpers import run_jobs
from openpyxl import load_workbook
from test_browser_case import Officer


ROOM = "吴家山街第一社区花园小区1栋1单元101室"


def _records(services, clock):
    """Two cases ended at the sweep or left open, two closed cases catching two persons (one fined), a report."""
    from engine_helpers import CaseDriver, Lookup
    from test_statistics_assessed import REPORT, caught_twice

    from workflows.complaints import service as complaints
    lookup = Lookup(services)
    cases = CaseDriver(services, lookup)
    first = cases.start("窝点甲")
    cases.start("窝点乙")
    cases.do(first, "sweep", {"suspicious": False, "house_type": "resident"})
    caught_twice(services, lookup, clock)
    complaints.record(services, lookup.user("wjs_market1"), {**REPORT, "address": ROOM})


@pytest.mark.browser
def test_statistics_page_draws_its_charts_offline(live, browser, shots_dir, tmp_path):
    base, services, clock = live
    _records(services, clock)
    clock.advance(days=5)  # the open case's sweep (3 days) is now overdue
    officer = Officer(browser, base, shots_dir, "dubanban")
    foreign, errors = [], []
    officer.page.on("pageerror", lambda exc: errors.append(str(exc)))
    officer.page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    def only_the_app(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()
    officer.page.route("**/*", only_the_app)

    officer.page.click("nav a:has-text('统计分析')")
    assert "尚未生成" in officer.page.locator("#stat-freshness").inner_text()
    officer.page.click("#stat-freshness button:has-text('生成统计数据')")
    assert "正在后台计算" in officer.page.locator("#stat-freshness").inner_text()
    assert run_jobs(services) == 1  # what `dachuan worker` does between two rounds
    officer.page.reload()
    assert "数据更新于" in officer.page.locator("#stat-freshness").inner_text()
    officer.page.wait_for_selector("#stat-cases [data-chart] svg")
    officer.shot("statistics")
    boxes = officer.page.locator("[data-chart]")
    # Every chart has data: reports, their handling, cases, persons (bars and a rate line), reflux, time limits,
    # coverage; only the sweeps chart is left without (no sweep was made).
    assert boxes.count() == 7
    for i in range(boxes.count()):
        assert boxes.nth(i).locator("svg").count() >= 1, boxes.nth(i).get_attribute("data-chart")
    # The case chart's bars carry the numbers of its table: one case still open, one ended at the sweep.
    assert "吴家山街" in officer.page.locator("#stat-cases table").inner_text()
    assert foreign == [] and errors == []

    with officer.page.expect_download() as download:
        officer.page.click("#stat-cases a:has-text('导出 XLSX')")
    path = tmp_path / "cases.xlsx"
    download.value.save_as(path)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    assert rows[0][0] == "区域" and rows[1][0] == "吴家山街" and rows[1][-1] == 4

"""Each chart of the statistics page as data: a title, the table below it (headers and rows, which the XLSX export
writes unchanged) and the ECharts series drawn from the same numbers, so chart, table and file never disagree."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from workflows.statistics.cases import OUTCOMES, cases_by_outcome, outcome_names
from workflows.statistics.compliance import LATE_BUCKETS, compliance_by_step
from workflows.statistics.coverage import coverage_rows
from workflows.time_limits import LIGHT_LABELS, Light

from ..labels import PROCESS_NAMES


@dataclass
class Chart:
    key: str                  # the chart's id in the page and in its export URL
    title: str
    headers: list[str]
    rows: list[list]
    # What the page's script draws: {"categories": [...], "series": [{"name", "data", "stack"?, "line"?}],
    # "horizontal": bool, "percent": bool (a 0-100 axis), "target": number (a marked line) or None}.
    plot: dict = field(default_factory=dict)
    note: str = ""            # how to read it (Chinese), shown under the title

    @property
    def empty(self) -> bool:
        return not self.rows


def percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def cases_chart(session: Session, area_path: str, start: date, end: date) -> Chart:
    """Six-step cases started in the period, by outcome, per street (or per community of one street)."""
    parts = cases_by_outcome(session, area_path, start, end)
    names = outcome_names()
    headers = ["区域"] + [names[k] for k in OUTCOMES] + ["合计"]
    rows = [[p["area"]] + [p["counts"][k] for k in OUTCOMES] + [p["total"]] for p in parts]
    if rows:
        rows.append(["合计"] + [sum(p["counts"][k] for p in parts) for k in OUTCOMES]
                    + [sum(p["total"] for p in parts)])
    plot = {"categories": [p["area"] for p in parts],
            "series": [{"name": names[k], "data": [p["counts"][k] for p in parts], "stack": "cases"}
                       for k in OUTCOMES]}
    return Chart("cases", "六步工作法案件办理结果（按区域）", headers, rows, plot,
                 "统计期内立案的六步工作法案件，按办结方式（或仍在办理）分区域计数。")


def compliance_chart(session: Session, area_path: str, start: date, end: date, now: datetime) -> Chart:
    """Steps whose deadline fell in the period: on time, late (and by how much), still open past or before it."""
    steps = compliance_by_step(session, area_path, start, end, now)
    labels = [f"{PROCESS_NAMES.get(s['process_id'], s['process_id'])} · {s['title']}" for s in steps]
    headers = (["流程", "环节", "应办结数", "按时办结", "超时办结", f"逾期未办（{LIGHT_LABELS[Light.ALARM]}）", "未到期", "按时率（%）"]
               + [f"超时{label}" for _, label in LATE_BUCKETS] + ["平均超时（天）", "最长超时（天）"])
    rows = [[PROCESS_NAMES.get(s["process_id"], s["process_id"]), s["title"], s["total"], s["on_time"], s["late"],
             s["open_overdue"], s["open_not_due"], percent(s["on_time"], s["on_time"] + s["late"] + s["open_overdue"])]
            + s["late_buckets"] + [s["late_days_avg"], s["late_days_max"]] for s in steps]
    plot = {"categories": labels, "horizontal": True,
            "series": [{"name": "按时办结", "data": [s["on_time"] for s in steps], "stack": "steps"},
                       {"name": "超时办结", "data": [s["late"] for s in steps], "stack": "steps"},
                       {"name": "逾期未办", "data": [s["open_overdue"] for s in steps], "stack": "steps"},
                       {"name": "未到期", "data": [s["open_not_due"] for s in steps], "stack": "steps"}]}
    return Chart("time_limits", "各环节时限执行情况", headers, rows, plot,
                 f"截止时间落在统计期内的环节：按时办结、超时办结及超时多久、逾期仍未办结（{LIGHT_LABELS[Light.ALARM]}）、尚未到期。"
                 "按时率 = 按时办结 ÷（按时办结 + 超时办结 + 逾期未办）。")


def coverage_chart(session: Session, area_path: str, start: date, end: date) -> Chart:
    """创无 coverage per street for the year the period ends in, against the 95% target."""
    figures = coverage_rows(session, area_path, start, end)
    lines = figures["streets"] + [figures["communities"], figures["platforms"]]
    rows = [[f["label"], f["named"], f["total"], f["rate"], "是" if f["meets_target"] else "否"] for f in lines]
    plot = {"categories": [f["label"] for f in lines], "percent": True, "target": figures["target"],
            "series": [{"name": "覆盖率（%）", "data": [f["rate"] for f in lines]}]}
    return Chart("coverage", f"{figures['year']}年“无传销社区（村）”“无传销网络平台”创建覆盖率",
                 ["范围", "已命名", "总数", "覆盖率（%）", "达标"], rows, plot,
                 f"目标 {figures['target']}% 以上；撤销命名的不计入。")

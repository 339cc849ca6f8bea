"""The charts whose figures the assessment scores: drawn from workflows.assessment.figures, the functions the score
sheet's rules call, so the page and the sheet cannot count differently. The readings Annex 3 leaves open (whether
a warning is a penalty, how many catches make a repeat) are the assessment's settings."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from workflows.assessment import figures
from workflows.assessment.settings import AssessmentSettings
from workflows.statistics.periods import parts_of, year_before

from .charts import Chart, percent


def _children(session: Session, area_path: str) -> list:
    return [p for p in parts_of(session, area_path) if not p.exact]


def complaints_chart(session: Session, area_path: str, start: date, end: date) -> Chart:
    """Reports (complaints and online MLM reports) per month, beside the same months of the year before."""
    this = figures.complaints_per_month(session, area_path, start, end)
    last = figures.complaints_per_month(session, area_path, year_before(start), year_before(end))
    months, before = list(this), list(last.values())
    rows = []
    for i, month in enumerate(months):
        then = before[i] if i < len(before) else 0
        rows.append([month, this[month], then, percent(this[month] - then, then) if then else "—"])
    total_now, total_then = sum(this.values()), sum(before)
    rows.append(["合计", total_now, total_then, percent(total_now - total_then, total_then) if total_then else "—"])
    plot = {"categories": months, "series": [{"name": "本期", "data": [this[m] for m in months]},
                                             {"name": "上年同月", "data": before[:len(months)]}]}
    chart = Chart("complaints", "投诉举报（含网络传销）按月统计及上年同期", ["月份", "本期", "上年同月", "同比增减（%）"],
                  rows, plot, "与考评“投诉举报同比下降”一项同一口径：投诉举报登记数，加上未关联投诉的网络传销举报线索。")
    if not (total_now or total_then):
        chart.rows = []
    return chart


def sweeps_chart(session: Session, area_path: str, start: date, end: date) -> Chart:
    """Finished concentrated sweeps per month: one series per key area, the other areas together."""
    rows = figures.sweeps_per_month(session, area_path, start, end)
    months = figures.months(start, end)
    keyed = sorted({r["area_name"] for r in rows if r["key_area"]})
    series = [{"name": name, "data": [sum(r["count"] for r in rows if r["area_name"] == name and r["month"] == m)
                                      for m in months]} for name in keyed]
    if any(not r["key_area"] for r in rows):
        series.append({"name": "其他区域", "data": [sum(r["count"] for r in rows if not r["key_area"] and
                                                      r["month"] == m) for m in months]})
    table = [[r["month"], r["area_name"], "是" if r["key_area"] else "否", r["count"]] for r in rows]
    return Chart("sweeps", "集中清查按月统计（重点区域）", ["月份", "区域", "重点区域", "完成次数"], table,
                 {"categories": months, "series": series},
                 "与考评同一口径：已完成的集中清查，按计划日期所在月份计；考评要求重点区域每月不少于 2 次。")


def persons_chart(session: Session, area_path: str, start: date, end: date, settings: AssessmentSettings) -> Chart:
    """Persons caught (each once) and how many an administrative penalty answered, per area, with the rate."""
    warning = settings.warning_counts_as_penalty
    parts = [(p.name, figures.persons_caught(session, p.path, start, end, warning))
             for p in _children(session, area_path)]
    parts = [(name, f) for name, f in parts if f["caught"]]
    total = figures.persons_caught(session, area_path, start, end, warning)
    rows = [[name, f["caught"], f["penalised"], f["rate"]] for name, f in parts]
    if total["caught"]:
        rows.append(["合计", total["caught"], total["penalised"], total["rate"]])
    plot = {"categories": [n for n, _ in parts], "secondPercent": True,
            "series": [{"name": "查获人数", "data": [f["caught"] for _, f in parts]},
                       {"name": "受到行政处罚", "data": [f["penalised"] for _, f in parts]},
                       {"name": "处罚率（%）", "data": [f["rate"] for _, f in parts], "line": True, "axis": 1}]}
    return Chart("persons", "查获人员及行政处罚率", ["区域", "查获人数", "受到行政处罚人数", "行政处罚率（%）"], rows, plot,
                 "统计期内立案的六步工作法案件查获的人员（同一身份证号只计一次）；考评要求处罚率 90% 以上。"
                 + ("警告计为行政处罚。" if warning else "警告不计为行政处罚（考评设置）。"))


def reflux_chart(session: Session, area_path: str, start: date, end: date, settings: AssessmentSettings) -> Chart:
    """Repeat (回流) persons and houses caught in the period, per area."""
    threshold = settings.repeat_threshold
    parts = [(p.name, figures.reflux(session, p.path, start, end, threshold)) for p in _children(session, area_path)]
    parts = [(name, f) for name, f in parts if f["persons"] or f["houses"]]
    total = figures.reflux(session, area_path, start, end, threshold)
    rows = [[name, f["persons"], f["houses"]] for name, f in parts]
    if total["persons"] or total["houses"]:
        rows.append(["合计", total["persons"], total["houses"]])
    plot = {"categories": [n for n, _ in parts],
            "series": [{"name": "回流人员", "data": [f["persons"] for _, f in parts]},
                       {"name": "回流出租屋", "data": [f["houses"] for _, f in parts]}]}
    return Chart("reflux", "回流人员和出租屋", ["区域", "回流人员", "回流出租屋"], rows, plot,
                 f"统计期内查获、累计被查获 {threshold} 次及以上的人员和出租屋（考评设置“两次以上”）。")


def handling_chart(session: Session, area_path: str, start: date, end: date) -> Chart:
    """Complaints received in the period: accepted, handled within time, replied to, still without a result."""
    keys = [("accepted", "已受理"), ("handled_in_time", "按时办结"), ("replied", "已答复"), ("no_result", "尚无结果")]
    parts = [(p.name, figures.complaint_handling(session, p.path, start, end)) for p in _children(session, area_path)]
    parts = [(name, f) for name, f in parts if any(f.values())]
    total = figures.complaint_handling(session, area_path, start, end)
    rows = [[name] + [f[k] for k, _ in keys] for name, f in parts]
    if any(total.values()):
        rows.append(["合计"] + [total[k] for k, _ in keys])
    plot = {"categories": [n for n, _ in parts],
            "series": [{"name": label, "data": [f[k] for _, f in parts]} for k, label in keys]}
    return Chart("handling", "投诉举报办理情况（首接负责、查必有果）", ["区域"] + [label for _, label in keys], rows, plot,
                 "与考评同一口径：统计期内收到的投诉举报中已受理、各环节均在时限内办结、已答复举报人、尚无办理结果的件数。")

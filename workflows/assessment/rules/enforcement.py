"""Group 3 清查打击 (30 points): sweeps, registration of what they catch, criminal cases and penalties."""
from __future__ import annotations

from decimal import Decimal

from workflows.assessment.rules.base import Finding, Outcome, Scope, computed
from workflows.office_records import alerts, filings

GROUP = "清查打击"
SWEEPS, CRIMINAL, PENALTIES = "集中清理", "刑事案件打击追究", "行政处罚案件查办"
ALERTS_PER_CASE = 20


def criminal_cases(scope: Scope) -> Outcome:
    """3.2.1: one criminal case filed by the police (立案回执 recorded) for every 20 police 110 alerts about MLM in
    the unit and period (whole twenties: 39 alerts ask one case); each case short costs 1 point."""
    counts = alerts.alerts_in(scope.session, scope.area.path, scope.start, scope.end)
    if not counts:
        return Outcome(Decimal(0), 0, note="无数据：期间内未导入公安110传销警情数。", no_data=True)
    total = sum(c.alerts for c in counts)
    filed = filings.filings_in(scope.session, scope.area.path, scope.start, scope.end)
    owed = total // ALERTS_PER_CASE
    short = max(owed - len(filed), 0)
    findings = tuple(Finding("criminal_case", None, f"110传销警情 {total} 起，应查办刑事案件 {owed} 起，"
                             f"实际立案 {len(filed)} 起：缺第 {len(filed) + i} 起", Decimal(1))
                     for i in range(1, short + 1))
    return Outcome(Decimal(short), len(counts) + len(filed), findings,
                   note=f"警情数来自 {len(counts)} 条公安导入记录；刑事立案以登记的立案回执为准。")

RULES = (
    computed("3.1.1", GROUP, SWEEPS, "10", "集中打击清理行动，重点涉传街道、社区、写字楼每月不少于 2 次。",
             "集中清理行动每月少于 2 次扣 2 分", "查阅台账", None),
    computed("3.1.2", GROUP, SWEEPS, "10", "集中打击清理行动，非重点涉传街道、社区每季度不少于 2 次。",
             "非重点涉传街道、社区集中清理行动每季度少于 2 次扣 2 分", "查阅台账", None),
    computed("3.1.3", GROUP, SWEEPS, "10", "对清查出的涉传人员、出租屋及业主一律登记备案并及时上报。",
             "抽查当月 10 条涉传人员，未登记备案上报的，1 人扣 1 分，信息不全的一项扣 0.5 分", "查阅台账", None,
             sample=10),
    # Read from the police's alert counts and criminal filings (office-records' records).
    computed("3.2.1", GROUP, CRIMINAL, "10", "加大刑事打击力度，确保每 20 起 110 传销警情查办 1 起刑事案件。",
             "每少 1 件的，扣 1 分", "查阅台账 数据调取", criminal_cases),
    computed("3.3.1a", GROUP, PENALTIES, "10",
             "加大行政处罚力度，对查获的传销人员行政处罚率要超过 90%；确保每 10 起投诉举报办理 1 起一般程序行政处罚案件。",
             "行政处罚率每差 10%，扣 1 分", "查阅台账 数据调取", None),
    # The table prints no deduction for the second half of the row: the setting
    # assessment_per_complaints_penalty_case_deduction says what a missing case costs.
    computed("3.3.1b", GROUP, PENALTIES, "10",
             "加大行政处罚力度，对查获的传销人员行政处罚率要超过 90%；确保每 10 起投诉举报办理 1 起一般程序行政处罚案件。",
             "（原表未列扣分办法）每少 1 件一般程序行政处罚案件，按设置扣分（默认 1 分）", "查阅台账 数据调取", None),
    computed("3.3.2a", GROUP, PENALTIES, "10",
             "两次以上的回流人员及出租屋一律实施一般程序行政处罚，对多次被诉网络传销的主体立案调查，有证据证实存在传销行为的，从重处罚。",
             "异地传销：未实施一般程序行政处罚的，发现一人扣 1 分", "查阅台账 数据调取", None),
    computed("3.3.2b", GROUP, PENALTIES, "10",
             "两次以上的回流人员及出租屋一律实施一般程序行政处罚，对多次被诉网络传销的主体立案调查，有证据证实存在传销行为的，从重处罚。",
             "网络传销：未立案调查和依法定性传销处罚的每次扣 2 分。", "查阅台账 数据调取", None),
)

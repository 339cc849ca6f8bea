"""Group 3 清查打击 (30 points): sweeps, registration of what they catch, criminal cases and penalties."""
from __future__ import annotations

from workflows.assessment.rules.base import computed, manual

GROUP = "清查打击"
SWEEPS, CRIMINAL, PENALTIES = "集中清理", "刑事案件打击追究", "行政处罚案件查办"

RULES = (
    computed("3.1.1", GROUP, SWEEPS, "10", "集中打击清理行动，重点涉传街道、社区、写字楼每月不少于 2 次。",
             "集中清理行动每月少于 2 次扣 2 分", "查阅台账", None),
    computed("3.1.2", GROUP, SWEEPS, "10", "集中打击清理行动，非重点涉传街道、社区每季度不少于 2 次。",
             "非重点涉传街道、社区集中清理行动每季度少于 2 次扣 2 分", "查阅台账", None),
    computed("3.1.3", GROUP, SWEEPS, "10", "对清查出的涉传人员、出租屋及业主一律登记备案并及时上报。",
             "抽查当月 10 条涉传人员，未登记备案上报的，1 人扣 1 分，信息不全的一项扣 0.5 分", "查阅台账", None,
             sample=10),
    # Read from the police's alert counts and criminal filings (office-records' records).
    manual("3.2.1", GROUP, CRIMINAL, "10", "加大刑事打击力度，确保每 20 起 110 传销警情查办 1 起刑事案件。",
           "每少 1 件的，扣 1 分", "查阅台账 数据调取"),
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

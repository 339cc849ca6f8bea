"""Group 4 投诉举报 (20 points): complaints accepted, handled and replied to under 首接负责, and their fall year on
year."""
from __future__ import annotations

from workflows.assessment.rules.base import computed, manual

GROUP = "投诉举报"
HANDLING, DECREASE = "投诉举报受理及处置", "涉传投诉举报下降"

RULES = (
    manual("4.1.1", GROUP, HANDLING, "10", "公布打击传销举报电话（电子邮箱）。", "未公布举报电话的扣 0.5 分",
           "查阅台账 暗访巡查", cap="0.5"),
    computed("4.1.2", GROUP, HANDLING, "10", "按照“首接负责”原则，建立投诉举报受理、处理、回复工作台账。",
             "投诉举报工作台账不完善的扣 0.5 分", "查阅台账", None, cap="0.5"),
    computed("4.1.3", GROUP, HANDLING, "10", "按照“首接负责”原则，及时受理，妥善处置。",
             "抽查投诉举报 10 件，处置不规范的每件扣 0.5 分", "查阅台账", None, sample=10),
    computed("4.1.4a", GROUP, HANDLING, "10",
             "按照“首接负责”原则，做到“有警（诉）必接，接警（诉）必查，查必有果”，处置率 100%。",
             "未落实“首接负责”、有反映处置推诿或不到位的，每件扣 2 分", "查阅台账", None),
    computed("4.1.4b", GROUP, HANDLING, "10",
             "按照“首接负责”原则，做到“有警（诉）必接，接警（诉）必查，查必有果”，处置率 100%。",
             "以进不了门为由无处置结果的 1 件扣 2 分", "查阅台账", None),
    computed("4.2.1", GROUP, DECREASE, "10",
             "传销投诉举报（含网络传销）数量不断下降，与上年同期相比下降 60% 以上。",
             "与去年同比增长的扣 5 分，另每增长 1 个百分点扣 0.1 分；投诉举报下降但幅度不达标每差一个百分点扣 0.1 分",
             "数据调取", None),
)

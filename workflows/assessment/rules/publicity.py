"""Group 2 宣传教育 (3 points): publicity activities, boards, questionnaires and letters to registration places,
scored by the office-records rules from their records; until they land, entered by hand with evidence."""
from __future__ import annotations

from workflows.assessment.rules.base import manual

GROUP = SECOND = "宣传教育"

RULES = (
    manual("2.1.1", GROUP, SECOND, "3", "重点涉传街道、社区，商业写字楼每月宣传活动不少于 1 次。",
           "宣传活动少 1 次扣 0.5 分", "查阅台账 暗访巡查"),
    manual("2.1.2", GROUP, SECOND, "3", "社区有禁止传销宣传资料。", "社区无禁止传销宣传资料的每项扣 0.5 分",
           "查阅台账 暗访巡查"),
    manual("2.1.3", GROUP, SECOND, "3", "居民小区醒目位置有禁止传销宣传专栏（展板）。",
           "小区无禁止传销宣传专栏（展板）的每项扣 0.5 分", "暗访巡查"),
    manual("2.1.4", GROUP, SECOND, "3", "悬挂打传责任人信息牌。", "小区未悬挂打传责任人信息牌的每项扣 0.5 分",
           "暗访巡查"),
    manual("2.1.5", GROUP, SECOND, "3", "物业服务企业对打击传销知晓率达 100%。",
           "抽查小区物业管理人员 2 人，有不知晓的，1 人扣 0.5 分", "问卷调查", sample=2),
    manual("2.1.6", GROUP, SECOND, "3", "居民对打击传销的满意率达 100%。",
           "抽查小区居民 5 人，有不满意的，1 人扣 0.5 分", "问卷调查", sample=5),
    manual("2.1.7", GROUP, SECOND, "3", "“致传销人员户籍地基层组织一封信”寄送率 100%。",
           "抽查当月 10 个涉传人员，少寄送 1 封扣 0.5 分", "查阅台账", sample=10),
)

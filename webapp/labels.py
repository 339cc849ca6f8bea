"""Chinese names for processes, steps, roles and audit events, for lists, filters and the timeline."""
from __future__ import annotations

import sqlalchemy as sa

from workflows.engine.models import ProcessVersion
from workflows.notices.legal import legal_data
# The vocabulary's labels, under the names the templates use (labels.X).
from workflows.org.roles import ROLE_NAMES  # noqa: F401
from workflows.vocabulary import CLASSIFICATIONS  # noqa: F401
from workflows.vocabulary import PENALTY_OUTCOME_NAMES  # noqa: F401
from workflows.vocabulary import HOUSE_TYPES as HOUSE_TYPE_NAMES  # noqa: F401
from workflows.vocabulary import INSTANCE_STATUS_NAMES as STATUS_NAMES
from workflows.vocabulary import SERVICE_METHODS, SWEEP_FLAGS, end_name

from .db import read_session, workflow

PROCESS_NAMES = {"six_step_case": "六步工作法案件", "five_contracts": "五包责任事项",
                 "complaint_intake": "投诉举报", "rental_patrol": "涉传出租屋巡查", "online_clue": "网络传销线索",
                 "seizure": "查封涉传经营场所",
                 "pyramid_free_naming": "创无申报、验收与命名", "pyramid_free_watch": "创无复查、整改与撤销",
                 "penalty_procedure": "行政处罚（一般程序）"}
CLASSIFICATION_NAMES = {**CLASSIFICATIONS, "": "待定"}  # a person found but not yet classified
EVENT_NAMES = {
    "started": "立案", "completed": "办理", "claimed": "认领", "released": "退回", "reassigned": "改派",
    "escalated": "升级", "timer_fired": "到期", "overdue_raised": "逾期上报", "finished": "流程结束",
    "blacklisted": "录入黑名单",
    # Complaints, ledgers and sweeps.
    "transferred": "移送", "case_linked": "关联立案", "reward_decided": "奖励审批", "identity_viewed": "查看举报人信息",
    "auto_investigation": "多次举报自动立案", "house_caught": "出租屋涉传", "house_unflagged": "解除涉传标记",
    "reflux_recorded": "登记回流", "three_stops": "三停一换", "intermediary_violation": "中介违规",
    "sweep_planned": "部署集中清查", "sweep_checked": "集中清查登记", "sweep_finished": "集中清查完成",
    # Notices (the timeline adds the document number).
    "notice_issued": "签发通知书", "notice_printed": "打印通知书", "notice_reprinted": "补打通知书",
    "notice_voided": "作废通知书",
    # Online MLM clues.
    "clue_recorded": "登记线索", "clue_updated": "修改线索台账", "clue_complaint_linked": "关联举报",
    "clue_link_made": "关联平台复查或行政处罚",
    "clue_platform_not_named": "平台未命名，无需复查",
    # 查封.
    "seizure_requested": "申请查封", "seizure_approved": "批准查封", "seizure_refused": "不予批准查封",
    "seizure_decided": "作出查封决定", "seizure_measure_started": "请求协助", "seizure_extension_requested": "申请延长查封",
    "seizure_extension_approved": "批准延长查封", "seizure_extension_refused": "不予延长查封",
    "seizure_extended": "延长查封期限", "seizure_released": "解除查封", "seizure_expired": "查封期限届满解除",
    # 创无.
    "pf_applied": "创无申报", "pf_status": "创无状态变更", "pf_inspected": "检查评分", "pf_lot_drawn": "随机抽签",
    "pf_reinspection_opened": "启动复查", "pf_reinspection_cause": "追加复查事由",
    # The penalty procedure.
    "penalty_started": "启动行政处罚程序", "penalty_deadline_extended": "延长办案期限",
}
try:  # the complaint ledger is built alongside; without it channels and units show as their codes
    from workflows.complaints.models import CHANNELS as CHANNEL_NAMES
    from workflows.complaints.models import RESPONSIBLE_UNITS
except ImportError:  # pragma: no cover
    CHANNEL_NAMES, RESPONSIBLE_UNITS = {}, {}

_titles_by_version: dict[int, dict[str, str]] = {}


def step_titles(version_id: int) -> dict[str, str]:
    """task name -> its name in the diagram, for one deployed version (parsed once per process)."""
    if version_id not in _titles_by_version:
        version = read_session().get(ProcessVersion, version_id)
        _titles_by_version[version_id] = workflow().step_titles(version)
    return _titles_by_version[version_id]


def step_choices() -> list[tuple[str, str, str]]:
    """(process id, task names, title) of the user tasks in the current diagrams, for the step filter.

    Steps that read the same (e.g. 办理结果 for the market and for the police) are one choice, so the list has
    no duplicates; its value names all of them, comma separated.
    """
    latest = read_session().execute(sa.select(ProcessVersion.process_id, sa.func.max(ProcessVersion.id))
                                    .group_by(ProcessVersion.process_id)).all()
    by_title: dict[str, tuple[str, list[str]]] = {}
    for process_id, version_id in sorted(latest):
        for name, title in step_titles(version_id).items():
            names = by_title.setdefault(title, (process_id, []))[1]
            if name not in names:
                names.append(name)
    return [(process_id, ",".join(names), title) for title, (process_id, names) in by_title.items()]

# Labels for what each step recorded, shown on the case page (lists such as persons have their own tables).
FIELD_LABELS = {
    "source": "线索来源", "report_note": "登记说明", "subject": "事项",
    "suspicious": "是否可疑", "house_type": "房屋类别", "swept_on": "摸排日期", "occupants": "居住人数",
    "sweep_flags": "可疑情况", "sweep_note": "摸排情况",
    "door_opened": "是否开门", "entered_at": "入户时间", "officers": "执法人员", "entry_note": "入户情况",
    "note": "情况", "watched_on": "复查日期",
    "mlm_found": "是否发现传销", "checked_on": "初查日期", "mlm_indicators": "传销特征", "check_findings": "初查情况",
    "evidence_summary": "证据摘要", "collected_on": "取证日期", "seized_items": "查封扣押物品",
    "sealing_approved": "查封扣押已批准",
    "has_participants": "有普通参与者", "has_core": "有骨干成员", "has_crime": "涉嫌犯罪",
    "house_is_rental": "出租屋", "house_prior_catches": "房屋此前涉传次数", "landlord_official": "房东为党员或公职人员",
    "landlord_name": "房东", "comparison_note": "比对说明",
    "result": "处置结果", "participant_measures": "处置措施", "participant_fine_total": "罚款合计（元）",
    "participants_handled_on": "处置日期",
    "core_penalty_decision_number": "处罚决定书文号", "core_penalty_fine_amount": "罚款（元）",
    "core_penalty_decided_on": "决定日期",
    "landlord_penalty_decision_number": "处罚决定书文号", "landlord_penalty_fine_amount": "罚款（元）",
    "landlord_penalty_decided_on": "决定日期",
    "police_unit": "接收机关", "police_decided_on": "决定移送日期", "police_transferred_on": "移送日期",
    "discipline_organ": "接收机关", "discipline_transferred_on": "移送日期",
    "house_measures": "处置措施", "house_handled_on": "处置日期",
    "summary": "结案报告", "closed_on": "结案日期", "blacklist_confirmed": "已录入黑名单",
    "resolved": "是否解决", "handled_on": "处置日期",
    "channel": "举报渠道", "content": "举报内容", "address": "举报地址",
    "jurisdiction_clear": "管辖明确", "responsible_unit": "责任单位", "accept_note": "研判意见",
    "handling": "先行处置情况", "transfer_reason": "移送理由", "finding": "调查核实情况", "open_case": "立六步案件",
    "case_address": "立案地址", "effective": "举报属实有效", "reward_proposed": "建议奖励",
    "reply": "答复内容", "replied_on": "答复日期", "reply_method": "答复方式",
    "reward_approved": "批准奖励", "reward_amount": "奖励金额（元）", "approval_note": "审批意见",
    "patrolled_on": "巡查日期", "three_stops_in_place": "三停一换仍在落实", "people_back": "人员回流",
    "patrol_note": "巡查情况", "unflag_reason": "解除理由",
    "approved": "批准", "witnesses": "当事人或见证人",
    "assist": "协助单位", "action": "办理事项", "reason": "理由", "extension_days": "延长天数",
    "extension_approved": "批准延长",
    # The penalty procedure's steps.
    "disposal": "处置方式", "spot_record": "当场处罚记录", "filing_decision": "立案审批意见", "filing_reason": "理由",
    "filed_on": "立案日期", "evidence": "证据", "report": "调查终结报告", "conduct_form": "传销行为形式",
    "proposed_fine": "拟罚款（元）", "notified_on": "告知书送达日期", "reply_deadline": "陈述申辩期限至",
    "response": "当事人意见", "statement": "陈述申辩内容", "hearing_requested_on": "申请听证日期",
    "review_note": "复核意见", "fine_after_review": "复核后拟罚款（元）", "hearing_date": "听证日期",
    "hearing_place": "听证地点", "hearing_minutes": "听证笔录", "hearing_report": "听证报告",
    "fine_after_hearing": "听证后拟罚款（元）", "legal_review_passed": "法制审核通过", "legal_opinion": "法制审核意见",
    "members": "参加讨论人员", "discussion_conclusion": "集体讨论结论", "decision": "决定", "fine": "罚款（元）",
    "decision_number": "决定书文号", "decided_on": "决定日期", "service_method": "送达方式", "served_on": "送达日期",
    "receipt_returned_on": "送达回证收回日期", "payment_due": "缴款期限", "execution": "执行情况",
    "paid_on": "缴款日期", "paid_amount": "缴款金额（元）", "surcharge": "加处罚款（元）",
    "enforcement_applied_on": "申请强制执行日期", "closing_approved": "准予结案", "closing_note": "结案意见",
}
CHOICE_NAMES = {
    **SWEEP_FLAGS,
    "recruit_fee": "拉人头计酬", "entry_fee": "入门费", "team_commission": "团队计酬", "lectures": "聚集授课",
    "restraint": "限制人身自由", "education": "引导教育", "sent_home": "遣返", "letter": "致户籍地一封信",
    "rectify_order": "责令改正", "lease_terminated": "责令停止提供房屋", "seizure": "查封", "stop_water": "停水", "stop_power": "停电",
    "stop_gas": "停气", "lock_changed": "换锁", **HOUSE_TYPE_NAMES, **RESPONSIBLE_UNITS,
    "phone": "电话", "written": "书面", "sms": "短信", "visit": "当面",
    "release": "解除查封",
    **SERVICE_METHODS, "warning": "当场警告", "summary_fine": "当场罚款", "ordinary": "一般程序",
    "open": "立案", "not_open": "不予立案", "extend": "申请延长", "silent": "未提出意见", "statement": "陈述、申辩",
    "hearing": "申请听证", "penalty": "作出行政处罚决定", "no_penalty": "不予行政处罚", "paid": "已缴纳",
    "enforcement": "申请人民法院强制执行",
    "ban_7_1": "拉人头计酬", "ban_7_2": "交纳入门费取得资格", "ban_7_3": "以下线销售业绩计酬",
}


def show_value(key: str, value) -> str:
    """A recorded value as a person reads it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "officers" and isinstance(value, list):
        return "、".join(f"{o.get('name', '')}（{o.get('badge', '')}）" for o in value if isinstance(o, dict))
    if isinstance(value, list):
        return "、".join(CHOICE_NAMES.get(v, str(v)) for v in value)
    if value is None or value == "":
        return "—"
    if key.endswith("_at") and isinstance(value, str):
        return value.replace("T", " ")
    return CHOICE_NAMES.get(value, str(value)) if isinstance(value, str) else str(value)


def step_items(data: dict) -> list[tuple[str, str]]:
    """(label, value) for the labelled keys a step recorded, in the order of FIELD_LABELS."""
    return [(label, show_value(key, data[key])) for key, label in FIELD_LABELS.items() if key in data]


# The roles a penalty is issued under (legal_texts.json "fine_ranges"), by key.
PENALTY_ROLE_NAMES = {k: v["label"] for k, v in legal_data()["fine_ranges"].items()}

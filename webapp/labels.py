"""Chinese names for processes, steps, roles and audit events, for lists, filters and the timeline."""
from __future__ import annotations

import sqlalchemy as sa

from workflows.engine.models import ProcessVersion
# The vocabulary's labels, under the names the templates use (labels.X).
from workflows.org.roles import ROLE_NAMES  # noqa: F401
from workflows.vocabulary import CLASSIFICATIONS  # noqa: F401
from workflows.vocabulary import HOUSE_TYPES as HOUSE_TYPE_NAMES  # noqa: F401
from workflows.vocabulary import INSTANCE_STATUS_NAMES as STATUS_NAMES
from workflows.vocabulary import SWEEP_FLAGS, end_name

from .db import read_session, workflow

PROCESS_NAMES = {"six_step_case": "六步工作法案件", "five_contracts": "五包责任事项",
                 "complaint_intake": "投诉举报", "rental_patrol": "涉传出租屋巡查"}
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
}
CHOICE_NAMES = {
    **SWEEP_FLAGS,
    "recruit_fee": "拉人头计酬", "entry_fee": "入门费", "team_commission": "团队计酬", "lectures": "聚集授课",
    "restraint": "限制人身自由", "education": "引导教育", "sent_home": "遣返", "letter": "致户籍地一封信",
    "rectify_order": "责令改正", "lease_terminated": "解除租赁合同", "stop_water": "停水", "stop_power": "停电",
    "stop_gas": "停气", "lock_changed": "换锁", **HOUSE_TYPE_NAMES, **RESPONSIBLE_UNITS,
    "phone": "电话", "written": "书面", "sms": "短信", "visit": "当面",
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

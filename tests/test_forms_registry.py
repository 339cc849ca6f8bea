"""Every user task of every diagram has a form, and each form's output passes the engine's own guard."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

import forms
from web_fixtures import STEP_DATA
from workflows import runtime
from workflows.engine import spiff, task_data

BPMN_DIR = Path(__file__).resolve().parent.parent / "bpmn"


def user_tasks() -> list[tuple[str, str]]:
    out = []
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        xml = path.read_bytes()
        for process_id, _name in spiff.executable_processes(xml):
            out += [(process_id, name) for name in spiff.parse(xml, process_id).user_tasks]
    return out


# Valid submissions for the tasks the web tests do not walk through.
SAMPLES = {
    ("complaint_intake", "accept"): {"jurisdiction_clear": "yes", "responsible_unit": "market",
                                     "accept_note": "属市场监管管辖"},
    ("complaint_intake", "first_handling"): {"handling": "已到场制止聚集", "responsible_unit": "police",
                                             "transfer_reason": "涉嫌限制人身自由"},
    ("complaint_intake", "investigate_market"): {"finding": "查实存在聚集授课", "open_case": "yes", "case_address": ""},
    ("complaint_intake", "investigate_police"): {"finding": "未发现", "open_case": "no"},
    ("complaint_intake", "result_market"): {"result": "已立案查处", "effective": "yes", "reward_proposed": "y"},
    ("complaint_intake", "result_police"): {"result": "举报不实", "effective": "no"},
    ("complaint_intake", "reply"): {"replied_on": "2026-11-23", "reply_method": "phone", "reply": "已电话答复"},
    ("complaint_intake", "approve_reward"): {"reward_approved": "yes", "reward_amount": "500",
                                             "approval_note": "同意奖励"},
    ("rental_patrol", "patrol"): {"patrolled_on": "2026-11-23", "door_opened": "no", "three_stops_in_place": "yes",
                                  "people_back": "no", "note": ""},
    ("rental_patrol", "lift_flag"): {"unflag_reason": "已整改满一年，房东签订承诺书"},
    ("online_clue", "monitor"): {"suspected": "yes", "monitoring_note": "直播间宣传拉人头返利"},
    ("online_clue", "verify"): {"confirmed": "yes", "verification_note": "查实", "member_count": "35", "levels": "4"},
    ("online_clue", "report_up"): {"tier": "penalty", "report_note": "已上报", "party_name": "某某科技有限公司",
                                   "party_code": "", "penalty_facts": "拉人头计酬"},
    ("online_clue", "interview"): {"measure": "warning", "interviewed_on": "2026-11-23", "counterpart": "运营负责人",
                                   "interview_note": "责令删除涉传信息"},
    ("online_clue", "transfer_police"): {"transfer_letter_no": "东市监移〔2026〕1号", "transferred_on": "2026-11-23",
                                         "materials": "调查报告"},
    ("online_clue", "police_receipt"): {"police_accepted": "yes", "police_case_no": "X1", "receipt_note": "已立案"},
    ("online_clue", "aftermath"): {"victim_count": "3", "victims_note": "已回访", "mass_incident_risk": "low"},
    ("online_clue", "stability_plan"): {"stability_plan": "成立专班"},
    ("seizure", "approve_seizure"): {"approved": "yes", "approval_note": "同意查封"},
    ("seizure", "serve_decision"): {"served_on": "2026-11-23", "officers": "赵晓明、孙丽华", "witnesses": "钱桂英（楼栋长）",
                                    "water": "东西湖区自来水公司", "power": "", "gas": "", "lock": ""},
    ("seizure", "in_force"): {"action": "extend", "reason": "案情复杂", "extension_days": "15"},
    ("seizure", "approve_extension"): {"extension_approved": "no", "approval_note": "不予延长"},
    ("pyramid_free_naming", "street_forward"): {"forwarded": "yes", "opinion": "同意转报"},
    ("pyramid_free_naming", "namer_review"): {"accepted": "no", "reasons": "五项机制未建立"},
    ("pyramid_free_naming", "acceptance"): {"inspector_ids": ["1", "2"], "items-0-code": "hotline",
                                            "items-0-score": "8", "items-0-note": "已公布", "findings": "现场检查"},
    ("pyramid_free_naming", "naming"): {"naming_note": "同意命名"},
    ("pyramid_free_watch", "reinspect"): {"inspector_ids": ["1", "2"], "items-0-code": "hotline", "items-0-score": "0",
                                          "findings": "宣传栏未更新", "serious_problems": ["mass_incident"]},
    ("pyramid_free_watch", "recheck"): {"inspector_ids": ["1", "2"], "items-0-code": "hotline", "items-0-score": "10",
                                        "findings": "已整改"},
    ("pyramid_free_watch", "decide_revocation"): {"revoke": "yes", "reason": "因传销引发群体性事件"},
    ("pyramid_free_watch", "order_rectification"): {"deadline_days": "30", "requirements": "更新宣传栏"},
    ("pyramid_free_watch", "report_rectification"): {"rectified": "yes", "report": "已更新"},
    # No person of CONTEXT is classified as core, so the step lists no one to choose a role for.
    ("six_step_case", "penalty_core"): {"result": "已对骨干成员启动行政处罚程序"},
    ("penalty_procedure", "participant_disposal"): {"disposal": "summary_fine", "fine": "200",
                                                    "spot_record": "当场查获参加传销"},
    ("penalty_procedure", "approve_filing"): {"filing_decision": "open", "filing_reason": "符合立案条件"},
    ("penalty_procedure", "investigate"): {"officers": "赵晓明 42010001\n孙丽华 42010002", "evidence": "询问笔录"},
    ("penalty_procedure", "investigation_report"): {"report": "经查……", "conduct_form": "ban_7_2",
                                                    "proposed_fine": "100000", "serious": "y"},
    ("penalty_procedure", "notify"): {"notified_on": "2026-11-23"},
    ("penalty_procedure", "record_response"): {"response": "statement", "statement": "请求从轻"},
    ("penalty_procedure", "review_statement"): {"review_note": "不予采纳", "fine_after_review": "100000"},
    ("penalty_procedure", "hearing_notice"): {"notice_served_on": "2026-11-23", "hearing_date": "2026-12-03",
                                              "hearing_place": "区市场监管局听证室"},
    ("penalty_procedure", "hearing_record"): {"hearing_minutes": "……", "hearing_report": "……",
                                              "fine_after_hearing": "100000"},
    ("penalty_procedure", "legal_review"): {"legal_review_passed": "yes", "legal_opinion": "同意"},
    ("penalty_procedure", "collective_discussion"): {"members": "高振华\n林淑芬", "discussion_conclusion": "同意"},
    ("penalty_procedure", "decide"): {"decision": "penalty", "fine": "100000", "decision_number": "东市监罚〔2026〕1号"},
    ("penalty_procedure", "serve"): {"service_method": "direct", "served_on": "2026-11-23",
                                     "receipt_returned_on": "2026-11-23"},
    ("penalty_procedure", "execute"): {"execution": "paid", "paid_on": "2026-11-23", "paid_amount": "100000"},
    ("penalty_procedure", "close_case"): {"closing_approved": "yes", "closing_note": "已执行完毕"},
}
CONTEXT = {"persons": [{"name": "张三", "id_number": "420106199001011231", "classification": ""},
                       {"name": "李四", "id_number": "360426198506124566", "classification": ""}],
           "house_type": "rental",
           "inspector_choices": [{"id": 1, "name": "民警"}, {"id": 2, "name": "市场监管"}],
           "checklist_items": [{"code": "hotline", "mechanism": "部门互动", "title": "公布举报电话", "weight": 10,
                                "mode": "manual"}],
           "serious_choices": {"mass_incident": "因传销引发群体性事件"}}


@pytest.fixture
def form_app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="t", WTF_CSRF_ENABLED=False, WTF_I18N_ENABLED=False)
    return app


def test_the_diagrams_have_user_tasks():
    names = {name for _p, name in user_tasks()}
    assert {"sweep", "entry", "close_case", "handle_matter"} <= names


@pytest.mark.parametrize("process_id,task_name", user_tasks())
def test_every_user_task_has_a_form(process_id, task_name):
    assert issubclass(forms.form_for(process_id, task_name), forms.TaskForm)


@pytest.mark.parametrize("process_id,task_name", user_tasks())
def test_a_valid_submission_satisfies_the_engine(form_app, process_id, task_name):
    data = SAMPLES.get((process_id, task_name)) or STEP_DATA[task_name]
    from datetime import datetime
    with form_app.test_request_context(method="POST"):
        form = forms.form_for(process_id, task_name)(formdata=MultiDict(_multi(data)), context=CONTEXT,
                                                     now=datetime(2026, 11, 23, 17, 0))
        assert form.validate(), form.errors
        # Each process's domain registers its tasks' fields with the spiff.
        schema = runtime.hook_registry().of(process_id).task_schemas.get(task_name)
        assert schema, f"no engine schema registered for {process_id}.{task_name}"
        task_data.check(schema, form.to_data())  # raises ValidationFailed otherwise


def _multi(data: dict) -> list[tuple[str, str]]:
    pairs = []
    for key, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, v))
    return pairs


def test_an_unknown_task_has_no_form():
    with pytest.raises(LookupError):
        forms.form_for("six_step_case", "nonexistent")

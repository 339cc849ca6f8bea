"""The online clue process's hooks (四步工作法: 线上监测 → 线下实证 → 多措处置 → 稳妥善后): its task fields, the
criminal threshold that decides the tier, the clue's status following its open step, and the script functions
its diagram calls (confirming a clue, which re-inspects a named platform; opening the penalty procedure)."""
from __future__ import annotations

import sqlalchemy as sa
from stdnum.cn import uscc

from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.idnumbers import id_number_problem
from workflows.online_clues import links
from workflows.online_clues.models import TIERS, OnlineClue
from workflows.penalties.parties import PARTY_KINDS
from workflows.vocabulary import ClueStatus

PROCESS = "online_clue"
RISKS = {"low": "低", "medium": "中", "high": "高"}
TASK_SCHEMAS = {
    "monitor": {"suspected": bool, "monitoring_note": str},
    "verify": {"confirmed": bool, "verification_note": str, "member_count": int, "levels": int},
    "report_up": {"tier": tuple(TIERS), "report_note": str},
    "interview": {"measure": ("interview", "warning"), "counterpart": str, "interview_note": str},
    "transfer_police": {"transfer_letter_no": str, "transferred_on": str, "materials": str},
    "police_receipt": {"police_accepted": bool, "police_case_no": str, "receipt_note": str},
    "aftermath": {"victim_count": int, "victims_note": str, "mass_incident_risk": tuple(RISKS)},
    "stability_plan": {"stability_plan": str},
}
# The clue's status is the step it waits in.
STEP_STATUS = {"monitor": ClueStatus.MONITORING, "verify": ClueStatus.VERIFYING, "report_up": ClueStatus.VERIFYING,
               "interview": ClueStatus.HANDLING, "transfer_police": ClueStatus.HANDLING,
               "police_receipt": ClueStatus.HANDLING, "aftermath": ClueStatus.AFTERMATH,
               "stability_plan": ClueStatus.AFTERMATH}


def clue_of(session, instance_id: int) -> OnlineClue:
    clue = session.scalar(sa.select(OnlineClue).where(OnlineClue.instance_id == instance_id))
    if clue is None:
        raise WorkflowError("该线索没有登记台账，无法继续。")
    return clue


def reaches_threshold(settings, member_count: int, levels: int) -> bool:
    """公通字〔2013〕37号 一: 参与传销活动人员在三十人以上且层级在三级以上 ("以上" includes the number)."""
    return member_count >= settings.criminal_threshold_members and levels >= settings.criminal_threshold_levels


def threshold_text(settings) -> str:
    return (f"{settings.criminal_threshold_members} 人以上且层级在 {settings.criminal_threshold_levels} 级以上"
            "（《关于办理组织领导传销活动刑事案件适用法律若干问题的意见》）")


def _before_complete(ctx: ActionContext, task, data: dict) -> None:
    """The tier must follow the verified facts: at the criminal threshold the organisation goes to the police,
    below it the clue is handled administratively; a penalty names its party."""
    if task.task_name == "verify" and data.get("confirmed"):
        errors = {k: ["查实的线索须填写大于 0 的人数和层级"] for k in ("member_count", "levels") if data.get(k, 0) < 1}
        if errors:
            raise ValidationFailed(errors)
    if task.task_name != "report_up":
        return
    clue = clue_of(ctx.session, ctx.instance.id)
    reached = clue.criminal_threshold_reached
    if reached and data["tier"] != "criminal":
        raise ValidationFailed({"tier": [f"该组织已达刑事追诉标准（{threshold_text(ctx.settings)}），"
                                         "应移送公安机关"]})
    if not reached and data["tier"] == "criminal":
        raise ValidationFailed({"tier": [f"人数或层级未达刑事追诉标准（{threshold_text(ctx.settings)}），"
                                         "请选择约谈警示或行政处罚"]})
    if data["tier"] == "penalty":
        _check_party(data)


def _check_party(data: dict) -> None:
    """The penalty's party, checked here so a bad entry is refused on the field it was typed in (the penalty
    procedure checks it again when it starts)."""
    errors: dict[str, list[str]] = {}
    if not (data.get("party_name") or "").strip():
        errors["party_name"] = ["行政处罚须写明当事人"]
    kind = data.get("party_kind") or ""
    code = (data.get("party_code") or "").strip().upper()
    if kind not in PARTY_KINDS:
        errors["party_kind"] = ["请选择当事人是单位还是个人"]
    elif code and kind == "organisation" and not uscc.is_valid(code):
        errors["party_code"] = ["统一社会信用代码无效（格式或校验位不符）"]
    elif code and kind == "person" and id_number_problem(code):
        errors["party_code"] = [id_number_problem(code)]
    if errors:
        raise ValidationFailed(errors)


def _after_complete(ctx: ActionContext, task, data: dict) -> None:
    """Keep the ledger's facts in step with the process (what the list, export and assessment read)."""
    clue = clue_of(ctx.session, ctx.instance.id)
    if task.task_name == "verify" and data["confirmed"]:
        clue.member_count, clue.levels = data["member_count"], data["levels"]
    elif task.task_name == "report_up":
        clue.tier = data["tier"]
    elif task.task_name == "aftermath":
        clue.victim_count, clue.mass_incident_risk = data["victim_count"], data["mass_incident_risk"]
    clue.updated_at = ctx.now


def _instance_values(ctx: ActionContext, inst, ready) -> dict:
    """Not an instance column: the clue's status follows the step it waits in, written with each save."""
    for task in ready:
        status = STEP_STATUS.get(task.name)
        clue_id = task.data.get("clue_id")
        if status is not None and clue_id:
            clue = ctx.session.get(OnlineClue, clue_id)
            if clue is not None and clue.status != status:
                clue.status, clue.updated_at = status, ctx.now
            break
    return {}


def _on_end(ctx: ActionContext, inst) -> None:
    clue = clue_of(ctx.session, inst.id)
    clue.status = ClueStatus.CLOSED if inst.end_event == "end_closed" else ClueStatus.DISMISSED
    clue.closed_at = clue.updated_at = ctx.now


def _confirm_clue(ctx: ActionContext, member_count, levels):
    """线下实证 confirmed the clue: decide the threshold and have a named platform re-inspected."""
    clue = clue_of(ctx.session, ctx.instance.id)
    clue.criminal_threshold_reached = reaches_threshold(ctx.settings, int(member_count), int(levels))
    link = links.open_platform_reinspection(ctx, clue, f"网络传销线索 {clue.reference}（{clue.scheme_name}）经线下实证查实")
    return {"threshold_reached": clue.criminal_threshold_reached,
            "reinspection_id": link.target_id if link is not None else None}


def _start_clue_penalty(ctx: ActionContext, party_name, party_code="", facts="", party_kind="organisation"):
    """多措处置 by administrative penalty: the procedure is opened against the organisation (its 统一社会信用代码)
    or the person (their ID number) behind the scheme, as its organiser (禁止传销条例 第二十四条第一款)."""
    clue = clue_of(ctx.session, ctx.instance.id)
    party = {"name": party_name, "kind": party_kind, "id_number": party_code or ""}
    link = links.start_penalty(ctx, clue, party, "organiser", facts or clue.summary or clue.scheme_name)
    return {"penalty_instance_id": link.target_id}


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PROCESS, reference_prefix="XS", task_schemas=TASK_SCHEMAS,
                                   before_complete=_before_complete, after_complete=_after_complete,
                                   instance_values=_instance_values, on_end=_on_end))
    registry.script_function("confirm_clue", _confirm_clue)
    registry.script_function("start_clue_penalty", _start_clue_penalty)

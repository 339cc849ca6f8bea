"""The 创无 processes' hooks: their task fields, who gets the namer's steps (the unit configured for the level),
what each step means for the naming, and the observers that open event-triggered re-inspections."""
from __future__ import annotations

from datetime import timedelta

from workflows.clock import office_date
from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.exceptions import ValidationFailed
from workflows.org.areas import ancestors
from workflows.org.models import Area
from workflows.pyramid_free import applications, checklist, inspections, lifecycle, watching
from workflows.pyramid_free.options import options
from workflows.vocabulary import NamingStatus, end_name

NAMING_PROCESS, WATCH_PROCESS = applications.NAMING_PROCESS, watching.WATCH_PROCESS
NAMER_LANE = "命名单位"
CHECKLIST = {"inspector_ids": list, "entries": dict}
NAMING_SCHEMAS = {
    "street_forward": {"forwarded": bool, "opinion": str},
    "namer_review": {"accepted": bool, "reasons": str},
    "acceptance": CHECKLIST,
    "naming": {"naming_note": str},
}
WATCH_SCHEMAS = {
    "reinspect": {**CHECKLIST, "serious_problems": list},
    "decide_revocation": {"revoke": bool, "reason": str},
    "order_rectification": {"deadline_days": int, "requirements": str},
    "report_rectification": {"rectified": bool, "report": str},
    "recheck": CHECKLIST,
}
REVOKING_ENDS = {"end_revoked", "end_refused_revoked", "end_overdue_revoked", "end_recheck_revoked"}


def _naming(ctx: ActionContext):
    return lifecycle.naming_of(ctx.session, applications.naming_id_of(ctx.session, ctx.instance))


def _prepare_start(ctx: ActionContext, data: dict, area) -> None:
    """What the forms offer: the inspectors of the place, the checklist items, the serious problems."""
    opts = options(ctx.settings)
    naming = lifecycle.naming_of(ctx.session, data["naming_id"])
    data["inspector_choices"] = inspections.inspector_choices(ctx.session, naming.area_path)
    data["checklist_items"] = [{k: i[k] for k in ("code", "mechanism", "title", "weight", "mode")}
                               for i in checklist.items_for(ctx.session, opts, naming)]
    data["serious_choices"] = dict(opts["serious_problems"])
    data.setdefault("rectification_days", opts["rectification_days"])


def _assign(ctx: ActionContext, inst, task, row: dict) -> None:
    # 谁命名，谁负责: the namer's steps go to the unit configured to name at that level (district or street).
    if task.lane != NAMER_LANE or inst.area_id is None:
        return
    subject = task.data.get("subject")
    level = options(ctx.settings)["namer_level"].get(subject, "district")
    above = [a for a in ancestors(ctx.session, ctx.session.get(Area, inst.area_id)) if a.kind == level]
    if above:
        row["area_id"], row["area_path"] = above[0].id, above[0].path


def _required_reason(data: dict, key: str, message: str) -> None:
    if not str(data.get(key) or "").strip():
        raise ValidationFailed({key: [message]})


def _naming_before(ctx: ActionContext, task, data: dict) -> None:
    if task.task_name == "street_forward" and not data["forwarded"]:
        _required_reason(data, "opinion", "退回须写明理由")
    elif task.task_name == "namer_review" and not data["accepted"]:
        _required_reason(data, "reasons", "不予受理须写明理由")
    elif task.task_name == "namer_review":
        # Accepted: the households the inspectors visit are drawn now, and their form lists them.
        draw = applications.draw_sample_within(ctx, _naming(ctx))
        data["sample_households"] = applications.households(ctx.session, draw)
    elif task.task_name == "acceptance":
        inspections.inspect(ctx, _naming(ctx), "acceptance", data)


def _naming_after(ctx: ActionContext, task, data: dict) -> None:
    naming = _naming(ctx)
    if task.task_name == "street_forward" and not data["forwarded"]:
        lifecycle.refuse(ctx, naming, f"街道退回：{data['opinion']}")
    elif task.task_name == "namer_review" and not data["accepted"]:
        lifecycle.refuse(ctx, naming, f"不予受理：{data['reasons']}")
    elif task.task_name == "acceptance":
        if data["passed"]:
            naming.accepted_on = office_date(ctx.now)
        else:
            lifecycle.set_status(ctx, naming, NamingStatus.FAILED, score=data["score"])
    elif task.task_name == "naming":
        lifecycle.name(ctx, naming)


def _watch_before(ctx: ActionContext, task, data: dict) -> None:
    naming = _naming(ctx)
    if task.task_name in ("reinspect", "recheck"):
        inspections.inspect(ctx, naming, "reinspection" if task.task_name == "reinspect" else "recheck", data)
    elif task.task_name == "decide_revocation":
        _required_reason(data, "reason", "请写明是否撤销命名的理由")
    elif task.task_name == "order_rectification":
        if not 1 <= data["deadline_days"] <= 365:
            raise ValidationFailed({"deadline_days": ["整改期限应为 1 至 365 天"]})
        _required_reason(data, "requirements", "请写明整改要求")
        # The boundary timer of 登记整改情况 reads this ISO 8601 duration.
        data["rectify_deadline"] = f"P{data['deadline_days']}D"
    elif task.task_name == "report_rectification" and not data["rectified"]:
        _required_reason(data, "report", "请写明拒不整改的情况")


def _watch_after(ctx: ActionContext, task, data: dict) -> None:
    naming = _naming(ctx)
    if task.task_name == "order_rectification":
        naming.rectification_due_at = ctx.now + timedelta(days=data["deadline_days"])
        naming.rectification_ordered_by_id = ctx.actor_id
        lifecycle.set_status(ctx, naming, NamingStatus.RECTIFYING, deadline_days=data["deadline_days"],
                             requirements=data["requirements"])
    elif task.task_name == "decide_revocation":
        naming.decision_reason = data["reason"][:1000]
    elif task.task_name == "report_rectification" and not data["rectified"]:
        naming.decision_reason = data["report"][:1000]


def _revocation_reason(naming, inst) -> str:
    """Why the name goes, in the words the notice prints after 经检查."""
    detail = naming.decision_reason.rstrip("。")
    if inst.end_event == "end_revoked":
        return f"发现重大问题（{detail}），命名单位决定立即撤销命名"
    if inst.end_event == "end_refused_revoked":
        return f"责令限期整改后拒不整改（{detail}）"
    if inst.end_event == "end_overdue_revoked":
        return "责令限期整改，整改期限届满仍未整改"
    return "责令限期整改后复查，仍不符合创建标准"


def _watch_end(ctx: ActionContext, inst) -> None:
    naming = _naming(ctx)
    if inst.end_event in REVOKING_ENDS:
        # The namer signs the notice: the one who ordered the rectification, or who decided on the spot.
        issuer = naming.rectification_ordered_by_id or ctx.actor_id
        lifecycle.revoke(ctx, naming, _revocation_reason(naming, inst), issuer)
    else:
        lifecycle.keep(ctx, naming, end_name(WATCH_PROCESS, inst.end_event))


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(NAMING_PROCESS, reference_prefix="CW", task_schemas=NAMING_SCHEMAS,
                                   prepare_start=_prepare_start, assign=_assign, before_complete=_naming_before,
                                   after_complete=_naming_after))
    registry.register(ProcessHooks(WATCH_PROCESS, reference_prefix="FC", task_schemas=WATCH_SCHEMAS,
                                   prepare_start=_prepare_start, assign=_assign, before_complete=_watch_before,
                                   after_complete=_watch_after, on_end=_watch_end))
    registry.observe("started", watching.on_process_started)
    registry.observe("completed", watching.on_task_completed)
    registry.periodic_duty("pyramid_free_watch", watching.due_reinspections)

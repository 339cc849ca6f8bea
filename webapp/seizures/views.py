"""查封 pages: the list (area-scoped), asking for one, a seizure's page with its documents, and its steps."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import forms
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import PermissionDenied, ValidationFailed, WorkflowError
from workflows.notices.legal import legal_data
from workflows.seizures.models import Seizure
from workflows.seizures.service import SeizureService
from workflows.vocabulary import MEASURE_KINDS, SEIZURE_STATUS_NAMES, TaskState

from ..access import areas_below, can_act, sees
from ..db import now, read_session, services, workflow
from ..timefmt import local_now
from .forms import SeizureRequestForm

bp = Blueprint("seizures", __name__, url_prefix="/seizures")


def _service() -> SeizureService:
    return SeizureService(services())


@bp.app_template_global()
def seizure_starts(task) -> bool:
    """Whether a case's step offers to ask for a 查封 (legal_texts.json "tasks" → "starts")."""
    entry = legal_data()["tasks"].get(task.process_id, {}).get(task.task_name, {})
    return "seizure" in entry.get("starts", [])


@bp.app_template_global()
def case_seizures(instance_id: int) -> list[tuple[Seizure, str]]:
    """(查封, its status in words) asked for from a case, for the case's page (which checked the case's area)."""
    rows = read_session().scalars(sa.select(Seizure).where(Seizure.case_instance_id == instance_id)
                                  .order_by(Seizure.id))
    return [(z, SEIZURE_STATUS_NAMES.get(z.status, z.status)) for z in rows]


@bp.route("/")
@login_required
def index():
    """The 查封 of the user's area, newest first."""
    status = request.args.get("status") or None
    if status and status not in SEIZURE_STATUS_NAMES:
        status = None
    rows = _service().list_visible(current_user.id, status)
    return render_template("seizures/list.html", rows=rows, status=status, names=SEIZURE_STATUS_NAMES)


def _case(instance_id, task_id):
    inst = task = None
    if instance_id:
        inst = read_session().get(ProcessInstance, int(instance_id)) if str(instance_id).isdigit() else None
        if inst is None:
            abort(404, "找不到该案件。")
        if not sees(current_user, inst.area_path):
            abort(403, "该案件不在您的辖区内。")
    if task_id:
        task = read_session().get(HumanTask, task_id)
        if task is None or inst is None or task.instance_id != inst.id or not seizure_starts(task):
            abort(404, "该环节不能申请查封。")
    return inst, task


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Ask for a 查封 (from a case's step, or on its own); the head approves it before anything is decided."""
    inst, task = _case(request.values.get("instance_id"), request.values.get("task_id"))
    form = SeizureRequestForm()
    status = 200
    if request.method == "GET" and inst is not None:
        address = inst.area.full_name if inst.area is not None else ""
        landlord = workflow().instance_view(inst.id).last_data.get("landlord_name") or ""
        form.premises.data, form.party_address.data, form.party_name.data = address, address, landlord
    if form.validate_on_submit():
        try:
            seizure = _service().request(current_user.id, form.fields(), inst.id if inst else None,
                                         task.id if task else None, (form.address.data or "").strip())
        except ValidationFailed as exc:
            for name, messages in exc.errors.items():
                target = form[name] if name in form else form.reasons
                target.errors = list(target.errors) + messages
            flash(exc.message, "error")
            status = 422
        else:
            flash("已提交查封申请，待机关负责人书面批准；未经批准不得实施查封。", "success")
            return redirect(url_for("seizures.show", seizure_id=seizure.id))
    elif request.method == "POST":
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
        status = 422
    areas = [] if inst is not None else areas_below(current_user, ("room", "unit", "building", "compound"))
    return render_template("seizures/new.html", form=form, inst=inst, task=task, areas=areas), status


@bp.route("/<int:seizure_id>")
@login_required
def show(seizure_id: int):
    """A seizure: party, premises, approval, time limit, measures, documents and the step waiting."""
    details = _service().details(seizure_id, current_user.id)
    waiting = details["waiting"]
    may_act = waiting is not None and can_act(current_user, waiting)
    return render_template("seizures/show.html", names=SEIZURE_STATUS_NAMES, kinds=MEASURE_KINDS,
                           may_act=may_act, **details)


@bp.route("/<int:seizure_id>/step", methods=["GET", "POST"])
@login_required
def step(seizure_id: int):
    """The waiting step of a seizure, with its form; a valid POST completes it."""
    details = _service().details(seizure_id, current_user.id)
    task = details["waiting"]
    if task is None or task.state != TaskState.READY:
        flash("该查封当前没有待办理的步骤。", "error")
        return redirect(url_for("seizures.show", seizure_id=seizure_id))
    if not can_act(current_user, task):
        raise PermissionDenied(f"“{task.title}”不由您办理。")
    form = forms.form_for(task.process_id, task.task_name)(now=local_now(now()))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                _service().act(seizure_id, current_user.id, task.task_name, form.to_data())
            except ValidationFailed as exc:
                for name, messages in exc.errors.items():
                    target = form[name] if name in form else None
                    if target is not None:
                        target.errors = list(target.errors) + messages
                flash(exc.message + "；".join(m for msgs in exc.errors.values() for m in msgs), "error")
                status = 422
            except WorkflowError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                flash(exc.message, "error")
                status = exc.status
            else:
                flash(f"已完成“{task.title}”。", "success")
                return redirect(url_for("seizures.show", seizure_id=seizure_id))
        else:
            flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
            status = 422
    return render_template("seizures/step.html", form=form, task=task, **details), status


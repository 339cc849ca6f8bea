"""Incidents and held cases for administrators: the list of failed actions with their errors, retry (with
corrected data), skip the failing step with a reason, suspend and resume a case. Only the admin role, and
only cases the administrator's area holds (the one access rule)."""
from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from workflows.engine import incidents
from workflows.engine.models import Incident, ProcessInstance
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.org.access import sees
from workflows.vocabulary import INCIDENT_KIND_NAMES, INCIDENT_STATUS_NAMES, IncidentStatus

from ..access import in_scope, resolved, role_required
from ..db import read_session, workflow
from ..labels import PROCESS_NAMES

bp = Blueprint("incidents", __name__, url_prefix="/admin/incidents")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: a larger one names nothing


def _plain(form, field):
    """A NUL byte cannot be stored in a PostgreSQL text column; refuse it with a message instead."""
    if field.data and "\x00" in field.data:
        raise ValidationError("不能包含控制字符（NUL）。")


class _Form(FlaskForm):
    class Meta:
        locales = ["zh"]


class RetryForm(_Form):
    submitted = TextAreaField("提交的数据（JSON）", validators=[Optional(), Length(max=200_000), _plain],
                         description="出错时办理人提交的内容；如原因在于数据，可在此更正后重试。",
                         render_kw={"rows": 10, "spellcheck": "false"})


class ReasonForm(_Form):
    reason = StringField("理由", validators=[InputRequired("请填写理由。"), Length(max=500), _plain])


class SuspendForm(_Form):
    reference = StringField("案件编号", validators=[InputRequired("请填写案件编号。"), Length(max=40), _plain])
    reason = StringField("理由", validators=[InputRequired("请填写理由。"), Length(max=500), _plain])


class ResumeForm(_Form):
    reason = StringField("说明", validators=[Optional(), Length(max=500), _plain])


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every page here is for administrators; the check runs before any view."""


def _visible(query):
    return query.where(in_scope(ProcessInstance.area_path, current_user, indexed=False))


def _incident(incident_id: int) -> Incident:
    if incident_id > MAX_ID:
        abort(404, "没有这个故障记录。")
    incident = read_session().scalar(sa.select(Incident).options(joinedload(Incident.instance),
                                                                 joinedload(Incident.actor))
                                     .where(Incident.id == incident_id))
    if incident is None or not sees(resolved(current_user), incident.instance.area_path):
        abort(404, "没有这个故障记录。")
    return incident


@bp.route("")
def index(suspend_form=None, status: int = 200):
    """Open incidents (or every incident), newest failure first, and the cases held by an administrator."""
    show_all = request.args.get("all") == "1"
    query = (sa.select(Incident).join(ProcessInstance, ProcessInstance.id == Incident.instance_id)
             .options(joinedload(Incident.instance)).order_by(Incident.failed_at.desc()).limit(200))
    if not show_all:
        query = query.where(Incident.status == IncidentStatus.OPEN)
    rows = list(read_session().scalars(_visible(query)))
    held = list(read_session().scalars(_visible(sa.select(ProcessInstance)
                                                .where(ProcessInstance.suspended_at.is_not(None))
                                                .order_by(ProcessInstance.suspended_at.desc()).limit(200))))
    return render_template("admin/incidents.html", incidents=rows, held=held, show_all=show_all,
                           suspend_form=suspend_form or SuspendForm(formdata=None), process_names=PROCESS_NAMES,
                           kind_names=INCIDENT_KIND_NAMES, status_names=INCIDENT_STATUS_NAMES), status


def _detail(incident: Incident, retry_form=None, skip_form=None, status: int = 200):
    if retry_form is None:
        retry_form = RetryForm(formdata=None, submitted=json.dumps(incident.data, ensure_ascii=False, indent=2))
    held = incident.instance.suspended_at is not None
    return render_template("admin/incident.html", incident=incident, retry_form=retry_form,
                           skip_form=skip_form or ReasonForm(formdata=None),
                           hold_form=ResumeForm(formdata=None) if held else ReasonForm(formdata=None),
                           process_names=PROCESS_NAMES, kind_names=INCIDENT_KIND_NAMES,
                           status_names=INCIDENT_STATUS_NAMES), status


@bp.route("/<int:incident_id>")
def detail(incident_id: int):
    """One incident: the error, the data that was submitted, and what the administrator can do."""
    return _detail(_incident(incident_id))


@bp.route("/<int:incident_id>/retry", methods=["POST"])
def retry(incident_id: int):
    """Run the failed action again, with the (corrected) data in the form."""
    incident = _incident(incident_id)
    form = RetryForm()
    if not form.validate_on_submit():
        return _detail(incident, retry_form=form, status=422)
    data = None
    if (form.submitted.data or "").strip():
        try:
            data = json.loads(form.submitted.data)
        except json.JSONDecodeError as exc:
            data = exc
        if not isinstance(data, dict):
            form.submitted.errors = list(form.submitted.errors) + ["须为 JSON 对象，例如 {\"divisor\": 4}；请检查括号和引号。"]
            return _detail(incident, retry_form=form, status=422)
    try:
        note = incidents.retry(workflow(), incident.id, current_user.id, data)
    except ValidationFailed as exc:
        form.submitted.errors = list(form.submitted.errors) + [f"{k}：{'；'.join(v)}" for k, v in exc.errors.items()]
        return _detail(incident, retry_form=form, status=422)
    except WorkflowError as exc:
        flash(exc.message, "error")
        return _detail(_incident(incident_id), retry_form=form, status=exc.status)
    flash(note or f"故障 {incident.id} 已重试成功，案件 {incident.instance.reference} 继续办理。", "success")
    return redirect(url_for("incidents.index"))


@bp.route("/<int:incident_id>/skip", methods=["POST"])
def skip(incident_id: int):
    """Pass over the failing script task, with the reason (audited)."""
    incident = _incident(incident_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _detail(incident, skip_form=form, status=422)
    try:
        incidents.skip(workflow(), incident.id, current_user.id, form.reason.data)
    except WorkflowError as exc:
        flash(exc.message, "error")
        return _detail(_incident(incident_id), skip_form=form, status=exc.status)
    flash(f"已跳过“{incident.element_name or incident.element_id}”，案件 {incident.instance.reference} 继续办理。",
          "success")
    return redirect(url_for("incidents.index"))


@bp.route("/instances/<int:instance_id>/<any(suspend, resume):action>", methods=["POST"])
def hold(instance_id: int, action: str):
    """Suspend a case (its tasks and timers wait) or resume it."""
    inst = read_session().get(ProcessInstance, instance_id) if instance_id <= MAX_ID else None
    if inst is None or not sees(resolved(current_user), inst.area_path):
        abort(404, "没有这个案件。")
    form = ReasonForm() if action == "suspend" else ResumeForm()
    back = request.form.get("back", "")
    target = url_for("incidents.detail", incident_id=int(back)) if back.isdigit() else url_for("incidents.index")
    if not form.validate_on_submit():
        flash("暂停案件须填写理由。", "error")
        return redirect(target)
    try:
        if action == "suspend":
            incidents.suspend(workflow(), inst.id, current_user.id, form.reason.data)
        else:
            incidents.resume(workflow(), inst.id, current_user.id, form.reason.data or "")
    except WorkflowError as exc:
        flash(exc.message, "error")
        return redirect(target)
    flash(f"案件 {inst.reference} 已{'暂停' if action == 'suspend' else '恢复'}办理。", "success")
    return redirect(target)


@bp.route("/suspend", methods=["POST"])
def suspend_by_reference():
    """Suspend any case by its number (e.g. a complaint about how it is handled), with the reason."""
    form = SuspendForm()
    if not form.validate_on_submit():
        return index(suspend_form=form, status=422)
    inst = read_session().scalar(sa.select(ProcessInstance).where(
        ProcessInstance.reference == form.reference.data.strip()))
    if inst is None or not sees(resolved(current_user), inst.area_path):
        form.reference.errors = list(form.reference.errors) + ["找不到这个案件编号（或不在您的辖区内）。"]
        return index(suspend_form=form, status=422)
    try:
        incidents.suspend(workflow(), inst.id, current_user.id, form.reason.data)
    except WorkflowError as exc:
        flash(exc.message, "error")
        return index(suspend_form=form, status=exc.status)
    flash(f"案件 {inst.reference} 已暂停办理。", "success")
    return redirect(url_for("incidents.index"))

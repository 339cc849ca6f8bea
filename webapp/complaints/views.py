"""Complaint pages: record a report (首接负责), the ledger and its export, a complaint's page, the reply page
that shows a real-name complainant to the first receiver, and a supervisor's logged look-up of an anonymous one."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import forms
from workflows.complaints import service as complaints
from workflows.complaints.models import RESPONSIBLE_UNITS, Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import ValidationFailed
from workflows.ledgers import spreadsheets
from workflows.online_clues import reports as online_clue_reports
from workflows.org.models import User
from workflows.vocabulary import TaskState

from ..access import areas_below, can_act
from ..db import now, read_session, services
from ..downloads import xlsx_response
from ..search import normalise
from ..timefmt import BEIJING, local_now
from .forms import ComplaintForm, LedgerFilterForm, RevealForm

bp = Blueprint("complaints", __name__, url_prefix="/complaints")


def _utc(day) -> datetime | None:
    """Midnight Beijing time of `day` as naive UTC (how the database stores times)."""
    if day is None:
        return None
    return (datetime.combine(day, time()) - BEIJING.utcoffset(None)).replace(tzinfo=None)


def _period(form: LedgerFilterForm):
    since = _utc(form.since.data) if form.since.data else None
    until = _utc(form.until.data + timedelta(days=1)) if form.until.data else None
    return since, until


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Record a report from any channel; the officer who records it is its first receiver (首接负责)."""
    form = ComplaintForm()
    status = 200
    if form.validate_on_submit():
        try:
            created = complaints.record(services(), current_user.id, form.report())
        except ValidationFailed as exc:
            for name, messages in exc.errors.items():
                target = form[name] if name in form else form.content
                target.errors = list(target.errors) + messages
            flash(exc.message, "error")
            status = 422
        else:
            flash(f"已受理，受理编号 {created['reference']}。您是本举报的首接责任人，请及时研判。", "success")
            return redirect(url_for("complaints.show", complaint_id=created["id"]))
    elif request.method == "POST":
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
        status = 422
    areas = areas_below(current_user, ("community", "compound", "building", "unit", "room"))
    return render_template("complaints/new.html", form=form, areas=areas), status


@bp.route("")
@login_required
def ledger():
    """The complaint ledger (受理、办理、答复台账) of my area, optionally for a period; no complainant identities."""
    form = LedgerFilterForm(request.args)
    valid = form.validate()
    since, until = _period(form) if valid else (None, None)
    q = normalise(request.args.get("q"))
    rows = complaints.ledger(services(), current_user.id, since, until, q)
    references = [r["受理编号"] for r in rows]
    ids = dict(read_session().execute(sa.select(Complaint.reference, Complaint.id)
                                      .where(Complaint.reference.in_(references))).all()) if references else {}
    args = {k: v for k, v in request.args.items() if k in ("since", "until", "q") and v}
    return render_template("complaints/ledger.html", rows=rows, ids=ids, form=form, args=args, q=q,
                           headers=complaints.LEDGER_HEADERS)


@bp.route("/export.xlsx")
@login_required
def export():
    """The ledger as an Excel file with Chinese headers (the same period filter as the page)."""
    form = LedgerFilterForm(request.args)
    since, until = _period(form) if form.validate() else (None, None)
    data = spreadsheets.export_complaint_ledger(services(), current_user.id, since, until)
    return xlsx_response(data, f"举报受理台账{local_now(now()):%Y%m%d}.xlsx")


def _page_facts(complaint_id: int) -> tuple[dict, list[HumanTask], ProcessInstance | None, dict]:
    """The complaint (no identity), its open tasks, its linked case and officers' names."""
    c = complaints.view(services(), complaint_id, current_user.id)
    s = read_session()
    tasks = list(s.scalars(sa.select(HumanTask).where(HumanTask.instance_id == c["instance_id"],
                                                      HumanTask.state == TaskState.READY).order_by(HumanTask.created_at)))
    linked = s.get(ProcessInstance, c["linked_instance_id"]) if c["linked_instance_id"] else None
    inst = s.get(ProcessInstance, c["instance_id"])
    names = dict(s.execute(sa.select(User.id, User.display_name).where(
        User.id.in_([i for i in [c["first_receiver_id"]] + [t.assignee_id for t in tasks] if i]))).all())
    # Repeated online-MLM reports of one subject join its clue (workflows.online_clues.reports).
    clue = online_clue_reports.clue_of_complaint(s, complaint_id)
    return c, tasks, linked, {"names": names, "inst": inst, "clue": clue}


@bp.route("/<int:complaint_id>")
@login_required
def show(complaint_id: int):
    """One complaint: what was reported, who received it, where it stands; the complainant stays hidden."""
    c, tasks, linked, extra = _page_facts(complaint_id)
    reply_task = next((t for t in tasks if t.task_name == "reply" and can_act(current_user, t)), None)
    return render_template("complaints/show.html", c=c, tasks=tasks, linked=linked, reply_task=reply_task,
                           units=RESPONSIBLE_UNITS, reveal_form=RevealForm(), identity=None, **extra)


@bp.route("/<int:complaint_id>/reply")
@login_required
def reply(complaint_id: int):
    """The reply step: the first receiver sees the real-name complainant's contact details (the viewing is logged)."""
    c, tasks, _linked, _extra = _page_facts(complaint_id)
    task = next((t for t in tasks if t.task_name == "reply"), None)
    if task is None:
        abort(404, "该举报当前没有待办的答复环节。")
    if not can_act(current_user, task):
        abort(403, "答复举报人由首接责任人办理，您无权查看举报人信息。")
    full = complaints.view(services(), complaint_id, current_user.id, include_identity=True)
    form = forms.form_for("complaint_intake", "reply")(context={}, now=local_now(now()))
    form.replied_on.data = local_now(now()).date()
    return render_template("complaints/reply.html", c=full, task=task, form=form)


@bp.route("/<int:complaint_id>/reveal", methods=["POST"])
@login_required
def reveal(complaint_id: int):
    """A supervisor looks up an anonymous complainant's stored identity, with a reason that is logged."""
    if not current_user.has_role("supervisor"):
        abort(403, "只有督办领导可以查看匿名举报人信息。")
    form = RevealForm()
    c, tasks, linked, extra = _page_facts(complaint_id)
    if not c["anonymous"]:
        abort(404, "该举报为实名举报，举报人信息在答复环节由首接责任人查看。")
    identity = None
    status = 200
    if form.validate_on_submit():
        identity = complaints.reveal_anonymous(services(), complaint_id, current_user.id, form.reason.data.strip())
    else:
        status = 422
    return render_template("complaints/show.html", c=c, tasks=tasks, linked=linked, reply_task=None,
                           units=RESPONSIBLE_UNITS, reveal_form=form, identity=identity, **extra), status

"""The penalty procedures of my area (with filters), one procedure's page (party, source case, steps with their
deadlines and lights, documents, timeline) and the head's extension of the time to decide."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from workflows.exceptions import WorkflowError
from workflows.notices.legal import legal_data
from workflows.penalties.service import PenaltyService
from workflows.vocabulary import PENALTY_OUTCOME_NAMES, SERVICE_METHODS

from ..db import services

bp = Blueprint("penalties", __name__, url_prefix="/penalties")


class ExtendForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    reason = TextAreaField("延长理由", validators=[InputRequired("请填写延长办案期限的理由。"),
                                                Length(max=500, message="不能超过 500 字。")])


def _service() -> PenaltyService:
    return PenaltyService(services())


def _roles() -> dict[str, str]:
    return {k: v["label"] for k, v in legal_data()["fine_ranges"].items()}


@bp.route("")
@login_required
def index():
    """Procedures in my area, newest first; filter by outcome and by role."""
    outcome = request.args.get("outcome", "")
    role = request.args.get("role", "")
    rows = _service().list(current_user.id, outcome=outcome if outcome in PENALTY_OUTCOME_NAMES else None,
                           role=role if role in _roles() else None)
    return render_template("penalties/index.html", rows=rows, outcome=outcome, role=role, roles=_roles(),
                           outcomes=PENALTY_OUTCOME_NAMES)


@bp.route("/<int:instance_id>", methods=["GET"])
@login_required
def show(instance_id: int):
    """One procedure: party, source case, steps with deadlines and lights, documents, timeline."""
    return _page(instance_id, ExtendForm())


def _page(instance_id: int, form: ExtendForm, status: int = 200):
    view = _service().view(instance_id, current_user.id)
    notices = None
    if "notices" in current_app.blueprints:
        from workflows.notices.service import NoticeService
        notices = NoticeService.for_services(services()).list_for_case(instance_id)
    return render_template("penalties/show.html", v=view, row=view.case, roles=_roles(), form=form,
                           outcomes=PENALTY_OUTCOME_NAMES, methods=SERVICE_METHODS, notices=notices), status


@bp.route("/<int:instance_id>/extend", methods=["POST"])
@login_required
def extend(instance_id: int):
    """The head extends the time to decide by 30 days (once); the reason is recorded."""
    form = ExtendForm()
    if not form.validate_on_submit():
        return _page(instance_id, form, 422)
    try:
        due = _service().extend_decision(instance_id, current_user.id, form.reason.data)
    except WorkflowError as exc:
        form.reason.errors = [exc.message]
        return _page(instance_id, form, exc.status)
    flash(f"办案期限已延长至 {due.isoformat()}。", "success")
    return redirect(url_for("penalties.show", instance_id=instance_id))

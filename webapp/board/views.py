"""The supervisor board and reassigning from it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from forms.base import options
from workflows.exceptions import WorkflowError
from workflows.org import access as rules
from workflows.org.models import FIVE_CONTRACT_LEVEL_NAMES
from workflows.time_limits import Light
from workflows.time_limits import counts as time_limits

from ..access import resolved, role_required
from ..db import now, read_session, workflow
from ..lights import thresholds
from ..params import is_number, page_number
from ..people import person_label
from ..timefmt import from_local
from .queries import board

bp = Blueprint("board", __name__, url_prefix="/board")


class ReassignForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    to_user = SelectField("改派给某人", coerce=str, validate_choice=False)
    to_level = SelectField("或改派到层级", choices=options([("", "—")] + [(str(k), f"第 {k} 级 · {v}")
                                                                   for k, v in FIVE_CONTRACT_LEVEL_NAMES.items()]),
                           validate_choice=False)
    reason = TextAreaField("改派理由", validators=[InputRequired("请填写改派理由。"),
                                               Length(max=500, message="理由不能超过 500 字。")])
    due_at = DateTimeLocalField("新的截止时间（可选）", format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                description="不填则从现在起重新计算本环节时限；五包事项按层级重新计时，不另设。")

    def validate_to_user(self, field):
        if field.data and not is_number(field.data):
            raise ValidationError("请选择改派对象。")

    def validate_to_level(self, field):
        if field.data and field.data not in {str(k) for k in FIVE_CONTRACT_LEVEL_NAMES}:
            raise ValidationError("层级应为 1 至 5。")
        if bool(self.to_user.data) == bool(field.data):
            raise ValidationError("请选择改派给某人，或改派到某一层级（二者选一）。")


def _receivers():
    """The one rule's list of people this supervisor may hand work to (the POST checks each task again)."""
    return rules.reassignable_users(read_session(), resolved(current_user))


def _render(form, status=200, selected=()):
    users = _receivers()
    form.to_user.choices = options([("", "—")] + [(str(u.id), person_label(u)) for u in users])
    only = request.args.get("group") or None
    page = request.args.get("page", "1")
    # A supervisor without an area is told why (403), rather than shown an empty board.
    rules.visible_prefix(resolved(current_user), "督办看板")
    groups = board(read_session(), current_user, now(), only, page_number(page))
    streets = time_limits.per_street(read_session(), resolved(current_user), now(), thresholds())
    return render_template("board/index.html", groups=groups, form=form, now=now(), selected=set(selected),
                           only=only, streets=streets, Light=Light), status


@bp.route("")
@role_required("supervisor")
def index():
    """Open five-contracts matters and overdue steps in my area, grouped by level, oldest first."""
    return _render(ReassignForm(formdata=None))


@bp.route("/reassign", methods=["POST"])
@role_required("supervisor")
def reassign():
    """Reassign the ticked tasks to a person or a level, with a reason (each one audited)."""
    form = ReassignForm()
    form.to_user.choices = options([("", "—")] + [(str(u.id), "") for u in _receivers()])
    task_ids = [t for t in request.form.getlist("task_ids") if t][:500]
    if not task_ids:
        flash("请先勾选要改派的事项。", "error")
        return _render(form, 422)
    if not form.validate_on_submit():
        flash("改派未完成，请按提示修改。", "error")
        return _render(form, 422, task_ids)
    to_user = int(form.to_user.data) if form.to_user.data else None
    to_level = int(form.to_level.data) if form.to_level.data else None
    try:
        count = workflow().reassign(task_ids, current_user.id, form.reason.data.strip(), to_user_id=to_user,
                                    to_level=to_level, due_at=from_local(form.due_at.data))
    except WorkflowError as exc:
        flash(f"改派未完成：{exc.message}", "error")
        return _render(form, exc.status, task_ids)
    flash(f"已改派 {count} 项。", "success")
    return redirect(url_for("board.index"))

"""Substitutes: an officer names a colleague with the same post for a period; it ends by itself."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from forms.base import options
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.org.models import User
from workflows.substitutes import service as substitutes

from ..access import resolved
from ..db import now, read_session, services
from ..people import person_label
from ..timefmt import from_local, local_now

bp = Blueprint("substitutes", __name__, url_prefix="/substitutes")


class SubstituteForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    substitute = SelectField("代班人", coerce=str, validate_choice=False,
                             description="只列出与您有相同岗位的在岗人员。")
    starts_at = DateTimeLocalField("开始时间", format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired("请填写开始时间。")])
    ends_at = DateTimeLocalField("结束时间", format="%Y-%m-%dT%H:%M",
                                 validators=[InputRequired("请填写结束时间。")],
                                 description="到时自动结束，您的任务回到您的待办。")
    reason = TextAreaField("事由", validators=[InputRequired("请填写代班事由。"),
                                             Length(max=200, message="事由不超过 200 字。")],
                           description="如：11月30日至12月4日外出培训")


def _candidates() -> list[User]:
    me = resolved(current_user)
    people = read_session().scalars(sa.select(User).options(joinedload(User.area), joinedload(User.department))
                                    .where(User.active.is_(True), User.id != me.id).order_by(User.display_name))
    return [u for u in people if u.role_set & me.role_set]


def _page(form, status=200):
    form.substitute.choices = options([("", "请选择")] + [(str(u.id), person_label(u)) for u in _candidates()])
    return render_template("substitutes/index.html", form=form,
                           lists=substitutes.listing(read_session(), current_user.id, now())), status


@bp.route("", methods=["GET"])
@login_required
def index():
    """Who stands in for me, and for whom I stand in."""
    form = SubstituteForm(formdata=None)
    start = local_now(now()).replace(second=0, microsecond=0)
    form.starts_at.data, form.ends_at.data = start, start + timedelta(days=1)
    return _page(form)


@bp.route("", methods=["POST"])
@login_required
def create():
    """Set a substitute for a period (one action, audited)."""
    form = SubstituteForm()
    if not form.validate_on_submit() or not (form.substitute.data or "").isdigit():
        if not (form.substitute.data or "").isdigit():
            form.substitute.errors = list(form.substitute.errors) + ["请选择代班人。"]
        flash("提交的内容有误，请按红色提示修改。已填写的内容均已保留。", "error")
        return _page(form, 422)
    try:
        substitutes.set_substitute(services(), current_user.id, int(form.substitute.data),
                                   from_local(form.starts_at.data), from_local(form.ends_at.data), form.reason.data)
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            form[name].errors = list(form[name].errors) + messages
        flash(exc.message, "error")
        return _page(form, 422)
    except WorkflowError as exc:
        flash(exc.message, "error")
        return _page(form, exc.status)
    flash("已设置代班人：期间内您的任务（包括新到的）由代班人办理，到期自动结束。", "success")
    return redirect(url_for("substitutes.index"))


@bp.route("/<int:substitution_id>/end", methods=["POST"])
@login_required
def end(substitution_id: int):
    """Back early: end the substitution now."""
    try:
        substitutes.end_substitution(services(), current_user.id, substitution_id)
    except WorkflowError as exc:
        flash(exc.message, "error")
        return redirect(url_for("substitutes.index")), exc.status
    flash("代班已结束，您的任务回到您的待办。", "success")
    return redirect(url_for("substitutes.index"))

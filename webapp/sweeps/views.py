"""Concentrated sweeps (集中清查行动): plan one, record the houses checked (a suspicious one opens a six-step
case at its entry step), finish it, and the assessment view of sweeps per month / quarter."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.exceptions import PermissionDenied, ValidationFailed
from workflows.sweeps import service as sweeps
from workflows.vocabulary import HOUSE_TYPES, SWEEP_FLAGS, SweepStatus

from ..access import areas_below
from ..db import now, services
from ..params import is_number
from ..timefmt import local_now
from .forms import CheckForm, FinishForm, PlanForm

bp = Blueprint("sweeps", __name__, url_prefix="/sweeps")


def _apply(form, exc: ValidationFailed) -> None:
    for name, messages in exc.errors.items():
        target = form[name] if name in form else form[next(iter(form._fields))]
        target.errors = list(target.errors) + messages


@bp.route("")
@login_required
def index():
    """Sweeps in my area, newest first."""
    year = request.args.get("year", "")
    rows = sweeps.list_sweeps(services(), current_user.id, int(year) if is_number(year, 1000, 9999) else None)
    return render_template("sweeps/index.html", rows=rows, status_names=sweeps.STATUS_NAMES, year=year)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Plan a concentrated sweep of an area on a day."""
    form = PlanForm()
    status = 200
    if request.method == "GET":
        form.planned_on.data = local_now(now()).date()
    if form.validate_on_submit():
        try:
            sweep_id = sweeps.plan_sweep(services(), current_user.id, form.address.data, form.planned_on.data,
                                         form.title.data, form.note.data or "")
        except ValidationFailed as exc:
            _apply(form, exc)
        except PermissionDenied as exc:
            form.address.errors = list(form.address.errors) + [exc.message]
        else:
            flash("已部署集中清查行动，请逐户登记清查情况。", "success")
            return redirect(url_for("sweeps.show", sweep_id=sweep_id))
        status = 422
    elif request.method == "POST":
        status = 422
    areas = areas_below(current_user, ("street", "community", "compound", "building"))
    return render_template("sweeps/new.html", form=form, areas=areas), status


def _page(sweep_id: int, check_form: CheckForm | None = None, status: int = 200):
    info = sweeps.get_sweep(services(), current_user.id, sweep_id)
    sweep = info["sweep"]
    rooms = []
    if sweep.status == SweepStatus.PLANNED:
        rooms = [a for a in areas_below(current_user, ("building", "unit", "room")) if a.path.startswith(sweep.area_path)
                 and a.id != sweep.area_id]
    return render_template("sweeps/show.html", info=info, sweep=sweep, form=check_form or CheckForm(formdata=None),
                           finish_form=FinishForm(formdata=None), rooms=rooms, flags=SWEEP_FLAGS,
                           house_types=HOUSE_TYPES, status_names=sweeps.STATUS_NAMES), status


@bp.route("/<int:sweep_id>")
@login_required
def show(sweep_id: int):
    """A sweep: what was checked house by house, the cases opened, and the form for the next house."""
    return _page(sweep_id)


@bp.route("/<int:sweep_id>/checks", methods=["POST"])
@login_required
def add_check(sweep_id: int):
    """Record one house; a suspicious one gets a six-step case that starts at the police's entry."""
    sweeps.get_sweep(services(), current_user.id, sweep_id)  # 404 outside my area, before anything else
    form = CheckForm()
    if form.validate_on_submit():
        try:
            result = sweeps.record_check(services(), current_user.id, sweep_id, form.address.data,
                                         house_type=form.house_type.data, suspicious=form.suspicious.data == "yes",
                                         occupants=form.occupants.data, flags=form.flags.data or [],
                                         note=form.note.data or "", checked_on=form.checked_on.data)
        except ValidationFailed as exc:
            _apply(form, exc)
        else:
            message = f"已登记 {form.address.data.strip()}。"
            if result["case_reference"]:
                message += f"已立六步工作法案件 {result['case_reference']}，转公安入户核查。"
            flash(message, "success")
            return redirect(url_for("sweeps.show", sweep_id=sweep_id))
    flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
    return _page(sweep_id, form, 422)


@bp.route("/<int:sweep_id>/finish", methods=["POST"])
@login_required
def finish(sweep_id: int):
    """Close the sweep; it then counts for the assessment."""
    sweeps.get_sweep(services(), current_user.id, sweep_id)
    form = FinishForm()
    if not form.validate_on_submit():
        flash("；".join(form.summary.errors) or "提交的内容有误。", "error")
        return redirect(url_for("sweeps.show", sweep_id=sweep_id))
    sweeps.finish_sweep(services(), current_user.id, sweep_id, form.summary.data or "")
    flash("集中清查行动已完成。", "success")
    return redirect(url_for("sweeps.show", sweep_id=sweep_id))


@bp.route("/assessment")
@login_required
def assessment():
    """Sweeps per street for the assessment: monthly in key areas, quarterly elsewhere (Annex 3)."""
    today = local_now(now()).date()
    year = request.args.get("year", "")
    year = int(year) if is_number(year, 2000, 2100) else today.year
    rows = sweeps.sweep_counts(services(), year, current_user.id, today=today)
    return render_template("sweeps/assessment.html", rows=rows, year=year, this_year=today.year)

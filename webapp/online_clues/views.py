"""Online MLM clue pages: the ledger with search and filters and its XLSX export, recording and correcting a
clue (with screenshots), the clue page with its links and timeline, and its screenshots."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.exceptions import ValidationFailed
from workflows.online_clues import queries
from workflows.online_clues import service as clues
from workflows.online_clues.models import SOURCES, STATUS_NAMES
from workflows.org.roles import ROLE_NAMES

from .. import uploads
from ..access import areas_below
from ..db import now, services
from ..downloads import xlsx_response
from ..timefmt import local_now
from .forms import ClueForm

bp = Blueprint("online_clues", __name__, url_prefix="/online-clues")
PAGE = 50


def _int(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _filters() -> tuple[queries.ClueFilters, dict]:
    """The list's filters from the query string, and the arguments to keep in links (export, pages)."""
    year_text = (request.args.get("year") or "").strip()
    # A year that is not a number is kept as an impossible one, so the list says what is wrong with it.
    year = _int("year") if year_text.isdigit() else (0 if year_text else None)
    filters = queries.ClueFilters(q=(request.args.get("q") or "").strip()[:100],
                                  status=request.args.get("status", ""), street_id=_int("street"), year=year)
    args = {k: v for k, v in request.args.items() if k in ("q", "status", "street", "year") and v}
    return filters, args


@bp.route("")
@login_required
def index():
    """Clues in my area: search by number, name, alias, URL, app id, platform or credit code; filter them."""
    filters, args = _filters()
    page = max(_int("page") or 1, 1)
    errors = {}
    try:
        rows = queries.list_clues(services(), current_user.id, filters, limit=PAGE + 1, offset=(page - 1) * PAGE)
    except ValidationFailed as exc:
        rows, errors = [], exc.errors
    return render_template("online_clues/index.html", rows=rows[:PAGE], more=len(rows) > PAGE, page=page,
                           filters=filters, args=args, errors=errors, statuses=STATUS_NAMES,
                           streets=areas_below(current_user, ("street",)),
                           may_record=bool(current_user.role_set & clues.CLUE_ROLES)), 422 if errors else 200


@bp.route("/export")
@login_required
def export():
    """The list as it is filtered, as an XLSX file."""
    filters, _args = _filters()
    try:
        data = queries.export(services(), current_user.id, filters)
    except ValidationFailed as exc:
        abort(422, exc.message)
    return xlsx_response(data, f"网络传销线索台账_{local_now(now()):%Y%m%d}.xlsx")


def _area_choices(form: ClueForm) -> None:
    areas = areas_below(current_user, ("district", "street", "community"))
    form.area_id.choices = [(a.id, a.full_name) for a in areas]
    if form.area_id.data is None and current_user.area_id:
        form.area_id.data = current_user.area_id


def _show_errors(form: ClueForm, exc: ValidationFailed) -> None:
    for name, messages in exc.errors.items():
        target = form[name] if name in form else form.scheme_name
        target.errors = list(target.errors) + messages
    flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Record a clue; its four-step process starts at 线上监测."""
    if not current_user.role_set & clues.CLUE_ROLES:
        abort(403, "只有市场监管、公安和督办领导可以登记网络传销线索。")
    form = ClueForm()
    _area_choices(form)
    if request.method == "GET":
        form.received_on.data = local_now(now()).date().isoformat()
    status = 200
    if form.validate_on_submit():
        try:
            # Files are content-addressed: storing first leaves at worst an unreferenced copy, never a
            # clue pointing at a missing file.
            created = clues.record(services(), current_user.id, form.fields(),
                                   [uploads.store(f) for f in form.uploads()])
        except ValidationFailed as exc:
            _show_errors(form, exc)
            status = 422
        else:
            flash(f"已登记线索 {created['reference']}，已转入线上监测。", "success")
            return redirect(url_for("online_clues.show", clue_id=created["id"]))
    elif request.method == "POST":
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
        status = 422
    return render_template("online_clues/form.html", form=form, clue=None), status


@bp.route("/<int:clue_id>")
@login_required
def show(clue_id: int):
    """One clue: ledger facts, screenshots, linked complaints, re-inspection and penalty, open steps, timeline."""
    info = queries.view(services(), current_user.id, clue_id)
    return render_template("online_clues/show.html", info=info, c=info["clue"], role_names=ROLE_NAMES,
                           may_edit=bool(current_user.role_set & clues.CLUE_ROLES))


@bp.route("/instance/<int:instance_id>")
@login_required
def by_instance(instance_id: int):
    """The clue a process instance carries (a penalty procedure links to the clue it came from this way)."""
    return redirect(url_for("online_clues.show", clue_id=queries.clue_of_instance(services(), current_user.id,
                                                                                 instance_id)))


@bp.route("/<int:clue_id>/edit", methods=["GET", "POST"])
@login_required
def edit(clue_id: int):
    """Correct or complete the ledger facts and add screenshots; the change is audited."""
    info = queries.view(services(), current_user.id, clue_id)
    if not current_user.role_set & clues.CLUE_ROLES:
        abort(403, "只有市场监管、公安和督办领导可以修改网络传销线索。")
    form = ClueForm()
    _area_choices(form)
    if request.method == "GET":
        c = info["clue"]
        for name in ("scheme_name", "platform_name", "platform_credit_code", "urls", "app_ids"):
            getattr(form, name).data = c[name]
        form.source.data = next((k for k, v in SOURCES.items() if v == c["source"]), "other")
        form.received_on.data = c["received_on"].isoformat()
        form.aliases.data, form.summary.data = "\n".join(c["aliases"]), info["summary"]
    status = 200
    if form.validate_on_submit():
        try:
            clues.update(services(), current_user.id, clue_id, form.fields(),
                         [uploads.store(f) for f in form.uploads()])
        except ValidationFailed as exc:
            _show_errors(form, exc)
            status = 422
        else:
            flash("已保存线索台账。", "success")
            return redirect(url_for("online_clues.show", clue_id=clue_id))
    elif request.method == "POST":
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
        status = 422
    return render_template("online_clues/form.html", form=form, clue=info["clue"]), status


@bp.route("/<int:clue_id>/screenshots/<sha256>")
@login_required
def screenshot(clue_id: int, sha256: str):
    """A screenshot, only to users who may see the clue, and only if this clue recorded it."""
    info = queries.view(services(), current_user.id, clue_id)
    meta = next((f for f in info["screenshots"] if f.get("sha256") == sha256), None)
    if meta is None:
        abort(404, "该线索没有这个截图。")
    return uploads.send_recorded(meta, "截图文件")

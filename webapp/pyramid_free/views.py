"""创无 pages: the namings (communities and platforms) with filters and XLSX export, a community's application with
its self-assessment, a naming's record and timeline, coverage, the platform register and its reports."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.pyramid_free import applications, exports, platforms, queries
from workflows.pyramid_free.checklist import MANUAL
from workflows.pyramid_free.options import COMMUNITY, PLATFORM_TYPES, SUBJECT_NAMES, options
from workflows.vocabulary import NAMING_STATUS_NAMES

from ..access import areas_below
from ..db import now, services
from ..downloads import xlsx_response
from ..timefmt import local_now
from .forms import ApplyForm, PlatformForm, ReportForm

bp = Blueprint("pyramid_free", __name__, url_prefix="/pyramid-free")
PLATFORM_FIELDS = ("name", "operator", "credit_code", "platform_type", "icp_number", "app_ids", "liaison_name",
                   "liaison_phone")


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _apply_errors(form, exc: ValidationFailed) -> dict:
    """Put field errors on the form's fields; return the rest (e.g. checklist items) for the page."""
    rest = {}
    for name, messages in exc.errors.items():
        if name in form:
            form[name].errors = list(form[name].errors) + messages
        else:
            rest[name] = messages
    return rest


@bp.route("")
@login_required
def index():
    """Namings in my area: filters by status, street, year and kind; export=xlsx writes the same rows."""
    filters = {"q": request.args.get("q", ""), "status": request.args.get("status", ""),
               "street_id": _int("street"), "year": _int("year"), "subject": request.args.get("subject", "")}
    rows = queries.list_namings(services(), current_user.id, **filters)
    if request.args.get("export") == "xlsx":
        return xlsx_response(exports.namings_xlsx(rows), "创建命名清单.xlsx")
    return render_template("pyramid_free/index.html", rows=rows, filters=filters, status_names=NAMING_STATUS_NAMES,
                           streets=queries.streets(services(), current_user.id), subjects=SUBJECT_NAMES)


def _manual_items() -> list[dict]:
    return [i for i in options(services().settings)["checklists"][COMMUNITY]["items"] if i["mode"] == MANUAL]


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply():
    """A community applies for a year with its self-assessment (the records score the other items)."""
    form = ApplyForm()
    communities = areas_below(current_user, ("community",))
    form.community_id.choices = [(a.id, a.full_name) for a in communities]
    items, item_errors, status = _manual_items(), {}, 200
    if request.method == "GET":
        form.year.data = local_now(now()).year
    elif form.validate_on_submit():
        entries = {i["code"]: {"score": request.form.get(f"score_{i['code']}", ""),
                               "note": request.form.get(f"note_{i['code']}", "")} for i in items}
        try:
            naming_id = applications.apply_community(services(), current_user.id, form.community_id.data,
                                                     form.year.data, entries)
        except ValidationFailed as exc:
            item_errors = _apply_errors(form, exc)
            status = 422
        except (PermissionDenied, NotFound, WorkflowError) as exc:
            flash(exc.message, "error")
            status = exc.status if isinstance(exc, PermissionDenied) else 422
        else:
            flash("已提交创建申报，等待街道审核转报。", "success")
            return redirect(url_for("pyramid_free.show", naming_id=naming_id))
    else:
        status = 422
    if status != 200:
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
    return render_template("pyramid_free/apply.html", form=form, items=items, item_errors=item_errors,
                           values=request.form), status


@bp.route("/<int:naming_id>")
@login_required
def show(naming_id: int):
    """One naming: facts, inspections with the records behind computed items, household draws, timeline."""
    record = queries.naming_record(services(), current_user.id, naming_id)
    return render_template("pyramid_free/show.html", r=record)


@bp.route("/<int:naming_id>/redraw", methods=["POST"])
@login_required
def redraw(naming_id: int):
    """Draw the households to visit again (a new stored seed; the earlier draws stay verifiable)."""
    try:
        applications.redraw_sample(services(), current_user.id, naming_id)
        flash("已重新抽签，新的随机种子已保存。", "success")
    except WorkflowError as exc:
        flash(exc.message, "error")
    return redirect(url_for("pyramid_free.show", naming_id=naming_id))


@bp.route("/coverage")
@login_required
def coverage():
    """Coverage of my area for a year: named / total communities per street, and platforms (target 95%)."""
    year = _int("year") or local_now(now()).year
    figures = queries.coverage_for(services(), current_user.id, year)
    if request.args.get("export") == "xlsx":
        return xlsx_response(exports.coverage_xlsx(figures, year), f"{year}年创建覆盖率.xlsx")
    return render_template("pyramid_free/coverage.html", figures=figures, year=year)


@bp.route("/platforms", methods=["GET", "POST"])
@login_required
def platform_list():
    """The platform register; a POST registers a platform."""
    form, status = PlatformForm(), 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                platforms.save_platform(services(), current_user.id, **{k: form[k].data for k in PLATFORM_FIELDS})
            except ValidationFailed as exc:
                _apply_errors(form, exc)
                status = 422
            except PermissionDenied as exc:
                flash(exc.message, "error")
                status = 403
            else:
                flash("已登记网络平台。", "success")
                return redirect(url_for("pyramid_free.platform_list"))
        else:
            status = 422
    rows = queries.list_platforms(services(), current_user.id, request.args.get("q", ""))
    if request.args.get("export") == "xlsx":
        return xlsx_response(exports.platforms_xlsx(rows), "网络平台登记册.xlsx")
    return render_template("pyramid_free/platforms.html", rows=rows, form=form, q=request.args.get("q", ""),
                           year=local_now(now()).year), status


@bp.route("/platforms/<int:platform_id>", methods=["GET", "POST"])
@login_required
def platform(platform_id: int):
    """One platform: its entry, its periodic reports (a POST records one)."""
    form, status = ReportForm(), 200
    if request.method == "POST":
        if form.validate_on_submit():
            figures = {k: form[k].data or 0 for k in ("items_removed", "accounts_closed", "complaints_received",
                                                      "clues_reported", "assistance_requests")}
            try:
                platforms.record_report(services(), current_user.id, platform_id, form.period.data.strip().upper(),
                                        form.reported_on.data, assistance_hours=form.assistance_hours.data,
                                        note=form.note.data or "", **figures)
            except ValidationFailed as exc:
                _apply_errors(form, exc)
                status = 422
            else:
                flash("已登记平台报告。", "success")
                return redirect(url_for("pyramid_free.platform", platform_id=platform_id))
        else:
            status = 422
    record = queries.platform_record(services(), current_user.id, platform_id)
    entry = record["platform"]
    if request.method == "GET" and request.args.get("export") == "xlsx":
        return xlsx_response(exports.reports_xlsx(entry, record["reports"]), f"{entry.name}定期报告.xlsx")
    return render_template("pyramid_free/platform.html", p=entry, reports=record["reports"],
                           namings=record["namings"], form=form, type_name=PLATFORM_TYPES.get(entry.platform_type),
                           year=local_now(now()).year), status


@bp.route("/platforms/<int:platform_id>/edit", methods=["GET", "POST"])
@login_required
def platform_edit(platform_id: int):
    """Change a platform's entry in the register (the 统一社会信用代码 is checked again)."""
    entry = queries.platform_record(services(), current_user.id, platform_id)["platform"]
    form, status = PlatformForm(obj=entry if request.method == "GET" else None), 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                platforms.save_platform(services(), current_user.id, platform_id=platform_id, **{
                    k: form[k].data for k in PLATFORM_FIELDS})
            except ValidationFailed as exc:
                _apply_errors(form, exc)
                status = 422
            except PermissionDenied as exc:
                flash(exc.message, "error")
                status = 403
            else:
                flash("已更新网络平台登记信息。", "success")
                return redirect(url_for("pyramid_free.platform", platform_id=platform_id))
        else:
            status = 422
    return render_template("pyramid_free/platform_edit.html", p=entry, form=form), status


@bp.route("/platforms/<int:platform_id>/apply", methods=["POST"])
@login_required
def platform_apply(platform_id: int):
    """File a platform's application for a year (its self-assessment is recorded at acceptance)."""
    year = request.form.get("year", "")
    try:
        naming_id = applications.apply_platform(services(), current_user.id, platform_id,
                                                int(year) if year.isdigit() else 0)
    except WorkflowError as exc:
        flash(exc.message if not isinstance(exc, ValidationFailed) else "申报年度有误。", "error")
        return redirect(url_for("pyramid_free.platform", platform_id=platform_id))
    flash("已提交网络平台创建申报，等待命名单位审查。", "success")
    return redirect(url_for("pyramid_free.show", naming_id=naming_id))


"""Ledger pages (台账): rental houses with 两书一备案 and 三停一换, intermediaries with their refusal pledge,
the blacklist; XLSX export of each and XLSX/CSV import with a report of every bad row."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.engine.models import ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.ledgers import import_jobs, registries, spreadsheets
from workflows.ledgers.models import THREE_STOPS_STATES, Intermediary, IntermediaryViolation
from workflows.org.models import User

from .. import jobs
from ..access import areas_below, resolved, sees
from ..db import now, read_session, services
from ..downloads import xlsx_response
from ..params import page_number
from ..timefmt import local_now
from .forms import (HouseForm, ImportForm, IntermediaryForm, ThreeStopsForm, UnflagForm, ViolationForm,
                    tenants_text)

bp = Blueprint("registries", __name__, url_prefix="/registries")
LEDGERS = spreadsheets.REGISTRY_NAMES
ERRORS_PER_PAGE = 100
# Files up to this size are checked within the request; larger ones wait for the worker, their page showing
# progress.
IMPORT_SYNC_BYTES = 256 * 1024
PAGE = 50


def _page() -> int:
    page = request.args.get("page", "1")
    return page_number(page)


def _house_areas():
    return areas_below(current_user, ("building", "unit", "room"))


def _in_my_area(area_path: str) -> bool:
    """The one access rule for a ledger record or case; a user without an area gets the 403 that says why."""
    try:
        registries.scope(resolved(current_user))
    except PermissionDenied as exc:
        abort(403, exc.message)
    return sees(current_user, area_path)


# ---------------------------------------------------------------- rental houses
@bp.route("/houses")
@login_required
def houses():
    """Rental houses in my area: search by address, owner, ID number or phone; filter flagged ones."""
    q = (request.args.get("q") or "").strip()[:60]
    flagged = {"1": True, "0": False}.get(request.args.get("flagged", ""))
    page = _page()
    rows = registries.list_houses(services(), current_user.id, q, flagged, limit=PAGE + 1, offset=(page - 1) * PAGE)
    args = {k: v for k, v in {"q": q, "flagged": request.args.get("flagged", "")}.items() if v}
    return render_template("registries/houses.html", rows=rows[:PAGE], more=len(rows) > PAGE, page=page, q=q,
                           flagged=request.args.get("flagged", ""), args=args, three_stops=THREE_STOPS_STATES)


def _save_house(form: HouseForm, address: str):
    """Save through the engine; its refusals become messages on the form. Returns the house id or None."""
    try:
        return registries.save_house(services(), current_user.id, address, **form.fields())
    except (PermissionDenied, WorkflowError) as exc:
        if isinstance(exc, NotFound):
            raise
        target = form.address if "地址" in exc.message or "辖区" in exc.message else form.flagged
        target.errors = list(target.errors) + [exc.message]
        return None


@bp.route("/houses/new", methods=["GET", "POST"])
@login_required
def new_house():
    """Register a rental house (or update the one already at that address)."""
    form = HouseForm()
    status = 200
    if form.validate_on_submit():
        house_id = _save_house(form, form.address.data.strip())
        if house_id is not None:
            flash("已保存出租屋信息。" + ("已标记为涉传出租屋，网格员巡查已开始。" if form.flagged.data else ""), "success")
            return redirect(url_for("registries.house", house_id=house_id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("registries/house_form.html", form=form, house=None, areas=_house_areas()), status


@bp.route("/houses/<int:house_id>/edit", methods=["GET", "POST"])
@login_required
def edit_house(house_id: int):
    """Change a house's landlord, tenants, 两书一备案 and notes; ticking 涉传 starts its patrol."""
    house = registries.get_house(services(), current_user.id, house_id)["house"]
    form = HouseForm(obj=None if request.method == "POST" else house)
    if request.method == "GET":
        form.tenants.data = tenants_text(house.tenants)
    form.address.data = house.address  # the address identifies the house and is not edited here
    status = 200
    if form.validate_on_submit():
        if _save_house(form, house.address) is not None:
            flash("已保存出租屋信息。", "success")
            return redirect(url_for("registries.house", house_id=house.id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("registries/house_form.html", form=form, house=house, areas=[]), status


@bp.route("/houses/<int:house_id>")
@login_required
def house(house_id: int):
    """One house: landlord, tenants, 两书一备案, 涉传 history with its cases, 三停一换, the patrol."""
    info = registries.get_house(services(), current_user.id, house_id)
    h = info["house"]
    patrol = read_session().get(ProcessInstance, h.patrol_instance_id) if h.patrol_instance_id else None
    three = ThreeStopsForm(formdata=None, state=h.three_stops_state, on=local_now(now()).date())
    return render_template("registries/house.html", info=info, h=h, patrol=patrol, three_form=three,
                           unflag_form=UnflagForm(formdata=None), three_stops=THREE_STOPS_STATES)


@bp.route("/houses/<int:house_id>/three-stops", methods=["POST"])
@login_required
def three_stops(house_id: int):
    """Record 三停一换 (water, power, gas cut; lock changed) put in place or lifted."""
    registries.get_house(services(), current_user.id, house_id)  # 404 outside my area
    form = ThreeStopsForm()
    if not form.validate_on_submit():
        flash("请选择三停一换状态，日期格式应为 2026-11-23。", "error")
        return redirect(url_for("registries.house", house_id=house_id))
    registries.set_three_stops(services(), current_user.id, house_id, form.state.data, form.on.data)
    flash(f"已登记三停一换：{THREE_STOPS_STATES[form.state.data]}。", "success")
    return redirect(url_for("registries.house", house_id=house_id))


@bp.route("/houses/<int:house_id>/unflag", methods=["POST"])
@login_required
def unflag(house_id: int):
    """Lift a house's 涉传 flag (housing officers only); this ends its patrol."""
    info = registries.get_house(services(), current_user.id, house_id)
    if not current_user.has_role("housing"):
        abort(403, "解除涉传标记由住房保障（房管）人员办理。")
    form = UnflagForm()
    if not form.validate_on_submit():
        flash("；".join(form.reason.errors) or "请填写解除理由。", "error")
        return redirect(url_for("registries.house", house_id=house_id))
    if not info["house"].flagged:
        flash("该出租屋没有涉传标记。", "info")
        return redirect(url_for("registries.house", house_id=house_id))
    registries.unflag_house(services(), current_user.id, house_id, form.reason.data.strip())
    flash("已解除涉传标记，巡查结束。", "success")
    return redirect(url_for("registries.house", house_id=house_id))


# ---------------------------------------------------------------- intermediaries
@bp.route("/intermediaries")
@login_required
def intermediaries():
    """Housing agencies in my area with their refusal pledge (拒绝为传销人员提供房源承诺书) and violations."""
    q = (request.args.get("q") or "").strip()[:60]
    page = _page()
    rows = registries.list_intermediaries(services(), current_user.id, q, limit=PAGE + 1, offset=(page - 1) * PAGE)
    return render_template("registries/intermediaries.html", rows=rows[:PAGE], more=len(rows) > PAGE, page=page,
                           q=q, args={"q": q} if q else {})


def _visible_intermediary(agency_id: int) -> Intermediary:
    agency = read_session().get(Intermediary, agency_id)
    if agency is None or not _in_my_area(agency.area_path):
        abort(404, "该中介机构不存在或不在您的辖区内。")
    return agency


def _save_intermediary(form: IntermediaryForm):
    try:
        return registries.save_intermediary(services(), current_user.id, form.credit_code.data.strip(),
                                            form.name.data.strip(), form.address.data.strip(), **form.fields())
    except (PermissionDenied, WorkflowError) as exc:
        if isinstance(exc, NotFound):
            raise
        target = form.credit_code if "信用代码" in exc.message else form.address
        target.errors = list(target.errors) + [exc.message]
        return None


@bp.route("/intermediaries/new", methods=["GET", "POST"])
@login_required
def new_intermediary():
    """Register a housing agency (or update it, by its credit code)."""
    form = IntermediaryForm()
    status = 200
    if form.validate_on_submit():
        existing = read_session().scalar(sa.select(Intermediary).where(
            Intermediary.credit_code == form.credit_code.data.strip().upper()))
        if existing is not None and not _in_my_area(existing.area_path):
            form.credit_code.errors = ["该信用代码的中介机构已由其他辖区登记。"]
        else:
            agency_id = _save_intermediary(form)
            if agency_id is not None:
                flash("已保存中介机构信息。", "success")
                return redirect(url_for("registries.intermediary", agency_id=agency_id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("registries/intermediary_form.html", form=form, agency=None,
                           areas=areas_below(current_user, ("community", "compound", "building", "unit", "room"))), status


@bp.route("/intermediaries/<int:agency_id>/edit", methods=["GET", "POST"])
@login_required
def edit_intermediary(agency_id: int):
    agency = _visible_intermediary(agency_id)
    form = IntermediaryForm(obj=None if request.method == "POST" else agency)
    form.credit_code.data = agency.credit_code  # the credit code identifies the agency
    status = 200
    if form.validate_on_submit():
        if _save_intermediary(form) is not None:
            flash("已保存中介机构信息。", "success")
            return redirect(url_for("registries.intermediary", agency_id=agency.id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("registries/intermediary_form.html", form=form, agency=agency,
                           areas=areas_below(current_user, ("community", "compound", "building", "unit", "room"))), status


@bp.route("/intermediaries/<int:agency_id>")
@login_required
def intermediary(agency_id: int):
    """One agency: its refusal pledge shown prominently, and every violation recorded."""
    agency = _visible_intermediary(agency_id)
    rows = read_session().execute(
        sa.select(IntermediaryViolation, User.display_name, ProcessInstance.reference)
        .outerjoin(User, User.id == IntermediaryViolation.recorded_by_id)
        .outerjoin(ProcessInstance, ProcessInstance.id == IntermediaryViolation.instance_id)
        .where(IntermediaryViolation.intermediary_id == agency.id).order_by(IntermediaryViolation.at.desc())).all()
    return render_template("registries/intermediary.html", agency=agency, violations=rows,
                           form=ViolationForm(formdata=None))


@bp.route("/intermediaries/<int:agency_id>/violations", methods=["POST"])
@login_required
def add_violation(agency_id: int):
    """Record that an agency rented to MLM participants despite its pledge."""
    agency = _visible_intermediary(agency_id)
    form = ViolationForm()
    instance_id = None
    if form.validate_on_submit():
        reference = (form.case_reference.data or "").strip().upper()
        if reference:
            inst = read_session().scalar(sa.select(ProcessInstance).where(ProcessInstance.reference == reference))
            if inst is None or not _in_my_area(inst.area_path):
                form.case_reference.errors = ["找不到该案件编号，或该案件不在您的辖区内。"]
            else:
                instance_id = inst.id
        if not form.case_reference.errors:
            registries.record_violation(services(), current_user.id, agency.id, form.description.data.strip(),
                                        instance_id)
            flash("已登记违规情况。", "success")
            return redirect(url_for("registries.intermediary", agency_id=agency.id))
    flash("提交的内容有误，请按红色提示修改。", "error")
    return render_template("registries/intermediary.html", agency=agency, violations=[], form=form), 422


# ---------------------------------------------------------------- blacklist
@bp.route("/blacklist")
@login_required
def blacklist():
    """The district-wide blacklist: search by ID number, name, phone, group number or bank card."""
    q = (request.args.get("q") or "").strip()[:60]
    page = _page()
    rows = registries.list_blacklist(services(), current_user.id, q, limit=PAGE + 1, offset=(page - 1) * PAGE)
    return render_template("registries/blacklist.html", rows=rows[:PAGE], more=len(rows) > PAGE, page=page, q=q,
                           args={"q": q} if q else {})


# ---------------------------------------------------------------- export and import
def _ledger_or_404(ledger: str) -> str:
    if ledger not in LEDGERS:
        abort(404, "没有这个台账。")
    return ledger


@bp.route("/<ledger>/export.xlsx")
@login_required
def export(ledger: str):
    """The whole ledger inside my area as an Excel file with Chinese headers (the import reads it back)."""
    _ledger_or_404(ledger)
    data = spreadsheets.export_registry(services(), current_user.id, ledger)
    return xlsx_response(data, f"{LEDGERS[ledger]}{local_now(now()):%Y%m%d}.xlsx")


@bp.route("/<ledger>/import", methods=["GET", "POST"])
@login_required
def import_file(ledger: str):
    """Upload a ledger file: every row is checked first; nothing is imported while any row is bad,
    unless the officer then chooses to import the good rows."""
    _ledger_or_404(ledger)
    form = ImportForm()
    columns = [c for c in spreadsheets.SPECS[ledger] if not c.exported_only]
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("registries/import.html", form=form, ledger=ledger, name=LEDGERS[ledger],
                               columns=columns), status
    upload = form.file.data
    content = upload.read()
    try:
        job_id = import_jobs.create_job(services(), current_user.id, ledger, upload.filename or "", content)
    except ValidationFailed as exc:  # past a cap: refused before the file is stored or parsed
        form.file.errors = list(form.file.errors) + [m for ms in exc.errors.values() for m in ms]
        return render_template("registries/import.html", form=form, ledger=ledger, name=LEDGERS[ledger],
                               columns=columns), 422
    if _done_in_request(len(content)):
        _run_now(import_jobs.get_job(services(), job_id, current_user.id).job_id)
    return redirect(url_for("registries.import_job", job_id=job_id))


def _done_in_request(size: int) -> bool:
    """A small file is done before the page answers; a large one waits for the worker, its page showing progress."""
    return size <= current_app.config.get("REGISTRY_IMPORT_SYNC_BYTES", IMPORT_SYNC_BYTES)


def _run_now(queued_job_id: int) -> None:
    """Run a queued job through the worker's own code path: the request holds the job's lease, so if this
    process dies the worker takes the job over."""
    jobs.worker(services()).run_one(queued_job_id)


@bp.route("/imports/<int:job_id>")
@login_required
def import_job(job_id: int):
    """Progress of a check or import, then its report: every bad row with its line number and reason."""
    job = import_jobs.get_job(services(), job_id, current_user.id)
    # The report lists every bad row, a page at a time: a large file's errors would make one huge page.
    page = page_number(request.args.get("page"))
    shown = job.errors[(page - 1) * ERRORS_PER_PAGE:page * ERRORS_PER_PAGE]
    return render_template("registries/import_job.html", job=job, name=LEDGERS.get(job.ledger, job.ledger),
                           size=len(job.content or b""), errors=shown, page=page, args={"job_id": job.id},
                           more=len(job.errors) > page * ERRORS_PER_PAGE, first_error=(page - 1) * ERRORS_PER_PAGE)


@bp.route("/imports/<int:job_id>/import-good", methods=["POST"])
@login_required
def import_good(job_id: int):
    """The officer's explicit choice: import the rows that passed, leave the bad ones out."""
    job = import_jobs.get_job(services(), job_id, current_user.id)
    queued_job_id = import_jobs.start_phase(services(), job_id, current_user.id, import_good_rows=True)
    if _done_in_request(len(job.content or b"")):
        _run_now(queued_job_id)
    return redirect(url_for("registries.import_job", job_id=job_id))

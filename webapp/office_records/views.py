"""The office records: for each kind a list, a form to record one, its page (change it, see its history and
files); the persons caught still owed a letter; the police's 110 alert XLSX import and its template."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forms.files import chosen_files
from workflows.exceptions import PermissionDenied, ValidationFailed
from workflows.office_records import alerts, letters, organisation
from workflows.office_records.catalogue import KINDS
from workflows.office_records.common import get, list_rows, save
from workflows.org.models import Area, User
from workflows.org.roles import ROLE_NAMES
from workflows.tabular import to_xlsx

from .. import uploads
from ..access import areas_below, in_scope
from ..db import now, read_session, services
from ..downloads import xlsx_response
from ..params import is_number
from ..timefmt import local_now
from .columns import COLUMNS
from .forms import FORMS, ImportForm

bp = Blueprint("office_records", __name__, url_prefix="/office-records")


def _kind(key: str):
    if key not in KINDS:
        abort(404, "没有这类记录。")
    return KINDS[key]


def _today() -> date:
    return local_now(now()).date()


def _apply(form, exc: ValidationFailed) -> None:
    for name, messages in exc.errors.items():
        target = form[name] if name in form else form.address
        target.errors = list(target.errors) + messages


def _member_choices(form) -> None:
    if "members" in form:
        users = read_session().scalars(sa.select(User).join(Area, Area.id == User.area_id).where(
            in_scope(Area.path, current_user), User.active.is_(True)).order_by(Area.path, User.display_name))
        form.members.choices = [(u.id, u.display_name) for u in users]


def _data(form, existing=None) -> dict:
    """The service's data from the form; files are stored now (content-addressed, so a refused form leaves
    nothing but a file no record names), and a change without a new file keeps the old one."""
    data = {name: field.data for name, field in form._fields.items()
            if name not in ("address", "csrf_token") and name not in form.file_fields}
    for name in form.file_fields:
        stored = [uploads.store(f) for f in chosen_files(form[name].data)]
        if name == "photos":
            data[name] = list(getattr(existing, name, None) or []) + stored
        else:
            data[name] = stored[0] if stored else getattr(existing, name, None)
    return data


def _fill(form, row, address: str) -> None:
    form.address.data = address
    for name, field in form._fields.items():
        if name not in ("address", "csrf_token") and name not in form.file_fields and name not in form.derived:
            field.data = getattr(row, name, None)


def _page(kind, form, status=200, detail=None):
    places = areas_below(current_user, kind.area_kinds)
    members = getattr((detail or {}).get("row"), "members", None) or []
    names = dict(read_session().execute(sa.select(User.id, User.display_name).where(User.id.in_(members))).all()) \
        if members else {}
    return render_template("office_records/form.html", kind=kind, form=form, detail=detail, places=places,
                           member_names=[names.get(m, f"#{m}") for m in members]), status


@bp.route("")
@login_required
def index():
    """The record kinds and how many of each the user sees."""
    return render_template("office_records/index.html", kinds=KINDS)


@bp.route("/<key>")
@login_required
def listing(key: str):
    """One kind's records inside my area, newest first; filter by year."""
    kind = _kind(key)
    year = request.args.get("year", "")
    rows = list_rows(services(), current_user.id, kind, int(year) if is_number(year, 2000, 2100) else None)
    return render_template("office_records/list.html", kind=kind, rows=rows, columns=COLUMNS[key], year=year,
                           today=_today())


@bp.route("/<key>/export.xlsx")
@login_required
def export(key: str):
    """One kind's records inside my area as XLSX (the year filter applies), for the inspectors' 查阅台账."""
    kind = _kind(key)
    year = request.args.get("year", "")
    rows = list_rows(services(), current_user.id, kind, int(year) if is_number(year, 2000, 2100) else None,
                     limit=50_000)
    today = _today()
    table = [[r["area"]] + [_cell(value(r["row"], today)) for _, value in COLUMNS[key]] + [r["row"].note]
             for r in rows]
    return xlsx_response(to_xlsx(kind.title, ["区域"] + [h for h, _ in COLUMNS[key]] + ["说明"], table),
                         f"{kind.title}{year or ''}.xlsx")


def _cell(value):
    return value if isinstance(value, (int, date, str)) or value is None else str(value)


@bp.route("/<key>/new", methods=["GET", "POST"])
@login_required
def new(key: str):
    """Record one."""
    kind = _kind(key)
    form = FORMS[key]()
    _member_choices(form)
    if request.method == "GET":
        for name in ("held_on", "sent_on", "formed_on", "filed_on"):
            if name in form:
                form[name].data = _today()
        if "year" in form:
            form.year.data = _today().year
        # "登记寄送" from the list of persons still owed a letter names the person.
        for name in ("id_number", "person_name", "case_reference", "letter_number"):
            if name in form and request.args.get(name):
                form[name].data = request.args[name][:64]
        return _page(kind, form)
    if form.validate_on_submit():
        try:
            record_id = save(services(), current_user.id, kind, form.address.data, _data(form))
        except ValidationFailed as exc:
            _apply(form, exc)
        except PermissionDenied as exc:
            form.address.errors = list(form.address.errors) + [exc.message]
        else:
            flash(f"已登记{kind.title}。", "success")
            return redirect(url_for("office_records.show", key=key, record_id=record_id))
    flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留（文件需重新选择）。", "error")
    return _page(kind, form, 422)


@bp.route("/<key>/<int:record_id>", methods=["GET", "POST"])
@login_required
def show(key: str, record_id: int):
    """One record: change it, and who recorded and changed what, when."""
    kind = _kind(key)
    detail = get(services(), current_user.id, kind, record_id)  # 404 outside my area, before anything else
    form = FORMS[key]()
    _member_choices(form)
    if request.method == "GET":
        _fill(form, detail["row"], detail["address"])
        return _page(kind, form, detail=detail)
    if form.validate_on_submit():
        try:
            save(services(), current_user.id, kind, form.address.data, _data(form, detail["row"]), record_id)
        except ValidationFailed as exc:
            _apply(form, exc)
        except PermissionDenied as exc:
            form.address.errors = list(form.address.errors) + [exc.message]
        else:
            flash("已保存修改。", "success")
            return redirect(url_for("office_records.show", key=key, record_id=record_id))
    flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留（文件需重新选择）。", "error")
    return _page(kind, form, 422, detail)


@bp.route("/<key>/<int:record_id>/files/<sha256>")
@login_required
def file(key: str, record_id: int, sha256: str):
    """A photo, receipt or document of a record the user may see."""
    row = get(services(), current_user.id, _kind(key), record_id)["row"]
    files = list(getattr(row, "photos", None) or []) + [f for f in (getattr(row, "receipt", None),
                                                                     getattr(row, "file", None)) if f]
    meta = next((f for f in files if f.get("sha256") == sha256), None)
    if meta is None:
        abort(404, "该记录没有这个文件。")
    return uploads.send_recorded(meta, "文件")


@bp.route("/letters/owed")
@login_required
def letters_owed():
    """The persons caught in a period (default: this year) still without a letter to their registration place."""
    today = _today()
    try:
        start = date.fromisoformat(request.args.get("from") or f"{today.year}-01-01")
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        flash("日期格式应为 2026-01-01。", "error")
        start, end = date(today.year, 1, 1), today
    rows = letters.persons_without_letter(services(), current_user.id, start, end)
    return render_template("office_records/letters_owed.html", rows=rows, start=start, end=end)


@bp.route("/alerts/template.xlsx")
@login_required
def alerts_template():
    """The XLSX the police fill in."""
    return xlsx_response(alerts.template(), "110传销警情导入模板.xlsx")


@bp.route("/alerts/import", methods=["GET", "POST"])
@login_required
def alerts_import():
    """Import the police's 110 alert counts: every row checked, all or nothing."""
    form = ImportForm()
    problems, status = [], 200
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        if not getattr(upload, "filename", ""):
            form.file.errors = list(form.file.errors) + ["请选择要导入的 .xlsx 文件。"]
            status = 422
        else:
            try:
                result = alerts.import_file(services(), current_user.id, upload.filename, upload.read())
            except alerts.ImportRefused as exc:
                problems, status = exc.problems, 422
                flash(exc.message, "error")
            except ValidationFailed as exc:
                form.file.errors = list(form.file.errors) + exc.errors.get("file", [exc.message])
                status = 422
            else:
                flash(f"已导入：新增 {result['created']} 条，更新 {result['replaced']} 条。", "success")
                return redirect(url_for("office_records.listing", key="alerts"))
    elif request.method == "POST":
        status = 422
    return render_template("office_records/import.html", form=form, problems=problems,
                           headers=alerts.HEADERS), status


@bp.app_template_filter("task_force_gap")
def task_force_gap(group) -> str:
    """What a 241 task force lacks, in words ("" when complete or not a task force)."""
    if group is None or getattr(group, "kind", None) != organisation.TASK_FORCE:
        return ""
    lacking = organisation.shortfall(read_session(), group)
    return "、".join(f"缺{ROLE_NAMES[r]} {n} 名" for r, n in lacking.items())

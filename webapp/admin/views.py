"""Administration: users, five-contract assignments, process versions. Only the admin role."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms.widgets import PasswordInput

from forms import REGISTRY as TASK_FORMS
from forms.base import options
from workflows.engine.models import ProcessInstance, ProcessVersion
from workflows.exceptions import InvalidDiagram, ValidationFailed, WorkflowError
from workflows.org import admin as org_admin
from workflows.org import throttle
from workflows.org.areas import area_by_address
from workflows.org.models import (FIVE_CONTRACT_LEVEL_KIND, FIVE_CONTRACT_LEVEL_NAMES, Area, Department,
                                  FiveContractAssignment, User)

from ..access import role_required
from ..db import now, read_session, services, workflow
from ..labels import PROCESS_NAMES
from ..params import is_number, page_number
from ..people import people_named, person_label
from ..search import normalise
from .forms import AssignmentForm, DiagramForm, NewUserForm, PasswordForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
LEVEL_FOR_KIND = {kind: level for level, kind in FIVE_CONTRACT_LEVEL_KIND.items()}


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every page here is for administrators; the check runs before any view."""


def _area_by_name(name: str) -> Area | None:
    return area_by_address(read_session(), name)


def _department_choices(form) -> None:
    departments = read_session().scalars(sa.select(Department).order_by(Department.id))
    form.department.choices = options([("", "—")] + [(str(d.id), d.name) for d in departments])


def _all_areas_above_rooms() -> list[Area]:
    return list(read_session().scalars(sa.select(Area).where(Area.kind != "room").order_by(Area.path)))


# ------------------------------------------------------------------ users
@bp.route("")
@bp.route("/users")
def users():
    """All users, with search by name, user name or role."""
    q = normalise(request.args.get("q"))
    query = sa.select(User).options(joinedload(User.area), joinedload(User.department)).order_by(User.username)
    if q:
        query = query.where(sa.or_(User.username.contains(q, autoescape=True),
                                   User.display_name.contains(q, autoescape=True),
                                   User.roles.contains(q, autoescape=True)))
    return render_template("admin/users.html", users=list(read_session().scalars(query)), q=q, now=now(),
                           delayed=throttle.blocked_accounts(read_session(), now()))


def _user_fields(form) -> dict | None:
    area = _area_by_name(form.area.data)
    if area is None:
        form.area.errors = list(form.area.errors) + ["找不到这个区域，请从提示中选择标准地址全称。"]
        return None
    department = form.department.data
    return {"display_name": form.display_name.data.strip(), "roles": form.roles.data, "area_id": area.id,
            "department_id": int(department) if is_number(department) else None,
            "phone": form.phone.data or ""}


def _unconfirmed_namesakes(form, user_id: int | None) -> list[str]:
    """Others with the same display name, unless the administrator ticked that this is a different person."""
    if request.form.get("same_name_confirmed") == "1":
        return []
    namesakes = [person_label(u) for u in people_named(read_session(), form.display_name.data or "", user_id)]
    if namesakes and hasattr(form, "password"):
        # Asked again only to confirm the name: keep the typed passwords in the page.
        form.password.widget = form.confirm.widget = PasswordInput(hide_value=False)
    return namesakes


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a user with roles, an area and an initial password."""
    form = NewUserForm()
    _department_choices(form)
    status = 200
    namesakes = []
    if form.validate_on_submit():
        fields = _user_fields(form)
        namesakes = _unconfirmed_namesakes(form, None)
        if fields is not None and not namesakes:
            try:
                user_id = org_admin.create_user(services(), current_user.id, username=form.username.data,
                                                password=form.password.data, **fields)
            except WorkflowError as exc:
                form.username.errors = list(form.username.errors) + [exc.message]
            else:
                flash(f"已创建用户 {form.username.data}。", "success")
                return redirect(url_for("admin.edit_user", user_id=user_id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/user_form.html", form=form, user=None, areas=_all_areas_above_rooms(),
                           namesakes=namesakes), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    """Change a user's name, roles, area, unit, phone; disable or enable the account."""
    user = read_session().get(User, user_id)
    if user is None:
        abort(404, "没有这个用户。")
    form = UserForm(obj=None if request.method == "POST" else user)
    _department_choices(form)
    if request.method == "GET":
        form.roles.data = sorted(user.role_set)
        form.area.data = user.area.full_name if user.area else ""
        form.department.data = str(user.department_id or "")
    status, namesakes = 200, []
    if form.validate_on_submit():
        fields = _user_fields(form)
        namesakes = _unconfirmed_namesakes(form, user.id)
        if fields is not None and not namesakes:
            try:
                org_admin.update_user(services(), current_user.id, user.id, active=bool(form.active.data),
                                      **fields)
            except WorkflowError as exc:
                flash(exc.message, "error")
            else:
                flash("已保存。", "success")
                return redirect(url_for("admin.edit_user", user_id=user.id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/user_form.html", form=form, user=user, areas=_all_areas_above_rooms(),
                           password_form=PasswordForm(formdata=None), now=now(), namesakes=namesakes,
                           delayed=user.username.lower() in throttle.blocked_accounts(read_session(), now())), status


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def reset_password(user_id):
    """Set a new password (also unlocks the account and signs the user out everywhere)."""
    user = read_session().get(User, user_id)
    if user is None:
        abort(404, "没有这个用户。")
    form = PasswordForm()
    if not form.validate_on_submit():
        for errors in (form.password.errors, form.confirm.errors):
            for e in errors:
                flash(f"密码未重置：{e}", "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    try:
        org_admin.reset_password(services(), current_user.id, user.id, form.password.data)
    except ValidationFailed as exc:
        for messages in exc.errors.values():
            for e in messages:
                flash(f"密码未重置：{e}", "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    flash(f"已为 {user.display_name} 重置密码，请当面或电话告知；该用户下次登录时须修改密码。", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock_user(user_id):
    """Lift the login delays on the account."""
    if read_session().get(User, user_id) is None:
        abort(404, "没有这个用户。")
    org_admin.unlock(services(), current_user.id, user_id)
    flash("已解除登录限制。", "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


# ------------------------------------------------------------------ five contracts
@bp.route("/assignments")
def assignments():
    """Five-contract responsibility: pick an area to see and set who answers for it."""
    q = normalise(request.args.get("q"))
    areas = []
    if q:
        areas = list(read_session().scalars(
            sa.select(Area).where(Area.full_name.contains(q, autoescape=True),
                                  Area.kind.in_(list(LEVEL_FOR_KIND))).order_by(Area.path).limit(60)))
    holders = {}
    if areas:
        rows = read_session().execute(
            sa.select(FiveContractAssignment.area_id, User.display_name)
            .join(User, User.id == FiveContractAssignment.user_id)
            .where(FiveContractAssignment.area_id.in_([a.id for a in areas])))
        holders = dict(rows.all())
    return render_template("admin/assignments.html", q=q, areas=areas, holders=holders,
                           level_for_kind=LEVEL_FOR_KIND, level_names=FIVE_CONTRACT_LEVEL_NAMES)


@bp.route("/assignments/<int:area_id>", methods=["GET", "POST"])
def assignment(area_id):
    """Set or clear the responsible person for one area at its level."""
    area = read_session().get(Area, area_id)
    if area is None or area.kind not in LEVEL_FOR_KIND:
        abort(404, "该区域不属于五包责任层级（单元、楼栋、小区、社区、街道）。")
    level = LEVEL_FOR_KIND[area.kind]
    current = read_session().scalar(sa.select(FiveContractAssignment).where(
        FiveContractAssignment.area_id == area.id, FiveContractAssignment.level == level))
    candidates = list(read_session().scalars(sa.select(User).options(joinedload(User.area),
                                                                     joinedload(User.department))
                                             .where(User.active.is_(True)).order_by(User.display_name)))
    form = AssignmentForm()
    form.user.choices = options([("", "（未指定）")] + [(str(u.id), person_label(u)) for u in candidates])
    if request.method == "GET":
        form.user.data = str(current.user_id) if current else ""
    if form.validate_on_submit():
        value = form.user.data
        if value and not is_number(value):
            abort(400)
        org_admin.set_assignment(services(), current_user.id, area.id, level, int(value) if value else None)
        flash(f"已保存{area.full_name}第 {level} 级责任人。", "success")
        return redirect(url_for("admin.assignments", q=area.full_name))
    return render_template("admin/assignment.html", area=area, level=level, form=form,
                           level_name=FIVE_CONTRACT_LEVEL_NAMES[level])


# ------------------------------------------------------------------ process versions
def _version_rows():
    counts = {}
    for version_id, status, n in read_session().execute(
            sa.select(ProcessInstance.version_id, ProcessInstance.status, sa.func.count())
            .group_by(ProcessInstance.version_id, ProcessInstance.status)):
        counts.setdefault(version_id, {})[status] = n
    versions = list(read_session().scalars(sa.select(ProcessVersion).order_by(ProcessVersion.process_id,
                                                                                ProcessVersion.id.desc())))
    return versions, counts


@bp.route("/processes", methods=["GET", "POST"])
def processes():
    """Deployed diagram versions with how many cases run each; upload a new version after it passes the checks."""
    form = DiagramForm()
    problems, status = [], 200
    if form.validate_on_submit():
        upload = form.diagram.data
        xml = upload.read()
        try:
            # A user task without a form would give its officers a page they cannot use: refused here.
            deployed = workflow().deploy_xml(xml, upload.filename, current_user.id,
                                             has_form=lambda process_id, name: name in TASK_FORMS.get(process_id, {}))
        except InvalidDiagram as exc:
            problems, status = exc.problems, 422
            flash("流程图未通过检查，未部署。", "error")
        else:
            if deployed:
                flash("已部署新版本：" + "、".join(f"{PROCESS_NAMES.get(v.process_id, v.process_id)} #{v.id}"
                                              for v in deployed) + "。新登记的案件按新版本办理，在办案件仍按原版本。",
                      "success")
            else:
                flash("该文件与已部署的版本完全相同，未产生新版本。", "info")
            return redirect(url_for("admin.processes"))
    elif request.method == "POST":
        status = 422
    versions, counts = _version_rows()
    latest = {}
    for v in versions:
        latest.setdefault(v.process_id, v.id)
    return render_template("admin/processes.html", form=form, versions=versions, counts=counts, latest=latest,
                           problems=problems, process_names=PROCESS_NAMES), status


@bp.route("/processes/<int:version_id>")
def process_version(version_id):
    """The cases that run on one diagram version."""
    version = read_session().get(ProcessVersion, version_id)
    if version is None:
        abort(404, "没有这个流程版本。")
    page = request.args.get("page", "1")
    page = page_number(page)
    size = current_app.config["PAGE_SIZE"]
    total = read_session().scalar(sa.select(sa.func.count()).select_from(ProcessInstance)
                                  .where(ProcessInstance.version_id == version.id))
    cases = list(read_session().scalars(sa.select(ProcessInstance).where(ProcessInstance.version_id == version.id)
                                        .order_by(ProcessInstance.id.desc()).limit(size).offset((page - 1) * size)))
    return render_template("admin/process_version.html", version=version, cases=cases, total=total, page=page,
                           pages=max(1, -(-total // size)), process_names=PROCESS_NAMES)


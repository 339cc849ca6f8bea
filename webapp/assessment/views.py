"""考评 pages: the runs list and the run form, the score sheet, publishing and re-running, the drill-down, the
ranking, and the XLSX and PDF of a run. Every run is checked against the one access rule before it is shown."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.assessment import jobs as assessment_jobs
from workflows.assessment import service
from workflows.assessment.models import AssessmentFinding, AssessmentRun
from workflows.assessment.rules import GROUP_WEIGHTS
from workflows.assessment.settings import AssessmentSettings
from workflows.exceptions import WorkflowError
from workflows.jobs import queue
from workflows.org import access as rules
from workflows.org.models import Area
from workflows.vocabulary import JobStatus

from ..access import areas_below, in_scope, resolved
from ..db import read_session, services
from ..downloads import xlsx_response
from ..params import is_number, page_number
from . import entries
from . import outputs, sheet
from .common import act, bp, default_period, printed_on, rule_or_404, visible_run
from .forms import ALL_STREETS, RunForm
from .rights import may

FINDINGS_PAGE = 200
# The manual entry and override pages (entries) join the blueprint when this module is imported.
__all__ = ["bp", "entries"]
JOB_STATUS_NAMES = {JobStatus.QUEUED: "排队中", JobStatus.RUNNING: "计算中", JobStatus.DONE: "已完成",
                    JobStatus.FAILED: "失败"}


def _settings() -> AssessmentSettings:
    """The seed-flaw choices as configured today (each run stores its own copy)."""
    return AssessmentSettings.from_settings(services().settings)


def _streets() -> list[Area]:
    return areas_below(current_user, ("street",))


def _run_form() -> RunForm:
    form = RunForm()
    streets = _streets()
    choices = [(a.id, a.name) for a in streets]
    if len(streets) > 1:
        districts = _districts()
        # One district: "all streets" is 0; several (the district-wide admin): one entry per district, its id negated.
        choices[:0] = ([(ALL_STREETS, "全部街道")] if len(districts) == 1 else
                       [(-d.id, f"{d.name} 全部街道") for d in districts])
    form.area_id.choices = choices
    return form


def _runs(street_id: int | None, year: int | None) -> list[dict]:
    query = (sa.select(AssessmentRun, Area.full_name).join(Area, Area.id == AssessmentRun.area_id)
             .where(in_scope(AssessmentRun.area_path, current_user))
             .order_by(AssessmentRun.period_end.desc(), Area.path, AssessmentRun.version.desc()).limit(500))
    if street_id:
        query = query.where(AssessmentRun.area_id == street_id)
    if year:
        query = query.where(AssessmentRun.period_start <= date(year, 12, 31),
                            AssessmentRun.period_end >= date(year, 1, 1))
    return [sheet.run_summary(run, name) for run, name in read_session().execute(query)]


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if is_number(value) else None


@bp.route("")
@login_required
def index():
    """The runs the user may see, filtered by street and year; the run form for those who may run one."""
    form = _run_form()
    if request.method == "GET" and not form.start.data:
        form.start.data, form.end.data = default_period()
    return _index_page(form)


def _index_page(form: RunForm, status: int = 200):
    filters = {"street": _int_arg("street"), "year": _int_arg("year")}
    return render_template("assessment/index.html", form=form, runs=_runs(**{"street_id": filters["street"],
                                                                           "year": filters["year"]}),
                           streets=_streets(), filters=filters, may=may(current_user)), status


@bp.route("/run", methods=["POST"])
@login_required
def start():
    """Assess one street now (a new draft version), or every street through the worker with a progress page."""
    form = _run_form()
    if not form.validate_on_submit():
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
        return _index_page(form, 422)
    try:
        if form.area_id.data <= ALL_STREETS:
            job_id = act(assessment_jobs.assess_all, district_area_id=_district(-form.area_id.data).id,
                         start=form.start.data,
                         end=form.end.data, actor_id=current_user.id, settings=_settings())
            return redirect(url_for("assessment.job", job_id=job_id))
        run_id = act(service.run, area_id=form.area_id.data, start=form.start.data, end=form.end.data,
                     actor_id=current_user.id, settings=_settings())
    except WorkflowError as exc:
        flash(exc.message, "error")
        return _index_page(form, exc.status if exc.status != 400 else 422)
    flash("已生成考评结果（草稿）。请核对后录入人工项目，再发布。", "success")
    return redirect(url_for("assessment.show", run_id=run_id))


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    """Progress of an all-streets run."""
    item = queue.get(services().db, job_id)
    if item is None or item.kind != assessment_jobs.KIND or item.created_by_id != current_user.id:
        abort(404, "找不到该考评任务。")
    payload = item.payload or {}
    return render_template("assessment/job.html", job=item, finished=item.status in (JobStatus.DONE, JobStatus.FAILED),
                           status_name=JOB_STATUS_NAMES.get(item.status, item.status),
                           start=payload.get("start", ""), end=payload.get("end", ""))


def _versions(run: AssessmentRun) -> list[dict]:
    others = read_session().scalars(sa.select(AssessmentRun).where(
        AssessmentRun.area_id == run.area_id, AssessmentRun.period_start == run.period_start,
        AssessmentRun.period_end == run.period_end, AssessmentRun.id != run.id).order_by(AssessmentRun.version))
    return [{"id": o.id, "version": o.version, "status_name": sheet.STATUS_NAMES.get(o.status, o.status)}
            for o in others]


@bp.route("/<int:run_id>")
@login_required
def show(run_id: int):
    """The score sheet of one run."""
    run = visible_run(run_id)
    data = sheet.build(read_session(), run)
    data["other_versions"] = _versions(run)
    data["next_version"] = max([run.version] + [v["version"] for v in data["other_versions"]]) + 1
    return render_template("assessment/show.html", s=data, may=may(current_user))


@bp.route("/<int:run_id>/publish", methods=["POST"])
@login_required
def publish(run_id: int):
    """Publish (freeze) a draft run."""
    visible_run(run_id)
    try:
        act(service.publish, run_id, actor_id=current_user.id)
    except WorkflowError as exc:
        flash(exc.message, "error")
    else:
        flash("已发布。本版考评结果已定稿，不能再修改。", "success")
    return redirect(url_for("assessment.show", run_id=run_id))


@bp.route("/<int:run_id>/rerun", methods=["POST"])
@login_required
def rerun(run_id: int):
    """Assess the same street and period again from the records as they are now: a new version."""
    run = visible_run(run_id)
    try:
        new_id = act(service.run, area_id=run.area_id, start=run.period_start, end=run.period_end,
                     actor_id=current_user.id, settings=_settings())
    except WorkflowError as exc:
        flash(exc.message, "error")
        return redirect(url_for("assessment.show", run_id=run_id))
    flash("已重新考评，生成新版本（草稿）。", "success")
    return redirect(url_for("assessment.show", run_id=new_id))


@bp.route("/<int:run_id>/rows/<rule_id>")
@login_required
def findings(run_id: int, rule_id: str):
    """The records behind one row's deduction, each with what it cost and a link to its page (a page at a time:
    a district's row may stand on thousands of houses)."""
    run = visible_run(run_id)
    rule_or_404(rule_id)
    data = sheet.build(read_session(), run)
    where = (AssessmentFinding.run_id == run.id, AssessmentFinding.rule_id == rule_id)
    if request.args.get("export") == "xlsx":
        every = read_session().scalars(sa.select(AssessmentFinding).where(*where).order_by(AssessmentFinding.id))
        return xlsx_response(outputs.findings_xlsx(data, sheet.rule_rows(data)[rule_id], every),
                             f"{data['number']}{rule_id}扣分记录.xlsx")
    count, total = read_session().execute(sa.select(sa.func.count(), sa.func.coalesce(
        sa.func.sum(AssessmentFinding.deduction), 0)).where(*where)).one()
    pages = max(1, -(-count // FINDINGS_PAGE))
    page = min(page_number(request.args.get("page")), pages)
    items = read_session().scalars(sa.select(AssessmentFinding).where(*where).order_by(AssessmentFinding.id)
                                   .offset((page - 1) * FINDINGS_PAGE).limit(FINDINGS_PAGE))
    shown = [{"label": f.label, "url": f.url if f.url.startswith("/") else "", "deduction": sheet.points(f.deduction)}
             for f in items]
    return render_template("assessment/findings.html", s=data, row=sheet.rule_rows(data)[rule_id], items=shown,
                           items_total=sheet.points(total), count=count, page=page, pages=pages,
                           first=(page - 1) * FINDINGS_PAGE, args={"run_id": run.id, "rule_id": rule_id})


@bp.route("/ranking")
@login_required
def ranking():
    """Streets ranked by total for a period (each street's latest run, published first)."""
    start, end = default_period()
    error = ""
    try:
        start = date.fromisoformat(request.args.get("start") or start.isoformat())
        end = date.fromisoformat(request.args.get("end") or end.isoformat())
    except ValueError:
        error = "日期格式有误，请按 年-月-日 填写。已按本年度显示。"
        start, end = default_period()
    district = _district(_int_arg("district"))
    ranked = service.ranking(read_session(), district_area_id=district.id, start=start, end=end,
                             viewer_id=current_user.id)
    return render_template("assessment/ranking.html", rows=_ranking_rows(ranked), start=start.isoformat(),
                           end=end.isoformat(), error=error, group_names=list(GROUP_WEIGHTS), district=district,
                           districts=_districts())


def _districts() -> list[Area]:
    """The districts the user answers for: the one above their area, or every district for the district-wide admin."""
    account = resolved(current_user)
    if account.area is not None:
        return [read_session().get(Area, int(account.area.path.strip("/").split("/")[0]))]
    if rules.scope_of(account) is None:
        return []
    return list(read_session().scalars(sa.select(Area).where(Area.parent_id.is_(None)).order_by(Area.path)))


def _district(requested: int | None = None) -> Area:
    """The district asked for among the user's, else their first."""
    districts = _districts()
    if not districts:
        abort(403, "您的账号未设置辖区，无法查看考评。")
    return next((d for d in districts if d.id == requested), districts[0])


def _ranking_rows(ranked) -> list[dict]:
    """Each street's latest run with its group scores; equal totals share a rank, unassessed streets have none."""
    runs = [run for _street, run in ranked if run is not None]
    group_scores = sheet.group_scores(read_session(), [run.id for run in runs])
    out, rank, previous = [], 0, None
    for n, (street, run) in enumerate(ranked, start=1):
        if run is not None and run.total != previous:
            rank, previous = n, run.total
        out.append({"area_name": street.name, "run": sheet.run_summary(run, street.name) if run else None,
                    "rank": rank if run is not None else None,
                    "status_name": sheet.STATUS_NAMES.get(run.status, run.status) if run else "",
                    "groups": group_scores.get(run.id, {}) if run else {}})
    return out


@bp.route("/<int:run_id>.xlsx")
@login_required
def export_xlsx(run_id: int):
    """The score sheet as XLSX (text cells never formulas)."""
    run = visible_run(run_id)
    data = sheet.build(read_session(), run)
    return xlsx_response(outputs.xlsx(data), f"{data['number']}考评计分表.xlsx")


@bp.route("/<int:run_id>.pdf")
@login_required
def report_pdf(run_id: int):
    """The score sheet as a PDF report in the notices' print style."""
    run = visible_run(run_id)
    data = sheet.build(read_session(), run)
    return outputs.pdf_response(outputs.report_pdf(data, printed_on()), f"{data['number']}考评计分表.pdf")


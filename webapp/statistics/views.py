"""The statistics page and its XLSX exports, for supervisors, leaders and the district office, in their own area."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from workflows import tabular
from workflows.assessment.settings import AssessmentSettings
from workflows.clock import office_date
from workflows.exceptions import PermissionDenied
from workflows.org import access as rules
from workflows.org.models import Area
from workflows.org.roles import ADMIN, SUPERVISOR

from ..db import now, read_session, services
from ..downloads import xlsx_response
from ..params import is_number
from .assessed import complaints_chart, handling_chart, persons_chart, reflux_chart, sweeps_chart
from .charts import Chart, cases_chart, compliance_chart, coverage_chart

bp = Blueprint("statistics", __name__, url_prefix="/statistics")

# Who looks at the figures: supervisors (督办领导: street and district leaders), the bureau's heads, administrators,
# and anyone working for the district as a whole (the 打传办); always within their own area.
VIEWER_ROLES = {SUPERVISOR, "head", ADMIN}
LONGEST_PERIOD_DAYS = 3 * 366


def may_view(user) -> bool:
    """Whether the statistics page is for `user` (the nav shows it only then)."""
    account = user.user if getattr(user, "is_authenticated", False) else None
    return account is not None and bool(account.role_set & VIEWER_ROLES or rules.district_wide(account))


@dataclass
class Filters:
    """The area and period asked for, already narrowed to what the user may see; `errors` per field (Chinese)."""

    area: Area
    start: date
    end: date
    choices: list[Area]
    raw: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def args(self) -> dict:
        return {"area": self.area.id, "from": self.start.isoformat(), "to": self.end.isoformat()}


def _home_area(user) -> Area:
    """The area the user answers for; the district-wide administrator (no area) gets the district."""
    prefix = rules.visible_prefix(user.user, "统计数据")
    if user.user.area is not None:
        return user.user.area
    root = read_session().scalar(sa.select(Area).where(Area.parent_id.is_(None)).order_by(Area.id))
    if root is None or not prefix:
        raise PermissionDenied("尚未建立辖区，暂无统计数据。")
    return root


def _date(raw: str, default: date, errors: dict, key: str, label: str) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[key] = f"{label}格式不正确，请按“年-月-日”填写，例如 2026-03-01。"
        return default


def filters() -> Filters:
    """Read ?area=&from=&to=; a bad value is reported and the default used, an area outside the user's is refused."""
    home = _home_area(current_user)
    raw = {k: request.args.get(k, "").strip() for k in ("area", "from", "to")}
    errors: dict[str, str] = {}
    today = office_date(now())
    start = _date(raw["from"], date(today.year, 1, 1), errors, "from", "开始日期")
    end = _date(raw["to"], today, errors, "to", "结束日期")
    if not errors and start > end:
        errors["to"] = "结束日期不能早于开始日期。"
    elif not errors and (end - start).days > LONGEST_PERIOD_DAYS:
        errors["to"] = "统计期最长三年，请缩短期间。"
    if errors:
        start, end = date(today.year, 1, 1), today
    area = home
    if raw["area"]:
        chosen = read_session().get(Area, int(raw["area"])) if is_number(raw["area"]) else None
        if chosen is None:
            errors["area"] = "找不到所选区域，已显示您的辖区。"
        elif not rules.sees(current_user.user, chosen.path):
            # Filters narrow; they never widen what the user may see.
            raise PermissionDenied("所选区域不在您的辖区内，无权查看其统计数据。")
        else:
            area = chosen
    choices = [home] + list(read_session().scalars(
        sa.select(Area).where(Area.path.startswith(home.path), Area.kind == "street", Area.id != home.id)
        .order_by(Area.path)))
    return Filters(area, start, end, choices, raw, errors)


# The page's charts in order: key -> builder(session, area_path, start, end, now).
BUILDERS = {
    "complaints": lambda s, path, start, end, at: complaints_chart(s, path, start, end),
    "handling": lambda s, path, start, end, at: handling_chart(s, path, start, end),
    "sweeps": lambda s, path, start, end, at: sweeps_chart(s, path, start, end),
    "cases": lambda s, path, start, end, at: cases_chart(s, path, start, end),
    "persons": lambda s, path, start, end, at: persons_chart(s, path, start, end, _assessment_settings()),
    "reflux": lambda s, path, start, end, at: reflux_chart(s, path, start, end, _assessment_settings()),
    "time_limits": compliance_chart,
    "coverage": lambda s, path, start, end, at: coverage_chart(s, path, start, end),
}


def _assessment_settings() -> AssessmentSettings:
    return AssessmentSettings.from_settings(services().settings)


def charts(f: Filters, keys=None) -> list[Chart]:
    return [BUILDERS[k](read_session(), f.area.path, f.start, f.end, now()) for k in (keys or BUILDERS)]


def _allowed() -> None:
    if not may_view(current_user):
        abort(403, "统计分析供督办领导、机关负责人和区打传办使用。")


@bp.route("")
@login_required
def index():
    """Every chart with its table, for the chosen area and period."""
    _allowed()
    f = filters()
    status = 422 if f.errors else 200
    return render_template("statistics/index.html", f=f, charts=charts(f)), status


@bp.route("/<key>.xlsx")
@login_required
def export(key: str):
    """One chart's table as XLSX (formula-safe), for the same area and period as the page."""
    _allowed()
    f = filters()
    if f.errors:
        abort(422, "；".join(f.errors.values()))
    if key not in BUILDERS:
        abort(404, "没有这张统计表。")
    chart = charts(f, [key])[0]
    title = f"{f.area.name}{chart.title}"
    data = tabular.to_xlsx(chart.title, chart.headers, chart.rows)
    return xlsx_response(data, f"{title}_{f.start.isoformat()}_{f.end.isoformat()}.xlsx")

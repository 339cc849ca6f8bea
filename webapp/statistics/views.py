"""The statistics page and its XLSX exports, for supervisors, leaders and the district office, in their own area."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows import tabular
from workflows.clock import office_date
from workflows.exceptions import PermissionDenied
from workflows.org import access as rules
from workflows.org.models import Area
from workflows.org.roles import ADMIN, SUPERVISOR
from workflows.statistics import snapshots
from workflows.statistics.models import StatisticsSnapshot

from ..access import resolved
from ..db import now, read_session, services
from ..downloads import xlsx_response
from ..params import is_number
from .charts import Chart
from .compute import BUILDERS, from_stored

bp = Blueprint("statistics", __name__, url_prefix="/statistics")

# Who looks at the figures: supervisors (督办领导: street and district leaders), the bureau's heads, administrators,
# and anyone working for the district as a whole (the 打传办); always within their own area.
VIEWER_ROLES = {SUPERVISOR, "head", ADMIN}
LONGEST_PERIOD_DAYS = 3 * 366


def may_view(user) -> bool:
    """Whether the statistics page is for `user` (the nav shows it only then)."""
    account = user if getattr(user, "is_authenticated", False) else None
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
    raw = {k: request.values.get(k, "").strip() for k in ("area", "from", "to")}
    errors: dict[str, str] = {}
    today = office_date(now())
    default_start, default_end = snapshots.default_period(today)
    start = _date(raw["from"], default_start, errors, "from", "开始日期")
    end = _date(raw["to"], default_end, errors, "to", "结束日期")
    if not errors and start > end:
        errors["to"] = "结束日期不能早于开始日期。"
    elif not errors and (end - start).days > LONGEST_PERIOD_DAYS:
        errors["to"] = "统计期最长三年，请缩短期间。"
    if errors:
        start, end = default_start, default_end
    # The figures are stored per whole month: the period is widened to the months it touches.
    start, end = snapshots.whole_months(start, end)
    area = home
    if raw["area"]:
        chosen = read_session().get(Area, int(raw["area"])) if is_number(raw["area"]) else None
        if chosen is None:
            errors["area"] = "找不到所选区域，已显示您的辖区。"
        elif not rules.sees(resolved(current_user), chosen.path):
            # Filters narrow; they never widen what the user may see.
            raise PermissionDenied("所选区域不在您的辖区内，无权查看其统计数据。")
        else:
            area = chosen
    # The streets below a district are its children (the address tree's levels are strict): one look-up on the
    # parent index rather than a pass over the whole address library.
    choices = [home] + (list(read_session().scalars(
        sa.select(Area).where(Area.parent_id == home.id, Area.kind == "street").order_by(Area.path)))
        if home.kind == "district" else [])
    return Filters(area, start, end, choices, raw, errors)


def stored(f: Filters) -> StatisticsSnapshot | None:
    return snapshots.find(read_session(), f.area.id, f.start, f.end)


def charts(snapshot: StatisticsSnapshot | None, keys=None) -> list[Chart]:
    """The stored charts (all, or those named by `keys`), in the page's order."""
    stored_charts = {c["key"]: c for c in (snapshot.charts or [])} if snapshot is not None else {}
    return [from_stored(stored_charts[k]) for k in (keys or BUILDERS) if k in stored_charts]


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
    snapshot = stored(f)
    return render_template("statistics/index.html", f=f, snapshot=snapshot, charts=charts(snapshot),
                           pending=snapshot is not None and snapshots.pending(snapshot, now())), status


@bp.route("/refresh", methods=["POST"])
@login_required
def refresh():
    """Queue the computation of the chosen area and period's figures for the worker; the page shows them once
    done, and until then whatever was computed before."""
    _allowed()
    f = filters()
    if f.errors:
        abort(422, "；".join(f.errors.values()))
    with services().db.unit_of_work() as s:
        snapshots.request_refresh(s, area=s.get(Area, f.area.id), start=f.start, end=f.end,
                                  actor_id=current_user.id, now=now())
    flash("已提交统计更新，后台计算完成后刷新本页即可看到最新数据。", "success")
    return redirect(url_for("statistics.index", **f.args()))


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
    found = charts(stored(f), [key])
    if not found:
        abort(404, "该期间的统计尚未生成，请先在统计页面提交更新。")
    chart = found[0]
    title = f"{f.area.name}{chart.title}"
    data = tabular.to_xlsx(chart.title, chart.headers, chart.rows)
    return xlsx_response(data, f"{title}_{f.start.isoformat()}_{f.end.isoformat()}.xlsx")

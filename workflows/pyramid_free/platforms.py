"""The register of online platforms (operator, 统一社会信用代码, ICP filing, apps and mini-programs, type) and their
periodic reports. Each service call is one unit of work, area-scoped and audited."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from workflows import audit
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed
from workflows.org.access import active_user, check_sees, visible_prefix
from workflows.pyramid_free.models import Platform, PlatformReport
from workflows.pyramid_free.options import PLATFORM_TYPES

EDITOR_ROLES = {"pf_namer", "market"}
PERIOD_RE = re.compile(r"^\d{4}Q[1-4]$")


def normalise_credit_code(code: str) -> str:
    """The code in its compact form, or ValidationFailed (checked digit and all, by python-stdnum)."""
    try:
        return uscc.validate(code or "")
    except Exception:  # stdnum raises one of several ValidationError subclasses
        raise ValidationFailed({"credit_code": ["统一社会信用代码无效（请核对18位代码及校验位）"]}) from None


def find_by_credit_code(session: Session, code: str) -> Platform | None:
    """The registered platform with this 统一社会信用代码 (any spacing or case), if any."""
    try:
        compact = uscc.compact(code or "")
    except Exception:
        return None
    return session.scalar(sa.select(Platform).where(Platform.credit_code == compact))


def _editor(s: Session, actor_id: int):
    actor = active_user(s, actor_id)
    if not actor.role_set & EDITOR_ROLES:
        raise PermissionDenied("只有命名单位或市场监管人员可以维护网络平台登记册。")
    visible_prefix(actor, "网络平台")
    return actor


def save_platform(services, actor_id: int, *, name: str, operator: str, credit_code: str, platform_type: str,
                  icp_number: str = "", app_ids: str = "", liaison_name: str = "", liaison_phone: str = "",
                  platform_id: int | None = None) -> int:
    """Register a platform or change its entry; a 统一社会信用代码 is registered once."""
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = ["请填写平台名称"]
    if not (operator or "").strip():
        errors["operator"] = ["请填写运营主体"]
    if platform_type not in PLATFORM_TYPES:
        errors["platform_type"] = ["请选择平台类型"]
    try:
        code = normalise_credit_code(credit_code)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    with services.db.unit_of_work() as s:
        actor = _editor(s, actor_id)
        now = services.workflow.now()
        other = find_by_credit_code(s, code)
        if platform_id is None:
            if other is not None:
                raise ValidationFailed({"credit_code": [f"该统一社会信用代码已登记（{other.name}）"]})
            if actor.area is None:
                raise PermissionDenied("您的账号未设置辖区，不能登记网络平台。")
            platform = Platform(area_id=actor.area.id, area_path=actor.area.path, created_at=now)
            s.add(platform)
        else:
            platform = s.get(Platform, platform_id)
            if platform is None:
                raise NotFound("找不到该网络平台。")
            check_sees(actor, platform.area_path)
            if other is not None and other.id != platform.id:
                raise ValidationFailed({"credit_code": [f"该统一社会信用代码已登记（{other.name}）"]})
        values = dict(name=name.strip(), operator=operator.strip(), credit_code=code, platform_type=platform_type,
                      icp_number=(icp_number or "").strip(), app_ids=(app_ids or "").strip(),
                      liaison_name=(liaison_name or "").strip(), liaison_phone=(liaison_phone or "").strip())
        for key, value in values.items():
            setattr(platform, key, value)
        platform.updated_at = now
        s.flush()
        audit.record(s, now, "pf_platform_saved", actor_id, None, platform_id=platform.id, **values)
        return platform.id


def record_report(services, actor_id: int, platform_id: int, period: str, reported_on: date, **figures) -> int:
    """Record a platform's report for a quarter (e.g. 2026Q4); a period is reported once."""
    if not PERIOD_RE.match(period or ""):
        raise ValidationFailed({"period": ["报送期间格式应为 2026Q4"]})
    counts = {}
    for key in ("items_removed", "accounts_closed", "complaints_received", "clues_reported", "assistance_requests"):
        value = figures.get(key) or 0
        if not isinstance(value, int) or value < 0:
            raise ValidationFailed({key: ["应为不小于 0 的整数"]})
        counts[key] = value
    hours = figures.get("assistance_hours")
    if hours is not None and (not isinstance(hours, int) or hours < 0):
        raise ValidationFailed({"assistance_hours": ["应为不小于 0 的整数（小时）"]})
    with services.db.unit_of_work() as s:
        _editor(s, actor_id)
        platform = s.get(Platform, platform_id)
        if platform is None:
            raise NotFound("找不到该网络平台。")
        check_sees(active_user(s, actor_id), platform.area_path)
        if s.scalar(sa.select(PlatformReport.id).where(PlatformReport.platform_id == platform_id,
                                                       PlatformReport.period == period)):
            raise ValidationFailed({"period": [f"{period} 的报告已登记"]})
        now = services.workflow.now()
        report = PlatformReport(platform_id=platform_id, period=period, reported_on=reported_on,
                                assistance_hours=hours, note=str(figures.get("note") or "")[:1000],
                                recorded_by_id=actor_id, recorded_at=now, **counts)
        s.add(report)
        s.flush()
        audit.record(s, now, "pf_platform_report", actor_id, None, platform_id=platform_id, period=period,
                     assistance_hours=hours, **counts)
        return report.id

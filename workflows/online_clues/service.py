"""The clue ledger: record a clue (which starts its four-step process) and change its ledger facts, checked,
area-scoped by the one access rule and audited."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from workflows import audit
from workflows.clock import office_date as local_today
from workflows.complaints.models import subject_key
from workflows.engine.context import ActionContext
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed
from workflows.online_clues.hooks import PROCESS
from workflows.online_clues.models import SOURCES, OnlineClue, OnlineClueName
from workflows.org import access
from workflows.org.models import Area, User
from workflows.vocabulary import ClueStatus

# Who keeps the clue ledger: market supervision finds and verifies clues, the police and supervisors bring them.
CLUE_ROLES = {"market", "police", "supervisor"}
LEDGER_FIELDS = ("source", "received_on", "scheme_name", "aliases", "urls", "app_ids", "platform_name",
                 "platform_credit_code", "summary")
TEXT_LIMITS = {"scheme_name": 200, "platform_name": 200, "aliases": 2000, "urls": 4000, "app_ids": 2000,
               "summary": 4000}
MAX_SCREENSHOTS = 50


def lines(text: str) -> list[str]:
    """The non-empty lines of a multi-line field (aliases, URLs, app ids), each once, in order."""
    seen: dict[str, None] = {}
    for line in (text or "").replace("\r", "\n").split("\n"):
        if line.strip():
            seen.setdefault(line.strip(), None)
    return list(seen)


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid 统一社会信用代码 (GB 32100-2015), in words; None when it is."""
    try:
        uscc.validate(code)
    except InvalidLength:
        return "统一社会信用代码应为 18 位"
    except InvalidFormat:
        return "统一社会信用代码只能由数字和大写字母（不含 I、O、Z、S、V）组成"
    except InvalidChecksum:
        return "统一社会信用代码校验位不正确，请核对是否抄错"
    except ValidationError:
        return "统一社会信用代码无效"
    return None


def validate(fields: dict, today: date) -> dict:
    """The ledger fields, checked and cleaned; ValidationFailed names every bad field."""
    errors: dict[str, list[str]] = {}
    source = fields.get("source")
    if source not in SOURCES:
        errors["source"] = ["请选择线索来源"]
    received_on = fields.get("received_on")
    if isinstance(received_on, str) and not received_on.strip():
        received_on = None
    elif isinstance(received_on, str):
        try:
            received_on = date.fromisoformat(received_on.strip())
        except ValueError:
            received_on = None
            errors["received_on"] = ["日期格式应为 2026-11-23"]
    if not errors.get("received_on"):
        if not isinstance(received_on, date):
            errors["received_on"] = ["请填写接收日期"]
        elif received_on > today:
            errors["received_on"] = [f"接收日期不能晚于今天（{today.isoformat()}）"]
    clean = {k: (fields.get(k) or "").strip() if isinstance(fields.get(k) or "", str) else None
             for k in TEXT_LIMITS}
    for key, limit in TEXT_LIMITS.items():
        if clean[key] is None:
            errors[key] = ["应为文字"]
        elif len(clean[key]) > limit:
            errors[key] = [f"不能超过 {limit} 个字"]
    if not errors.get("scheme_name") and not clean["scheme_name"]:
        errors["scheme_name"] = ["请填写涉嫌传销的项目或平台名称"]
    code = uscc.compact(fields.get("platform_credit_code") or "").upper()
    if code:
        problem = credit_code_problem(code)
        if problem:
            errors["platform_credit_code"] = [problem]
        elif not clean.get("platform_name"):
            errors["platform_name"] = ["填写统一社会信用代码的，请同时填写平台名称"]
    if errors:
        raise ValidationFailed(errors)
    for key in ("aliases", "urls", "app_ids"):
        clean[key] = "\n".join(lines(clean[key]))
    return {**clean, "source": source, "received_on": received_on, "platform_credit_code": code}


def _names(clue: OnlineClue) -> set[str]:
    """The normalised names complaints may call the clue by."""
    names = [clue.scheme_name, clue.platform_name, *lines(clue.aliases)]
    return {key for key in (subject_key(n) for n in names) if key}


def _index_names(s, clue: OnlineClue) -> None:
    have = {row.key: row for row in s.scalars(sa.select(OnlineClueName).where(OnlineClueName.clue_id == clue.id))}
    want = _names(clue)
    for key in set(have) - want:
        s.delete(have[key])
    for key in want - set(have):
        s.add(OnlineClueName(clue_id=clue.id, key=key))


def _area(s, user: User, area_id) -> Area:
    """The place the clue belongs to (its street or community), which must lie inside the recorder's area."""
    area = s.get(Area, area_id) if area_id else user.area
    if area is None:
        raise ValidationFailed({"area_id": ["请选择线索所属辖区"]})
    access.check_edit(user, area.path, CLUE_ROLES, "只有市场监管、公安和督办领导可以登记网络传销线索。", "网络传销线索")
    return area


def open_clue(ctx: ActionContext, clean: dict, area: Area, screenshots: list, note: str = "") -> OnlineClue:
    """Create a clue and start its process inside the running action (a recorded clue, or one a complaint opened)."""
    s, now = ctx.session, ctx.now
    clue = OnlineClue(**{k: clean[k] for k in LEDGER_FIELDS}, screenshots=list(screenshots), area_id=area.id,
                      area_path=area.path, status=ClueStatus.MONITORING, created_by_id=ctx.actor_id,
                      created_at=now, updated_at=now, criminal_threshold_reached=False, tier="",
                      mass_incident_risk="")
    s.add(clue)
    s.flush()
    _index_names(s, clue)
    data = {"clue_id": clue.id, "scheme_name": clue.scheme_name, "platform_name": clue.platform_name,
            "source": clue.source, "party_name": "", "party_code": "", "penalty_facts": "",
            "mass_incident_risk": "", "tier": ""}
    inst = ctx.engine.start_within(ctx, PROCESS, data, area.id, f"网络传销线索：{clue.scheme_name}", None,
                                   ctx.actor_id).instance
    clue.instance_id, clue.reference = inst.id, inst.reference
    audit.record(s, now, "clue_recorded", ctx.actor_id, inst.id, **_audited(clue), note=note)
    return clue


def _audited(clue: OnlineClue) -> dict:
    values = {k: getattr(clue, k) for k in LEDGER_FIELDS}
    values["received_on"] = clue.received_on.isoformat()
    values["screenshots"] = [f.get("name") for f in clue.screenshots or []]
    return values


def record(services, actor_id: int, fields: dict, screenshots: list | None = None) -> dict:
    """An officer records a clue in the ledger; its process starts at 线上监测. Returns {id, reference, instance_id}."""
    screenshots = list(screenshots or [])
    if len(screenshots) > MAX_SCREENSHOTS:
        raise ValidationFailed({"screenshots": [f"截图最多 {MAX_SCREENSHOTS} 张"]})
    with services.db.unit_of_work() as s:
        ctx = services.workflow.context(s, actor_id)
        user = access.active_user(s, actor_id)
        clean = validate(fields, local_today(ctx.now))
        area = _area(s, user, fields.get("area_id"))
        clue = open_clue(ctx, clean, area, screenshots)
        return {"id": clue.id, "reference": clue.reference, "instance_id": clue.instance_id}


def visible_clue(s, user: User, clue_id: int) -> OnlineClue:
    """The clue, if the one access rule lets `user` see it; NotFound otherwise (never reveal it exists)."""
    clue = s.get(OnlineClue, clue_id)
    access.visible_prefix(user, "网络传销线索")
    if clue is None or not access.sees(user, clue.area_path):
        raise NotFound(f"线索 {clue_id} 不存在或不在您的辖区内。")
    return clue


def update(services, actor_id: int, clue_id: int, fields: dict, new_screenshots: list | None = None) -> None:
    """Correct or complete a clue's ledger facts (not its area); every change is audited with before and after."""
    with services.db.unit_of_work() as s:
        ctx = services.workflow.context(s, actor_id)
        user = access.active_user(s, actor_id)
        clue = visible_clue(s, user, clue_id)
        if not user.role_set & CLUE_ROLES:
            raise PermissionDenied("只有市场监管、公安和督办领导可以修改网络传销线索。")
        clean = validate(fields, local_today(ctx.now))
        before = _audited(clue)
        for key in LEDGER_FIELDS:
            setattr(clue, key, clean[key])
        added = list(new_screenshots or [])
        if added:
            known = {f["sha256"] for f in clue.screenshots or []}
            clue.screenshots = list(clue.screenshots or []) + [f for f in added if f["sha256"] not in known]
            if len(clue.screenshots) > MAX_SCREENSHOTS:
                raise ValidationFailed({"screenshots": [f"截图最多 {MAX_SCREENSHOTS} 张"]})
        after = _audited(clue)
        changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        if not changed:
            return
        clue.updated_at = ctx.now
        _index_names(s, clue)
        audit.record(s, ctx.now, "clue_updated", actor_id, clue.instance_id, changes=changed)

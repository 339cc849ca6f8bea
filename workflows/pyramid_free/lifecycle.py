"""What each step of the 创无 processes means for a naming: refused, failed, named (with its certificate), under
rectification, kept or revoked (with its notice). Called from the processes' hooks, in the step's transaction."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.clock import office_date
from workflows.engine.context import ActionContext
from workflows.engine.models import ProcessInstance
from workflows.engine.spiff import duration_after
from workflows.exceptions import WorkflowError
from workflows.notices.service import NoticeService
from workflows.org.models import Area
from workflows.pyramid_free.models import Naming, Platform
from workflows.pyramid_free.options import COMMUNITY, SUBJECT_NAMES, options
from workflows.vocabulary import NamingStatus


def naming_of(session: Session, naming_id) -> Naming:
    naming = session.get(Naming, naming_id, with_for_update=True)
    if naming is None:
        raise WorkflowError("找不到该创建申报记录。")
    return naming


def subject_name(session: Session, naming: Naming) -> str:
    """The community's full address name, or the platform's name."""
    if naming.subject == COMMUNITY:
        return session.get(Area, naming.area_id).full_name
    return session.get(Platform, naming.platform_id).name


def set_status(ctx: ActionContext, naming: Naming, status: str, **details) -> None:
    """Change a naming's status and say so in the audit log (with the instance whose step did it)."""
    before = naming.status
    naming.status, naming.updated_at = status, ctx.now
    audit.record(ctx.session, ctx.now, "pf_status", ctx.actor_id, ctx.instance.id if ctx.instance else None,
                 naming_id=naming.id, before=before, after=status, **details)


def refuse(ctx: ActionContext, naming: Naming, reason: str) -> None:
    naming.decision_reason = reason[:1000]
    set_status(ctx, naming, NamingStatus.REFUSED, reason=reason)


def name(ctx: ActionContext, naming: Naming) -> None:
    """命名: the name holds from now, the first periodic re-inspection is scheduled and the numbered
    certificate is issued by the namer in the same transaction."""
    opts = options(ctx.settings)
    naming.named_at = ctx.now
    naming.next_periodic_at = duration_after(ctx.now, opts["periodic_interval"])
    accepted_on = (naming.accepted_on or office_date(ctx.now)).isoformat()
    if naming.subject == COMMUNITY:
        notice_type, fields = "naming_certificate", {"community_name": subject_name(ctx.session, naming),
                                                     "accepted_on": accepted_on}
    else:
        platform = ctx.session.get(Platform, naming.platform_id)
        notice_type, fields = "platform_naming_certificate", {"platform_name": platform.name,
                                                              "operator": platform.operator,
                                                              "accepted_on": accepted_on}
    notice = NoticeService.for_action(ctx).issue_within(ctx.session, ctx.now, notice_type, fields, ctx.actor_id,
                                       inst=ctx.session.get(ProcessInstance, naming.instance_id))
    naming.certificate_notice_id = notice.id
    set_status(ctx, naming, NamingStatus.NAMED, certificate=notice.number)


def keep(ctx: ActionContext, naming: Naming, outcome: str) -> None:
    """The re-inspection (or the re-check after rectification) found it up to standard: the name stays."""
    naming.watch_instance_id = None
    naming.rectification_due_at = naming.rectification_ordered_by_id = None
    set_status(ctx, naming, NamingStatus.NAMED, outcome=outcome)


def revoke(ctx: ActionContext, naming: Naming, reason: str, issuer_id: int | None) -> None:
    """撤销命名: record why, issue the notice (by the namer who acts, or who ordered the rectification when
    its deadline passed), and the name no longer counts in coverage."""
    if issuer_id is None:
        raise WorkflowError("撤销命名须由命名单位签发通知书，但找不到签发人。")
    naming.revoked_at, naming.revoke_reason = ctx.now, reason[:1000]
    naming.watch_instance_id = None
    named_on = office_date(naming.named_at or ctx.now).isoformat()
    notice = NoticeService.for_action(ctx).issue_within(ctx.session, ctx.now, "naming_revocation", {
        "subject_name": subject_name(ctx.session, naming), "title_name": SUBJECT_NAMES[naming.subject],
        "named_on": named_on, "reason": reason}, issuer_id, inst=ctx.instance)
    naming.revocation_notice_id = notice.id
    set_status(ctx, naming, NamingStatus.REVOKED, reason=reason, notice=notice.number)


def current_named(session: Session, subject: str, subject_id: int) -> Naming | None:
    """The naming in force for a community (its area id) or a platform (its id), if any."""
    column = Naming.area_id if subject == COMMUNITY else Naming.platform_id
    return session.scalar(sa.select(Naming).where(Naming.subject == subject, column == subject_id,
                                                  Naming.status.in_((NamingStatus.NAMED, NamingStatus.RECTIFYING)))
                          .order_by(Naming.id.desc()).limit(1))

"""One vocabulary: the statuses the code compares against and the labels several domains and the web app show,
each defined once (never bare strings or a second copy of the wording elsewhere).

Statuses are `StrEnum`s, so they are stored as their plain value and compare equal to it; templates get them
as globals. Labels that belong to one domain only live in that domain (e.g. a sweep's status names in
workflows.sweeps.service, the complaint channels in workflows.complaints.models); role names live with the
roles (workflows.org.roles).
"""
from __future__ import annotations

from enum import StrEnum


class InstanceStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"


class TaskState(StrEnum):
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class EventKind(StrEnum):
    """The audit events that other code reads back (the case page rebuilds its steps and timeline)."""

    STARTED = "started"
    COMPLETED = "completed"
    FINISHED = "finished"
    REASSIGNED = "reassigned"
    ESCALATED = "escalated"
    OVERDUE_RAISED = "overdue_raised"


class SweepStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class JobStatus(StrEnum):
    """A background job's life, and that of the import or batch print it does: queued -> running -> done | failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class NoticeStatus(StrEnum):
    ISSUED = "issued"
    VOIDED = "voided"


class ClueStatus(StrEnum):
    """An online MLM clue through the four steps (四步工作法), or set aside after monitoring or verification."""

    MONITORING = "monitoring"
    VERIFYING = "verifying"
    HANDLING = "handling"
    AFTERMATH = "aftermath"
    CLOSED = "closed"
    DISMISSED = "dismissed"


class ClueLinkStatus(StrEnum):
    """A clue's link to another record; every link is made in the action that asks for it."""

    LINKED = "linked"


class IncidentStatus(StrEnum):
    """An incident (a failed script task, hook or timer) stays open until an administrator retries or skips it."""

    OPEN = "open"
    RESOLVED = "resolved"
    SKIPPED = "skipped"


class IncidentKind(StrEnum):
    """Which action failed: a user's completion of a task, or the worker firing an instance's timers."""

    COMPLETION = "completion"
    TIMER = "timer"


# By name, for templates (which compare e.g. `inst.status == InstanceStatus.COMPLETED`).
class SeizureStatus(StrEnum):
    """A 查封: asked for -> refused | in force -> released (by decision) | expired (at its time limit)."""

    REQUESTED = "requested"
    REFUSED = "refused"
    IN_FORCE = "in_force"
    RELEASED = "released"
    EXPIRED = "expired"


class MeasureStatus(StrEnum):
    """A utility or lock measure requested of a third party while a 查封 is in force."""

    ACTIVE = "active"
    ENDED = "ended"


STATUSES = {e.__name__: e for e in (InstanceStatus, TaskState, EventKind, SweepStatus, JobStatus, NoticeStatus,
                                    ClueStatus, ClueLinkStatus, IncidentStatus, IncidentKind, SeizureStatus,
                                    MeasureStatus)}

INSTANCE_STATUS_NAMES = {InstanceStatus.RUNNING: "办理中", InstanceStatus.COMPLETED: "已办结"}

# How each process ended, by its end event (the BPMN end events' ids).
END_EVENT_NAMES = {
    "six_step_case": {"end_no_mlm_sweep": "摸排未发现传销", "end_no_mlm_check": "初查未发现传销", "end_closed": "结案"},
    "five_contracts": {"end_resolved": "已解决"},
    "complaint_intake": {"end_closed": "已办结", "end_rewarded": "已办结（已奖励）",
                         "end_reward_rejected": "已办结（不予奖励）"},
    "online_clue": {"end_dismissed": "监测排除", "end_not_confirmed": "实证未查实", "end_closed": "处置完毕、善后办结"},
    "seizure": {"end_refused": "不予批准查封", "end_released": "已解除查封", "end_expired": "期限届满，已解除查封"},
}

SEIZURE_STATUS_NAMES = {SeizureStatus.REQUESTED: "待负责人批准", SeizureStatus.REFUSED: "不予批准",
                        SeizureStatus.IN_FORCE: "查封中", SeizureStatus.RELEASED: "已解除",
                        SeizureStatus.EXPIRED: "期限届满已解除"}
# What a third party is asked to do while a 查封 is in force (utilities, the lock); the wording of the request
# and of the notice that ends it comes from legal_texts.json ("seizure" → "utilities").
MEASURE_KINDS = {"water": "供水", "power": "供电", "gas": "供气", "lock": "门锁"}

# The house types of the sweep (摸排) step, in a six-step case and in a concentrated sweep alike.
HOUSE_TYPES = {"rental": "出租屋", "vacant": "空置房", "resident": "常住户"}

# What makes a house suspicious at a sweep (seed 000, 二(六)), in a six-step case and in a concentrated sweep.
SWEEP_FLAGS = {"non_local": "非本省户籍", "non_family": "非家庭式居住", "no_occupation": "无正常职业",
               "gathering": "聚集授课"}

# How a person found in a case is classified (the comparison step), which the blacklist ledger also records.
CLASSIFICATIONS = {"participant": "普通参与者", "core": "骨干成员", "crime": "涉嫌犯罪"}


def end_name(process_id: str, end_event: str | None) -> str:
    """How an instance of `process_id` ended, in words; the end event's id when it has no name."""
    return END_EVENT_NAMES.get(process_id, {}).get(end_event or "", end_event or "")


INCIDENT_STATUS_NAMES = {IncidentStatus.OPEN: "待处理", IncidentStatus.RESOLVED: "已重试成功",
                         IncidentStatus.SKIPPED: "已跳过"}
INCIDENT_KIND_NAMES = {IncidentKind.COMPLETION: "办理步骤", IncidentKind.TIMER: "定时器"}


class NamingStatus(StrEnum):
    """A 创无 application's life: applied -> refused | failed | named -> (watched, rectifying) -> revoked."""

    APPLIED = "applied"
    REFUSED = "refused"
    FAILED = "failed"
    NAMED = "named"
    RECTIFYING = "rectifying"
    REVOKED = "revoked"


STATUSES["NamingStatus"] = NamingStatus

NAMING_STATUS_NAMES = {NamingStatus.APPLIED: "申报中", NamingStatus.REFUSED: "未受理", NamingStatus.FAILED: "验收未通过",
                       NamingStatus.NAMED: "已命名", NamingStatus.RECTIFYING: "限期整改中",
                       NamingStatus.REVOKED: "已撤销命名"}
# Still holding the name: what coverage counts.
NAMED_STATUSES = (NamingStatus.NAMED, NamingStatus.RECTIFYING)

END_EVENT_NAMES["pyramid_free_naming"] = {"end_named": "已命名", "end_returned": "街道退回", "end_refused": "不予受理",
                                          "end_failed": "验收未通过"}
END_EVENT_NAMES["pyramid_free_watch"] = {
    "end_kept": "复查达标，保留命名", "end_rectified": "整改达标，保留命名", "end_revoked": "重大问题，撤销命名",
    "end_refused_revoked": "拒不整改，撤销命名", "end_overdue_revoked": "逾期未整改，撤销命名",
    "end_recheck_revoked": "整改后仍不达标，撤销命名"}


# ---------------------------------------------------------------- the administrative penalty procedure
class PenaltyOutcome(StrEnum):
    """How a party's penalty procedure ended (or that it has not yet); Annex 3 counts every one."""

    PENDING = "pending"
    NOT_OPENED = "not_opened"        # 不予立案
    EDUCATION = "education"          # 教育, not a penalty
    WARNING = "warning"              # 当场警告 (简易程序)
    SUMMARY_FINE = "summary_fine"    # 当场罚款 (简易程序)
    NO_PENALTY = "no_penalty"        # 不予行政处罚 after investigation
    DECIDED = "decided"              # 行政处罚决定 (一般程序)


PENALTY_OUTCOME_NAMES = {
    PenaltyOutcome.PENDING: "办理中", PenaltyOutcome.NOT_OPENED: "不予立案", PenaltyOutcome.EDUCATION: "教育（不处罚）",
    PenaltyOutcome.WARNING: "当场警告", PenaltyOutcome.SUMMARY_FINE: "当场罚款",
    PenaltyOutcome.NO_PENALTY: "不予行政处罚", PenaltyOutcome.DECIDED: "作出行政处罚决定",
}
# The ways a decision may be served (行政处罚法 第六十一条; 民事诉讼法's methods as the rules apply them).
SERVICE_METHODS = {"direct": "直接送达", "residence": "留置送达", "post": "邮寄送达",
                   "electronic": "电子送达（经当事人书面同意）", "announcement": "公告送达"}
END_EVENT_NAMES["penalty_procedure"] = {
    "end_education": "教育不予处罚", "end_summary": "当场处罚办结", "end_not_opened": "不予立案",
    "end_no_penalty": "不予行政处罚", "end_closed": "结案"}
STATUSES["PenaltyOutcome"] = PenaltyOutcome


class AssessmentStatus(StrEnum):
    """An assessment run: a draft can still take manual entries and overrides; a published one is frozen."""

    DRAFT = "draft"
    PUBLISHED = "published"


class EvidenceKind(StrEnum):
    """Why an assessment row's figure was entered by hand: a manual row, or an override of a computed one."""

    MANUAL = "manual"
    OVERRIDE = "override"

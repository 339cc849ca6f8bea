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


# By name, for templates (which compare e.g. `inst.status == InstanceStatus.COMPLETED`).
STATUSES = {e.__name__: e for e in (InstanceStatus, TaskState, EventKind, SweepStatus, JobStatus, NoticeStatus)}

INSTANCE_STATUS_NAMES = {InstanceStatus.RUNNING: "办理中", InstanceStatus.COMPLETED: "已办结"}

# How each process ended, by its end event (the BPMN end events' ids).
END_EVENT_NAMES = {
    "six_step_case": {"end_no_mlm_sweep": "摸排未发现传销", "end_no_mlm_check": "初查未发现传销", "end_closed": "结案"},
    "five_contracts": {"end_resolved": "已解决"},
    "complaint_intake": {"end_closed": "已办结", "end_rewarded": "已办结（已奖励）",
                         "end_reward_rejected": "已办结（不予奖励）"},
}

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

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


class DeadlineLight(StrEnum):
    """How close a step is to its legal deadline: none, 提醒, 预警, 报警 (overdue)."""

    NONE = "none"
    REMIND = "remind"
    WARN = "warn"
    ALARM = "alarm"


PENALTY_OUTCOME_NAMES = {
    PenaltyOutcome.PENDING: "办理中", PenaltyOutcome.NOT_OPENED: "不予立案", PenaltyOutcome.EDUCATION: "教育（不处罚）",
    PenaltyOutcome.WARNING: "当场警告", PenaltyOutcome.SUMMARY_FINE: "当场罚款",
    PenaltyOutcome.NO_PENALTY: "不予行政处罚", PenaltyOutcome.DECIDED: "作出行政处罚决定",
}
DEADLINE_LIGHT_NAMES = {DeadlineLight.NONE: "正常", DeadlineLight.REMIND: "提醒", DeadlineLight.WARN: "预警",
                        DeadlineLight.ALARM: "报警"}
# The ways a decision may be served (行政处罚法 第六十一条; 民事诉讼法's methods as the rules apply them).
SERVICE_METHODS = {"direct": "直接送达", "residence": "留置送达", "post": "邮寄送达",
                   "electronic": "电子送达（经当事人书面同意）", "announcement": "公告送达"}
END_EVENT_NAMES["penalty_procedure"] = {
    "end_education": "教育不予处罚", "end_summary": "当场处罚办结", "end_not_opened": "不予立案",
    "end_no_penalty": "不予行政处罚", "end_closed": "结案"}
STATUSES.update({e.__name__: e for e in (PenaltyOutcome, DeadlineLight)})

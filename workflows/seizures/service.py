"""查封: ask for one (from a case's step or on its own), the area-scoped list and page, and each step (approval,
service of the decision, release, extension) as one unit of work through the engine."""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.idnumbers import id_or_credit_code_problem
from workflows.notices.models import Notice
from workflows.org import access
from workflows.org.areas import area_by_address
from workflows.seizures.hooks import PROCESS
from workflows.seizures.models import Seizure, SeizureMeasure
from workflows.vocabulary import TaskState

# Who may ask for a 查封: the market-supervision officers (禁止传销条例 第十四条 gives the power to that department).
REQUEST_ROLES = {"market"}
TEXT_LIMITS = {"party_name": 200, "party_address": 300, "premises": 300, "reasons": 3000}
# The case steps a 查封 may be asked for from (legal_texts.json "tasks" → "starts").
CASE_STEPS = {"rectify_house", "penalty_landlord"}


class SeizureNotFound(NotFound):
    def __init__(self, seizure_id):
        super().__init__(f"找不到查封记录 {seizure_id}。")


def _clean(fields: dict) -> dict:
    """The request's fields, checked; ValidationFailed names every bad one (nothing is stored then)."""
    errors: dict[str, list[str]] = {}
    labels = {"party_name": "当事人", "party_address": "当事人地址", "premises": "查封场所",
              "reasons": "查封理由"}
    clean = {}
    for key, label in labels.items():
        value = str(fields.get(key) or "").strip()
        if not value:
            errors.setdefault(key, []).append(f"请填写{label}")
        elif len(value) > TEXT_LIMITS[key]:
            errors.setdefault(key, []).append(f"{label}不超过{TEXT_LIMITS[key]}字")
        clean[key] = value
    raw_items = fields.get("items") or []
    items = raw_items if isinstance(raw_items, (list, tuple)) else str(raw_items).splitlines()
    clean["items"] = [str(i).strip() for i in items if str(i).strip()]
    if not clean["items"]:
        errors.setdefault("items", []).append("请填写查封清单（至少一项）")
    party_id = str(fields.get("party_id") or "").strip()
    if party_id:
        problem = id_or_credit_code_problem(party_id)
        if problem:
            errors.setdefault("party_id", []).append(f"身份证号码或统一社会信用代码{problem}")
        party_id = party_id.upper().replace(" ", "")
    clean["party_id"] = party_id
    if errors:
        raise ValidationFailed(errors)
    return clean


class SeizureService:
    """Ask for, list, show and carry a 查封 through its steps; each call is one unit of work."""

    def __init__(self, services):
        self.db = services.db
        self.workflow = services.workflow

    # ------------------------------------------------------------------ asking
    def request(self, actor_id: int, fields: dict, case_instance_id: int | None = None,
                case_task_id: str | None = None, address: str = "") -> Seizure:
        """Record a request and start its process; the head's approval is its first step."""
        clean = _clean(fields)
        with self.db.unit_of_work() as s:
            actor = access.active_user(s, actor_id)
            if not actor.role_set & REQUEST_ROLES:
                raise PermissionDenied("只有市场监管执法人员可以申请查封（《禁止传销条例》第十四条）。")
            case, area_id, area_path = self._place(s, actor, case_instance_id, case_task_id, address)
            ctx = self.workflow.context(s, actor_id)
            seizure = Seizure(case_instance_id=case.id if case else None, case_task_id=case_task_id or "",
                              area_path=area_path, requested_by_id=actor_id, requested_at=ctx.now,
                              approval_note="", extension_days=0, extension_reason="", end_reason="", **clean)
            s.add(seizure)
            s.flush()
            data = {"seizure_id": seizure.id, "approved": False, "approval_note": "", "action": "", "reason": "",
                    "extension_days": 0, "extension_approved": False, "limit_at": ""}
            started = self.workflow.start_within(ctx, PROCESS, data, area_id, f"查封 {clean['premises']}",
                                                 case.id if case else None, actor_id=actor_id)
            seizure.instance_id = started.instance.id
            audit.record(s, ctx.now, "seizure_requested", actor_id, started.instance.id, seizure_id=seizure.id,
                         case_instance_id=seizure.case_instance_id, premises=seizure.premises)
            return seizure

    def _place(self, s, actor, case_instance_id, case_task_id, address):
        """(case, area id, area path): the case's place, or the standard address typed."""
        if case_instance_id is not None:
            case = s.get(ProcessInstance, case_instance_id)
            if case is None:
                raise NotFound(f"找不到案件 {case_instance_id}。")
            access.check_sees(actor, case.area_path, "该案件不在您的辖区内。", "查封")
            if case_task_id:
                task = s.get(HumanTask, case_task_id)
                if task is None or task.instance_id != case.id or task.task_name not in CASE_STEPS:
                    raise WorkflowError("只能在“责令改正”或“对房东行政处罚”环节申请查封。")
            return case, case.area_id, case.area_path
        area = area_by_address(s, address) if address else None
        if area is None:
            raise ValidationFailed({"address": ["请填写标准地址库中的查封场所地址"]})
        access.check_sees(actor, area.path, "该地址不在您的辖区内。", "查封")
        return None, area.id, area.path

    # ------------------------------------------------------------------ reading
    def list_visible(self, actor_id: int, status: str | None = None) -> list[Seizure]:
        """The 查封 in the actor's area, newest first."""
        with self.db.read() as s:
            actor = access.active_user(s, actor_id)
            access.visible_prefix(actor, "查封")
            query = sa.select(Seizure).where(access.visible_clause(Seizure.area_path, actor))
            if status:
                query = query.where(Seizure.status == status)
            return list(s.scalars(query.order_by(Seizure.id.desc()).limit(500)))

    def get(self, seizure_id: int, actor_id: int) -> Seizure:
        with self.db.read() as s:
            seizure = s.get(Seizure, seizure_id)
            if seizure is None:
                raise SeizureNotFound(seizure_id)
            actor = access.active_user(s, actor_id)
            access.check_sees(actor, seizure.area_path, "该查封不在您的辖区内。", "查封")
            return seizure

    def details(self, seizure_id: int, actor_id: int) -> dict:
        """A seizure's page: the record, its measures, its documents and the step waiting (if any)."""
        seizure = self.get(seizure_id, actor_id)
        with self.db.read() as s:
            measures = list(s.scalars(sa.select(SeizureMeasure).where(SeizureMeasure.seizure_id == seizure.id)
                                      .order_by(SeizureMeasure.id)))
            ids = [seizure.decision_notice_id, seizure.extension_notice_id, seizure.release_notice_id]
            ids += [i for m in measures for i in (m.assist_notice_id, m.restore_notice_id)]
            documents = list(s.scalars(sa.select(Notice).where(Notice.id.in_([i for i in ids if i]))
                                       .order_by(Notice.id)))
            waiting = s.scalar(sa.select(HumanTask).where(HumanTask.instance_id == seizure.instance_id,
                                                          HumanTask.state == TaskState.READY))
        return {"seizure": seizure, "measures": measures, "documents": documents, "waiting": waiting}

    # ------------------------------------------------------------------ steps
    def act(self, seizure_id: int, actor_id: int, step: str, data: dict):
        """Complete the seizure's waiting step `step` as the actor (the engine checks the lane's role)."""
        seizure = self.get(seizure_id, actor_id)
        with self.db.read() as s:
            task = s.scalar(sa.select(HumanTask).where(HumanTask.instance_id == seizure.instance_id,
                                                       HumanTask.task_name == step,
                                                       HumanTask.state == TaskState.READY))
        if task is None:
            raise WorkflowError("该查封当前没有这一步可办理（可能已由他人办理或查封已结束），请刷新后查看。")
        return self.workflow.complete(task.id, data, actor_id)

"""Official notices: required fields per type, numbering inside the issuing transaction, frozen content,
void and correction, print records and batch print jobs. Knows nothing of Flask or WeasyPrint."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workflows import audit
from workflows.clock import SystemClock, utcnow_naive
from workflows.database.session import Database
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.jobs import queue
from workflows.jobs.models import DONE, FAILED, Job
from workflows.notices.compose import canonical, compose
from workflows.notices.formatting import plain_date
from workflows.notices.legal import legal_data, type_spec
from workflows.notices.models import Notice, NoticeBatch, NoticeCounter
from workflows.notices.validation import NoticeRejected, validate
from workflows.org import access
from workflows.org.models import Area, Department, User
from workflows.penalties import documents as procedure_documents
from workflows.vocabulary import JobStatus, NoticeStatus

# The kind of background job that renders a batch print (its handler lives with the templates, in webapp).
BATCH_JOB_KIND = "notice_batch"


class NoticeNotFound(NotFound):
    def __init__(self, notice_id):
        super().__init__(f"找不到通知书 {notice_id}。")


# ---------------------------------------------------------------------- the service
class NoticeService:
    """Issue, void, correct and print notices; each call is one unit of work."""

    def __init__(self, db: Database, clock=None, legal: dict | None = None,
                 job_max_attempts: int = queue.DEFAULT_MAX_ATTEMPTS):
        self.db = db
        self.clock = clock or SystemClock()
        self.legal = legal or legal_data()
        self.job_max_attempts = job_max_attempts

    @classmethod
    def for_services(cls, services) -> "NoticeService":
        """The notice service over a workflows.runtime.Services (same database, clock and job settings)."""
        return cls(services.db, services.workflow.clock, job_max_attempts=services.settings.job_max_attempts)

    @classmethod
    def for_action(cls, ctx) -> "NoticeService":
        """The notice service of a running action (its engine's database and clock), for `issue_within`."""
        return cls(ctx.engine.db, ctx.engine.clock)

    def now(self) -> datetime:
        return utcnow_naive(self.clock)

    def local_date(self, at: datetime) -> date:
        """The calendar day at the issuing office (UTC+8, no daylight saving), which also gives the year."""
        return (at + timedelta(hours=self.legal.get("utc_offset_hours", 8))).date()

    # ------------------------------------------------------------------ reading
    def get(self, notice_id: int, actor_id: int | None = None) -> Notice:
        with self.db.read() as s:
            notice = s.get(Notice, notice_id)
            if notice is None:
                raise NoticeNotFound(notice_id)
            if actor_id is not None:
                self._check_sees(self._actor(s, actor_id), notice.area_path)
            return notice

    def list_for_case(self, instance_id: int) -> list[Notice]:
        """A case's notices, oldest first, voided ones included (they are part of the record)."""
        with self.db.read() as s:
            return list(s.scalars(sa.select(Notice).where(Notice.instance_id == instance_id).order_by(Notice.id)))

    def contents(self, notice_ids: list[int], actor_id: int) -> list[tuple[Notice, dict]]:
        """(notice, stored content) in the order asked for; refuses if any is outside the actor's area."""
        with self.db.read() as s:
            actor = self._actor(s, actor_id)
            rows = {n.id: n for n in s.scalars(sa.select(Notice).where(Notice.id.in_(notice_ids)))}
            out = []
            for nid in notice_ids:
                notice = rows.get(nid)
                if notice is None:
                    raise NoticeNotFound(nid)
                self._check_sees(actor, notice.area_path)
                out.append((notice, self.verified(notice)))
            return out

    @staticmethod
    def verified(notice: Notice) -> dict:
        """The stored content, after checking it still matches the digest taken at issue."""
        if hashlib.sha256(notice.content.encode("utf-8")).hexdigest() != notice.digest:
            raise WorkflowError(f"通知书 {notice.number} 的存档内容校验不符，已停止打印，请联系系统管理员。")
        return notice.data

    # ------------------------------------------------------------------ preview
    def preview(self, notice_type: str, fields: dict, actor_id: int, instance_id: int | None = None,
                task_id: str | None = None) -> dict:
        """The content a notice would have if issued now, without a number; nothing is written."""
        with self.db.read() as s:
            actor, inst, roles = self._context(s, notice_type, actor_id, instance_id, task_id)
            fields = procedure_documents.bind(s, notice_type, inst, task_id, fields, type_spec(notice_type)["title"])
            issue_date = self.local_date(self.now())
            clean = self._resolve(s, notice_type, validate(notice_type, fields, issue_date, self.legal, roles), inst)
            issuer = self._issuer(actor)
            content = compose(notice_type, clean, issue_date, issuer, inst.reference if inst else "", self.legal)
            # The number is only taken at issue; the preview shows where it will go.
            content["number_preview"] = f"{self.prefix(issuer.abbreviation, notice_type)}〔{issue_date.year}〕　号"
            return content

    # ------------------------------------------------------------------ issuing
    def issue(self, notice_type: str, fields: dict, actor_id: int, instance_id: int | None = None,
              task_id: str | None = None, area_id: int | None = None) -> Notice:
        """Validate, number and store one notice in one transaction; refused notices take no number."""
        with self.db.unit_of_work() as s:
            actor, inst, roles = self._context(s, notice_type, actor_id, instance_id, task_id)
            # A penalty procedure's documents: only at their step, with the procedure's party and role.
            fields = procedure_documents.bind(s, notice_type, inst, task_id, fields, type_spec(notice_type)["title"])
            area_path = self._target_area(s, actor, inst, area_id)
            now = self.now()
            clean = validate(notice_type, fields, self.local_date(now), self.legal, roles)
            clean = self._resolve(s, notice_type, clean, inst)
            return self._store(s, notice_type, clean, actor, inst, task_id, area_path, now)

    def issue_within(self, s: Session, now: datetime, notice_type: str, fields: dict, actor_id: int, inst=None,
                     area_path: str = "") -> Notice:
        """Validate, number and store a notice inside an action already under way, in its transaction: how a
        domain's own documents (a 查封's decision and its notices to utilities, a naming's certificate or its
        revocation) are issued together with the step they record."""
        actor = self._actor(s, actor_id)
        self._check_role(actor, notice_type)
        if inst is not None:
            self._check_sees(actor, inst.area_path)
        area_path = area_path or (inst.area_path if inst is not None else self._target_area(s, actor, None, None))
        clean = validate(notice_type, fields, self.local_date(now), self.legal)
        return self._store(s, notice_type, clean, actor, inst, None, area_path, now)

    def issue_letters(self, instance_id: int, person_ids: list[int], fields: dict, actor_id: int,
                      task_id: str | None = None) -> list[Notice]:
        """One letter to the registration place per person of the case, all or none, consecutive numbers."""
        from workflows.cases.models import CasePerson
        person_ids = list(dict.fromkeys(person_ids))  # a person ticked twice still gets one letter
        with self.db.unit_of_work() as s:
            actor, inst, roles = self._context(s, "registration_letter", actor_id, instance_id, task_id)
            persons = {p.id: p for p in s.scalars(sa.select(CasePerson).where(
                CasePerson.instance_id == instance_id, CasePerson.id.in_(person_ids)))}
            if not person_ids or len(persons) != len(set(person_ids)):
                raise WorkflowError("请选择本案件中的人员（每人一封信）。")
            now = self.now()
            cleaned, errors, missing = [], {}, []
            for pid in person_ids:
                person = persons[pid]
                data = dict(fields, person_name=person.name, id_number=person.id_number)
                try:
                    cleaned.append(validate("registration_letter", data, self.local_date(now), self.legal, roles))
                except NoticeRejected as exc:
                    for key, msgs in exc.errors.items():
                        errors[f"{person.name}·{key}"] = msgs
                    missing += [m for m in exc.missing if m not in missing]
            if errors:
                raise NoticeRejected(errors, missing)
            return [self._store(s, "registration_letter", clean, actor, inst, task_id, inst.area_path, now)
                    for clean in cleaned]

    def _store(self, s: Session, notice_type: str, clean: dict, actor: User, inst, task_id, area_path: str,
               now: datetime, replaces: Notice | None = None) -> Notice:
        issuer = self._issuer(actor)
        issue_date = self.local_date(now)
        content = compose(notice_type, clean, issue_date, issuer, inst.reference if inst else "", self.legal)
        prefix = self.prefix(issuer.abbreviation, notice_type)
        # The number is taken last, so the counter row stays locked for as short a time as possible.
        sequence = self._next_sequence(s, prefix, issue_date.year)
        content["number"] = f"{prefix}〔{issue_date.year}〕{sequence}号"
        text = canonical(content)
        notice = Notice(number=content["number"], prefix=prefix, year=issue_date.year, sequence=sequence,
                        notice_type=notice_type, title=content["title"], addressee=content["addressee"][:300],
                        instance_id=inst.id if inst else None, task_id=task_id, area_path=area_path,
                        issuer_department_id=issuer.id, issued_at=now, issued_by_id=actor.id, content=text,
                        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(), status=NoticeStatus.ISSUED,
                        void_reason="", replaces_id=replaces.id if replaces else None)
        s.add(notice)
        s.flush()
        details = {"notice_id": notice.id, "number": notice.number, "type": notice_type,
                   "title": notice.title, "addressee": notice.addressee}
        if replaces is not None:
            details.update(corrects_id=replaces.id, corrects=replaces.number)
        audit.record(s, now, "notice_issued", actor.id, notice.instance_id, task_id, **details)
        return notice

    def prefix(self, abbreviation: str, notice_type: str) -> str:
        """Issuer abbreviation + type code, e.g. 东市监责改; an issuer may override a type's code."""
        issuer_conf = self.legal["issuers"].get(abbreviation) or {}
        code = issuer_conf.get("codes", {}).get(notice_type) or type_spec(notice_type, self.legal)["code"]
        return f"{abbreviation}{code}"

    def _next_sequence(self, s: Session, prefix: str, year: int) -> int:
        """Take the next number of a series in the caller's transaction.

        One upsert creates the counter row or bumps it, and holds its row lock until commit: a concurrent
        issuer of the same series waits, then sees the committed value (PostgreSQL re-checks the row under
        READ COMMITTED); SQLite writers are already serialised by BEGIN IMMEDIATE. A rollback undoes the bump,
        so a failed issue leaves no gap.
        """
        dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(NoticeCounter).values(prefix=prefix, year=year, last_number=1)
        stmt = stmt.on_conflict_do_update(index_elements=["prefix", "year"],
                                          set_={"last_number": NoticeCounter.last_number + 1})
        return s.execute(stmt.returning(NoticeCounter.last_number)).scalar_one()

    # ------------------------------------------------------------------ void and correction
    def void(self, notice_id: int, actor_id: int, reason: str) -> Notice:
        """Void an issued notice (kept, marked 作废, audited); it cannot be un-voided."""
        with self.db.unit_of_work() as s:
            actor, notice = self._lock_for_change(s, notice_id, actor_id, reason)
            self._mark_void(s, notice, actor, reason.strip(), None)
            return notice

    def correct(self, notice_id: int, fields: dict, actor_id: int, reason: str) -> Notice:
        """Issue a corrected notice under a new number and void the old one, in one transaction."""
        with self.db.unit_of_work() as s:
            actor, old = self._lock_for_change(s, notice_id, actor_id, reason)
            inst = s.get(ProcessInstance, old.instance_id) if old.instance_id else None
            roles = self._task_roles(s, inst, old.task_id, old.notice_type)
            self._check_issuable(old.notice_type, inst)
            now = self.now()
            clean = validate(old.notice_type, fields, self.local_date(now), self.legal, roles)
            clean = self._resolve(s, old.notice_type, clean, inst)
            new = self._store(s, old.notice_type, clean, actor, inst, old.task_id, old.area_path, now, replaces=old)
            self._mark_void(s, old, actor, reason.strip(), new)
            return new

    def _lock_for_change(self, s: Session, notice_id: int, actor_id: int, reason: str) -> tuple[User, Notice]:
        if not (reason or "").strip():
            raise ValidationFailed({"reason": ["作废或更正须填写理由"]})
        notice = s.scalar(sa.select(Notice).where(Notice.id == notice_id).with_for_update())
        if notice is None:
            raise NoticeNotFound(notice_id)
        actor = self._actor(s, actor_id)
        self._check_sees(actor, notice.area_path)
        self._check_role(actor, notice.notice_type, extra=("supervisor",))
        if notice.status != NoticeStatus.ISSUED:
            raise WorkflowError(f"通知书 {notice.number} 已作废，不能再次作废或更正。")
        return actor, notice

    def _mark_void(self, s: Session, notice: Notice, actor: User, reason: str, new: Notice | None) -> None:
        now = self.now()
        notice.status, notice.voided_at, notice.voided_by_id = NoticeStatus.VOIDED, now, actor.id
        notice.void_reason = reason[:500]
        notice.replaced_by_id = new.id if new else None
        details = {"notice_id": notice.id, "number": notice.number, "reason": notice.void_reason}
        if new is not None:
            details.update(replaced_by_id=new.id, replaced_by=new.number)
        audit.record(s, now, "notice_voided", actor.id, notice.instance_id, notice.task_id, **details)

    def void_details(self, notice: Notice) -> dict:
        """When and why a notice was voided and which number replaced it, for the line printed on it."""
        if notice.status != NoticeStatus.VOIDED:
            return {}
        replaced_by = ""
        if notice.replaced_by_id:
            with self.db.read() as s:
                replaced_by = s.scalar(sa.select(Notice.number).where(Notice.id == notice.replaced_by_id)) or ""
        voided_on = plain_date(self.local_date(notice.voided_at)) if notice.voided_at else ""
        return {"voided_on": voided_on, "reason": notice.void_reason, "replaced_by": replaced_by}

    # ------------------------------------------------------------------ printing
    def record_prints(self, notice_ids: list[int], actor_id: int, reprint: bool = False,
                      batch_id: int | None = None) -> None:
        """Every print and reprint is in the audit log: a lost copy can be traced to who printed it."""
        with self.db.unit_of_work() as s:
            self._record_prints(s, notice_ids, actor_id, reprint, batch_id)

    def _record_prints(self, s: Session, notice_ids: list[int], actor_id: int, reprint: bool = False,
                       batch_id: int | None = None) -> None:
        actor = self._actor(s, actor_id)
        now = self.now()
        for notice in s.scalars(sa.select(Notice).where(Notice.id.in_(notice_ids))):
            self._check_sees(actor, notice.area_path)
            audit.record(s, now, "notice_reprinted" if reprint else "notice_printed", actor.id,
                         notice.instance_id, None, notice_id=notice.id, number=notice.number,
                         status=notice.status, batch_id=batch_id)

    def start_batch(self, notice_ids: list[int], actor_id: int) -> int:
        """A batch print, queued for the worker in the same transaction; old finished batches (a day or more)
        are cleared on the way, with their jobs."""
        with self.db.unit_of_work() as s:
            actor = self._actor(s, actor_id)
            found = s.scalars(sa.select(Notice).where(Notice.id.in_(notice_ids))).all()
            if not notice_ids or len(found) != len(set(notice_ids)):
                raise WorkflowError("请选择要打印的通知书。")
            for notice in found:
                self._check_sees(actor, notice.area_path)
            now = self.now()
            old = sa.select(NoticeBatch.job_id).where(NoticeBatch.created_at < now - timedelta(days=1),
                                                      NoticeBatch.status != JobStatus.RUNNING)
            old_jobs = [i for i in s.scalars(old) if i is not None]
            s.execute(sa.delete(NoticeBatch).where(NoticeBatch.created_at < now - timedelta(days=1),
                                                   NoticeBatch.status != JobStatus.RUNNING))
            if old_jobs:
                s.execute(sa.delete(Job).where(Job.id.in_(old_jobs), Job.status.in_((DONE, FAILED))))
            batch = NoticeBatch(created_at=now, created_by_id=actor.id, notice_ids=list(notice_ids),
                                total=len(notice_ids), done=0, status=JobStatus.RUNNING, error="")
            s.add(batch)
            s.flush()
            job = queue.enqueue(s, BATCH_JOB_KIND, {"batch_id": batch.id}, now=now, created_by_id=actor.id,
                                max_attempts=self.job_max_attempts)
            batch.job_id = job.id
            return batch.id

    def batch_progress(self, s: Session, batch_id: int, done: int) -> None:
        """Progress of a batch, in the worker's transaction (which also renews its lease)."""
        s.execute(sa.update(NoticeBatch).where(NoticeBatch.id == batch_id).values(done=done))

    def finish_batch(self, s: Session, batch_id: int, pdf: bytes) -> None:
        """Store the PDF and record the prints in the worker's last transaction: a batch rendered again after
        a crash is recorded once."""
        batch = s.get(NoticeBatch, batch_id)
        self._record_prints(s, batch.notice_ids, batch.created_by_id, batch_id=batch_id)
        batch.status, batch.error, batch.pdf, batch.finished_at = JobStatus.DONE, "", pdf, self.now()
        batch.done = batch.total

    @staticmethod
    def batch_failed(s: Session, job: Job) -> None:
        """The batch's job failed for good: its page shows the reason instead of "正在生成" forever."""
        batch = s.get(NoticeBatch, job.payload["batch_id"])
        if batch is not None and batch.job_id == job.id:
            batch.status, batch.error, batch.finished_at = JobStatus.FAILED, job.error[:500], job.finished_at

    def get_batch(self, batch_id: int, actor_id: int) -> NoticeBatch:
        with self.db.read() as s:
            batch = s.get(NoticeBatch, batch_id)
            if batch is None or batch.created_by_id != actor_id:
                raise NotFound("找不到该批量打印任务（只能查看自己发起的任务）。")
            return batch

    # ------------------------------------------------------------------ checks
    def _context(self, s: Session, notice_type: str, actor_id: int, instance_id, task_id):
        """(actor, case, penalty roles the task allows) after the role, area and task checks."""
        type_spec(notice_type, self.legal)
        actor = self._actor(s, actor_id)
        self._check_role(actor, notice_type)
        access.visible_prefix(actor, "通知书")
        inst = None
        if instance_id is not None:
            inst = s.get(ProcessInstance, instance_id)
            if inst is None:
                raise NotFound(f"找不到案件 {instance_id}。")
            self._check_sees(actor, inst.area_path)
        self._check_issuable(notice_type, inst)
        return actor, inst, self._task_roles(s, inst, task_id, notice_type)

    def _check_issuable(self, notice_type: str, inst) -> None:
        """Types no longer issued, types only their own procedure issues, and types that need a case."""
        spec = type_spec(notice_type, self.legal)
        if spec.get("withdrawn"):
            raise WorkflowError(spec["withdrawn"])
        if spec.get("via"):
            raise WorkflowError(f"{spec['title']}只能在查封程序中签发（须经负责人事先书面批准）。")
        if spec.get("needs_case") and inst is None:
            raise WorkflowError(f"{spec['title']}须在案件中签发（涉嫌犯罪人员取自案件的人员分类）。")

    def _resolve(self, s: Session, notice_type: str, clean: dict, inst) -> dict:
        """Facts a notice takes from the case rather than from what was typed: each suspect's role in a crime
        transfer is the classification the case gave them, never one the officer picks."""
        if notice_type != "crime_transfer" or inst is None:
            return clean
        from workflows.cases.models import CasePerson
        persons = {p.name: p for p in s.scalars(sa.select(CasePerson).where(CasePerson.instance_id == inst.id))}
        roles, problems = {}, []
        for name in clean["suspects"]:
            person = persons.get(name)
            role = self.legal["suspect_roles"].get(person.classification) if person else None
            if person is None:
                problems.append(f"“{name}”不是本案登记的人员")
            elif role is None:
                problems.append(f"“{name}”在本案中尚未分类，请先在信息比对环节确定其分类")
            else:
                roles[name] = role
        if problems:
            raise NoticeRejected({"suspects": problems}, [])
        return dict(clean, suspect_roles=roles)

    def _task_roles(self, s: Session, inst, task_id, notice_type: str) -> list[str] | None:
        if not task_id:
            return None
        task = s.get(HumanTask, task_id)
        if task is None or inst is None or task.instance_id != inst.id:
            raise WorkflowError("该环节不属于本案件。")
        per_process = self.legal["tasks"].get(task.process_id, {})
        entry = per_process.get(task.task_name) or per_process.get("*") or {}
        if notice_type not in entry.get("types", []):
            raise WorkflowError(f"“{task.title}”环节不签发{type_spec(notice_type, self.legal)['title']}。")
        return entry.get("penalty_roles")

    def _target_area(self, s: Session, actor: User, inst, area_id) -> str:
        if inst is not None:
            return inst.area_path
        if area_id is not None:
            area = s.get(Area, area_id)
            if area is None:
                raise NotFound(f"找不到地址 {area_id}。")
            self._check_sees(actor, area.path)
            return area.path
        # Nothing else to place it: the issuer's area; the district-wide administrator's is the district.
        return actor.area.path if actor.area is not None else ""

    @staticmethod
    def _actor(s: Session, actor_id) -> User:
        return access.active_user(s, actor_id)

    def _check_role(self, actor: User, notice_type: str, extra: tuple = ()) -> None:
        spec = type_spec(notice_type, self.legal)
        if not actor.role_set & (set(spec["roles"]) | set(extra)):
            raise PermissionDenied(f"您的岗位不能签发{spec['title']}。")

    @staticmethod
    def _check_sees(actor: User, area_path: str) -> None:
        access.check_sees(actor, area_path, "该案件或通知书不在您的辖区内。", "通知书")

    @staticmethod
    def _issuer(actor: User) -> Department:
        if actor.department is None or not actor.department.abbreviation:
            raise WorkflowError("您所在单位未设置发文简称，不能签发通知书，请联系系统管理员。")
        return actor.department

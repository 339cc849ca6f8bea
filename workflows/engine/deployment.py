"""Deployed process versions: each diagram stored once per content hash, parsed once per process per hash."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.database.session import Database
from workflows.engine import script_policy, spiff
from workflows.engine.bpmn_check import check_xml
from workflows.engine.models import ProcessVersion
from workflows.exceptions import InvalidDiagram, UnknownProcess

# (content hash, process id) -> parsed spec. Specs are immutable once deployed, so this cache can never be
# stale, and it is safe to share between requests and threads.
_PARSED: dict[tuple[str, str], spiff.ParsedProcess] = {}


def parsed(version: ProcessVersion) -> spiff.ParsedProcess:
    """The parsed spec of a version, from the per-hash cache (the XML is loaded only on a miss)."""
    key = (version.content_hash, version.process_id)
    found = _PARSED.get(key)
    if found is None:
        found = _PARSED[key] = spiff.parse(version.bpmn_xml.encode("utf-8"), version.process_id)
    return found


def current_version(session: Session, process_id: str) -> ProcessVersion:
    version = session.scalar(sa.select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                             .order_by(ProcessVersion.id.desc()).limit(1))
    if version is None:
        raise UnknownProcess(process_id)
    return version


def _formless_tasks(xml: bytes, file_name: str, has_form) -> list[str]:
    """The user tasks nobody could do: the web app has no form for them (it says which it has)."""
    problems = []
    for process_id, _name in spiff.executable_processes(xml):
        for name, (title, _lane) in spiff.parse(xml, process_id).user_tasks.items():
            if not has_form(process_id, name):
                problems.append(f"{file_name}：流程 {process_id} 的用户任务“{title}”（{name}）没有对应的办理表单，"
                                "部署后无人能办理；请先为它添加表单，或改用已有任务的名称。")
    return problems


def deploy_xml(db: Database, now: datetime, xml: bytes, file_name: str,
               actor_id: int | None = None, has_form=None) -> list[ProcessVersion]:
    """Check a diagram (shapes, engine parse, that its scripts run nothing but what script_policy allows and,
    given `has_form(process_id, task_name)`, that every user task has a form) and store each of its processes
    once per content hash."""
    problems = check_xml(xml, file_name)
    if not problems:
        # Scripts may call only the functions the domains registered (exposed to the engine as script globals).
        problems = script_policy.diagram_problems(xml, set(spiff.SCRIPT_GLOBALS), file_name)
        if problems:  # someone tried to deploy code the engine will not run: on the record
            with db.unit_of_work() as s:
                audit.record(s, now, "diagram_refused", actor_id, file_name=file_name[:200], problems=problems[:20])
    if not problems and has_form is not None:
        problems = _formless_tasks(xml, file_name, has_form)
    if problems:
        raise InvalidDiagram(problems)
    digest = spiff.content_hash(xml)
    out = []
    with db.unit_of_work() as s:
        for process_id, name in spiff.executable_processes(xml):
            exists = s.scalar(sa.select(ProcessVersion).where(
                ProcessVersion.process_id == process_id, ProcessVersion.content_hash == digest))
            if exists:
                continue
            version = ProcessVersion(process_id=process_id, name=name, content_hash=digest,
                                     bpmn_xml=xml.decode("utf-8"), file_name=file_name,
                                     deployed_at=now, deployed_by_id=actor_id)
            s.add(version)
            s.flush()
            audit.record(s, now, "process_deployed", actor_id, process_id=process_id,
                         version_id=version.id, content_hash=digest)
            out.append(version)
    return out


def deploy_directory(db: Database, now: datetime, directory: Path, actor_id: int | None = None):
    deployed = []
    for path in sorted(Path(directory).glob("*.bpmn")):
        deployed += deploy_xml(db, now, path.read_bytes(), path.name, actor_id)
    return deployed

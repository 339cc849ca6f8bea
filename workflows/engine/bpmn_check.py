"""Check diagrams the way a modeler and the engine will read them (the project's own copy of the check).

Valid BPMN 2.0 against the OMG schema; a diagram shape for every flow node and an edge for every
sequence flow; every user task named and in a lane; SpiffBpmnParser builds every executable process.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
FLOW_NODES = {
    "task", "userTask", "serviceTask", "scriptTask", "manualTask", "businessRuleTask", "sendTask",
    "receiveTask", "callActivity", "subProcess", "startEvent", "endEvent", "intermediateCatchEvent",
    "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
    "eventBasedGateway",
}


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    import SpiffWorkflow.bpmn.parser as spiff_parser
    xsd = Path(spiff_parser.__file__).parent / "schema" / "BPMN20.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def check_xml(xml: bytes, name: str = "<diagram>") -> list[str]:
    """Every problem found in one BPMN file, as readable lines; empty when the file is fine."""
    try:
        tree = etree.ElementTree(etree.fromstring(xml))
    except etree.XMLSyntaxError as exc:
        return [f"{name}: 不是合法的 XML：{exc}"]
    problems = []
    xsd = _schema()
    if not xsd.validate(tree):
        problems += [f"{name}:{e.line}: 不符合 BPMN 2.0 规范：{e.message}" for e in list(xsd.error_log)[:5]]
    root = tree.getroot()
    shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    executable = []
    for proc in root.iter(f"{{{BPMN}}}process", f"{{{BPMN}}}subProcess"):
        in_lane = {ref.text.strip() for ref in proc.iter(f"{{{BPMN}}}flowNodeRef") if ref.text}
        has_lanes = any(True for _ in proc.iter(f"{{{BPMN}}}lane"))
        for el in proc:
            if not isinstance(el.tag, str):
                continue
            tag, eid = etree.QName(el).localname, el.get("id")
            if tag in FLOW_NODES and eid not in shapes:
                problems.append(f"{name}: {tag} '{eid}' 缺少图形")
            if tag == "sequenceFlow" and eid not in edges:
                problems.append(f"{name}: 顺序流 '{eid}' 缺少连线图形")
            if tag == "userTask":
                if not (el.get("name") or "").strip():
                    problems.append(f"{name}: 用户任务 '{eid}' 没有名称")
                if proc.tag == f"{{{BPMN}}}process" and (not has_lanes or eid not in in_lane):
                    problems.append(f"{name}: 用户任务 '{eid}' 不在任何泳道中")
        if proc.tag == f"{{{BPMN}}}process" and proc.get("isExecutable") == "true":
            executable.append(proc.get("id"))
    if not executable:
        problems.append(f"{name}: 没有可执行的流程（isExecutable=\"true\"）")
    if not problems:
        from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
        parser = SpiffBpmnParser()
        try:
            parser.add_bpmn_str(xml)
            for pid in executable:
                try:
                    parser.get_spec(pid)
                except Exception as exc:  # the parser raises many kinds; each one is a problem to report
                    problems.append(f"{name}: 引擎无法解析流程 '{pid}'：{exc}")
        except Exception as exc:
            problems.append(f"{name}: 引擎无法读取：{exc}")
    return problems


def check_paths(paths: list[Path]) -> tuple[int, int, list[str]]:
    """(files, executable processes, problems) over files and directories of .bpmn files."""
    files: list[Path] = []
    for p in paths:
        files += sorted(p.rglob("*.bpmn")) if p.is_dir() else [p]
    problems, processes = [], 0
    for f in files:
        xml = f.read_bytes()
        found = check_xml(xml, str(f))
        problems += found
        if not found:
            root = etree.fromstring(xml)
            processes += sum(1 for p in root.iter(f"{{{BPMN}}}process") if p.get("isExecutable") == "true")
    return len(files), processes, problems

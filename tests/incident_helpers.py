"""Two small diagrams whose script task fails on bad data, for incidents: one after a user task, one after
a timer. Each is a full BPMN file (lanes and diagram shapes), deployed like any other."""
from __future__ import annotations

import sqlalchemy as sa

from workflows.engine.models import HumanTask, Incident, ProcessInstance
from workflows.vocabulary import TaskState

SCRIPT = "fine = 1000 // divisor"


def _diagram(process_id: str, first: str) -> bytes:
    """start -> `first` (a user task 'fill' or a one-hour timer) -> script 'compute' -> user task 'review' -> end."""
    if first == "timer":
        first_xml = ('<bpmn:intermediateCatchEvent id="wait" name="等待一小时"><bpmn:timerEventDefinition>'
                     '<bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>'
                     '</bpmn:intermediateCatchEvent>')
        first_id = "wait"
    else:
        first_xml = '<bpmn:userTask id="fill" name="填写处罚依据" />'
        first_id = "fill"
    nodes = ["start", first_id, "compute", "review", "end"]
    flows = [(f"f{i}", a, b) for i, (a, b) in enumerate(zip(nodes, nodes[1:]))]
    lane_refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)
    shapes = "".join(f'<bpmndi:BPMNShape id="{n}_di" bpmnElement="{n}"><dc:Bounds x="{100 + i * 150}" y="80" '
                     f'width="100" height="80" /></bpmndi:BPMNShape>' for i, n in enumerate(nodes))
    edges = "".join(f'<bpmndi:BPMNEdge id="{f}_di" bpmnElement="{f}"><di:waypoint x="{200 + i * 150}" y="120" />'
                    f'<di:waypoint x="{250 + i * 150}" y="120" /></bpmndi:BPMNEdge>' for i, (f, _, _) in enumerate(flows))
    flow_xml = "".join(f'<bpmn:sequenceFlow id="{f}" sourceRef="{a}" targetRef="{b}" />' for f, a, b in flows)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs_{process_id}" targetNamespace="http://dachuan/test">
  <bpmn:collaboration id="collab_{process_id}">
    <bpmn:participant id="part_{process_id}" name="故障演示" processRef="{process_id}" />
  </bpmn:collaboration>
  <bpmn:process id="{process_id}" name="故障演示" isExecutable="true">
    <bpmn:laneSet id="lanes_{process_id}"><bpmn:lane id="lane_market" name="市场监管">{lane_refs}</bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    {first_xml}
    <bpmn:scriptTask id="compute" name="计算罚款" scriptFormat="python"><bpmn:script>{SCRIPT}</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="review" name="复核罚款" />
    <bpmn:endEvent id="end" />
    {flow_xml}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia_{process_id}"><bpmndi:BPMNPlane id="plane_{process_id}" bpmnElement="collab_{process_id}">
    <bpmndi:BPMNShape id="part_di" bpmnElement="part_{process_id}" isHorizontal="true"><dc:Bounds x="50" y="40" width="900" height="160" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="lane_di" bpmnElement="lane_market" isHorizontal="true"><dc:Bounds x="80" y="40" width="870" height="160" /></bpmndi:BPMNShape>
    {shapes}{edges}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>""".encode()


AFTER_TASK = _diagram("incident_probe", "task")
AFTER_TIMER = _diagram("incident_timer_probe", "timer")


def deploy(services) -> None:
    services.workflow.deploy_xml(AFTER_TASK, "incident_probe.bpmn")
    services.workflow.deploy_xml(AFTER_TIMER, "incident_timer_probe.bpmn")


def ready(services, instance_id: int) -> dict[str, str]:
    with services.db.read() as s:
        return dict(s.execute(sa.select(HumanTask.task_name, HumanTask.id).where(
            HumanTask.instance_id == instance_id, HumanTask.state == TaskState.READY)).all())


def incidents_of(services, instance_id: int) -> list[Incident]:
    with services.db.read() as s:
        return list(s.scalars(sa.select(Incident).where(Incident.instance_id == instance_id).order_by(Incident.id)))


def instance(services, instance_id: int) -> ProcessInstance:
    with services.db.read() as s:
        return s.get(ProcessInstance, instance_id)

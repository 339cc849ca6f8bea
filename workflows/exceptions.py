"""The errors the engine raises; each carries a message in Chinese fit to show a user."""


class WorkflowError(Exception):
    """Base class: `message` is for the user, `status` is the HTTP status a route should answer."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(WorkflowError):
    status = 404


class UnknownTask(NotFound):
    def __init__(self, task_id: str):
        super().__init__(f"找不到任务 {task_id}，请刷新待办列表。")


class UnknownProcess(NotFound):
    def __init__(self, process_id: str):
        super().__init__(f"没有名为 {process_id} 的流程。")


class UnknownInstance(NotFound):
    def __init__(self, instance_id):
        super().__init__(f"找不到案件 {instance_id}。")


class TaskNotReady(WorkflowError):
    status = 409


class TaskAlreadyCompleted(TaskNotReady):
    """Somebody else completed (or the engine cancelled) the task first."""

    def __init__(self, message: str, instance_id: int | None = None):
        super().__init__(message)
        self.instance_id = instance_id


class ConcurrentUpdate(WorkflowError):
    status = 409

    def __init__(self):
        super().__init__("该案件刚被他人更新，您的提交未保存，请刷新后重试。")


class PermissionDenied(WorkflowError):
    status = 403


class ValidationFailed(WorkflowError):
    """Submitted data failed validation; `errors` maps field name to a list of messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("提交的内容有误，请按提示修改后再提交。")
        self.errors = errors


class InvalidDiagram(WorkflowError):
    def __init__(self, problems: list[str]):
        super().__init__("流程图未通过检查：" + "；".join(problems[:5]))
        self.problems = problems


class LeaseLost(WorkflowError):
    """A worker's lease on a background job ran out and another worker took the job over: drop this work."""

    status = 409

    def __init__(self, job_id: int):
        super().__init__(f"后台任务 {job_id} 已由其他处理进程接手。")
        self.job_id = job_id


class EngineFailure(WorkflowError):
    """Engine code failed on its own (a script task raised, a diagram cannot go on): not the user's input,
    so the failed action is recorded as an incident for an administrator. `element_id`/`element_name` name
    the diagram element that failed, when the engine knows it."""

    def __init__(self, message: str, element_id: str = "", element_name: str = ""):
        super().__init__(message)
        self.element_id, self.element_name = element_id, element_name


class IncidentRaised(WorkflowError):
    """The action failed inside the engine and was recorded as incident `incident_id`; nothing of it was saved."""

    status = 409

    def __init__(self, incident_id: int, step: str):
        super().__init__(f"流程在“{step}”处出错，本次提交未保存，已记录为故障（编号 {incident_id}）"
                         "并报告系统管理员处理；您填写的内容随故障一并保存，处理后无须重新填写。")
        self.incident_id = incident_id


class InstanceSuspended(TaskNotReady):
    def __init__(self, reference: str):
        super().__init__(f"案件 {reference} 已被系统管理员暂停办理，恢复后才能继续。")


class BackupRefused(WorkflowError):
    """A backup could not be made, or an archive cannot be restored (damaged, another schema, a database that
    is not empty); the message says why."""


class AssessmentFrozen(WorkflowError):
    """A published assessment is a document: it is never changed; correct the records and run it again."""

    status = 409

    def __init__(self, number: str):
        super().__init__(f"考评 {number} 已发布，不能再修改；如需更正，请修正台账后重新考评（生成新版本）。")


class AssessmentConflict(WorkflowError):
    """Two runs of one area and period made at the same moment: the other one stands."""

    status = 409

    def __init__(self):
        super().__init__("同一区域同一期间的考评刚由他人生成了新版本，您的考评未保存，请刷新后重试。")

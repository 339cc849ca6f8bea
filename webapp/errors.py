"""Error pages in Chinese; engine errors become a clear message with the status they carry."""
from __future__ import annotations

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows.exceptions import TaskAlreadyCompleted, ValidationFailed, WorkflowError

TITLES = {
    400: "请求有误",
    403: "无权访问",
    404: "页面不存在",
    405: "不支持的操作",
    409: "操作冲突",
    413: "上传的文件太大",
    422: "提交的内容有误",
    500: "系统出错",
}
MESSAGES = {
    400: "请求的格式不正确，请返回上一页重试。",
    403: "您没有权限查看或办理此项内容。如确需办理，请联系督办领导或系统管理员。",
    404: "您访问的页面或记录不存在，可能已被删除或地址有误。",
    405: "该页面不支持这种操作。",
    413: "上传的内容超过了大小限制（每次提交不超过 32 MB，单个文件不超过 10 MB），请压缩或分次上传。",
    500: "系统处理时出现错误，已记录。请稍后重试；如果一直出现，请联系系统管理员。",
}


def render_error(status: int, message: str | None = None, case_id: int | None = None, details=None):
    return render_template("errors/error.html", status=status, title=TITLES.get(status, "出错了"),
                           message=message or MESSAGES.get(status, ""), case_id=case_id,
                           details=details), status


def register(app) -> None:
    @app.errorhandler(TaskAlreadyCompleted)
    def _stale_task(exc: TaskAlreadyCompleted):
        # The engine's message already says who finished it and when; add the way back to the case.
        from .access import may_see_instance
        case_id = exc.instance_id if exc.instance_id and may_see_instance(exc.instance_id) else None
        return render_error(exc.status, exc.message, case_id)

    @app.errorhandler(ValidationFailed)
    def _invalid(exc: ValidationFailed):
        details = [f"{field}：{'；'.join(msgs)}" for field, msgs in exc.errors.items()]
        return render_error(exc.status, exc.message, details=details)

    @app.errorhandler(WorkflowError)
    def _workflow_error(exc: WorkflowError):
        return render_error(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return render_error(400, "页面已过期或来源无法验证（CSRF 校验失败），请刷新页面后重新提交。")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith("/api/"):
            # Routing errors (unknown path, wrong method) reach no blueprint; other systems want JSON.
            from .api.views import http_error
            return http_error(exc)
        # abort(403, "…") passes a Chinese description; werkzeug's own English text is replaced.
        custom = exc.description if exc.description and _is_ours(exc) else None
        return render_error(exc.code or 500, custom)

    @app.errorhandler(500)
    def _server_error(exc):
        app.logger.exception("unhandled error on %s", request.path)
        return render_error(500)


def _is_ours(exc: HTTPException) -> bool:
    return exc.description != type(exc).description

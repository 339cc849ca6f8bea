"""The complaint API for other systems (12315 and the like): bearer token per client system, idempotent
submission by the client's own reference, status look-up, and its OpenAPI document. JSON in and out."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from workflows.complaints import service as complaints
from workflows.complaints.service import IdempotencyConflict
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError

from ..db import services
from ..extensions import csrf
from . import openapi
from .validation import errors_in

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Machines authenticate with a bearer token, not a session cookie, so there is no form to forge.
csrf.exempt(bp)

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 500: "server_error"}
# The engine names report fields flat; the API nests them.
ENGINE_FIELDS = {"channel": "report.channel", "content": "report.content", "address": "report.address",
                 "anonymous": "report.complainant", "complainant_name": "report.complainant.name",
                 "complainant_phone": "report.complainant.phone",
                 "complainant_id_number": "report.complainant.id_number",
                 "complainant_contact": "report.complainant.contact", "subject_name": "report.online_mlm_subject.name"}
HTTP_MESSAGES = {400: "请求格式不正确。", 404: "没有这个接口地址。", 405: "该地址不支持这种请求方法。",
                 413: "请求过大。", 415: "请求体须为 application/json。", 500: "服务器内部错误，已记录。"}


def error_response(status: int, message: str, fields: dict | None = None, headers: dict | None = None):
    body = {"code": CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def http_error(exc: HTTPException):
    """A werkzeug error (404 route, 405 method, 413 size) as JSON, keeping headers such as Allow."""
    headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
    # abort(400, "…") from a request-wide check carries its own Chinese message; werkzeug's English does not.
    ours = exc.description if exc.description and exc.description != type(exc).description else None
    return error_response(exc.code or 500, ours or HTTP_MESSAGES.get(exc.code, exc.name), headers=headers)


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException):
    return http_error(exc)


@bp.errorhandler(WorkflowError)
def _workflow_error(exc: WorkflowError):
    if isinstance(exc, ValidationFailed):
        return error_response(422, exc.message, {ENGINE_FIELDS.get(k, k): v for k, v in exc.errors.items()})
    if isinstance(exc, PermissionDenied):
        return _unauthorized(exc.message)
    if isinstance(exc, IdempotencyConflict):
        return error_response(409, exc.message)
    if isinstance(exc, NotFound):
        return error_response(404, exc.message)
    return error_response(exc.status if 400 <= exc.status < 500 else 400, exc.message)


@bp.errorhandler(500)
def _server_error(exc):
    from flask import current_app
    current_app.logger.exception("API error on %s", request.path)
    return error_response(500, HTTP_MESSAGES[500])


def _unauthorized(message: str):
    return error_response(401, message, headers={"WWW-Authenticate": 'Bearer realm="dachuan"'})


def _client_name() -> str:
    """The client system named by the bearer token; PermissionDenied (401) otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PermissionDenied("缺少接口令牌：请在 Authorization 头中提供 Bearer 令牌。")
    return complaints.authenticate(services(), token.strip()).name


def _iso_utc(value: str | None) -> str | None:
    return f"{value}Z" if value else value


def _public(status: dict) -> dict:
    return dict(status, received_at=_iso_utc(status["received_at"]), closed_at=_iso_utc(status["closed_at"]),
                client_reference=status["client_reference"] or "")


def _report(body: dict) -> dict:
    """The API's report shape as the engine's: a complainant object means real name, a subject means online MLM."""
    report = body["report"]
    person = report.get("complainant")
    subject = report.get("online_mlm_subject")
    return {
        "channel": report.get("channel", "api"), "content": report["content"], "address": report.get("address", ""),
        "anonymous": person is None,
        "complainant_name": (person or {}).get("name", ""), "complainant_phone": (person or {}).get("phone", ""),
        "complainant_id_number": (person or {}).get("id_number", ""),
        "complainant_contact": (person or {}).get("contact", ""),
        "online_mlm": subject is not None, "subject_name": (subject or {}).get("name", ""),
        "subject_kind": (subject or {}).get("kind", "platform"),
    }


@bp.route("/openapi.json")
def openapi_document():
    """The OpenAPI 3 document of this API."""
    return jsonify(openapi.document())


@bp.route("/complaints", methods=["POST"])
def submit():
    """Submit a complaint; the same client reference never creates two (201 new, 200 already there)."""
    client = _client_name()
    if not request.is_json:
        return error_response(415, HTTP_MESSAGES[415])
    body = request.get_json(silent=True)
    if body is None:
        return error_response(400, "请求体不是合法的 JSON。")
    problems = errors_in(body, openapi.SUBMISSION)
    if problems:
        return error_response(422, "提交的内容有误。", problems)
    status, created = complaints.submit(services(), client, body["client_reference"], _report(body))
    return jsonify(_public(status)), 201 if created else 200


@bp.route("/complaints/<path:client_reference>")
def get_status(client_reference: str):
    """Status of one of this client's own complaints, by the client's reference."""
    client = _client_name()
    return jsonify(_public(complaints.client_status(services(), client, client_reference)))

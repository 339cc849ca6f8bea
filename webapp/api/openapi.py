"""The OpenAPI 3 document of the complaint API; the request checks in validation.py read the same schemas,
so what the document promises and what the server accepts cannot drift apart."""
from __future__ import annotations

from workflows.complaints.models import CHANNELS, RESPONSIBLE_UNITS

# Characters that count as blank both in Python's str.strip() (what the engine applies) and in the
# ECMAScript \s that JSON Schema validators use; listed explicitly because the two \s differ.
_BLANK = "\\t\\n\\u000b\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{_BLANK}][^\\u0000]*$"
REFERENCE = "^[A-Za-z0-9._:-]{1,100}$"
ID_NUMBER_FORMAT = "cn-resident-id"


def _text(max_length: int, required: bool = False, description: str = "") -> dict:
    schema = {"type": "string", "maxLength": max_length, "pattern": NOT_BLANK if required else NO_NUL}
    if required:
        schema["minLength"] = 1
    if description:
        schema["description"] = description
    return schema


COMPLAINANT = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "description": "实名举报人。不提供即为匿名举报。身份信息只保存在受理台账中，不会出现在状态查询结果里。",
    "properties": {
        "name": _text(64, True, "姓名"),
        "phone": _text(32, description="联系电话"),
        "id_number": {"type": "string", "pattern": "^[0-9]{17}[0-9X]$", "format": ID_NUMBER_FORMAT,
                      "description": "18位居民身份证号码（须通过校验位检查，末位 X 大写）"},
        "contact": _text(200, description="其他联系方式"),
    },
}
SUBJECT = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "description": "网络传销举报中被举报的网络平台或企业；同一主体被多次举报将自动立案调查。",
    "properties": {
        "name": _text(200, True, "平台或企业名称"),
        "kind": {"type": "string", "enum": ["platform", "entity"], "default": "platform",
                 "description": "platform 网络平台，entity 企业或组织"},
    },
}
REPORT = {
    "type": "object", "additionalProperties": False, "required": ["content"],
    "properties": {
        "channel": {"type": "string", "enum": list(CHANNELS), "default": "api",
                    "description": "受理渠道：" + "，".join(f"{k} {v}" for k, v in CHANNELS.items())},
        "content": _text(5000, True, "举报内容"),
        "address": _text(300, description="涉及地址；为标准地址全称时直接交该地辖区，否则按接口客户端的辖区受理"),
        "complainant": COMPLAINANT,
        "online_mlm_subject": SUBJECT,
    },
}
SUBMISSION = {
    "type": "object", "additionalProperties": False, "required": ["client_reference", "report"],
    "properties": {
        "client_reference": {"type": "string", "pattern": REFERENCE,
                             "description": "提交方系统自己的编号。同一编号只会生成一件举报：重复提交相同内容返回原举报状态，"
                                            "内容不同返回 409。"},
        "report": REPORT,
    },
}
STATUS = {
    "type": "object", "additionalProperties": False,
    "required": ["reference", "client_reference", "channel", "received_at", "status", "stage", "responsible_unit",
                 "result", "replied", "closed_at"],
    "properties": {
        "reference": {"type": "string", "description": "受理编号"},
        "client_reference": {"type": "string"},
        "channel": {"type": "string", "enum": list(CHANNELS)},
        "received_at": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "stage": {"type": "string", "description": "当前办理环节，办结后为办结方式"},
        "responsible_unit": {"type": "string", "enum": ["", *RESPONSIBLE_UNITS],
                             "description": "责任单位：market 市场监管，police 公安；空为尚未确定"},
        "result": {"type": "string", "description": "办理结果（查必有果）"},
        "replied": {"type": "boolean", "description": "是否已答复举报人"},
        "closed_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}
ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                       "description": "字段名（如 report.content）→ 错误说明"},
        },
    }},
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _status(description: str, links: bool = False) -> dict:
    out = {"description": description,
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplaintStatus"}}}}
    if links:
        out["links"] = {"GetComplaintStatus": {"operationId": "getComplaintStatus",
                                               "parameters": {"client_reference": "$response.body#/client_reference"}}}
    return out


def document() -> dict:
    """The OpenAPI 3.0 document served at /api/v1/openapi.json."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "打传案件办理系统 举报接口", "version": "1.0.0",
                 "description": "供12315平台等外部系统提交投诉举报并查询办理状态。每个系统一个令牌"
                                "（Authorization: Bearer <令牌>），由系统管理员创建。"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/complaints": {"post": {
                "operationId": "submitComplaint", "summary": "提交一件举报（幂等）",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
                "responses": {
                    "201": _status("已受理", links=True), "200": _status("该编号已提交过，返回原举报的状态", links=True),
                    "400": _error("请求不是合法的 JSON"), "401": _error("缺少或无效的令牌"),
                    "409": _error("该编号已提交过内容不同的举报"), "413": _error("请求过大"),
                    "415": _error("请求体须为 application/json"), "422": _error("内容有误，fields 列出每个字段的问题"),
                },
            }},
            "/complaints/{client_reference}": {"get": {
                "operationId": "getComplaintStatus", "summary": "查询本系统提交的一件举报的办理状态",
                "parameters": [{"name": "client_reference", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": REFERENCE}}],
                "responses": {"200": _status("办理状态"), "401": _error("缺少或无效的令牌"),
                              "404": _error("本系统没有提交过该编号的举报")},
            }},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Submission": SUBMISSION, "Report": REPORT, "ComplaintStatus": STATUS, "Error": ERROR},
        },
    }

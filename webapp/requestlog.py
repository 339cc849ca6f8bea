"""Request ids and the access log: each request gets an id (the proxy's X-Request-ID when it sent a sane one,
else a new one), echoed in the response and carried by every log line of the request, with the user."""
from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user

from workflows.operations.logs import log_context

from .access import resolved

log = logging.getLogger("dachuan.request")
# Ids from outside go into every log line: only short, plain tokens are taken as they are.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def register(app: Flask) -> None:
    @app.before_request
    def _start():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        g.log_token = log_context.set({"request_id": g.request_id, "user": _username()})

    @app.after_request
    def _finish(response):
        request_id = g.get("request_id")
        if request_id is None:  # a request that failed before our before_request ran
            return response
        response.headers["X-Request-ID"] = request_id
        log_context.set({"request_id": request_id, "user": _username()})  # a login or logout changes it
        # The path without its query string: searches may carry names and ID numbers.
        log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1)}})
        return response

    @app.teardown_request
    def _forget(_exc=None):
        token = g.pop("log_token", None)
        if token is not None:
            log_context.reset(token)


def _username() -> str | None:
    user = resolved(current_user)
    return user.username if user.is_authenticated else None

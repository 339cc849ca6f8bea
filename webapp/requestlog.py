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
        request_globals = g._get_current_object()  # several reads and writes: one look-up through the proxy
        given = request.environ.get("HTTP_X_REQUEST_ID", "")
        request_id = request_globals.request_id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        request_globals.request_started = time.perf_counter()
        request_globals.log_token = log_context.set({"request_id": request_id, "user": _username()})

    @app.after_request
    def _finish(response):
        request_globals = g._get_current_object()
        request_id = request_globals.get("request_id")
        if request_id is None:  # a request that failed before our before_request ran
            return response
        response.headers["X-Request-ID"] = request_id
        log_context.set({"request_id": request_id, "user": _username()})  # a login or logout changes it
        if log.isEnabledFor(logging.INFO):
            # The path without its query string: searches may carry names and ID numbers.
            method, path, status = request.method, request.path, response.status_code
            log.info("%s %s %s", method, path, status, extra={"fields": {
                "method": method, "path": path, "status": status,
                "duration_ms": round((time.perf_counter() - request_globals.request_started) * 1000, 1)}})
        return response

    @app.teardown_request
    def _forget(_exc=None):
        token = g.pop("log_token", None)
        if token is not None:
            log_context.reset(token)


def _username() -> str | None:
    user = resolved(current_user)
    return user.username if user.is_authenticated else None

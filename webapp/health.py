"""/healthz for the proxy and the monitor: 200 when the database answers, a worker is alive and no job is
stuck, else 503; a small JSON body with each check's state. No login, no data, never cached."""
from __future__ import annotations

from flask import Blueprint, jsonify

from workflows.operations import health

from .db import services, workflow

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """The system's health for a proxy's checks (JSON)."""
    svc = services()
    result = health.check(svc.db, svc.settings, workflow().now())
    response = jsonify(result.as_json())
    response.status_code = 200 if result.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response

"""The officers' web app: an app factory in the flaskr / cookiecutter-flask shape."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from workflows import runtime

from . import errors, params, requestlog, sessions, timefmt
from .extensions import csrf, login_manager

# Evidence photos from a phone run to a few MB each; a request carrying several stays under this.
MAX_UPLOAD_BYTES = 32 * 1024 * 1024


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` may carry DATABASE_URL, SECRET_KEY, TESTING, WTF_CSRF_ENABLED, CLOCK, SERVICES."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("DACHUAN_SECRET_KEY"),
        DATABASE_URL=None,
        CLOCK=None,
        SERVICES=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # Behind a TLS-terminating proxy the cookie should only travel over HTTPS.
        SESSION_COOKIE_SECURE=os.environ.get("DACHUAN_SECURE_COOKIES") == "1",
        REMEMBER_COOKIE_SECURE=os.environ.get("DACHUAN_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        # A cookie in use is signed again once it is this old (webapp/sessions.py): the lifetime above
        # counts from the last request, give or take this.
        SESSION_RENEW_AFTER=timedelta(hours=1),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        # WTForms' own Chinese messages (the forms ask for locale "zh"); Flask-Babel is not used.
        WTF_I18N_ENABLED=False,
        # A form filled in slowly at a door must not fail on an expired token; the token still
        # dies with the session.
        WTF_CSRF_TIME_LIMIT=None,
        # Several machines need one shared folder (and one DACHUAN_SECRET_KEY).
        UPLOAD_FOLDER=os.environ.get("DACHUAN_UPLOAD_FOLDER"),
        SECRET_KEY_FILE=None,
        UPLOAD_MAX_FILE_BYTES=10 * 1024 * 1024,
        PAGE_SIZE=20,
        # Behind N reverse proxies, the client address (login throttling) is the Nth from the right of
        # X-Forwarded-For; 0 when the app is reached directly.
        PROXY_HOPS=int(os.environ.get("DACHUAN_PROXY_HOPS", "0") or 0),
    )
    if config:
        app.config.update(config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app)
    if not app.config["UPLOAD_FOLDER"]:
        # Outside the static folder: files are only ever sent by a view that checks access.
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")

    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])
    sessions.register(app)
    register_services(app)
    register_extensions(app)
    params.register(app)  # before the blueprints: their <int:...> rules use its converter
    register_blueprints(app)
    errors.register(app)
    timefmt.register(app)
    register_template_globals(app)
    register_security_headers(app)
    requestlog.register(app)
    return app


def register_services(app: Flask) -> None:
    """The engine's services live at app.extensions['dachuan']; tests hand in their own."""
    services = app.config["SERVICES"]
    if services is None:
        services = runtime.build(app.config["DATABASE_URL"], clock=app.config["CLOCK"])
    app.extensions["dachuan"] = services
    from .db import close_request_session
    app.teardown_appcontext(close_request_session)


def register_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    from .auth import identity  # noqa: F401  (registers the user loader)


def register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .board.views import bp as board_bp
    from .cases.views import bp as cases_bp
    from .tasks.views import bp as tasks_bp

    for bp in (auth_bp, tasks_bp, cases_bp, board_bp, admin_bp):
        app.register_blueprint(bp)
    from .api.clients import bp as api_clients_bp
    from .api.views import bp as api_bp
    from .complaints.views import bp as complaints_bp
    from .registries.views import bp as registries_bp
    from .penalties.views import bp as penalties_bp
    from .seizures.views import bp as seizures_bp
    from .sweeps.views import bp as sweeps_bp

    for bp in (complaints_bp, registries_bp, sweeps_bp, api_bp, api_clients_bp, seizures_bp, penalties_bp):
        app.register_blueprint(bp)
    from .online_clues.views import bp as online_clues_bp

    app.register_blueprint(online_clues_bp)
    from .admin.incidents import bp as incidents_bp
    from .health import bp as health_bp

    for bp in (incidents_bp, health_bp):
        app.register_blueprint(bp)
    from .pyramid_free.views import bp as pyramid_free_bp
    app.register_blueprint(pyramid_free_bp)
    notices_bp = _optional_notices_blueprint()
    if notices_bp is not None:
        app.register_blueprint(notices_bp)
    from .substitutes.views import bp as substitutes_bp
    app.register_blueprint(substitutes_bp)
    from .office_records.views import bp as office_records_bp
    app.register_blueprint(office_records_bp)
    from .statistics.views import bp as statistics_bp
    from .statistics.views import may_view as may_view_statistics
    app.register_blueprint(statistics_bp)
    app.jinja_env.globals["may_view_statistics"] = may_view_statistics
    from .assessment.views import bp as assessment_bp
    app.register_blueprint(assessment_bp)


def _optional_notices_blueprint():
    # The notices live in their own package, built alongside; the app runs without them.
    if not (Path(__file__).parent / "notices" / "views.py").exists():
        return None
    from .notices.views import bp
    return bp


def register_template_globals(app: Flask) -> None:
    from workflows import vocabulary

    from . import labels
    from .access import can_act
    from .db import now

    def notice_types(task) -> list:
        """(type, title) of the notices a task offers, when the notices package is installed."""
        if "notices" not in app.blueprints:
            return []
        from workflows.notices.legal import types_for_task
        return types_for_task(task.process_id, task.task_name)

    app.jinja_env.globals.update(labels=labels, now=now, can_act=can_act, notice_types=notice_types,
                                 **vocabulary.STATUSES)
    from . import lights
    lights.register(app)


# Every script and style is vendored, so the page never needs another origin.
# bpmn-js sets inline styles on the diagram, hence 'unsafe-inline' for styles only.
SECURITY_HEADERS = (
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
     "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        # Each one unless the view set its own; one pass over the response's headers (Headers.setdefault
        # raises and catches a KeyError for every header not yet there).
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        for name, value in SECURITY_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
        return response


def _instance_secret(app: Flask) -> str:
    """A random key kept in instance/, so sessions survive a restart without a key in the code."""
    path = Path(app.config["SECRET_KEY_FILE"] or Path(app.instance_path) / "secret_key")
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32).hex()
    path.write_text(key)
    path.chmod(0o600)
    return key

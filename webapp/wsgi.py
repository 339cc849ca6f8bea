"""The WSGI entry point for production servers (waitress-serve or gunicorn: `webapp.wsgi:app`), with JSON logs.

Settings come from the environment: DATABASE_URL, DACHUAN_SECRET_KEY, DACHUAN_UPLOAD_FOLDER, DACHUAN_CONFIG.
"""
from __future__ import annotations

from workflows.operations import logs

from . import create_app

logs.configure()
app = create_app()

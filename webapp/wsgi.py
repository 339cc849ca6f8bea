"""The WSGI entry point for production servers (waitress-serve or gunicorn: `webapp.wsgi:app`), with JSON logs.

Settings come from the environment: DATABASE_URL, DACHUAN_SECRET_KEY, DACHUAN_UPLOAD_FOLDER, DACHUAN_CONFIG.
"""
from __future__ import annotations

from workflows import runtime
from workflows.operations import logs

from . import create_app

logs.configure()
app = create_app()
runtime.settle_heap()  # each server process once its app is built (gunicorn imports this per worker)

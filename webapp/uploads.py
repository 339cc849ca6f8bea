"""Evidence files on disk: named by their SHA-256, outside the static folder, sent only by a checked view."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, request, send_file
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from forms.files import ALLOWED, extension
from workflows.audit.models import AuditEvent
from workflows.vocabulary import EventKind

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def path_for(sha256: str) -> Path:
    if not SHA256_RE.match(sha256):
        raise ValueError("not a sha256")
    return folder() / sha256[:2] / sha256


def send_recorded(meta: dict, what: str):
    """Send a stored file the caller has checked the user may see; PDFs and images open in the browser (anything
    else was refused at upload), `?download=1` saves it, and nothing is cached."""
    path = path_for(meta["sha256"])
    if not path.exists():
        abort(404, f"{what}已不在存储中，请联系系统管理员。")
    response = send_file(path, mimetype=meta["content_type"], download_name=meta["name"],
                         as_attachment=request.args.get("download") == "1", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def store(storage) -> dict:
    """Write one uploaded file under its content hash (once: the same photo twice is stored once)."""
    storage.stream.seek(0)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=_ensure(folder()), delete=False) as tmp:
        for chunk in iter(lambda: storage.stream.read(1024 * 1024), b""):
            digest.update(chunk)
            tmp.write(chunk)
        size = tmp.tell()
    sha = digest.hexdigest()
    target = path_for(sha)
    _ensure(target.parent)
    if target.exists():
        os.unlink(tmp.name)
    else:
        os.replace(tmp.name, target)
    ext = extension(storage.filename)
    # Keep the person's file name for display (Chinese allowed), without any path parts.
    name = os.path.basename(storage.filename.replace("\\", "/"))[:120] or secure_filename(storage.filename)
    return {"sha256": sha, "name": name, "content_type": ALLOWED[ext][0], "size": size}


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def files_of_instance(session: Session, instance_id: int) -> list[dict]:
    """Every evidence file recorded by a completed task of the instance, oldest first."""
    events = session.execute(sa.select(AuditEvent.kind, AuditEvent.details, AuditEvent.at).where(
        AuditEvent.instance_id == instance_id, AuditEvent.kind == EventKind.COMPLETED)
        .order_by(AuditEvent.id))
    return files_in_events(events)


def files_in_events(events) -> list[dict]:
    """The evidence files in (kind, details, at) audit rows, each file once."""
    out, seen = [], set()
    for kind, details, at in events:
        if kind != EventKind.COMPLETED:
            continue
        for f in (details or {}).get("data", {}).get("evidence_files") or []:
            if isinstance(f, dict) and f.get("sha256") not in seen:
                seen.add(f.get("sha256"))
                out.append({**f, "at": at})
    return out

"""Evidence files: allowed types (checked by content, not only by name) and size."""
from __future__ import annotations

import os

from wtforms.validators import ValidationError

# extension -> (MIME type, the bytes such a file starts with)
ALLOWED = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "pdf": ("application/pdf", (b"%PDF-",)),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 20


def extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def chosen_files(data) -> list:
    """The FileStorage objects a person actually chose (browsers send one empty part when none)."""
    if data is None:
        return []
    items = data if isinstance(data, list) else [data]
    return [f for f in items if getattr(f, "filename", "")]


def file_size(storage) -> int:
    stream = storage.stream
    pos = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(pos)
    return size


def file_problem(storage, max_bytes: int) -> str | None:
    name = storage.filename
    ext = extension(name)
    if ext not in ALLOWED:
        return f"只能上传 JPG、PNG 或 PDF 文件：{name}"
    size = file_size(storage)
    if size == 0:
        return f"文件是空的：{name}"
    if size > max_bytes:
        return f"单个文件不能超过 {max_bytes // (1024 * 1024)} MB：{name}"
    head = storage.stream.read(16)
    storage.stream.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED[ext][1]):
        return f"文件内容与扩展名不符，可能已损坏或不是真正的 {ext.upper()} 文件：{name}"
    return None


class EvidenceFiles:
    """Each chosen file is a JPG, PNG or PDF whose content matches, within the size limit."""

    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def __call__(self, form, field):
        files = chosen_files(field.data)
        if len(files) > MAX_FILES:
            raise ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
        limit = self.max_bytes or _configured_limit()
        problems = [p for p in (file_problem(f, limit) for f in files) if p]
        if problems:
            raise ValidationError("；".join(problems))


def _configured_limit() -> int:
    try:
        from flask import current_app
        return int(current_app.config.get("UPLOAD_MAX_FILE_BYTES", DEFAULT_MAX_BYTES))
    except RuntimeError:  # outside an app (a unit test of the form alone)
        return DEFAULT_MAX_BYTES

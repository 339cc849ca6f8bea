"""Caps on an uploaded ledger file, checked before anything parses it.

A small XLSX can hold a great deal: a 3.5 MB file of 400,000 rows, or a zip whose members inflate to
gigabytes. So the file's bytes, the sizes its zip directory declares for its members once uncompressed (the
zip reader never inflates a member past its declared size), and its number of rows (the sheet's declared
dimension, the lines of a CSV) are compared with the settings (import_max_bytes, import_max_unzipped_bytes,
import_max_rows) first; reading the rows then stops at the row cap whatever the file claimed.
"""
from __future__ import annotations

import io
import re
import zipfile

from workflows.exceptions import ValidationFailed

DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
MAX_MEMBERS = 2000  # an .xlsx of one sheet has a dozen or so


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def too_many_rows(rows: int, cap: int) -> ValidationFailed:
    return refused(f"文件有 {rows} 行以上数据，超过单次导入上限 {cap} 行，请拆分为多个文件分批导入。")


def refused(message: str) -> ValidationFailed:
    exc = ValidationFailed({"file": [message]})
    exc.message = message
    return exc


def declared_rows(zf: zipfile.ZipFile) -> int | None:
    """The rows the first worksheet says it spans (its <dimension>), read from the head of the sheet only."""
    sheets = sorted((n for n in zf.namelist() if SHEET.fullmatch(n)), key=lambda n: int(re.sub(r"\D", "", n)))
    if not sheets:
        return None
    with zf.open(sheets[0]) as member:
        head = member.read(4096)
    found = DIMENSION.search(head)
    if not found:
        return None
    return int(found.group(1)) if found.group(1) else 1


def check_upload(filename: str, content: bytes, settings) -> None:
    """Refuse, with the reason, a file past any of the caps; nothing is inflated or parsed beyond a sheet's head."""
    if len(content) > settings.import_max_bytes:
        raise refused(f"文件大小 {_mb(len(content))}，超过单次导入上限 {_mb(settings.import_max_bytes)}，"
                      "请拆分为多个文件分批导入。")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            zf = zipfile.ZipFile(io.BytesIO(content))
        except (zipfile.BadZipFile, ValueError):
            raise refused("无法读取 Excel 文件：不是有效的 .xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试。") from None
        with zf:
            members = zf.infolist()
            inflated = sum(m.file_size for m in members)
            if len(members) > MAX_MEMBERS or inflated > settings.import_max_unzipped_bytes:
                raise refused(f"Excel 文件解压后约 {_mb(inflated)}，超过上限 {_mb(settings.import_max_unzipped_bytes)}"
                              "（文件可能损坏或含有大量无关内容），请另存为仅含台账数据的文件后重试。")
            try:
                rows = declared_rows(zf)
            except (zipfile.BadZipFile, ValueError, OSError):
                raise refused("无法读取 Excel 文件：文件已损坏。") from None
        if rows is not None and rows - 1 > settings.import_max_rows:
            raise too_many_rows(rows - 1, settings.import_max_rows)
    elif name.endswith(".csv"):
        lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
        if lines - 1 > settings.import_max_rows:
            raise too_many_rows(lines - 1, settings.import_max_rows)

"""Sending generated files (XLSX exports) with a Chinese file name every browser keeps."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype=XLSX)
    # filename* (RFC 5987) carries the Chinese name; the ASCII fallback is for very old clients.
    response.headers["Content-Disposition"] = (f"attachment; filename=export.xlsx; "
                                               f"filename*=UTF-8''{quote(filename, safe='')}")
    response.headers["Cache-Control"] = "private, no-store"
    return response

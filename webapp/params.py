"""Numbers and text from the request, checked once for every page: ids within the database's integer range
(PostgreSQL's integer stops at 2^31 - 1), plain ASCII digits only ("²" and "١" pass str.isdigit but are
no ids), and no NUL byte in a path, query or form (PostgreSQL refuses it in text). Bad input gets a 404 or a 400 with a
Chinese message, never a 500."""
from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2 ** 31 - 1
NUL_MESSAGE = "请求中含有不允许的空字符（\\0），请检查输入内容后重试。"


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: 0 to MAX_ID, anything else does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=0 if min is None else min,
                         max=MAX_ID if max is None else max, signed=signed)


def is_number(value, lo: int = 0, hi: int = MAX_ID) -> bool:
    """Plain ASCII digits whose value lies in [lo, hi]."""
    return (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12
            and lo <= int(value) <= hi)


def id_or_404(value, what: str = "该记录") -> int:
    """An id from a query or form value; a value that cannot be an id finds nothing (404)."""
    if isinstance(value, int) and 0 <= value <= MAX_ID:
        return value
    if not is_number(value):
        abort(404, f"找不到{what}。")
    return int(value)


def page_number(value, hi: int = 100000) -> int:
    """A page number from the query: 1 unless a plain number between 1 and `hi`."""
    return int(value) if is_number(value, 1, hi) else 1


def ids(values, limit: int = 1000) -> list[int]:
    """The values that are ids, from a list of form values (ticked boxes), at most `limit` of them."""
    return [int(v) for v in values[:limit] if is_number(v)]


def _nul_in(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def refuse_nul() -> None:
    """Refuse a request carrying a NUL byte in its path, query or form fields (400). A JSON body is the API's
    to check: its schema refuses NUL in every string and names the field (422)."""
    req = request._get_current_object()  # several reads: one look-up through the proxy
    # A NUL in the query is a raw NUL byte or its one escape, %00: checked in the raw query string, the
    # query is not parsed for the many requests that never read it.
    query = req.query_string
    if "\x00" in req.path or b"\x00" in query or b"%00" in query:
        abort(400, NUL_MESSAGE)
    if req.method in ("POST", "PUT", "PATCH") and not req.is_json and _nul_in(req.form):
        abort(400, NUL_MESSAGE)


def register(app) -> None:
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)

"""The signed session cookie in Flask's own format, read and written by a lean codec.

The cookie is byte for byte what Flask's SecureCookieSessionInterface writes (itsdangerous'
URLSafeTimedSerializer over Flask's tagged JSON): the payload is the session as compact JSON with sorted keys
and non-ASCII escaped, zlib-compressed when that is shorter (then prefixed with "."), in URL-safe base64
without padding; then "." and the signing time as a big-endian integer in the same base64; then "." and the
HMAC-SHA1 of all that under the key derived from the secret key and the salt "cookie-session" (HMAC
derivation). A cookie written by either reads in the other, so a running deployment keeps its sessions across
the change, and SECRET_KEY_FALLBACKS are accepted for reading while only SECRET_KEY signs. A cookie whose
signature does not match, whose time is older than PERMANENT_SESSION_LIFETIME (or in the future), or whose
payload does not decode is an empty session, as in Flask.

Why not itsdangerous itself: a request checks the cookie at its start and signs it at its end, right after
the workflow completion has pushed everything else out of the CPU's caches, and there the layers of
serializer, signer, algorithm and Flask's JSON provider cost several times what they cost in a loop; there,
touching less code is what counts (bench/session_cookie.py measures it in the flow). Here each secret key's
derived key is computed once, and the work per request is a split, OpenSSL's one-shot HMAC, base64, zlib, and
the C JSON encoder or scanner. The response header is assembled from the cookie's attributes as Werkzeug
wrote them once for the current settings.

Values: plain JSON values (str, int, float, bool, None, lists, dicts with string keys) and tuples, the shape
of Flask's flashed messages ((category, message) pairs), are tagged and encoded here exactly as Flask's
TaggedJSONSerializer does (a tuple as {" t": [...]}); anything else (bytes, Markup, UUID, datetime, a dict
with a single tag-like key, a value only the app's JSON provider knows) sends the whole session through
Flask's serializer, so every value a page stores round-trips exactly as before. Reading always untags with
Flask's own tags. (Tags an app registers on Flask's serializer at start-up, before its first request, turn
this shortcut off.)

When the cookie is written: as in Flask, whenever the session was modified (a flash, a login, a logout, the
CSRF token being issued) and otherwise only for a permanent session with SESSION_REFRESH_EACH_REQUEST. Logins
here are not permanent (Flask-Login's login_user without "remember" leaves the session a browser-session
cookie), so a request that does not change the session writes nothing. The cookie's age, which the check
above limits to PERMANENT_SESSION_LIFETIME, counts from its signing: a request whose cookie is
SESSION_RENEW_AFTER old signs it again unchanged (once an hour with the app's settings), so an officer at
work stays logged in and a session ends PERMANENT_SESSION_LIFETIME (less at most that margin) after its last
request. A submitted step changes nothing in the session: its "已完成" travels in the redirect's address
(webapp/cases/completion.py). Nothing is deferred or cached between requests: a logout takes the login out
of the session in the response that logs out, and who the user is and what they may do is read from the
database on every request (webapp/auth/identity.py), where the session generation ends every session of a
user who logged out elsewhere or whose password changed, whatever cookie a browser still holds."""
from __future__ import annotations

import binascii
import hmac
import json
import time
import zlib

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Request, Response
from itsdangerous import BadPayload, BadSignature, BadTimeSignature, SignatureExpired
from werkzeug.http import dump_cookie
from werkzeug.sansio.http import parse_cookie

_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def _b64(data: bytes) -> bytes:
    """itsdangerous' base64_encode: URL-safe alphabet, no padding."""
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=")


def _unb64(data: bytes) -> bytes:
    """itsdangerous' base64_decode (padding restored; like base64.urlsafe_b64decode, not strict)."""
    return binascii.a2b_base64((data + b"=" * (-len(data) % 4)).translate(_FROM_URLSAFE))


def _part(data: bytes, error: type[BadSignature], message: str) -> bytes:
    """A base64 part of the cookie, decoded; a part that is not base64 is `error` (the cookie does not check out)."""
    try:
        return _unb64(data)
    except ValueError:
        raise error(message) from None


def _hmac_sha1(key: bytes, message: bytes) -> bytes:
    return hmac.digest(key, message, "sha1")  # OpenSSL's one-shot HMAC


def _no_default(value):
    raise TypeError(f"{type(value).__name__} is not a plain JSON value")


def _json_encoder():
    """The encoder Flask's default JSON provider runs for the session (compact, sorted keys, ASCII only),
    built once: json.dumps builds the same C encoder anew on every call."""
    try:
        from json.encoder import c_make_encoder, encode_basestring_ascii
    except ImportError:  # pragma: no cover - CPython always has the accelerator
        c_make_encoder = None
    if c_make_encoder is None:  # pragma: no cover
        return json.JSONEncoder(separators=(",", ":"), sort_keys=True, default=_no_default).encode
    encode = c_make_encoder(None, _no_default, encode_basestring_ascii, None, ":", ",", True, False, True)
    return lambda value: "".join(encode(value, 0))


_encode_json = _json_encoder()
_PLAIN = frozenset((str, int, float, bool, type(None)))


class _NotPlain(Exception):
    """A value Flask's tagger must handle."""


class CookieCodec:
    """Signs and checks one app's session cookies: the same interface as the itsdangerous serializer Flask
    uses (dumps, loads with max_age, BadSignature for a cookie that does not check out)."""

    def __init__(self, secret_keys: tuple, salt: str, serializer: TaggedJSONSerializer,
                 standard_json: bool = True):
        salt_bytes = salt.encode()
        derived = [_hmac_sha1(k.encode() if isinstance(k, str) else k, salt_bytes) for k in secret_keys]
        self._signing = derived[-1]  # the current key is the last, as itsdangerous takes it
        self._checking = tuple(reversed(derived))
        self._serializer = serializer
        self._tag_keys = frozenset(serializer.tags)
        # The plain values are tagged and encoded here only while the tags are Flask's own (an app may
        # register more, which could claim a plain type) and the app's JSON is Flask's default JSON.
        self._fast = standard_json and ([type(tag) for tag in serializer.order]
                                        == list(TaggedJSONSerializer.default_tags))
        # Flask's default provider reads with json.loads and the tagger's untag as object hook; another
        # provider reads through Flask's serializer.
        self._decode = (json.JSONDecoder(object_hook=serializer.untag).decode if standard_json
                        else serializer.loads)

    @staticmethod
    def timestamp() -> int:
        return int(time.time())

    # ------------------------------------------------------------------ writing

    def _tagged(self, value):
        """Flask's tagging of a plain value (leaves are passed through where they stand, without a call)."""
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is tuple:
            return {" t": [item if type(item) in _PLAIN else self._tagged(item) for item in value]}
        if kind is list:
            return [item if type(item) in _PLAIN else self._tagged(item) for item in value]
        if kind is dict and not (len(value) == 1 and next(iter(value)) in self._tag_keys):
            tagged = {}
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                tagged[key] = item if type(item) in _PLAIN else self._tagged(item)
            return tagged
        raise _NotPlain

    def _json(self, obj: dict) -> str:
        if self._fast:
            try:
                return _encode_json(self._tagged(obj))
            except (_NotPlain, TypeError, ValueError):
                pass
        return self._serializer.dumps(obj)

    def dumps(self, obj: dict) -> str:
        payload = self._json(obj).encode()
        compressed = zlib.compress(payload)
        if len(compressed) < len(payload) - 1:
            payload = b"." + _b64(compressed)
        else:
            payload = _b64(payload)
        signed = payload + b"." + _b64(self.timestamp().to_bytes(8, "big").lstrip(b"\x00"))
        return (signed + b"." + _b64(_hmac_sha1(self._signing, signed))).decode("ascii")

    # ------------------------------------------------------------------ reading

    def loads(self, cookie: str | bytes, max_age: int | None = None):
        return self.loads_signed(cookie, max_age)[0]

    def loads_signed(self, cookie: str | bytes, max_age: int | None = None) -> tuple[object, int]:
        """The cookie's value and the time it was signed (seconds since the epoch)."""
        signed = cookie.encode() if isinstance(cookie, str) else cookie
        value, dot, signature = signed.rpartition(b".")
        if not dot:
            raise BadSignature("no signature")
        signature = _part(signature, BadSignature, "signature is not base64")
        if not any(hmac.compare_digest(signature, _hmac_sha1(keyed, value)) for keyed in self._checking):
            raise BadSignature("signature does not match")
        payload, dot, stamp = value.rpartition(b".")
        if not dot:
            raise BadTimeSignature("timestamp missing")
        stamp = _part(stamp, BadTimeSignature, "malformed timestamp")
        if len(stamp) > 8:
            raise BadTimeSignature("malformed timestamp")
        signed_at = int.from_bytes(stamp, "big")
        if max_age is not None:
            age = self.timestamp() - signed_at
            if age > max_age or age < 0:
                raise SignatureExpired(f"signature age {age} outside 0..{max_age} seconds")
        try:
            if payload[:1] == b".":
                text = zlib.decompress(_unb64(payload[1:]))
            else:
                text = _unb64(payload)
            return self._decode(text.decode()), signed_at
        except Exception as exc:
            # Flask lets itsdangerous' BadPayload through as an error; a cookie that does not decode is
            # an empty session here like any other cookie that does not check out.
            raise _BadSessionPayload(str(exc)) from exc


class _BadSessionPayload(BadPayload, BadSignature):
    """A signed cookie whose payload does not decode."""


class RenewableSession(SecureCookieSession):
    """A session that knows when the cookie it came from was signed (None for a new session)."""

    signed_at: int | None = None


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session with the lean codec; one codec per set of secret keys; a cookie in use is
    signed again once it is SESSION_RENEW_AFTER old."""

    session_class = RenewableSession

    def __init__(self):
        self._codecs: dict[tuple, tuple[object, CookieCodec]] = {}
        self._attributes: dict[tuple, tuple[str, str]] = {}

    def get_signing_serializer(self, app: Flask) -> CookieCodec | None:
        if not app.secret_key:
            return None
        # The current key last, as itsdangerous expects; a change of keys (tests, a rotation) builds anew.
        keys = (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)
        provider, found = self._codecs.get(keys, (None, None))
        if provider is not app.json:  # first use, or the app's JSON provider replaced
            provider = app.json
            standard = type(provider) is DefaultJSONProvider and provider.ensure_ascii and provider.sort_keys
            found = CookieCodec(keys, self.salt, self.serializer, bool(standard))
            self._codecs[keys] = (provider, found)
        return found

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's open_session, the Cookie header read from the environ directly."""
        codec = self.get_signing_serializer(app)
        if codec is None:
            return None
        # What request.cookies.get(name) answers (Werkzeug's request parses the same header with the same
        # function), without collecting the header from the environ through its header view first.
        cookie = parse_cookie(request.environ.get("HTTP_COOKIE")).get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            max_age = int(app.permanent_session_lifetime.total_seconds())
            value, signed_at = codec.loads_signed(cookie, max_age=max_age)
        except BadSignature:
            return self.session_class()
        session = self.session_class(value)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Flask's rule (a changed session, or a permanent one refreshed on each request), and also a session
        whose cookie is SESSION_RENEW_AFTER old: the lifetime then counts from the user's last request (within
        that margin), and the many requests that change nothing write nothing."""
        if super().should_set_cookie(app, session):
            return True
        renew_after = app.config.get("SESSION_RENEW_AFTER")
        signed_at = getattr(session, "signed_at", None)
        return (renew_after is not None and signed_at is not None and bool(session)
                and CookieCodec.timestamp() - signed_at >= renew_after.total_seconds())

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's save_session for a session to be written, with less of Werkzeug's general machinery: the
        Set-Cookie header of a browser-session cookie put together from its attributes as Werkzeug wrote them
        once for these settings (the value never needs quoting), and "Vary: Cookie" added directly where no
        other Vary is set. A session with nothing to write (most requests') gets only the "Vary: Cookie" of
        a session that was read, as in Flask, without Flask's look-ups of every cookie attribute first.
        Everything else (an emptied session's cookie deleted, a permanent session's expiry) is Flask's own
        code."""
        if not session:
            super().save_session(app, session, response)
            return
        accessed = session.accessed
        if not self.should_set_cookie(app, session):
            if accessed:
                _vary_on_cookie(response)
            return
        value = self.get_signing_serializer(app).dumps(dict(session))
        if accessed:  # Flask adds Vary before the cookie when the session was read, and after it in any case
            _vary_on_cookie(response)
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        secure, partitioned = self.get_cookie_secure(app), self.get_cookie_partitioned(app)
        samesite, httponly = self.get_cookie_samesite(app), self.get_cookie_httponly(app)
        expires = self.get_expiration_time(app, session)
        header = None
        if expires is None:
            settings = (name, domain, path, secure, partitioned, samesite, httponly)
            around = self._attributes.get(settings)
            if around is None:
                # The header with an empty value: the name and "=" before it, the attributes after it.
                empty = dump_cookie(name, "", path=path, domain=domain, secure=secure, httponly=httponly,
                                    samesite=samesite, partitioned=partitioned, max_size=0)
                cut = len(name.encode().decode("latin1")) + 1
                around = self._attributes[settings] = (empty[:cut], empty[cut:])
            header = around[0] + value + around[1]
            # Flask's Response reads its limit from the app's MAX_COOKIE_SIZE; over it, Werkzeug's own path,
            # which warns that browsers may drop the cookie.
            if len(header) > (app.config["MAX_COOKIE_SIZE"] or len(header)):
                header = None
        if header is None:
            response.set_cookie(name, value, expires=expires, httponly=httponly, domain=domain, path=path,
                                secure=secure, partitioned=partitioned, samesite=samesite)
        else:
            response.headers.add("Set-Cookie", header)
        if not accessed:
            _vary_on_cookie(response)


def _vary_on_cookie(response: Response) -> None:
    """response.vary.add("Cookie"): the header appended as Werkzeug would when no Vary is set yet, Werkzeug's
    own header set otherwise."""
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers.add("Vary", "Cookie")


def register(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()

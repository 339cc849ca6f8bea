"""The signed session cookie, exactly as Flask writes and checks it (HMAC-SHA1 over the same payload, the same
salt and key derivation), with the work that does not change between requests done once per process: the
serializer and its signer are built once per secret key, and each key's derived signing key is computed once.
The HMAC itself runs in OpenSSL's one-shot function rather than in Python's HMAC class (hashlib's SHA-1 is
handed to it as a Python function, which keeps it on the pure-Python path). A cookie either way reads in
the other, so a running deployment keeps its sessions across the change.

Nothing about a user is kept here: the session's content is read from the cookie on every request, and who
the user is and what they may do is read from the database each time (webapp/auth/identity.py)."""
from __future__ import annotations

import hmac

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.signer import HMACAlgorithm


class _HmacSha1(HMACAlgorithm):
    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return hmac.digest(key, value, "sha1")


class _Signer(TimestampSigner):
    """itsdangerous' timestamp signer with each secret key's derived key remembered (it depends on the secret
    key and the salt alone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._derived: dict[bytes | None, bytes] = {}

    def derive_key(self, secret_key=None) -> bytes:
        found = self._derived.get(secret_key)
        if found is None:
            found = self._derived[secret_key] = super().derive_key(secret_key)
        return found


class _Serializer(URLSafeTimedSerializer):
    """Hands out one signer (per salt) instead of building a new one for every dumps and loads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._signers: dict = {}

    def make_signer(self, salt=None):
        found = self._signers.get(salt)
        if found is None:
            found = self._signers[salt] = super().make_signer(salt)
        return found


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; its serializer built once per set of secret keys."""

    def __init__(self):
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        # The current key last, as itsdangerous expects; a change of keys (tests, a rotation) builds anew.
        keys = (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)
        found = self._serializers.get(keys)
        if found is None:
            found = self._serializers[keys] = _Serializer(
                list(keys), salt=self.salt, serializer=self.serializer, signer=_Signer,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method,
                               "algorithm": _HmacSha1(self.digest_method)})
        return found


def register(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()

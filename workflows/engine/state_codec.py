"""The stored workflow state's JSON: written by orjson where it writes what json.dumps wrote, read by orjson where
it reads back exactly what was written; json.dumps and json.loads everywhere else (and for states written
before), so what is stored and what is read back are the same as with json alone."""
from __future__ import annotations

import json
import threading
import zlib

import orjson

try:  # the standard library's from Python 3.14, its backport before
    from compression import zstd
except ImportError:  # pragma: no cover - depends on the Python version
    from backports import zstd


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# Dates and dataclasses, which json.dumps refuses, go to `_refused` rather than being written by orjson.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _refused(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def encode(value) -> tuple[bytes, bool]:
    """`value` as the UTF-8 bytes of `_json(value)`, and whether `orjson.loads` reads them back exactly.

    orjson writes the same text as json.dumps with ensure_ascii=False (floats in their shortest form, which
    reads back to the same number) at a tenth of the time, except where it would differ, and there json.dumps
    writes: orjson refuses keys other than str, integers beyond 64 bits and what json.dumps refuses too (which
    json.dumps then refuses as before), and writes NaN and infinities as null (json.dumps: NaN, Infinity,
    which orjson.loads refuses to read). Two kinds of value json.dumps refused orjson writes without asking:
    a UUID object (as its text) and a member of a plain Enum (as its value; str and int enums such as the
    vocabulary's are written the same by both). No form or script puts either into task data; one that did
    would be saved instead of failing the step."""
    try:
        out = orjson.dumps(value, default=_refused, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _json(value).encode(), False
    if b"null" not in out:
        return out, True
    out = _json(value).encode()
    return out, b"NaN" not in out and b"Infinity" not in out


# A state whose every part orjson.loads reads back exactly starts with this (JSON allows whitespace before
# a value, so any JSON reader still reads it); other states, and those written before, are read by json.loads.
ORJSON_SAFE = b" "


def loads(text: bytes):
    """A stored state's JSON (decompressed) as Python values, exactly as json.loads reads it."""
    return orjson.loads(text) if text[:1] == ORJSON_SAFE else json.loads(text)


# Stored states are compressed by Zstandard at level 1: half the time of zlib's fastest level and a smaller
# result for a state's ~11 KB of JSON. States written before are zlib streams and stay readable: a Zstandard
# frame starts with its magic number, a zlib stream never does (its first byte is 0x78 for the sizes written).
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_LEVEL = 1
# A compressor holds its tables between calls (creating one costs as much as compressing a state); one per
# thread, since the web and the worker save from several.
_local = threading.local()


def pack(text: bytes) -> bytes:
    """A state's JSON compressed for storing."""
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstd.ZstdCompressor(level=_LEVEL)
    return compressor.compress(text, mode=zstd.ZstdCompressor.FLUSH_FRAME)


def unpack(blob: bytes) -> bytes:
    """A stored state's JSON, whichever of the two compressions wrote it."""
    if blob[:4] == _ZSTD_MAGIC:
        return zstd.decompress(blob)
    return zlib.decompress(blob)


def read(blob: bytes):
    """A stored state (as `pack` wrote it, or zlib before) as Python values."""
    return loads(unpack(blob))

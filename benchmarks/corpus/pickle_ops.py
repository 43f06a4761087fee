"""A tiny pickle opcode assembler for building hostile test files by hand.

Why our own: the corpus must exercise opcode shapes that ``pickle.dumps`` never emits (memo games, EXT codes,
INST/OBJ, broken tails), and it must never need the payload's callables to exist in the building process.
Every helper returns raw bytes; nothing here unpickles or calls what it names.
"""

from __future__ import annotations

import struct

CANARY_PREFIX = "/tmp/mlwarden-canary-"


def canary_path(technique: str) -> str:
    """Where a payload would leave its mark if it were ever executed (it never is, here)."""
    return f"{CANARY_PREFIX}{technique}"


def canary_shell(technique: str) -> str:
    """A harmless shell command: it only creates the canary file."""
    return f"touch {canary_path(technique)}"


def canary_python(technique: str) -> str:
    """A harmless Python statement: it only creates the canary file."""
    return f"open({canary_path(technique)!r}, 'w').close()"


# --- scalar pushes -------------------------------------------------------------------------------------------
def s(text: str) -> bytes:
    """Push a str (SHORT_BINUNICODE / BINUNICODE)."""
    raw = text.encode("utf-8")
    if len(raw) < 256:
        return b"\x8c" + bytes([len(raw)]) + raw
    return b"X" + struct.pack("<I", len(raw)) + raw


def b(data: bytes) -> bytes:
    """Push bytes (SHORT_BINBYTES / BINBYTES)."""
    if len(data) < 256:
        return b"C" + bytes([len(data)]) + data
    return b"B" + struct.pack("<I", len(data)) + data


def i(value: int) -> bytes:
    """Push an int (BININT)."""
    return b"J" + struct.pack("<i", value)


NONE = b"N"
TRUE = b"\x88"
FALSE = b"\x89"
POP = b"0"
STOP = b"."


# --- names -----------------------------------------------------------------------------------------------------
def glob(module: str, name: str) -> bytes:
    """GLOBAL: module and name inline, newline-terminated (valid in every protocol)."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def stack_glob(module: str, name: str) -> bytes:
    """STACK_GLOBAL: module and name taken from the stack (protocol 4+)."""
    return s(module) + s(name) + b"\x93"


# --- containers ------------------------------------------------------------------------------------------------
def tup(*items: bytes) -> bytes:
    """MARK items TUPLE."""
    return b"(" + b"".join(items) + b"t"


def lst(*items: bytes) -> bytes:
    """EMPTY_LIST MARK items APPENDS."""
    return b"](" + b"".join(items) + b"e"


def dct(*pairs: tuple[bytes, bytes]) -> bytes:
    """EMPTY_DICT MARK key value ... SETITEMS."""
    return b"}(" + b"".join(k + v for k, v in pairs) + b"u"


# --- calls -----------------------------------------------------------------------------------------------------
def call(func: bytes, *args: bytes) -> bytes:
    """func args-tuple REDUCE."""
    return func + tup(*args) + b"R"


def put(index: int) -> bytes:
    """BINPUT: memoize the top of the stack."""
    return b"q" + bytes([index])


def get(index: int) -> bytes:
    """BINGET: push a memoized value."""
    return b"h" + bytes([index])


def program(body: bytes, protocol: int = 4) -> bytes:
    """PROTO header + body + STOP."""
    return b"\x80" + bytes([protocol]) + body + STOP


def program0(body: bytes) -> bytes:
    """A protocol-0 style program (no PROTO header)."""
    return body + STOP


def inject_before(payload_call: bytes, original: bytes) -> bytes:
    """Run ``payload_call`` (then POP it) before the body of an existing pickle, keeping the original result.

    This is what a tampered real-world checkpoint looks like: the object graph is intact, the file still loads,
    and the call runs first.
    """
    if original[:1] == b"\x80":
        header, body = original[:2], original[2:]
    else:
        header, body = b"", original
    return header + payload_call + POP + body

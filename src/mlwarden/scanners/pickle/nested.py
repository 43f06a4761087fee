"""Pickles inside string and bytes values: recognise them (raw, latin-1 text or base64) and report them.

A value that *is* a pickle is harmless until some code calls ``pickle.loads`` or ``torch.load`` on it
(``torch.storage._load_from_bytes`` does exactly that), so the analysis scans it as a pickle of its
own and reports its findings under ``MW-PICKLE-005``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Final, Protocol

from mlwarden.core.findings import Finding, Location, Severity
from mlwarden.scanners.pickle.opcodes import KEEP_BYTES, PREFIX_BYTES
from mlwarden.scanners.pickle.rules import NESTED_PICKLE
from mlwarden.scanners.pickle.source import Blob, looks_like_pickle

__all__ = ["nested_finding", "pickle_bytes", "shrink"]

# base64 of b"\x80\x02" .. b"\x80\x05": "gAI", "gAM", "gAS", "gAW".
_B64_HEADS: Final = ("gAI", "gAM", "gAS", "gAW")
_MAX_B64: Final = 16 << 20


class _Where(Protocol):
    @property
    def scanner(self) -> str: ...

    @property
    def version(self) -> int: ...


def shrink(value: object, offset: int) -> object:
    """A long literal kept whole for nested scanning becomes a Blob again, so memory stays flat."""
    if isinstance(value, str | bytes) and len(value) > KEEP_BYTES:
        raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        return Blob("str" if isinstance(value, str) else "bytes", len(raw), raw[:PREFIX_BYTES], offset)
    return value


def _from_base64(value: str | bytes) -> bytes | None:
    text = value.encode("ascii", "ignore") if isinstance(value, str) else value
    if len(text) > _MAX_B64 or not text.startswith(tuple(h.encode() for h in _B64_HEADS)):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        try:
            raw = base64.urlsafe_b64decode(text)
        except (binascii.Error, ValueError):
            return None
    return raw if looks_like_pickle(raw[:PREFIX_BYTES]) else None


def pickle_bytes(value: str | bytes | Blob) -> bytes | None:
    """The pickle bytes ``value`` holds: itself, its latin-1 encoding, or its base64 decoding; else None."""
    if isinstance(value, Blob):
        return value.prefix if looks_like_pickle(value.prefix) else None
    if isinstance(value, str):
        if value.startswith(_B64_HEADS):
            return _from_base64(value)
        if not value.startswith(("\x80", "c", "(")):
            return None
        try:
            raw = value.encode("latin-1")
        except UnicodeEncodeError:
            return None
    else:
        raw = value
        if raw.startswith(tuple(h.encode() for h in _B64_HEADS)):
            return _from_base64(raw)
    return raw if len(raw) >= 4 and looks_like_pickle(raw[:PREFIX_BYTES]) else None


def nested_finding(value: object, offset: int, findings: list[Finding], at: Location, where: _Where) -> Finding:
    """The MW-PICKLE-005 finding for a value whose embedded pickle has findings of its own."""
    worst = max(f.severity for f in findings)
    return NESTED_PICKLE.finding(
        location=at,
        message=(
            f"A {type(value).__name__} value at offset {offset} is a pickle with {len(findings)} "
            f"finding(s) of its own (worst: {worst.label}); anything that loads it runs it."
        ),
        scanner=where.scanner,
        scanner_version=where.version,
        match_key=f"nested:{findings[0].match_key}",
        severity=max(worst, Severity.MEDIUM),
    )

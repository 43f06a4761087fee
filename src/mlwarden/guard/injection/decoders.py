"""Decoded views of a prompt: instructions hidden in base64, base32, hex, URL escapes, ROT13 or reversed.

Only segments that decode to mostly printable text become views; the number of views, their total
size and the decoding depth (base64 inside URL escapes inside base64) are bounded, so a hostile
prompt made of one long base64 blob costs one decode per level, never an explosion.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

import re2

__all__ = ["MAX_DEPTH", "MAX_VIEWS", "DecodedView", "decoded_views", "printable_share"]

MAX_DEPTH = 2
MAX_VIEWS = 12
MAX_DECODED_CHARS = 64 * 1024
MIN_PRINTABLE = 0.9
# Reversed and ROT13 views only for prompts short enough that a second pass is cheap.
MAX_TRANSFORM_CHARS = 4096

_PATTERNS = {
    "base64": r"(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|[A-Za-z0-9_\-]{20,}={0,2}",
    "base32": r"(?:[A-Z2-7]{8}){2,}=*",
    "hex": r"(?:(?:\\x|0x)?[0-9a-fA-F]{2}[ :]?){8,}",
    "url": r"(?:%[0-9a-fA-F]{2}[^%\s]{0,3}){3,}(?:[^\s%]*%[0-9a-fA-F]{2})*",
}


@dataclass(frozen=True, slots=True)
class DecodedView:
    """Text recovered from ``original[start:end]`` by ``encoding`` (``"base64"``, ``"rot13"`` ...)."""

    encoding: str
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _compiled() -> dict[str, re2._Regexp]:
    options = re2.Options()
    options.max_mem = 8 << 20
    return {name: re2.compile(pattern, options) for name, pattern in _PATTERNS.items()}


def printable_share(text: str) -> float:
    """The share of characters that are letters, digits, punctuation or spaces."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isprintable() or ch in "\n\t\r")
    return good / len(text)


def _as_text(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(1 for ch in text if ch.isalpha())
    if len(text) < 6 or letters < len(text) * 0.5 or printable_share(text) < MIN_PRINTABLE:
        return None
    return text


def _decode_base64(segment: str) -> bytes | None:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        if "-" in segment or "_" in segment:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _decode(encoding: str, segment: str) -> bytes | None:
    try:
        if encoding == "base64":
            return _decode_base64(segment)
        if encoding == "base32":
            return base64.b32decode(segment + "=" * (-len(segment) % 8))
        if encoding == "hex":
            digits = segment.replace("\\x", "").replace("0x", "").replace(" ", "").replace(":", "")
            return bytes.fromhex(digits)
        return urllib.parse.unquote_to_bytes(segment)
    except (binascii.Error, ValueError):
        return None


def _segments(text: str) -> list[tuple[str, int, int, str]]:
    found: list[tuple[str, int, int, str]] = []
    for encoding, pattern in _compiled().items():
        if encoding == "url" and "%" not in text:
            continue
        for match in pattern.finditer(text):
            found.append((encoding, match.start(), match.end(), match.group(0).strip()))
    return found


def _decode_level(text: str, base: tuple[int, int] | None, budget: list[int]) -> list[DecodedView]:
    views: list[DecodedView] = []
    for encoding, start, end, segment in _segments(text):
        if len(views) >= budget[0] or len(segment) > budget[1]:
            break
        raw = _decode(encoding, segment)
        decoded = _as_text(raw) if raw else None
        if decoded is None or decoded == segment:
            continue
        span = base or (start, end)
        views.append(DecodedView(encoding, decoded, span[0], span[1]))
        budget[0] -= 1
        budget[1] -= len(decoded)
    return views


def _transforms(original: str, folded: str) -> list[DecodedView]:
    if not folded or len(folded) > MAX_TRANSFORM_CHARS or not any(ch.isascii() and ch.isalpha() for ch in folded):
        return []
    end = len(original)
    return [
        DecodedView("rot13", codecs.encode(folded, "rot13"), 0, end),
        DecodedView("reversed", folded[::-1], 0, end),
    ]


def decoded_views(original: str, folded: str) -> tuple[DecodedView, ...]:
    """Decoded segments of ``original`` (recursively, up to ``MAX_DEPTH``) plus ROT13/reversed views."""
    budget = [MAX_VIEWS, MAX_DECODED_CHARS]  # views left, characters left
    views: list[DecodedView] = []
    level = _decode_level(original, None, budget)
    depth = 1
    while level:
        views.extend(level)
        if depth >= MAX_DEPTH:
            break
        next_level: list[DecodedView] = []
        for view in level:
            next_level.extend(_decode_level(view.text, (view.start, view.end), budget))
        level, depth = next_level, depth + 1
    views.extend(_transforms(original, folded))
    return tuple(views)

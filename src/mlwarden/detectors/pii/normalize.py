"""Normalise hostile text before matching, keeping a map back to the caller's character offsets.

Attackers (and copy-paste) hide identifiers behind zero-width characters, full-width digits,
exotic spaces and dashes, or lone surrogates from undecodable input. Matching runs on a cleaned
copy; every offset reported is mapped back to the original string, so ``text[start:end]`` is the
span the caller sees (including any zero-width characters inside it).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import re2

__all__ = ["Normalized", "encodable", "normalize"]

# Removed entirely: zero-width and invisible formatting characters.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"


def _translation() -> dict[int, int]:
    table: dict[int, int] = {}
    for i in range(10):
        table[0xFF10 + i] = ord("0") + i  # full-width digits
        table[0x0660 + i] = ord("0") + i  # Arabic-Indic digits
        table[0x06F0 + i] = ord("0") + i  # extended Arabic-Indic digits
        table[0x0966 + i] = ord("0") + i  # Devanagari digits
    for code in (0x00A0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
                 0x202F, 0x205F, 0x3000):  # fmt: skip
        table[code] = ord(" ")
    for code in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63, 0xFF0D):
        table[code] = ord("-")
    full_width = {"＋": "+", "（": "(", "）": ")", "＠": "@", "．": ".", "／": "/", "：": ":", "，": ","}
    table.update({ord(k): ord(v) for k, v in full_width.items()})
    return table


_TABLE = _translation()
_INVISIBLE_SET = frozenset(_INVISIBLE)
_DELETE = dict.fromkeys(map(ord, _INVISIBLE))


@lru_cache(maxsize=1)
def _special() -> Any:
    special = "".join(chr(c) for c in sorted(_TABLE)) + _INVISIBLE
    options = re2.Options()
    options.max_mem = 8 << 20
    return re2.compile("[" + re2.escape(special) + "]", options)


def _replace_surrogates(text: str) -> str:
    """Lone surrogates cannot be encoded for RE2; each becomes U+FFFD (same length)."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def encodable(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (same length), so RE2 can encode it."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _replace_surrogates(text)
    return text


@dataclass(frozen=True, slots=True)
class Normalized:
    """The cleaned text and the breakpoints that map its offsets back to the original."""

    text: str
    # Sorted normalised positions at which removed characters were skipped, and the cumulative
    # number removed up to each one.
    positions: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def start(self, index: int) -> int:
        """Original offset of the character at normalised ``index``."""
        if not self.positions:
            return index
        at = bisect_right(self.positions, index) - 1
        return index + (self.removed[at] if at >= 0 else 0)

    def end(self, index: int) -> int:
        """Original end offset for a span ending (exclusively) at normalised ``index``."""
        return self.start(index - 1) + 1 if index > 0 else self.start(0)


def normalize(text: str) -> Normalized:
    """Clean ``text`` for matching; cheap (no copy) for ASCII and for text without special characters."""
    if text.isascii():
        return Normalized(text)
    any_special = _special()
    try:
        found = any_special.search(text)
    except UnicodeEncodeError:
        text = _replace_surrogates(text)
        found = any_special.search(text)
    if found is None:
        return Normalized(text)
    translated = text.translate(_TABLE)
    cleaned = translated.translate(_DELETE)
    if len(cleaned) == len(translated):
        return Normalized(translated)
    positions, removed = _breakpoints(translated)
    return Normalized(cleaned, positions, removed)


def _breakpoints(translated: str) -> tuple[list[int], list[int]]:
    """For each run of removed characters: where the next kept character lands, and the running total.

    A plain loop: one pass, no per-match regex overhead even when every other character is invisible.
    """
    positions: list[int] = []
    removed: list[int] = []
    total = 0
    last = -2
    for i, ch in enumerate(translated):
        if ch not in _INVISIBLE_SET:
            continue
        total += 1
        if i == last + 1:
            removed[-1] = total
        else:
            positions.append(i - total + 1)
            removed.append(total)
        last = i
    return positions, removed

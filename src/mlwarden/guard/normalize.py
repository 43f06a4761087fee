"""Normalise a prompt for injection rules, keeping a map back to the caller's offsets.

Attackers hide instructions behind look-alike letters (Cyrillic ``о`` for Latin ``o``), zero-width
and bidi-control characters, full-width forms, leetspeak (``1gn0r3``), spaced letters
(``i g n o r e``) and encodings (base64, hex, URL escapes, ROT13, reversed text). Rules run on
several *views* of one text:

- ``text``: NFKC, invisible and bidi-control characters removed, combining marks dropped,
  whitespace runs collapsed. Russian and other non-Latin rules run here, so real Russian words are
  never folded into Latin gibberish.
- ``folded``: ``text`` lowercased, Cyrillic/Greek look-alikes folded to Latin, leetspeak folded,
  spaced single letters joined. English rules run here.
- decoded views: segments that decode (base64, base32, hex, URL escapes) to mostly printable text,
  and the ROT13 and reversed forms of the folded text; bounded in number, size and depth.

Every character of ``text`` and ``folded`` remembers the index of the original character it came
from, so a rule's span maps back to ``original[start:end]``; a decoded view maps to the whole
encoded segment it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import re2

from mlwarden.guard.injection.decoders import DecodedView, decoded_views

__all__ = ["DecodedView", "NormalizedText", "View", "normalize"]

# Removed: zero-width, invisible formatting and bidirectional control characters, variation selectors.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b"
    "\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0" + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
# Cyrillic, Greek and other letters that look like Latin ones (lowercase after casefold).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ɡ": "g", "ɑ": "a", "ı": "i", "ℓ": "l", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ѡ": "w", "һ": "h", "ӏ": "l",
    "ԍ": "g", "ɩ": "i", "ᴀ": "a", "ʀ": "r", "ꜱ": "s", "ᴛ": "t",
}  # fmt: skip
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "|": "l", "!": "i"}
# Single letters separated by one separator, at least four in a row: "i g n o r e", "i.g.n.o.r.e".
_SPACED = r"(?:^|[^\w])((?:\w[ ._\-*/]){3,}\w)(?:$|[^\w])"


@dataclass(frozen=True, slots=True)
class View:
    """One rendering of the input: its text and, per character, the original index it came from."""

    name: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` that ``self.text[start:end]`` came from."""
        if not self.origin:
            return (0, 0)
        start = min(max(start, 0), len(self.origin) - 1)
        last = min(max(end - 1, start), len(self.origin) - 1)
        return (self.origin[start], self.origin[last] + 1)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The original text, its ``text`` and ``folded`` views and any decoded views."""

    original: str
    text: View
    folded: View
    decoded: tuple[DecodedView, ...]


def _clean_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    if ch.isascii():
        return ch
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    out = unicodedata.normalize("NFKC", ch)
    if unicodedata.combining(out[0]) and len(out) == 1:
        return ""  # a stray combining mark (Zalgo text) carries no letter
    return out


def _clean(original: str) -> tuple[str, tuple[int, ...]]:
    """NFKC per character, invisibles and stray combining marks dropped, whitespace runs collapsed."""
    chars: list[str] = []
    origin: list[int] = []
    space = True  # drops leading whitespace too
    for index, ch in enumerate(original):
        for produced in _clean_char(ch):
            out = produced
            if out.isspace() or unicodedata.category(out) in ("Cc", "Zl", "Zp"):
                if space:
                    continue
                out, space = " ", True
            else:
                space = False
            chars.append(out)
            origin.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), tuple(origin)


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return low[:1]  # keeps one output character per input character
    return _HOMOGLYPHS.get(low) or _LEET.get(low) or low


@lru_cache(maxsize=1)
def _spaced() -> re2._Regexp:
    options = re2.Options()
    options.max_mem = 8 << 20
    return re2.compile(_SPACED, options)


def _join_spaced(text: str, origin: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    """Drop the separators inside runs of single letters, so ``i g n o r e`` reads ``ignore``."""
    if len(text) < 7:
        return text, origin
    drop: set[int] = set()
    for match in _spaced().finditer(text):
        start, end = match.span(1)
        drop.update(range(start + 1, end, 2))
    if not drop:
        return text, origin
    keep = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in keep), tuple(origin[i] for i in keep)


_FOLD_TABLE = str.maketrans({**_HOMOGLYPHS, **_LEET})


def _fold_text(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):  # no character lowercased into two: the mapping is one to one
        return lowered.translate(_FOLD_TABLE)
    return "".join(_fold_char(ch) for ch in text)


def fold(view: View) -> View:
    """Lowercase, fold look-alikes and leetspeak, join spaced letters (one char in, one char out)."""
    text = _fold_text(view.text)
    joined, origin = _join_spaced(text, view.origin)
    return View("folded", joined, origin)


def normalize(original: str, *, decode: bool = True) -> NormalizedText:
    """All views of ``original`` that injection rules look at (see the module docstring)."""
    cleaned, origin = _clean(original)
    text = View("text", cleaned, origin)
    folded = fold(text)
    decoded = decoded_views(original, folded.text) if decode else ()
    return NormalizedText(original=original, text=text, folded=folded, decoded=decoded)

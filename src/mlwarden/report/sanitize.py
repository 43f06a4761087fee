"""Make attacker-controlled text safe to show: no terminal escapes, no invisible tricks.

File names, archive member names, messages and evidence come from scanned artifacts, and an
attacker can put an escape sequence in a file name that recolours, hides or rewrites our own
output (``\\x1b[2K`` erases the line; OSC 8 forges a hyperlink; OSC 52 writes the clipboard),
a carriage return that overprints a line, or a bidi override that makes ``exe.txt`` read as
``txt.exe``. ``sanitize_terminal`` removes well-formed escape sequences and shows every other
control character as a visible ``\\xNN`` / ``\\uNNNN`` escape, so nothing is hidden from the
reader and nothing reaches the terminal as a command. Lone surrogates (undecodable bytes of a
file name decoded with ``surrogateescape``) are shown as ``\\xNN`` too, which also makes every
string encodable as UTF-8.

Everything here runs in linear time: the patterns have no nested quantifiers and their
character classes stop at the next ESC.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fix_surrogates", "sanitize_terminal"]

# CSI (ESC [ or 8-bit 0x9B) parameters, intermediates and a final byte: colours, cursor moves, erases.
_CSI = r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
# OSC, DCS, SOS, PM, APC strings, removed only when terminated (BEL, ESC \ or 8-bit ST).
_STRING = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
# Two-byte escapes such as ESC c (full reset) or ESC 7 / ESC 8 (save and restore the cursor).
_SHORT = r"\x1b[@-OQ-WYZ\\0-9a-z=>]"
_ESCAPE_SEQUENCE = re.compile(f"{_STRING}|{_CSI}|{_SHORT}")

# Invisible characters that reorder or split what the reader sees (Trojan Source, CVE-2021-42574).
_INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff"
)
_SURROGATE_ESCAPE_FIRST, _SURROGATE_ESCAPE_LAST = 0xDC80, 0xDCFF


def _visible(char: str) -> str:
    """The escape that stands for one unsafe character."""
    code = ord(char)
    if _SURROGATE_ESCAPE_FIRST <= code <= _SURROGATE_ESCAPE_LAST:
        return f"\\x{code - 0xDC00:02x}"  # the original byte of a surrogateescape-decoded name
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _unsafe(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cs")


def sanitize_terminal(text: str) -> str:
    """``text`` with escape sequences removed and other control characters made visible.

    Newlines and tabs are made visible too (``\\n``, ``\\x09``): a hostile message must not be
    able to start a line of its own that looks like ours.
    """
    text = _ESCAPE_SEQUENCE.sub("", text)
    if not any(_unsafe(char) for char in text):
        return text
    return "".join(_visible(char) if _unsafe(char) else char for char in text).replace("\\x0a", "\\n")


def fix_surrogates(text: str) -> str:
    """``text`` with lone surrogates shown as ``\\xNN``, so it encodes as strict UTF-8.

    Used by the machine formats, which escape control characters by their own rules but must
    still produce valid UTF-8; the raw bytes of an odd file name survive in the fingerprint.
    """
    if not any(unicodedata.category(char) == "Cs" for char in text):
        return text
    return "".join(_visible(char) if unicodedata.category(char) == "Cs" else char for char in text)

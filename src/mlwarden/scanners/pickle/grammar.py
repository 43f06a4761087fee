"""A regular grammar for the inert part of data pickles, matched by ``re`` at C speed.

Data pickles (a list of dicts of numbers and short strings, a pickled table) are almost entirely
opcodes that cannot import or call anything. The symbolic machine costs a few microseconds per
opcode; this grammar lets the analysis step over one *batch* at a time -- ``MARK item* APPENDS`` or
``MARK (key value)* SETITEMS``, the batches ``pickle`` writes every 1000 items -- when every item is
built only from:

* scalars: ``BININT*``, ``BINFLOAT``, ``NONE``, ``NEWTRUE``/``NEWFALSE``, ``EMPTY_TUPLE``, short
  ``SHORT_BINUNICODE``/``SHORT_BINBYTES`` literals that cannot hold an embedded pickle (no newline,
  no ``\\x80``/``\\xc2`` byte, no ``gA`` base64 head), and ``BINGET`` (one-byte index);
* ``TUPLE1/2/3`` and ``MARK ... TUPLE`` over scalars;
* one level of ``EMPTY_DICT`` + ``SETITEMS`` batches or ``EMPTY_LIST`` + ``APPENDS`` batches over those;
* ``MEMOIZE`` after any value, and ``FRAME`` before any value (protocol 4 frames split anywhere).

The grammar is balanced by construction: each item pushes exactly one value, tuples pop exactly what
the items before them pushed, SETITEMS batches hold key/value *pairs*. So a matched batch cannot
underflow the stack, leave a MARK open, reach a GLOBAL/STACK_GLOBAL/INST/OBJ/REDUCE/BUILD/NEWOBJ/EXT
or PERSID opcode (none is in the alphabet), or hide a nested pickle. Its only effects a later opcode
can observe are the memo slots it defines, which :data:`MEMO_TOKENS` counts exactly (a second pass
that tokenises the batch and counts ``MEMOIZE`` tokens, not ``0x94`` bytes, which payloads contain).
"""

from __future__ import annotations

import functools
import re
from typing import Final

__all__ = ["MAX_SHORT_STRING", "Grammar", "grammar"]

# Short string literals up to this many bytes are in the grammar (one regex branch per length).
MAX_SHORT_STRING: Final = 64

_FRAME: Final = rb"(?:\x95.{8})?+"  # protocol 4 framing: may precede any value
_SAFE_BYTE: Final = rb"[^\n\x80\xc2]"  # no newline (text-protocol pickles) and no \x80 / UTF-8 \xc2\x80 head


def _short_strings(opcode: bytes, payload: bytes, *, check_head: bool) -> bytes:
    """``opcode``, a one-byte length n and n payload bytes, as one alternation over n."""
    branches = [rb"\x00"] + [re.escape(bytes([n])) + payload + b"{%d}" % n for n in range(1, MAX_SHORT_STRING + 1)]
    head = rb"(?!.gA)" if check_head else b""  # base64 of a pickle starts gAI/gAM/gAS/gAW
    return re.escape(opcode) + head + b"(?:" + b"|".join(branches) + b")"


def _scalar() -> bytes:
    literals = [
        rb"h.",  # BINGET: the caller guarantees every one-byte memo index is defined and holds no import
        _short_strings(b"\x8c", _SAFE_BYTE, check_head=True),  # SHORT_BINUNICODE
        rb"G.{8}",  # BINFLOAT
        rb"M.{2}",  # BININT2
        rb"K.",  # BININT1
        rb"J.{4}",  # BININT
        rb"[N\x88\x89\)]",  # NONE, NEWTRUE, NEWFALSE, EMPTY_TUPLE
        _short_strings(b"C", _SAFE_BYTE, check_head=True),  # SHORT_BINBYTES
    ]
    return _FRAME + b"(?:" + b"|".join(literals) + rb")\x94?+"


def _batches() -> tuple[bytes, bytes]:
    scalar = _scalar()
    # A scalar, optionally closed into a tuple with the one or two scalars after it.
    item0 = scalar + b"(?:" + scalar + b"(?:" + scalar + rb"\x87|\x86)\x94?+|\x85\x94?+)?"
    pairs0 = b"(?:" + item0 + item0 + b")*+"
    dict1 = _FRAME + rb"\}\x94?+(?:" + _FRAME + rb"\(" + pairs0 + b"u)*+"
    list1 = _FRAME + rb"\]\x94?+(?:" + _FRAME + rb"\((?:" + item0 + b")*+e)*+"
    tuple1 = _FRAME + rb"\((?:" + item0 + rb")*+t\x94?+"
    item1 = b"(?>" + dict1 + b"|" + list1 + b"|" + tuple1 + b"|" + item0 + b")"
    appends = rb"\((?:" + item1 + b")*+e"
    setitems = rb"\((?:" + item1 + item1 + b")*+u"
    return appends, setitems


def _memo_counter() -> bytes:
    """Runs of the grammar's tokens ending at one MEMOIZE each: ``subn`` counts them."""
    token = b"|".join(
        [
            rb"[hK].",
            rb"G.{8}",
            rb"M.{2}",
            rb"J.{4}",
            rb"\x95.{8}",
            rb"[N\x88\x89\)\(\}\]\x85\x86\x87tue]",
            _short_strings(b"\x8c", b".", check_head=False),
            _short_strings(b"C", b".", check_head=False),
        ]
    )
    # Every match starts token-aligned: either a run ending at a MEMOIZE, or (once) the MEMOIZE-free tail of
    # the batch up to its end, so a search never restarts inside a payload that holds a 0x94 byte.
    return rb"(?:" + token + rb")*+\x94|(?:" + token + rb")++\Z"


class Grammar:
    """The compiled batch patterns (``APPENDS`` and ``SETITEMS``) and the MEMOIZE counter."""

    def __init__(self) -> None:
        appends, setitems = _batches()
        self.appends = re.compile(appends, re.DOTALL)
        self.setitems = re.compile(setitems, re.DOTALL)
        self.memo_tokens = re.compile(_memo_counter(), re.DOTALL)

    def count_memoize(self, batch: memoryview) -> int:
        """How many MEMOIZE opcodes a matched batch holds."""
        return self.memo_tokens.subn(b"", batch)[1] - 1  # a batch ends with APPENDS/SETITEMS: one tail match


@functools.cache
def grammar() -> Grammar:
    """The grammar, compiled once per process and only when a pickle is big enough to need it."""
    return Grammar()

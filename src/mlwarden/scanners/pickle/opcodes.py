"""A bounded, streaming pickle opcode reader that never executes anything.

``pickletools.genops`` materialises every argument (a 4 GB ``BINBYTES8`` becomes a 4 GB ``bytes``)
and is slow, so this reader is table-driven from ``pickletools.opcodes`` metadata, reads the file in
chunks, keeps short arguments whole and replaces long ones by a :class:`Blob` (length, short prefix
and offset) after seeking past their payload. It never calls ``pickle.load``, ``Unpickler`` or
``find_class``: it only tokenises bytes.
"""

from __future__ import annotations

import codecs
import pickletools
import struct
from typing import Final

from mlwarden.scanners.pickle.source import Blob, ParseError, Source, Truncated, looks_like_pickle

__all__ = [
    "CODE",
    "KEEP_BYTES",
    "NESTED_KEEP",
    "PREFIX_BYTES",
    "Blob",
    "ParseError",
    "Source",
    "Truncated",
    "looks_like_pickle",
    "next_op",
]

# Strings and bytes up to this many bytes are kept whole; longer ones become a Blob.
KEEP_BYTES: Final = 4096
# A Blob keeps this many leading bytes as evidence and for nested-pickle sniffing.
PREFIX_BYTES: Final = 256
# A long string or bytes value that starts like a pickle is kept whole up to this size, so that the
# embedded pickle is scanned completely (the analysis turns it back into a Blob afterwards).
NESTED_KEEP: Final = 64 << 20
# Protocol 0 text arguments (names, numbers) longer than this are not plausible.
MAX_NAME_LINE: Final = 1 << 20
_MAX_INT_DIGITS: Final = 4000


# --- argument readers, one per pickletools argument kind -------------------------------------


def _uint1(src: Source) -> int:
    return src.read(1)[0]


def _uint2(src: Source) -> int:
    return int(struct.unpack("<H", src.read(2))[0])


def _int4(src: Source) -> int:
    return int(struct.unpack("<i", src.read(4))[0])


def _uint4(src: Source) -> int:
    return int(struct.unpack("<I", src.read(4))[0])


def _uint8(src: Source) -> int:
    return int(struct.unpack("<Q", src.read(8))[0])


def _float8(src: Source) -> float:
    return float(struct.unpack(">d", src.read(8))[0])


def _counted(src: Source, length: int, kind: str) -> bytes | Blob:
    if length < 0:
        raise ParseError(f"negative length {length}", src.pos)
    if length <= KEEP_BYTES:
        return src.read(length)
    offset = src.pos
    prefix = src.read(PREFIX_BYTES)
    if length <= NESTED_KEEP and looks_like_pickle(prefix):
        return prefix + src.read(length - PREFIX_BYTES)
    src.skip(length - PREFIX_BYTES)
    return Blob(kind, length, prefix, offset)


def _text(src: Source, raw: bytes | Blob) -> str | Blob:
    if isinstance(raw, Blob):
        return Blob("str", raw.length, raw.prefix, raw.offset)
    try:
        return raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        raise ParseError(f"invalid UTF-8 in a string argument: {exc.reason}", src.pos - len(raw)) from None


def _latin1(raw: bytes | Blob) -> str | Blob:
    return raw.decode("latin-1") if isinstance(raw, bytes) else Blob("str", raw.length, raw.prefix, raw.offset)


def _line(src: Source, limit: int = MAX_NAME_LINE) -> bytes:
    start = src.pos
    kept, total = src.readline(limit)
    if total > limit:
        raise ParseError(f"text argument of {total} bytes is implausibly long", start)
    return kept


def _decimal_short(src: Source) -> int | bool:
    start = src.pos
    line = _line(src, _MAX_INT_DIGITS)
    if line == b"00":
        return False
    if line == b"01":
        return True
    try:
        return int(line)
    except ValueError:
        raise ParseError(f"invalid integer {line[:40]!r}", start) from None


def _decimal_long(src: Source) -> int:
    start = src.pos
    line = _line(src, _MAX_INT_DIGITS)
    try:
        return int(line[:-1] if line.endswith(b"L") else line)
    except ValueError:
        raise ParseError(f"invalid long {line[:40]!r}", start) from None


def _floatnl(src: Source) -> float:
    start = src.pos
    line = _line(src, 400)
    try:
        return float(line)
    except ValueError:
        raise ParseError(f"invalid float {line[:40]!r}", start) from None


def _big_line(src: Source) -> tuple[bytes, int, int]:
    start = src.pos
    kept, total = src.readline(KEEP_BYTES)
    return kept, total, start


def _stringnl(src: Source) -> str | Blob:
    kept, total, start = _big_line(src)
    if total > KEEP_BYTES:
        return Blob("str", total, kept[:PREFIX_BYTES], start)
    if len(kept) < 2 or kept[0] not in b"'\"" or kept[-1] != kept[0]:
        raise ParseError("STRING argument is not quoted", start)
    try:
        return codecs.escape_decode(kept[1:-1])[0].decode("latin-1")
    except ValueError:
        raise ParseError("invalid escape in STRING argument", start) from None


def _unicodenl(src: Source) -> str | Blob:
    kept, total, start = _big_line(src)
    if total > KEEP_BYTES:
        return Blob("str", total, kept[:PREFIX_BYTES], start)
    try:
        return kept.decode("raw-unicode-escape")
    except UnicodeDecodeError:
        raise ParseError("invalid escape in UNICODE argument", start) from None


def _name_line(src: Source) -> str:
    start = src.pos
    raw = _line(src)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError("invalid UTF-8 in a global name", start) from None


def _name_pair(src: Source) -> tuple[str, str]:
    return _name_line(src), _name_line(src)


def _persid(src: Source) -> str:
    start = src.pos
    raw = _line(src)
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise ParseError("persistent id is not ASCII", start) from None


def _long(src: Source, length: int) -> int | Blob:
    if length < 0:
        raise ParseError("LONG with a negative length", src.pos)
    if length > 256:
        raw = _counted(src, length, "long")
        return raw if isinstance(raw, Blob) else int.from_bytes(raw, "little", signed=True)
    return int.from_bytes(src.read(length), "little", signed=True)


_ARG_READERS = {
    "uint1": _uint1,
    "uint2": _uint2,
    "int4": _int4,
    "uint4": _uint4,
    "uint8": _uint8,
    "float8": _float8,
    "decimalnl_short": _decimal_short,
    "decimalnl_long": _decimal_long,
    "floatnl": _floatnl,
    "stringnl": _stringnl,
    "unicodestringnl": _unicodenl,
    "stringnl_noescape": _persid,
    "stringnl_noescape_pair": _name_pair,
    "string1": lambda s: _latin1(_counted(s, _uint1(s), "bytes")),
    "string4": lambda s: _latin1(_counted(s, _int4(s), "bytes")),
    "bytes1": lambda s: _counted(s, _uint1(s), "bytes"),
    "bytes4": lambda s: _counted(s, _uint4(s), "bytes"),
    "bytes8": lambda s: _counted(s, _uint8(s), "bytes"),
    "bytearray8": lambda s: _counted(s, _uint8(s), "bytearray"),
    "unicodestring1": lambda s: _text(s, _counted(s, _uint1(s), "str")),
    "unicodestring4": lambda s: _text(s, _counted(s, _uint4(s), "str")),
    "unicodestring8": lambda s: _text(s, _counted(s, _uint8(s), "str")),
    "long1": lambda s: _long(s, _uint1(s)),
    "long4": lambda s: _long(s, _int4(s)),
}

# Opcode byte -> (name, argument reader or None), built from the stdlib's own opcode metadata.
_TABLE: list[tuple[str, object] | None] = [None] * 256
CODE: dict[str, int] = {}
for _op in pickletools.opcodes:
    _byte = _op.code.encode("latin-1")[0]
    CODE[_op.name] = _byte
    _TABLE[_byte] = (_op.name, _ARG_READERS[_op.arg.name] if _op.arg is not None else None)


def next_op(src: Source) -> tuple[int, object, int]:
    """Read one opcode: (opcode byte, decoded argument or None, absolute offset).

    Raises ``Truncated`` at EOF inside an opcode and ``ParseError`` for an unknown opcode byte.
    The caller checks for a clean EOF (``src.peek_eof()``) before calling.
    """
    if len(src.buf) - src.i < 1 and not src.fill(1):
        raise Truncated("stream ends where an opcode was expected", src.pos)
    pos = src.pos
    code = src.buf[src.i]
    src.i += 1
    entry = _TABLE[code]
    if entry is None:
        raise ParseError(f"invalid opcode byte 0x{code:02x}", pos)
    reader = entry[1]
    arg = reader(src) if reader is not None else None  # type: ignore[operator]
    return code, arg, pos

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
from dataclasses import dataclass
from typing import BinaryIO, Final

__all__ = [
    "CODE",
    "KEEP_BYTES",
    "Blob",
    "ParseError",
    "Source",
    "Truncated",
    "next_op",
]

# Strings and bytes up to this many bytes are kept whole; longer ones become a Blob.
KEEP_BYTES: Final = 4096
# A Blob keeps this many leading bytes as evidence and for nested-pickle sniffing.
PREFIX_BYTES: Final = 256
# Protocol 0 text arguments (names, numbers) longer than this are not plausible.
MAX_NAME_LINE: Final = 64 * 1024
_CHUNK: Final = 1 << 20
_MAX_INT_DIGITS: Final = 4000


class ParseError(Exception):
    """The bytes at ``offset`` are not a valid pickle opcode or argument."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class Truncated(ParseError):
    """The stream ended (or declares more bytes than it holds) inside an opcode."""


@dataclass(frozen=True, slots=True)
class Blob:
    """A string or bytes argument too long to keep: its kind, length, leading bytes and offset."""

    kind: str  # "str", "bytes", "bytearray" or "long"
    length: int
    prefix: bytes
    offset: int

    def text_prefix(self) -> str:
        """The prefix as text, for evidence."""
        return self.prefix.decode("utf-8", "replace")


class Source:
    """Chunked reads from a binary stream with absolute positions and cheap skipping.

    ``pos`` is ``origin`` plus the stream offset (``tell()``) of the next unread byte; for a stream
    that cannot seek, the offset counts from where reading began.
    The underlying stream may be moved by others between calls (a nested scan reads a window of
    the same file), so every refill seeks to where this Source left off when the stream is seekable.
    """

    def __init__(self, stream: BinaryIO, *, origin: int = 0, end: int | None = None) -> None:
        self._stream = stream
        self._seekable = _seekable(stream)
        self._file_next = stream.tell() if self._seekable else 0
        self._origin = origin
        self._end = end  # absolute file position where this source stops (exclusive)
        self.buf = b""
        self.i = 0
        self._buf_file_pos = self._file_next
        self.size = _stream_size(stream) if self._seekable else None
        if end is not None:
            self.size = end if self.size is None else min(self.size, end)

    @property
    def pos(self) -> int:
        """The absolute offset (origin-based) of the next unread byte."""
        return self._origin + self._buf_file_pos + self.i

    @property
    def file_pos(self) -> int:
        """The stream offset of the next unread byte."""
        return self._buf_file_pos + self.i

    def remaining(self) -> int | None:
        """Bytes left before EOF when the size is known."""
        return None if self.size is None else max(0, self.size - self.file_pos)

    def fill(self, need: int) -> bool:
        """Make at least ``need`` bytes available from ``i``; False when EOF comes first."""
        while len(self.buf) - self.i < need:
            want = max(_CHUNK, need)
            if self._end is not None:
                want = min(want, self._end - self._file_next)
            chunk = self._raw_read(want) if want > 0 else b""
            if not chunk:
                return False
            self._buf_file_pos += self.i
            self.buf = self.buf[self.i :] + chunk
            self.i = 0
        return True

    def _raw_read(self, n: int) -> bytes:
        if self._seekable:
            self._stream.seek(self._file_next)
        data = self._stream.read(n)
        self._file_next += len(data)
        return data

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes or ``Truncated``."""
        left = self.remaining()
        if left is not None and n > left:
            raise Truncated(f"declares {n} bytes but only {left} remain", self.pos)
        if not self.fill(n):
            raise Truncated(f"stream ends inside a {n}-byte argument", self.pos)
        data = self.buf[self.i : self.i + n]
        self.i += n
        return data

    def skip(self, n: int) -> None:
        """Move past ``n`` bytes without keeping them (seeking when possible)."""
        left = self.remaining()
        if left is not None and n > left:
            raise Truncated(f"declares {n} bytes but only {left} remain", self.pos)
        buffered = len(self.buf) - self.i
        if n <= buffered:
            self.i += n
            return
        n -= buffered
        self._buf_file_pos += len(self.buf)
        self.buf, self.i = b"", 0
        if self._seekable:
            self._file_next = self._buf_file_pos + n
            self._buf_file_pos = self._file_next
            return
        while n > 0:
            chunk = self._raw_read(min(n, _CHUNK))
            if not chunk:
                raise Truncated("stream ends inside an argument", self.pos)
            n -= len(chunk)
            self._buf_file_pos += len(chunk)

    def peek_eof(self) -> bool:
        """Whether no byte is left."""
        return not self.fill(1)

    def readline(self, limit: int) -> tuple[bytes, int]:
        """A newline-terminated line without its newline: (first ``limit`` bytes, full length)."""
        start = self.pos
        kept = b""
        total = 0
        while True:
            if not self.fill(1):
                raise Truncated("stream ends inside a text argument", start)
            nl = self.buf.find(b"\n", self.i)
            stop = len(self.buf) if nl < 0 else nl
            piece_len = stop - self.i
            if len(kept) < limit:
                kept += self.buf[self.i : self.i + min(piece_len, limit - len(kept))]
            total += piece_len
            self.i = stop if nl < 0 else nl + 1
            if nl >= 0:
                return kept, total


def _seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        here = stream.tell()
        end = stream.seek(0, 2)
        stream.seek(here)
    except (OSError, ValueError):
        return None
    return end


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

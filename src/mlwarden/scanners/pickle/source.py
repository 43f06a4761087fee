"""Chunked, seekable-when-possible byte source for the opcode reader, and the values it yields.

Split from ``opcodes.py``: :class:`Source` reads a stream in chunks with absolute positions and cheap
skipping; :class:`Blob` stands for a long argument that was not kept whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Final

__all__ = ["Blob", "ParseError", "Source", "Truncated", "looks_like_pickle"]

_CHUNK: Final = 1 << 20


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

    def read_at(self, file_offset: int, length: int) -> bytes:
        """``length`` bytes at a stream offset already passed (seekable streams only); the next refill
        seeks back to where this Source left off."""
        if not self._seekable:
            raise OSError("the stream cannot seek back")
        self._stream.seek(file_offset)
        return self._stream.read(length)

    @property
    def seekable(self) -> bool:
        """Whether bytes already passed can be read again."""
        return self._seekable

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


def looks_like_pickle(head: bytes) -> bool:
    """Whether bytes (or the UTF-8 of a string) start like a pickle: a PROTO 0-5 header or a
    protocol 0 GLOBAL/MARK followed by a newline."""
    if head[:1] == b"\x80" and len(head) > 1 and head[1] <= 5:
        return True
    if head[:2] == b"\xc2\x80" and len(head) > 2 and 2 <= head[2] <= 5:
        return True  # a str holding a pickle in latin-1 (protocol 2 bytes), as UTF-8
    return head[:1] in (b"c", b"(") and b"\n" in head[:200]

"""Streaming, bounded reads of one zip member, with the CRC computed on the way (never enforced)."""

from __future__ import annotations

import bz2
import io
import lzma
import struct
import zlib
from typing import BinaryIO

from mlwarden.artifacts.limits import Budget
from mlwarden.core.errors import BudgetExceeded
from mlwarden.scanners.zipread.listing import Window, ZipEntry, ZipReadError

__all__ = ["MemberReader", "open_member"]

_CHUNK = 1 << 16
_RATIO_FLOOR = 8 << 20  # decompression ratios only matter once the output is this big


class _Inflater:
    """Bounded-output decompression for deflate (miniz and zipfile) and bzip2/LZMA (zipfile only)."""

    def __init__(self, method: int) -> None:
        self._zlib = zlib.decompressobj(-15) if method == 8 else None
        self._other: bz2.BZ2Decompressor | lzma.LZMADecompressor | None = (
            bz2.BZ2Decompressor() if method == 12 else None
        )
        self._header = b""

    def needs_input(self) -> bool:
        if self._zlib is not None:
            return not self._zlib.unconsumed_tail
        return self._other is None or self._other.needs_input

    def eof(self) -> bool:
        if self._zlib is not None:
            return self._zlib.eof
        return self._other is not None and self._other.eof

    def feed(self, data: bytes, cap: int) -> bytes:
        try:
            if self._zlib is not None:
                return self._zlib.decompress(self._zlib.unconsumed_tail + data, cap)
            if self._other is None:
                data = self._start_lzma(data)
            if self._other is None or self._other.eof:
                return b""
            return self._other.decompress(data, cap)
        except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError) as exc:
            raise ZipReadError(f"corrupt compressed data: {exc}") from None

    def _start_lzma(self, data: bytes) -> bytes:
        """Zip's LZMA framing: 2 version bytes, a 2-byte properties size, the properties, a raw LZMA1 stream."""
        self._header += data
        if len(self._header) < 4:
            return b""
        (size,) = struct.unpack("<H", self._header[2:4])
        if len(self._header) < 4 + size:
            return b""
        props, rest = self._header[4 : 4 + size], self._header[4 + size :]
        if len(props) < 5 or props[0] >= 225:
            raise ZipReadError("invalid LZMA properties")
        pb, remainder = divmod(props[0], 45)
        lp, lc = divmod(remainder, 9)
        (dict_size,) = struct.unpack("<I", props[1:5])
        lzma1 = {"id": lzma.FILTER_LZMA1, "dict_size": dict_size, "lc": lc, "lp": lp, "pb": pb}
        self._other = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[lzma1])
        self._header = b""
        return rest


class MemberReader(io.RawIOBase):
    """The uncompressed bytes of one member, streamed, bounded, with the CRC checked on the way.

    Seeking backwards restarts decompression; ``crc_ok`` is ``None`` until the member has been read
    through from its start in one pass.
    """

    def __init__(self, stream: BinaryIO, entry: ZipEntry, budget: Budget) -> None:
        if entry.method not in (0, 8, 12, 14):
            raise ZipReadError(f"compression method {entry.method} is not supported")
        if entry.data_offset < 0:
            raise ZipReadError("member has no readable local header")
        self._stream, self.entry, self._budget = stream, entry, budget
        self.crc_ok: bool | None = None
        self._restart()

    def _restart(self) -> None:
        self._raw = Window(self._stream, self.entry.data_offset, self.entry.comp_size)
        self._inflate = _Inflater(self.entry.method) if self.entry.method else None
        self._pending = b""
        self._pos = 0
        self._crc: int | None = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = {io.SEEK_SET: offset, io.SEEK_CUR: self._pos + offset}.get(whence, self.entry.size + offset)
        if target < self._pos:
            self._restart()
        while self._pos < target and self.read(min(_CHUNK, target - self._pos)):
            pass
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._next_chunk(len(buffer))
            if chunk is None:
                self._finish()
                return 0
            self._pending = chunk
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        self._pos += count
        return count

    def _next_chunk(self, want: int) -> bytes | None:
        if self._inflate is None:
            data = self._raw.read(max(want, _CHUNK))
            return self._track(data) if data else None
        while True:
            compressed = self._raw.read(_CHUNK) if self._inflate.needs_input() else b""
            out = self._inflate.feed(compressed or b"", _CHUNK)
            if out:
                return self._track(out)
            if self._inflate.eof() or (not compressed and self._inflate.needs_input()):
                return None

    def _track(self, data: bytes) -> bytes:
        total = self._pos + len(self._pending) + len(data)
        self._budget.check("member_bytes", total, where=self.entry.name)
        ratio = total / max(1, self.entry.comp_size)
        if total > _RATIO_FLOOR and ratio > self._budget.max_compression_ratio:
            raise BudgetExceeded(
                "compression_ratio", self._budget.max_compression_ratio, round(ratio, 1), where=self.entry.name
            )
        if self._crc is not None:
            self._crc = zlib.crc32(data, self._crc)
        return data

    def _finish(self) -> None:
        if self._crc is not None and self.crc_ok is None:
            self.crc_ok = self._crc == self.entry.crc and self._pos == self.entry.size


def open_member(stream: BinaryIO, entry: ZipEntry, budget: Budget) -> tuple[MemberReader, BinaryIO]:
    """A member reader (for ``crc_ok``) and a buffered binary stream over it."""
    raw = MemberReader(stream, entry, budget)
    return raw, io.BufferedReader(raw, _CHUNK)

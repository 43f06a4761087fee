"""Bounded streaming decompression for compressed joblib files, chosen by content, never by name.

``joblib.dump(..., compress=...)`` writes a plain zlib, gzip, bz2, xz or lzma stream (joblib < 0.10
wrote ``ZF`` + a hex length + zlib). The decompressed size and the ratio to the compressed bytes read
are checked on every chunk against the scan budget, so a bomb stops early with ``BudgetExceeded``.
"""

from __future__ import annotations

import bz2
import io
import lzma
import zlib
from collections.abc import Callable
from typing import BinaryIO, Final, Protocol

from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.sniff import is_lzma_alone
from mlwarden.core.errors import BudgetExceeded

__all__ = ["BoundedDecompressor", "compression_of", "open_decompressed"]

_CHUNK: Final = 256 * 1024
_ZF_HEADER: Final = 2 + 19  # b"ZF" + hex length padded to len(hex(2**64))
_MIN_RATIO_BASE: Final = 1 << 20  # ratios are checked once output passes 1 MiB


class _Decomp(Protocol):
    def decompress(self, data: bytes, max_length: int = ...) -> bytes: ...

    @property
    def unconsumed_tail(self) -> bytes: ...  # pragma: no cover - protocol


def compression_of(head: bytes) -> str | None:
    """The compression a joblib file uses, judged from its first bytes (4 KiB suffice), or ``None``."""
    if head.startswith(b"ZF"):
        return "zf"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if is_lzma_alone(head):  # legacy .lzma has no magic: a bounded header check plus a trial decode
        return "lzma"
    if len(head) >= 2 and head[0] == 0x78 and (head[0] * 256 + head[1]) % 31 == 0:
        return "zlib"
    return None


class _Chunker:
    """Adapts zlib/bz2/lzma decompressor objects to one ``feed(data, limit)`` call."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._pending = b""
        if kind in {"zlib", "zf"}:
            self._z: zlib._Decompress | None = zlib.decompressobj(15)
        elif kind == "gzip":
            self._z = zlib.decompressobj(31)
        else:
            self._z = None
            self._other: bz2.BZ2Decompressor | lzma.LZMADecompressor = (
                bz2.BZ2Decompressor() if kind == "bz2" else lzma.LZMADecompressor()
            )

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decompress at most ``limit`` bytes of output from ``data`` plus what is pending."""
        if self._z is not None:
            out = self._z.decompress(self._pending + data, limit)
            self._pending = self._z.unconsumed_tail
            return out
        if self._other.eof:
            return b""
        return self._other.decompress(data, limit)

    def needs_input(self) -> bool:
        """Whether the decompressor wants more input before it can produce output."""
        if self._z is not None:
            return not self._pending and not self._z.eof
        return bool(getattr(self._other, "needs_input", True)) and not self._other.eof

    def finished(self) -> bool:
        """Whether the compressed stream ended."""
        return bool(self._z.eof if self._z is not None else self._other.eof)


class BoundedDecompressor(io.RawIOBase):
    """A read-only, non-seekable stream of decompressed bytes with size and ratio limits."""

    def __init__(self, raw: BinaryIO, kind: str, budget: Budget, *, check: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._chunker = _Chunker(kind)
        self._budget = budget
        self._check = check
        self._consumed = 0
        self._produced = 0
        self._eof = False
        if kind == "zf":
            self._consumed += len(raw.read(_ZF_HEADER))

    def readable(self) -> bool:
        """This stream can be read."""
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        """Fill ``buffer`` with decompressed bytes; 0 at the end of the compressed stream."""
        want = len(buffer)
        while not self._eof:
            data = b""
            if self._chunker.needs_input():
                data = self._raw.read(_CHUNK)
                self._consumed += len(data)
                if not data:
                    self._eof = True
            out = self._chunker.feed(data, want)
            if out:
                self._account(len(out))
                buffer[: len(out)] = out
                return len(out)
            if self._chunker.finished():
                self._eof = True
        return 0

    def _account(self, n: int) -> None:
        self._produced += n
        self._budget.check("member_bytes", self._produced, where="decompressed joblib stream")
        if self._produced > _MIN_RATIO_BASE:
            ratio = self._produced / max(self._consumed, 1)
            if ratio > self._budget.max_compression_ratio:
                raise BudgetExceeded(
                    "compression_ratio", self._budget.max_compression_ratio, round(ratio, 1), where="joblib stream"
                )
        if self._check is not None:
            self._check()


def open_decompressed(raw: BinaryIO, kind: str, budget: Budget, check: Callable[[], None] | None = None) -> BinaryIO:
    """A buffered, bounded decompressed view of ``raw`` (positioned at the compressed data)."""
    return io.BufferedReader(BoundedDecompressor(raw, kind, budget, check=check), buffer_size=_CHUNK)

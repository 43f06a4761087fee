"""Bounded extraction of one archive member into a temporary file the walker owns.

Members are copied into a ``SpooledTemporaryFile`` (memory up to ``SPOOL_MEMORY_BYTES``, then an
anonymous temporary file), never to a path of the member's choosing. Limits are checked on every
chunk *actually produced*: declared sizes in archive headers lie, so the compression ratio is the
bytes produced over the compressed bytes the member occupies (or, for single-stream compressors,
the bytes consumed so far).
"""

from __future__ import annotations

import bz2
import io
import lzma
import tempfile
import weakref
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, BinaryIO, Protocol

from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.rules import ARCHIVE_BOMB, ARCHIVE_MEMBER_TOO_LARGE
from mlwarden.core.rules import Rule

__all__ = [
    "CHUNK",
    "ExtractState",
    "LimitHit",
    "SpoolOpener",
    "StreamDecoder",
    "TruncatedStream",
    "check_limits",
    "copy_bounded",
]

CHUNK = 64 * 1024
SPOOL_MEMORY_BYTES = 4 * 1024 * 1024
RATIO_GRACE_BYTES = 1024 * 1024


class LimitHit(Exception):
    """A budget was exceeded while extracting; the archive's remaining members are skipped."""

    def __init__(self, rule: Rule, message: str, key: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.key = key


class TruncatedStream(Exception):
    """A compressed stream ended before its end-of-stream marker."""


@dataclass(slots=True)
class ExtractState:
    """Bytes extracted so far from one file on disk, across every nesting level inside it."""

    budget: Budget
    extracted: int = 0


class SpoolOpener:
    """Opens fresh, independent read-only views on one spooled member; closes the spool when dropped.

    Closing a view never closes the spool, so the engine can hash an artifact and scanners can read
    it again. The spool lives as long as the Artifact that holds this opener.
    """

    def __init__(self, spool: IO[bytes], size: int) -> None:
        self._spool = spool
        self.size = size
        weakref.finalize(self, spool.close)

    def __call__(self) -> BinaryIO:
        return io.BufferedReader(_SpoolView(self._spool, self.size), buffer_size=CHUNK)


class _SpoolView(io.RawIOBase):
    def __init__(self, spool: IO[bytes], size: int) -> None:
        super().__init__()
        self._spool = spool
        self._size = size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self._spool.seek(self._pos)
        data = self._spool.read(min(len(buffer), max(self._size - self._pos, 0)))
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(base + offset, 0)
        return self._pos

    def tell(self) -> int:
        return self._pos


def check_limits(state: ExtractState, produced: int, consumed: int, where: str) -> None:
    """Raise ``LimitHit`` when a member or the whole extraction passes a size or ratio limit."""
    budget = state.budget
    if produced > budget.max_member_bytes:
        raise LimitHit(
            ARCHIVE_MEMBER_TOO_LARGE,
            f"{where} inflates past max_member_bytes ({budget.max_member_bytes})",
            "max_member_bytes",
        )
    if state.extracted > budget.max_total_extracted_bytes:
        raise LimitHit(
            ARCHIVE_MEMBER_TOO_LARGE,
            f"extracting {where} passed max_total_extracted_bytes ({budget.max_total_extracted_bytes})",
            "max_total_extracted_bytes",
        )
    ratio = produced / max(consumed, 1)
    if produced > RATIO_GRACE_BYTES and ratio > budget.max_compression_ratio:
        raise LimitHit(
            ARCHIVE_BOMB,
            f"{where} inflates {ratio:.0f}x (limit {budget.max_compression_ratio:g}x) after {produced} bytes",
            "ratio",
        )


def copy_bounded(
    read: Callable[[int], bytes], consumed: Callable[[], int], state: ExtractState, where: str
) -> SpoolOpener:
    """Copy a member into a spool chunk by chunk, checking every limit after each chunk."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES, mode="w+b")  # noqa: SIM115
    produced = 0
    try:
        while chunk := read(CHUNK):
            produced += len(chunk)
            state.extracted += len(chunk)
            check_limits(state, produced, consumed(), where)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    return SpoolOpener(spool, produced)


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...
    @property
    def unused_data(self) -> bytes: ...
    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


def _new_decompressor(kind: str) -> _Decompressor:
    if kind == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if kind == "bzip2":
        return bz2.BZ2Decompressor()
    if kind == "xz":
        return lzma.LZMADecompressor(lzma.FORMAT_AUTO)
    return zlib.decompressobj()


_STREAM_MAGIC = {"gzip": b"\x1f\x8b", "bzip2": b"BZh", "xz": b"\xfd7zXZ\x00", "zlib": b"\x78"}


class StreamDecoder:
    """Incremental decompression of a (possibly multi-member) gzip, bzip2, xz or zlib stream.

    ``read(n)`` returns at most ``n`` bytes, so output is bounded per call no matter what the input
    claims; ``consumed`` counts compressed bytes taken from the source, for the ratio check.
    """

    def __init__(self, source: BinaryIO, kind: str, *, skip: int = 0) -> None:
        self._source = source
        self._kind = kind
        self._decoder = _new_decompressor(kind)
        self._pending = b""
        self.consumed = 0
        if skip:
            self.consumed += len(source.read(skip))

    def _feed(self) -> bytes:
        data = self._source.read(CHUNK)
        self.consumed += len(data)
        return data

    def _next_member(self) -> bool:
        """At the end of one member, start the next one if more compressed data follows."""
        rest = self._decoder.unused_data + self._feed()
        if not rest.startswith(_STREAM_MAGIC[self._kind]):
            return False
        self._decoder = _new_decompressor(self._kind)
        self._pending = rest
        return True

    def read(self, size: int) -> bytes:
        """Up to ``size`` decompressed bytes; ``b""`` at the end; ``TruncatedStream`` if cut short."""
        while True:
            if self._decoder.eof and not self._next_member():
                return b""
            wants_input = getattr(self._decoder, "needs_input", True)
            data = (self._pending or self._feed()) if wants_input else b""
            out = self._decoder.decompress(data, size)
            self._pending = getattr(self._decoder, "unconsumed_tail", b"")
            if out:
                return out
            if not data and not self._decoder.eof:
                raise TruncatedStream(f"{self._kind} stream ends before its end-of-stream marker")

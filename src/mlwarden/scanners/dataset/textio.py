"""Byte-level helpers shared by the dataset readers: UTF-8 repair, delimiter choice, bounded lines.

Datasets come from many exporters; one stray Latin-1 byte must not make a whole file unreadable, and
a file without a newline must not make us buffer gigabytes. So text goes through ``Utf8Repair``
(invalid sequences become U+FFFD and are counted, with the byte offset of the first one; a file in
Windows-1251, common for Russian exports, or in UTF-16 with a BOM, as Excel's "Unicode text" export
writes, is transcoded) and lines are read with a length limit.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from mlwarden.artifacts.encoding import guess_encoding
from mlwarden.core.errors import ArtifactError

__all__ = ["MalformedData", "Utf8Repair", "bounded_lines", "guess_delimiter", "split_incomplete"]

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_REPLACEMENT = b"\xef\xbf\xbd"


class MalformedData(ArtifactError):
    """The dataset stops making sense at ``row`` (data rows read so far) / ``offset`` (bytes)."""

    def __init__(self, message: str, *, row: int | None = None, offset: int | None = None) -> None:
        super().__init__(message, hint="fix or re-export the file; rows after this point were not read")
        self.row = row
        self.offset = offset


def split_incomplete(data: bytes) -> tuple[bytes, bytes]:
    """``data`` cut before a UTF-8 sequence that the next chunk will complete, and that tail."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 == 0x80:
            continue
        if byte >= 0xC0:
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if back < need:
                return data[:-back], data[-back:]
        break
    return data, b""


class Utf8Repair(io.RawIOBase):
    """A read-only stream of valid UTF-8 over ``raw``: invalid bytes become U+FFFD and are counted.

    The fast path passes valid chunks through untouched; only a chunk that fails strict decoding is
    decoded with replacement and re-encoded. A leading byte-order mark is dropped.
    """

    def __init__(self, raw: BinaryIO, *, chunk_bytes: int = 1 << 20) -> None:
        super().__init__()
        self._raw = raw
        self._chunk = chunk_bytes
        self._tail = b""
        self._buffer = b""
        self._pos = 0
        self._passed = 0
        self._started = False
        self.bytes_read = 0
        self.invalid = 0
        self.first_invalid: int | None = None
        self.quotes = 0
        self.encoding = "utf-8"
        self._utf16: codecs.IncrementalDecoder | None = None

    def readable(self) -> bool:
        """Always true: this is a reader."""
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        """Fill ``buffer`` with repaired bytes; 0 at the end of the stream."""
        while self._pos >= len(self._buffer):
            if not self._refill():
                return 0
        count = min(len(buffer), len(self._buffer) - self._pos)
        buffer[:count] = self._buffer[self._pos : self._pos + count]
        self._pos += count
        return count

    def _refill(self) -> bool:
        chunk = self._raw.read(self._chunk)
        if not chunk and not self._tail:
            return False
        self.bytes_read += len(chunk)
        data = self._tail + chunk
        if not self._started:
            self._started = True
            data = self._detect_encoding(data, more=bool(chunk))
        if self._utf16 is not None:
            self._tail = b""
            self._buffer = self._transcode_utf16(self._utf16, data, final=not chunk)
        else:
            if chunk:
                data, self._tail = split_incomplete(data)
            else:
                self._tail = b""
            self._buffer = self._repair(data)
        self._pos = 0
        self.quotes += self._buffer.count(b'"')  # counted in UTF-8: a UTF-16 code unit may hold a 0x22 byte
        return True

    def _detect_encoding(self, data: bytes, *, more: bool) -> bytes:
        """Drop a byte-order mark and choose the transcoding from the first chunk."""
        if data.startswith(_BOM):
            self._passed += 3
            return data[3:]
        encoding = _UTF16_BOMS.get(data[:2])
        if encoding is not None:
            self.encoding = encoding
            self._utf16 = codecs.getincrementaldecoder(encoding)("replace")
            self._passed += 2
            return data[2:]
        if guess_encoding(data, truncated=more) == "cp1251":
            self.encoding = "cp1251"
        return data

    def _transcode_utf16(self, decoder: codecs.IncrementalDecoder, data: bytes, *, final: bool) -> bytes:
        start = self._passed
        self._passed += len(data)
        text = decoder.decode(data, final=final)
        bad = text.count("\ufffd")
        if bad:
            self.invalid += bad
            if self.first_invalid is None:
                self.first_invalid = start
        return text.encode("utf-8")

    def _repair(self, data: bytes) -> bytes:
        start = self._passed
        self._passed += len(data)
        if self.encoding == "cp1251":  # a single-byte legacy encoding: transcode, nothing is invalid
            return data.decode("cp1251", "replace").encode("utf-8")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.first_invalid is None:
                self.first_invalid = start + exc.start
            text = data.decode("utf-8", "replace")
            self.invalid += text.count("\ufffd") - data.count(_REPLACEMENT)
            return text.encode("utf-8")
        return data


def bounded_lines(text: io.TextIOBase, *, limit: int) -> Iterator[str]:
    """Lines of ``text`` (newlines kept); a line longer than ``limit`` characters is ``MalformedData``."""
    number = 0
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(("\n", "\r")):
            raise MalformedData(f"line {number} is longer than {limit:,} characters", row=number)
        yield line


def guess_delimiter(head: str, *, tab: bool) -> str:
    """The delimiter of a delimited text head: tab for TSV, else the one giving a constant width."""
    if tab:
        return "\t"
    lines = head.splitlines(keepends=True)
    if len(lines) > 1:
        lines = lines[:-1]
    sample = "".join(lines[:200])
    for delimiter in (",", ";", "|"):
        try:
            widths = {len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() > 1:
            return delimiter
    return ","

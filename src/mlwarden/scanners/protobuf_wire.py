"""A minimal, bounded protobuf wire-format reader shared by the ONNX and TensorFlow scanners.

We read ONNX ``ModelProto`` and TensorFlow ``SavedModel`` files without importing onnx,
tensorflow or protobuf: only the fields a check needs are decoded, and everything else is skipped
by offset. Large payloads (raw tensor data) are never read, because the reader works over a
seekable stream through a small window, so memory stays flat however big the model is.

Every varint is at most 10 bytes, every length must fit inside its enclosing message, groups
(wire types 3 and 4, unused by both formats) are refused, and the caller bounds nesting depth
with ``MAX_DEPTH`` (protobuf's own default recursion limit is 100).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from mlwarden.artifacts.limits import Deadline
from mlwarden.scanners.structured import MalformedError

__all__ = ["FIXED32", "FIXED64", "LEN", "MAX_DEPTH", "VARINT", "Field", "WireReader", "as_signed"]

VARINT, FIXED64, LEN, FIXED32 = 0, 1, 2, 5
MAX_DEPTH = 100
_WINDOW = 1 << 16
_MAX_FIELD_NUMBER = (1 << 29) - 1


@dataclass(frozen=True, slots=True)
class Field:
    """One field: for LEN fields ``value`` is the payload length and ``offset`` its first byte."""

    number: int
    wire_type: int
    value: int
    offset: int

    @property
    def end(self) -> int:
        """One past the last payload byte of a LEN field."""
        return self.offset + self.value if self.wire_type == LEN else self.offset


class WireReader:
    """Decodes fields of a protobuf message held in a seekable stream, without reading payloads."""

    def __init__(self, stream: BinaryIO, size: int, *, deadline: Deadline | None = None) -> None:
        self._stream = stream
        self.size = size
        self._deadline = deadline
        self._buf = b""
        self._start = 0
        self._steps = 0

    def _window(self, pos: int, need: int) -> bytes:
        """At least ``need`` bytes from ``pos`` (fewer at end of file)."""
        rel = pos - self._start
        if rel < 0 or rel + need > len(self._buf):
            self._stream.seek(pos)
            self._buf = self._stream.read(max(need, _WINDOW))
            self._start = pos
            rel = 0
        return self._buf[rel : rel + need]

    def varint(self, pos: int, end: int) -> tuple[int, int]:
        """Decode a varint at ``pos`` that must end before ``end``; return (value, next position)."""
        data = self._window(pos, min(10, end - pos))
        value = 0
        for index, byte in enumerate(data):
            value |= (byte & 0x7F) << (7 * index)
            if byte < 0x80:
                return value, pos + index + 1
        if len(data) >= 10:
            raise MalformedError("varint longer than 10 bytes", pos)
        raise MalformedError("truncated varint", pos)

    def fields(self, start: int, end: int) -> Iterator[Field]:
        """Every field of the message occupying ``[start, end)``, in file order."""
        if end > self.size:
            raise MalformedError(f"message ends at {end}, past the end of the {self.size}-byte file", start)
        pos = start
        while pos < end:
            self._steps += 1
            if self._deadline is not None and self._steps % 4096 == 0:
                self._deadline.check("protobuf fields")
            key, pos_after_key = self.varint(pos, end)
            number, wire_type = key >> 3, key & 7
            if not 0 < number <= _MAX_FIELD_NUMBER:
                raise MalformedError(f"invalid field number {number}", pos)
            field, pos = self._value(number, wire_type, pos_after_key, end)
            yield field

    def _value(self, number: int, wire_type: int, pos: int, end: int) -> tuple[Field, int]:
        if wire_type == VARINT:
            value, after = self.varint(pos, end)
            return Field(number, wire_type, value, pos), after
        if wire_type in (FIXED64, FIXED32):
            width = 8 if wire_type == FIXED64 else 4
            if pos + width > end:
                raise MalformedError(f"fixed-width field {number} runs past its message", pos)
            raw = self._window(pos, width)
            return Field(number, wire_type, int.from_bytes(raw, "little"), pos), pos + width
        if wire_type == LEN:
            length, payload = self.varint(pos, end)
            if payload + length > end:
                raise MalformedError(f"field {number} declares {length} bytes, more than its message holds", pos)
            return Field(number, wire_type, length, payload), payload + length
        raise MalformedError(f"unsupported wire type {wire_type} for field {number}", pos)

    def read(self, field: Field, limit: int) -> bytes:
        """Up to ``limit`` bytes of a LEN field's payload (never more: payloads may be huge)."""
        if field.wire_type != LEN:
            return b""
        count = min(field.value, limit)
        if count <= _WINDOW:
            return self._window(field.offset, count)
        self._stream.seek(field.offset)
        return self._stream.read(count)

    def text(self, field: Field, limit: int = 4096) -> str:
        """A string field decoded as UTF-8 (invalid bytes replaced), at most ``limit`` bytes."""
        return self.read(field, limit).decode("utf-8", "replace")

    def ints(self, field: Field, *, max_count: int = 64) -> list[int]:
        """Integers of a repeated int field, unpacked (VARINT) or packed (LEN); at most ``max_count``."""
        if field.wire_type == VARINT:
            return [field.value]
        if field.wire_type != LEN:
            return []
        values: list[int] = []
        pos = field.offset
        while pos < field.end and len(values) < max_count:
            value, pos = self.varint(pos, field.end)
            values.append(value)
        return values


def as_signed(value: int) -> int:
    """Reinterpret a decoded varint as a two's-complement int64 (negative int64s use 10 bytes)."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value

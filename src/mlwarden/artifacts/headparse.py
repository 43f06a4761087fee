"""Bounded, non-executing structure checks on the first bytes of a file: pickle opcodes and protobuf fields.

Both formats lack a reliable magic number (protocol 0/1 pickles are ASCII; protobuf has none), so
``sniff`` asks whether the head *parses* as the format. Nothing here builds an object: the pickle
check walks ``pickletools``' opcode table and simulates only the stack depth; the protobuf check
reads tags and lengths.
"""

from __future__ import annotations

import io
import pickletools
import warnings
from dataclasses import dataclass

__all__ = ["PickleHead", "ProtoField", "parse_pickle_head", "parse_proto_fields"]

_MAX_OPCODES = 512
_MARK = True
_ITEM = False
_PICKLE_ERRORS = (ValueError, OverflowError, EOFError, IndexError, MemoryError)


@dataclass(frozen=True, slots=True)
class PickleHead:
    """What the first opcodes of a would-be pickle look like.

    ``valid`` is False as soon as an opcode is unknown, its argument is malformed or the stack
    simulation underflows. ``complete`` means a STOP was reached with one object on the stack;
    ``cut`` means the head ended (or the opcode cap was hit) while everything so far was valid.
    ``first_arg`` is the argument of the first opcode after PROTO/FRAME (for PyTorch's legacy magic).
    """

    valid: bool
    complete: bool
    cut: bool
    opcodes: int
    protocol: int | None
    first_name: str | None
    first_arg: object


class _Exhausted(Exception):
    """The head ended in the middle of an opcode: not an error, just the end of what we read."""


class _HeadStream(io.BytesIO):
    """A stream that raises ``_Exhausted`` instead of returning short data, so a cut is told from junk."""

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        if size is not None and size > 0 and len(data) < size:
            raise _Exhausted
        return data

    def readline(self, size: int | None = -1, /) -> bytes:
        line = super().readline(size)
        if not line.endswith(b"\n"):
            raise _Exhausted
        return line


def _pop_to_mark(stack: list[bool]) -> bool:
    while stack:
        if stack.pop() is _MARK:
            return True
    return False


def _apply(op: pickletools.OpcodeInfo, stack: list[bool]) -> bool:
    """Apply one opcode's stack effect; False on underflow or a misplaced mark."""
    before = op.stack_before
    if pickletools.markobject in before:
        if not _pop_to_mark(stack):
            return False
        plain = before.index(pickletools.markobject)
    else:
        plain = len(before)
    for _ in range(plain):
        if not stack or (stack.pop() is _MARK and op.name != "POP"):
            return False
    stack.extend(_MARK if item is pickletools.markobject else _ITEM for item in op.stack_after)
    return True


def parse_pickle_head(head: bytes) -> PickleHead:
    """Walk at most a few hundred opcodes of ``head`` without executing anything."""
    with warnings.catch_warnings():
        # STRING arguments go through codecs.escape_decode, which warns on the bad escapes of junk input.
        warnings.simplefilter("ignore", DeprecationWarning)
        return _walk_opcodes(head)


def _walk_opcodes(head: bytes) -> PickleHead:
    stack: list[bool] = []
    count = 0
    protocol: int | None = None
    first: tuple[str | None, object] = (None, None)
    valid, complete, cut = True, False, True
    try:
        for op, arg, _pos in pickletools.genops(_HeadStream(head)):
            count += 1
            if op.name == "PROTO" and count == 1:
                protocol = arg if isinstance(arg, int) else None
            elif first[0] is None and op.name != "FRAME":
                first = (op.name, arg)
            if not _apply(op, stack):
                valid, cut = False, False
                break
            if op.name == "STOP":
                valid = complete = not stack
                cut = False
                break
            if count >= _MAX_OPCODES:
                break
    except _Exhausted:
        pass
    except _PICKLE_ERRORS:
        valid, cut = False, False
    return PickleHead(valid, complete, cut, count, protocol, first[0], first[1])


@dataclass(frozen=True, slots=True)
class ProtoField:
    """One top-level protobuf field: number, wire type and the varint value or payload length."""

    number: int
    wire_type: int
    value: int


def _varint(data: bytes, pos: int) -> tuple[int, int] | None:
    result = 0
    for shift in range(0, 70, 7):
        if pos >= len(data):
            return None
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
    return None


def _field(data: bytes, pos: int) -> tuple[ProtoField, int] | None:
    """Parse one field at ``pos``; the end position may lie beyond ``data`` for a cut-off payload."""
    key = _varint(data, pos)
    if key is None or key[0] >> 3 == 0:
        return None
    number, wire_type, pos = key[0] >> 3, key[0] & 7, key[1]
    if wire_type in (0, 2):
        value = _varint(data, pos)
        if value is None:
            return None
        end = value[1] + (value[0] if wire_type == 2 else 0)
        return ProtoField(number, wire_type, value[0]), end
    if wire_type in (1, 5):
        width = 8 if wire_type == 1 else 4
        return ProtoField(number, wire_type, width), pos + width
    return None


def parse_proto_fields(head: bytes, *, truncated: bool, limit: int = 256) -> list[ProtoField] | None:
    """The top-level fields of a protobuf message, or None when ``head`` is not one.

    When ``truncated`` (the file goes on past ``head``) the last field may run off the end.
    """
    fields: list[ProtoField] = []
    pos = 0
    while pos < len(head) and len(fields) < limit:
        parsed = _field(head, pos)
        if parsed is None:
            return fields if truncated and fields and len(head) - pos < 16 else None
        fields.append(parsed[0])
        pos = parsed[1]
        if pos > len(head) and not truncated:
            return None
    return fields or None

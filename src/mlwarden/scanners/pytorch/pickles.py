"""Pickle framing for containers: where a pickle ends, whether bytes look like one, and the scan hook.

Container formats interleave pickles with raw bytes (torch's legacy format writes five pickles and
then raw storages; a tensor record may hide a pickle). To scan exactly the pickles a loader would
unpickle, and not raw tensor bytes, we need each pickle's extent. This walks opcodes with the pickle
scanner's bounded tokenizer (it never unpickles) and keeps a few facts the containers need: the
globals named and the short strings, in order.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from mlwarden.artifacts.artifact import Artifact
from mlwarden.core.findings import Finding
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pickle.opcodes import CODE, ParseError, Source, Truncated, next_op

__all__ = ["Frame", "looks_like_pickle", "read_frame", "scan_pickles"]

_STOP = CODE["STOP"]
_GLOBAL = CODE["GLOBAL"]
_INST = CODE["INST"]
_STACK_GLOBAL = CODE["STACK_GLOBAL"]
_PROTO = CODE["PROTO"]
_PUTS = frozenset({CODE["PUT"], CODE["BINPUT"], CODE["LONG_BINPUT"]})
_GETS = frozenset({CODE["GET"], CODE["BINGET"], CODE["LONG_BINGET"]})
_MEMOIZE = CODE["MEMOIZE"]
_MAX_EVENTS = 1_000_000
_TEXT_HEAD_OPS = 8


@dataclass(slots=True)
class Frame:
    """One pickle's extent in a stream and what it names; ``error`` is set when it is not a valid pickle."""

    start: int
    end: int
    complete: bool = False
    ops: int = 0
    error: str | None = None
    truncated: bool = False
    globals: list[str] = field(default_factory=list)
    events: list[tuple[str, object]] = field(default_factory=list)
    memo: dict[int, str] = field(default_factory=dict)
    memo_len: int = 0
    last_global: str | None = None


def read_frame(stream: BinaryIO, start: int, *, end: int | None = None, max_ops: int = 50_000_000) -> Frame:
    """Walk one pickle from ``start`` to its STOP opcode (or to the first invalid byte, or ``end``).

    ``events`` records ("global", "module.name"), ("str", text) and ("int", value) in order, so a
    caller can pair a storage type with the key that follows it.
    """
    stream.seek(start)
    src = Source(stream, end=end)
    frame = Frame(start=start, end=start)
    recent: list[str] = []
    try:
        while frame.ops < max_ops:
            code, arg, _ = next_op(src)
            frame.ops += 1
            _note(frame, code, arg, recent)
            if code == _STOP:
                frame.complete = True
                break
    except Truncated as exc:
        frame.error, frame.truncated = exc.message, True
    except ParseError as exc:
        frame.error = exc.message
    frame.end = src.pos
    return frame


def _note(frame: Frame, code: int, arg: object, recent: list[str]) -> None:
    """Record globals (also when re-read from the memo), strings and integers, in order."""
    name: str | None = None
    if code in (_GLOBAL, _INST) and isinstance(arg, tuple):
        name = f"{arg[0]}.{arg[1]}"
    elif code == _STACK_GLOBAL and len(recent) >= 2:
        name = f"{recent[-2]}.{recent[-1]}"
    elif code in _GETS and isinstance(arg, int):
        name = frame.memo.get(arg)
    elif code in _PUTS or code == _MEMOIZE:
        _memoize(frame, arg)
        return
    frame.last_global = name
    if len(frame.events) >= _MAX_EVENTS:
        return
    if name is not None:
        if len(frame.globals) < 64:
            frame.globals.append(name)
        frame.events.append(("global", name))
    elif isinstance(arg, str) and code != _PROTO:
        recent[:] = [*recent[-1:], arg]
        frame.events.append(("str", arg))
    elif isinstance(arg, int) and not isinstance(arg, bool) and code != _PROTO:
        frame.events.append(("int", arg))


def _memoize(frame: Frame, arg: object) -> None:
    index = arg if isinstance(arg, int) else frame.memo_len
    frame.memo_len = max(frame.memo_len, index + 1)
    if frame.last_global is not None and len(frame.memo) < _MAX_EVENTS:
        frame.memo[index] = frame.last_global
    frame.last_global = None


def looks_like_pickle(head: bytes, *, whole: bool) -> bool:
    """Whether ``head`` (the first bytes of a member; all of it when ``whole``) starts a pickle.

    Protocol 2+ pickles start with PROTO; protocol 0/1 pickles are text-like, so for them the head
    must tokenise cleanly: to a STOP when it is the whole member, or for the whole head otherwise.
    Text such as ``little`` or ``3\\n`` fails on its first bytes.
    """
    if len(head) >= 2 and head[0] == _PROTO and 2 <= head[1] <= 5:
        return True
    if not head:
        return False
    frame = read_frame(io.BytesIO(head), 0, max_ops=100_000)
    if frame.complete:
        return frame.ops >= 2
    return not whole and frame.truncated and frame.ops >= _TEXT_HEAD_OPS


def scan_pickles(  # noqa: PLR0913 - mirrors the pickle scanner's keyword-only contract
    stream: BinaryIO,
    *,
    artifact: Artifact,
    ctx: ScanContext,
    member: str | None,
    scanner: str,
    version: int,
    base_offset: int = 0,
) -> Iterator[Finding]:
    """Run the pickle scanner's analysis over every pickle in ``stream`` from its position to EOF."""
    from mlwarden.scanners.pickle.analysis import scan_pickle_stream

    yield from scan_pickle_stream(
        stream,
        artifact=artifact,
        ctx=ctx,
        member=member,
        base_offset=base_offset,
        scanner_name=scanner,
        scanner_version=version,
    )

"""Step over inert batches of a data pickle at regex speed, and re-read them exactly when needed.

The symbolic machine costs microseconds per opcode, so a 300 MB pickle of small records (over 100
million opcodes) took minutes. Almost all of such a file is ``MARK item* APPENDS`` batches whose
items are plain data (see :mod:`grammar`): they cannot import, call or hide a nested pickle, cannot
break the stack, and leave the machine's stack exactly as it was. :class:`FastPath` matches such a
batch with one ``re`` call and applies its only lasting effect -- the memo slots its ``MEMOIZE``
opcodes define -- without materialising the values.

Those values are still available exactly: a later ``GET`` of a skipped slot re-reads the batch's bytes
(seekable streams only) and replays them through a real :class:`Machine`, so an import whose module
name was memoised inside a skipped batch resolves as it would without the fast path.

Preconditions, checked before every batch (anything else takes the ordinary path):

* the stack top is a list (for APPENDS) or dict (for SETITEMS) that already holds ``MAX_ITEMS``
  tracked items, so what evidence renders from it is unchanged;
* every one-byte memo index is defined and none holds an import or call (``Memo.low_import``), so a
  ``BINGET`` inside a batch pushes plain data and needs no reference counting;
* memo indices are dense (``MEMOIZE`` assigns ``len(memo)``), so the slots a batch defines are known.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass
from typing import Final

from mlwarden.scanners.pickle.grammar import grammar
from mlwarden.scanners.pickle.nested import shrink
from mlwarden.scanners.pickle.opcodes import CODE, Blob, ParseError, Source, next_op
from mlwarden.scanners.pickle.symbolic import Machine
from mlwarden.scanners.pickle.values import MAX_ITEMS, OPAQUE, Call, Container, Global, Memo

__all__ = ["MARK_BYTE", "MEMO_CODES", "FastPath"]

MARK_BYTE: Final = CODE["MARK"]
# Opcodes that read or define memo slots: deferred MEMOIZE counts must be settled before them.
MEMO_CODES: Final = frozenset(
    CODE[name] for name in ("GET", "BINGET", "LONG_BINGET", "PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE")
)
_LOW_SLOTS: Final = 256
_WINDOW: Final = 1 << 20  # bytes made available before a batch is matched (pickle batches are ~100 KB)
_CACHE: Final = 8  # replayed batches kept
_MAX_REPLAYS: Final = 512  # after this many replays new batches are no longer skipped


@dataclass(frozen=True, slots=True)
class _Batch:
    memo_start: int
    memo_end: int
    file_offset: int
    length: int
    kind: str  # "list" or "dict": the target the batch extends


class _ReplaySink:
    """A sink for replays: batches hold only plain data, so there is nothing to report."""

    def imported(self, glob: Global) -> None:
        """Unreachable for a matched batch."""

    def called(self, call: Call, via: str) -> object | None:
        """Unreachable for a matched batch."""
        return None

    def referenced(self, glob: Global) -> None:
        """Unreachable for a matched batch."""

    def built(self, target: object, state: object, offset: int) -> None:
        """Unreachable for a matched batch."""

    def data(self, value: str | bytes | Blob, offset: int) -> object:
        """Literals as the analysis pushes them (a matched batch holds no embedded pickle)."""
        return shrink(value, offset)

    def issue(self, kind: str, message: str, offset: int) -> None:
        """Unreachable for a matched batch."""


class FastPath:
    """Batch skipping for one pickle: call :meth:`batch` when the next opcode is a MARK."""

    def __init__(self, src: Source, memo: Memo) -> None:
        self.src = src
        self.memo = memo
        self.grammar = grammar()
        self.batches: list[_Batch] = []
        self.starts: list[int] = []
        self.cache: dict[int, dict[int, object]] = {}
        self.replays = 0
        self.skipped = 0
        self.pending: list[tuple[int, int, str]] = []  # (file offset, length, target kind) not yet counted
        self.started = False

    def batch(self, machine: Machine) -> bool:
        """Step over the batch starting at the current MARK if it is inert; False leaves the source alone."""
        memo = self.memo
        if memo.dense < _LOW_SLOTS or memo.low_import or memo.sparse or memo.sparse_overflow:
            return False
        if self.started and memo.lazy is None:  # too many overwritten slots to track: the exact path only
            return False
        if not machine.stack or self.replays > _MAX_REPLAYS:
            return False
        target = machine.stack[-1]
        if type(target) is not Container or len(target.items) < MAX_ITEMS:
            return False
        if target.kind == "list":
            pattern = self.grammar.appends
        elif target.kind == "dict":
            pattern = self.grammar.setitems
        else:
            return False
        src = self.src
        src.fill(_WINDOW)
        found = pattern.match(src.buf, src.i)
        if found is None:
            return False
        end = found.end()
        if not self.started:
            self.started = True
            memo.lazy = self.resolve
        self.pending.append((src.file_pos, end - src.i, target.kind))
        target.count += 1  # at least one more item; the exact number is not needed
        src.i = end
        self.skipped += 1
        return True

    def settle(self) -> None:
        """Count the MEMOIZE opcodes of the batches stepped over since the last memo operation.

        Deferred because consecutive batches (most of a data pickle) need no memo index until a later
        opcode uses the memo; the count re-reads each batch's bytes (from the page cache).
        """
        memo = self.memo
        for file_offset, length, kind in self.pending:
            try:
                raw = self.src.read_at(file_offset, length)
            except (OSError, ValueError):
                raw = b""
            count = self.grammar.count_memoize(memoryview(raw)) if len(raw) == length else -1
            if count < 0:  # cannot re-read: later memo indices would be guesses, so stop trusting skipped slots
                memo.lazy = None
                count = 0
            self.batches.append(_Batch(memo.dense, memo.dense + count, file_offset, length, kind))
            self.starts.append(memo.dense)
            memo.skip(count)
        self.pending.clear()

    def resolve(self, index: int) -> object | None:
        """The value of a skipped memo slot (replaying its batch), or None when no batch defined it."""
        self.settle()
        at = bisect.bisect_right(self.starts, index) - 1
        if at < 0 or index >= self.batches[at].memo_end:
            return None
        values = self.cache.get(at)
        if values is None:
            values = self._replay(self.batches[at])
            if len(self.cache) >= _CACHE:
                self.cache.pop(next(iter(self.cache)))
            self.cache[at] = values
        return values.get(index, OPAQUE)

    def _replay(self, batch: _Batch) -> dict[int, object]:
        self.replays += 1
        try:
            raw = self.src.read_at(batch.file_offset, batch.length)
        except (OSError, ValueError):
            return {}
        memo = Memo()
        memo.parent, memo.base = self.memo, batch.memo_start
        memo.dense = memo.size = batch.memo_start
        machine = Machine(_ReplaySink(), memo=memo)
        machine.stack.append(Container(batch.kind))
        src = Source(io.BytesIO(raw))
        try:
            while not src.peek_eof():
                code, arg, pos = next_op(src)
                machine.step(code, arg, pos)
        except (ParseError, RecursionError, MemoryError):
            return {}
        return memo.kept

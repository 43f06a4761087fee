"""Symbolic values for the pickle stack machine, a bounded memo, and evidence rendering.

Values are deliberately cheap: plain ``str``/``bytes``/``int`` for short literals, a :class:`Blob`
for long ones, and small objects for imports, calls and containers that keep at most
``MAX_ITEMS`` items. Nothing here ever imports or calls what a pickle names.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from mlwarden.scanners.pickle.opcodes import Blob

__all__ = [
    "MAX_ITEMS",
    "OPAQUE",
    "Call",
    "Container",
    "Global",
    "Memo",
    "Nested",
    "Opaque",
    "PersId",
    "mask",
    "render",
]

MAX_ITEMS: Final = 16
_LOW_SLOTS: Final = 256  # BINGET's one-byte index range
_EVIDENCE_CHARS: Final = 200


class Opaque:
    """A value we do not track (an out-of-band buffer, an evicted memo entry, ...)."""

    __slots__ = ("why",)

    def __init__(self, why: str = "") -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.why or 'unknown'}>"


OPAQUE: Final = Opaque()


@dataclass(slots=True, eq=False)
class Global:
    """An imported object: ``module`` and ``name`` as the loader would pass them to ``find_class``."""

    module: str
    name: str
    offset: int
    via: str  # GLOBAL, STACK_GLOBAL, INST, EXT1, getattr, ...
    key: str = ""  # the judged, normalised path (set by the analysis when it judges the import)

    @property
    def qualname(self) -> str:
        """``module.name``."""
        return f"{self.module}.{self.name}"


@dataclass(slots=True, eq=False)
class Call:
    """The result of calling ``func`` with ``args`` (REDUCE, NEWOBJ, INST, OBJ)."""

    func: object
    args: object
    offset: int
    state: object = None  # what BUILD set on the result, if anything


@dataclass(slots=True, eq=False)
class Nested:
    """A string or bytes literal that is itself a pickle, already scanned on its own.

    ``clean`` means the embedded stream was parsed completely to its final STOP and imported nothing
    that is not allowlisted; ``value`` is the literal (a :class:`Blob` when long).
    """

    value: object
    clean: bool


@dataclass(slots=True, eq=False)
class PersId:
    """A persistent id (torch uses them for storages); resolved by the loader, not an import."""

    pid: object


@dataclass(slots=True, eq=False)
class Container:
    """A list, tuple, dict, set or frozenset; only the first ``MAX_ITEMS`` items are kept."""

    kind: str
    items: list[object] = field(default_factory=list)
    count: int = 0

    def add(self, value: object) -> None:
        """Append one item (dict items are appended as ``(key, value)`` tuples)."""
        self.count += 1
        if len(self.items) < MAX_ITEMS:
            self.items.append(value)

    def extend(self, values: list[object]) -> None:
        """Append many items."""
        self.count += len(values)
        room = MAX_ITEMS - len(self.items)
        if room > 0:
            self.items.extend(values[:room])


# Values a memo slot may hold without affecting what the machine reports when a GET pushes them.
_PLAIN: Final = (str, bytes, int, float, type(None), Container, Blob)


def tuple_of(values: list[object]) -> Container:
    """A tuple container over ``values``."""
    box = Container("tuple")
    box.extend(values)
    return box


class Memo:
    """The pickle memo, bounded so that memory stays flat on pickles with millions of entries.

    Values are kept in ``kept`` until ``capacity`` entries; after that only the last ``window``
    entries are kept, and entries a STACK_GLOBAL consumes are promoted (``pin``) so that a late
    new global still resolves. Which indices were ever defined is tracked densely (loaders assign
    ``len(memo)``) with a bounded sparse overflow set, so a GET of an index never PUT is detected.
    """

    def __init__(self, capacity: int = 200_000, window: int = 4096, sparse_cap: int = 100_000) -> None:
        self.kept: dict[int, object] = {}
        self.capacity = capacity
        self.recent: dict[int, object] = {}
        self.order: deque[int] = deque()
        self.window = window
        self.dense = 0
        self.sparse: set[int] = set()
        self.sparse_cap = sparse_cap
        self.sparse_overflow = False
        self.size = 0
        # Set once a one-byte-index slot (0-255) holds anything but plain data: a batch the fast path steps
        # over may BINGET those slots, and pushing an import must stay visible to the machine.
        self.low_import = False
        # Slots defined by batches the fast path stepped over: ``lazy(index)`` re-reads one on demand.
        self.lazy: Callable[[int], object | None] | None = None
        self.shadowed: set[int] = set()  # skipped slots later overwritten by PUT
        self.parent: Memo | None = None  # a replay reads slots below ``base`` (defined before its batch) here
        self.base = 0

    def put(self, index: int, value: object) -> None:
        """Store ``value`` at ``index`` (keeping it only if the budget allows)."""
        if self.lazy is not None and index < self.dense:
            self.shadowed.add(index)  # a skipped slot overwritten: never re-read it from its batch
            if len(self.shadowed) > self.sparse_cap:
                self.lazy = None  # too many to track: skipped slots become opaque
        self._define(index)
        if index < _LOW_SLOTS and not isinstance(value, _PLAIN):
            self.low_import = True
        if index in self.kept or len(self.kept) < self.capacity:
            self.kept[index] = value
            return
        if index not in self.recent:
            self.order.append(index)
        self.recent[index] = value
        while len(self.order) > self.window:
            self.recent.pop(self.order.popleft(), None)

    def _define(self, index: int) -> None:
        if index == self.dense:
            self.dense += 1
            self.size += 1
            while self.sparse and self.dense in self.sparse:
                self.sparse.discard(self.dense)
                self.dense += 1
        elif index > self.dense and index not in self.sparse:
            self.size += 1
            if len(self.sparse) < self.sparse_cap:
                self.sparse.add(index)
            else:
                self.sparse_overflow = True

    def defined(self, index: int) -> bool:
        """Whether ``index`` was ever PUT (true when tracking overflowed, to avoid false alarms)."""
        return index < self.dense or index in self.sparse or self.sparse_overflow

    def get(self, index: int) -> object | None:
        """The stored value, ``OPAQUE`` if defined but not kept, ``None`` if never defined."""
        if index in self.kept:
            return self.kept[index]
        if index in self.recent:
            return self.recent[index]
        if self.parent is not None and index < self.base:
            return self.parent.get(index)
        if self.lazy is not None and index not in self.shadowed:
            value = self.lazy(index)
            if value is not None:
                return value
        return OPAQUE if self.defined(index) else None

    def skip(self, count: int) -> None:
        """Define ``count`` slots after the dense ones without their values (a stepped-over batch)."""
        self.dense += count
        self.size += count

    def pin_recent(self, values: tuple[object, ...]) -> None:
        """Promote the most recent entries holding any of ``values`` so they survive eviction."""
        for index in list(self.order)[-8:]:
            if any(self.recent.get(index) is v for v in values):
                self.kept[index] = self.recent[index]


_SECRET_KV = re.compile(
    r"(?i)(pass(?:word|wd)?|token|secret|api[_-]?key|auth(?:orization)?|bearer|private[_-]?key)"
    r"(\s*[=:]\s*|\s+)([^\s'\"&;|]{4,})"
)
_URL_CRED = re.compile(r"(://[^/\s:@]{1,64}:)([^@\s/]{1,128})(@)")
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/_\-]{32,}")


def mask(text: str) -> str:
    """Mask what looks secret in evidence: key=value secrets, URL passwords, long random tokens."""
    text = _SECRET_KV.sub(lambda m: f"{m.group(1)}{m.group(2)}****", text)
    text = _URL_CRED.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LONG_TOKEN.sub(lambda m: m.group(0)[:4] + "****" + m.group(0)[-2:], text)


def render(value: object, depth: int = 0) -> str:
    """A short, Python-like rendering of a symbolic value for evidence (not yet masked)."""
    if depth > 4:
        return "…"
    text = _render(value, depth)
    return text if len(text) <= _EVIDENCE_CHARS else text[: _EVIDENCE_CHARS - 1] + "…"


def _render(value: object, depth: int) -> str:
    if isinstance(value, Global):
        return value.qualname
    if isinstance(value, Call):
        return f"{render(value.func, depth + 1)}({_render_args(value.args, depth)})"
    if isinstance(value, Container):
        return _render_container(value, depth)
    if isinstance(value, Blob):
        return f"<{value.kind} of {value.length} bytes starting {value.prefix[:24]!r}>"
    if isinstance(value, PersId):
        return f"persistent_id({render(value.pid, depth + 1)})"
    if isinstance(value, Nested):
        return f"<pickle {render(value.value, depth + 1)}>"
    if isinstance(value, str | bytes | bytearray):
        return repr(value[:120]) + ("…" if len(value) > 120 else "")
    return repr(value)


def _render_args(args: object, depth: int) -> str:
    if isinstance(args, Container) and args.kind == "tuple":
        inner = ", ".join(render(v, depth + 1) for v in args.items)
        return inner + (", …" if args.count > len(args.items) else "")
    return "*" + render(args, depth + 1)


def _render_container(box: Container, depth: int) -> str:
    more = ", …" if box.count > len(box.items) else ""
    if box.kind == "dict":
        parts = []
        for item in box.items:
            key, val = item if isinstance(item, tuple) else (item, OPAQUE)
            parts.append(f"{render(key, depth + 1)}: {render(val, depth + 1)}")
        return "{" + ", ".join(parts) + more + "}"
    inner = ", ".join(render(v, depth + 1) for v in box.items) + more
    if box.kind == "tuple":
        return f"({inner},)" if box.count == 1 else f"({inner})"
    return f"{box.kind}([{inner}])" if box.kind in {"set", "frozenset"} else f"[{inner}]"

"""A symbolic pickle stack machine: it follows the loader's stack, mark stack and memo without
importing or calling anything, so that every callable a loader would import is resolved, even when
its module and name come through the memo (``STACK_GLOBAL`` after ``BINGET``), ``INST``/``OBJ`` or
the extension registry (``EXT1/2/4``).

Handlers are dispatched through a 256-entry table keyed by opcode byte. The machine reports what it
sees to a :class:`Sink`; it never decides severity (that is ``rules.py`` and ``analysis.py``).
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable
from typing import Protocol

from mlwarden.scanners.pickle.opcodes import CODE, Blob, ParseError
from mlwarden.scanners.pickle.values import OPAQUE, Call, Container, Global, Memo, Opaque, PersId, tuple_of

__all__ = ["Machine", "Sink"]

Handler = Callable[[object, int], None]


class Sink(Protocol):
    """Receives what the machine observes."""

    def imported(self, glob: Global) -> None:
        """A global was imported (GLOBAL, STACK_GLOBAL, INST, EXT)."""

    def called(self, call: Call, via: str) -> object | None:
        """Something was called (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ); a non-None return replaces the result."""

    def referenced(self, glob: Global) -> None:
        """An imported global was pushed again (GET from the memo, DUP)."""

    def built(self, target: object, state: object, offset: int) -> None:
        """BUILD set ``state`` on ``target``."""

    def data(self, value: str | bytes | Blob, offset: int) -> object:
        """A string or bytes literal was read; return what to push (nested-pickle sniffing may wrap it)."""

    def issue(self, kind: str, message: str, offset: int) -> None:
        """The structure is odd in a way a loader would reject or a producer would not write."""


def _ext_registry_lookup(code: int) -> tuple[str, str] | None:
    # NOTE: read-only lookup in the stdlib registry (code -> (module, name)); a loader may have more registrations.
    entry = copyreg._inverted_registry.get(code)  # type: ignore[attr-defined]
    if isinstance(entry, tuple) and len(entry) == 2:
        return str(entry[0]), str(entry[1])
    return None


class Machine:
    """One pickle's symbolic state; ``step`` is called once per opcode by the analysis loop."""

    def __init__(
        self, sink: Sink, *, memo: Memo | None = None, extensions: dict[int, tuple[str, str]] | None = None
    ) -> None:
        self.sink = sink
        self.stack: list[object] = []
        self.metastack: list[list[object]] = []
        self.memo = memo if memo is not None else Memo()
        self.protocol = 0
        self.result: object = None
        self.stopped = False
        # copyreg.add_extension calls seen so far; shared by the pickles of one stream like the process registry.
        self.extensions: dict[int, tuple[str, str]] = {} if extensions is None else extensions
        self.handlers: list[Handler | None] = [None] * 256
        self._install()

    # --- stack helpers -------------------------------------------------------------------
    def pop(self, offset: int) -> object:
        """Pop one value; an empty stack is a broken pickle (the loader would raise)."""
        if self.stack:
            return self.stack.pop()
        if self.metastack:
            self.sink.issue("stack-underflow", "an opcode pops past a MARK", offset)
            return OPAQUE
        self.sink.issue("stack-underflow", "an opcode pops from an empty stack", offset)
        return OPAQUE

    def pop_mark(self, offset: int) -> list[object]:
        """Pop everything above the last MARK."""
        items = self.stack
        if not self.metastack:
            self.sink.issue("missing-mark", "an opcode needs a MARK but none is open", offset)
            self.stack = []
            return items
        self.stack = self.metastack.pop()
        return items

    def top(self, offset: int) -> object:
        """The top value without popping it."""
        if self.stack:
            return self.stack[-1]
        self.sink.issue("stack-underflow", "an opcode reads the top of an empty stack", offset)
        return OPAQUE

    def depth(self) -> int:
        """Current stack plus mark depth, for the budget check."""
        return len(self.stack) + len(self.metastack)

    # --- dispatch --------------------------------------------------------------------------
    def step(self, code: int, arg: object, offset: int) -> None:
        """Apply one opcode."""
        handler = self.handlers[code]
        if handler is None:
            raise ParseError(f"opcode 0x{code:02x} has no handler", offset)
        handler(arg, offset)

    def _install(self) -> None:
        table: dict[str, Handler] = {
            "PROTO": self._proto,
            "FRAME": lambda arg, off: None,
            "STOP": self._stop,
            "MARK": self._mark,
            "POP": self._pop_op,
            "POP_MARK": lambda arg, off: self._discard(self.pop_mark(off)),
            "DUP": lambda arg, off: self._push_ref(self.top(off)),
            "NONE": lambda arg, off: self.stack.append(None),
            "NEWTRUE": lambda arg, off: self.stack.append(True),
            "NEWFALSE": lambda arg, off: self.stack.append(False),
            "EMPTY_LIST": lambda arg, off: self.stack.append(Container("list")),
            "EMPTY_TUPLE": lambda arg, off: self.stack.append(Container("tuple")),
            "EMPTY_DICT": lambda arg, off: self.stack.append(Container("dict")),
            "EMPTY_SET": lambda arg, off: self.stack.append(Container("set")),
            "LIST": lambda arg, off: self._from_mark("list", off),
            "TUPLE": lambda arg, off: self._from_mark("tuple", off),
            "FROZENSET": lambda arg, off: self._from_mark("frozenset", off),
            "DICT": self._dict,
            "TUPLE1": lambda arg, off: self._tuple_n(1, off),
            "TUPLE2": lambda arg, off: self._tuple_n(2, off),
            "TUPLE3": lambda arg, off: self._tuple_n(3, off),
            "APPEND": self._append,
            "APPENDS": self._appends,
            "ADDITEMS": self._appends,
            "SETITEM": self._setitem,
            "SETITEMS": self._setitems,
            "GET": self._get,
            "BINGET": self._get,
            "LONG_BINGET": self._get,
            "PUT": self._put,
            "BINPUT": self._put,
            "LONG_BINPUT": self._put,
            "MEMOIZE": lambda arg, off: self._put(self.memo.size, off),
            "GLOBAL": self._global_op,
            "INST": self._inst,
            "STACK_GLOBAL": self._stack_global,
            "EXT1": self._ext,
            "EXT2": self._ext,
            "EXT4": self._ext,
            "REDUCE": self._reduce,
            "NEWOBJ": self._newobj,
            "NEWOBJ_EX": self._newobj_ex,
            "OBJ": self._obj,
            "BUILD": self._build,
            "PERSID": self._persid,
            "BINPERSID": lambda arg, off: self.stack.append(PersId(self.pop(off))),
            "NEXT_BUFFER": lambda arg, off: self.stack.append(Opaque("out-of-band buffer")),
            "READONLY_BUFFER": lambda arg, off: None,
        }
        for name, handler in table.items():
            self.handlers[CODE[name]] = handler
        for name in _LITERALS:
            self.handlers[CODE[name]] = self._literal
        for name in _DATA:
            self.handlers[CODE[name]] = self._data

    @staticmethod
    def _discard(_: object) -> None:
        return None

    # --- handlers --------------------------------------------------------------------------
    def _literal(self, arg: object, offset: int) -> None:
        self.stack.append(arg)

    def _data(self, arg: object, offset: int) -> None:
        self.stack.append(self.sink.data(arg, offset) if isinstance(arg, str | bytes | Blob) else arg)

    def _persid(self, arg: object, offset: int) -> None:
        self.stack.append(PersId(self.sink.data(arg, offset) if isinstance(arg, str) else arg))

    def _push_ref(self, value: object) -> None:
        if isinstance(value, Global):
            self.sink.referenced(value)
        self.stack.append(value)

    def _proto(self, arg: object, offset: int) -> None:
        if not isinstance(arg, int) or arg > 5:
            raise ParseError(f"unsupported pickle protocol {arg!r}", offset)
        self.protocol = arg

    def _stop(self, arg: object, offset: int) -> None:
        self.result = self.pop(offset)
        self.stopped = True

    def _mark(self, arg: object, offset: int) -> None:
        self.metastack.append(self.stack)
        self.stack = []

    def _pop_op(self, arg: object, offset: int) -> None:
        if self.stack:
            self.stack.pop()
        else:
            self.pop_mark(offset)

    def _from_mark(self, kind: str, offset: int) -> None:
        box = Container(kind)
        box.extend(self.pop_mark(offset))
        self.stack.append(box)

    def _dict(self, arg: object, offset: int) -> None:
        items = self.pop_mark(offset)
        box = Container("dict")
        box.extend([(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)])
        self.stack.append(box)

    def _tuple_n(self, n: int, offset: int) -> None:
        values = [self.pop(offset) for _ in range(n)]
        values.reverse()
        self.stack.append(tuple_of(values))

    def _target(self, offset: int, opcode: str) -> object:
        """The object APPEND(S)/SETITEM(S) mutate; a loader calls its append/extend/__setitem__."""
        target = self.top(offset)
        if isinstance(target, Global):
            self.sink.issue(
                "mutate-global", f"{opcode} calls extend/__setitem__ on the imported object {target.qualname}", offset
            )
        return target

    def _append(self, arg: object, offset: int) -> None:
        value = self.pop(offset)
        target = self._target(offset, "APPEND")
        if isinstance(target, Container):
            target.add(value)

    def _appends(self, arg: object, offset: int) -> None:
        items = self.pop_mark(offset)
        target = self._target(offset, "APPENDS")
        if isinstance(target, Container):
            target.extend(items)

    def _setitem(self, arg: object, offset: int) -> None:
        value = self.pop(offset)
        key = self.pop(offset)
        target = self._target(offset, "SETITEM")
        if isinstance(target, Container):
            target.add((key, value))

    def _setitems(self, arg: object, offset: int) -> None:
        items = self.pop_mark(offset)
        if len(items) % 2:
            self.sink.issue("odd-setitems", "SETITEMS with an odd number of items", offset)
        target = self._target(offset, "SETITEMS")
        if isinstance(target, Container):
            target.extend([(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)])

    def _get(self, arg: object, offset: int) -> None:
        value = self.memo.get(arg) if isinstance(arg, int) and arg >= 0 else None
        if value is None:
            self.sink.issue("memo-undefined", f"memo GET of index {arg!r} that was never PUT", offset)
            value = OPAQUE
        self._push_ref(value)

    def _put(self, arg: object, offset: int) -> None:
        if not isinstance(arg, int) or arg < 0:
            self.sink.issue("memo-negative", f"memo PUT with invalid index {arg!r}", offset)
            return
        self.memo.put(arg, self.top(offset))

    def _global(self, arg: object, offset: int, via: str) -> Global:
        module, name = arg if isinstance(arg, tuple) else ("?", "?")
        glob = Global(str(module), str(name), offset, via)
        self.sink.imported(glob)
        self.stack.append(glob)
        return glob

    def _global_op(self, arg: object, offset: int) -> None:
        self._global(arg, offset, "GLOBAL")

    def _inst(self, arg: object, offset: int) -> None:
        args = self.pop_mark(offset)
        glob = self._global(arg, offset, "INST")
        self.stack.pop()
        call = Call(glob, tuple_of(args), offset)
        replacement = self.sink.called(call, "INST")
        self.stack.append(call if replacement is None else replacement)

    def _stack_global(self, arg: object, offset: int) -> None:
        name = self.pop(offset)
        module = self.pop(offset)
        if isinstance(module, str) and isinstance(name, str):
            self.memo.pin_recent((module, name))
            self._global((module, name), offset, "STACK_GLOBAL")
            return
        self.sink.issue(
            "unresolved-global",
            f"STACK_GLOBAL operands are not both strings: module={_kind(module)}, name={_kind(name)}",
            offset,
        )
        self._global((_text(module), _text(name)), offset, "STACK_GLOBAL")

    def _ext(self, arg: object, offset: int) -> None:
        code = arg if isinstance(arg, int) else -1
        found = self.extensions.get(code) or (_ext_registry_lookup(code) if code > 0 else None)
        if found is None:
            self.sink.issue("ext-unknown", f"extension code {code} is not in the standard registry", offset)
            self.stack.append(Global("<extension>", str(code), offset, "EXT"))
            return
        self._global(found, offset, "EXT")

    def _reduce(self, arg: object, offset: int) -> None:
        args = self.pop(offset)
        func = self.pop(offset)
        self._call(func, args, offset, "REDUCE")

    def _newobj(self, arg: object, offset: int) -> None:
        args = self.pop(offset)
        cls = self.pop(offset)
        self._call(cls, args, offset, "NEWOBJ")

    def _newobj_ex(self, arg: object, offset: int) -> None:
        kwargs = self.pop(offset)
        args = self.pop(offset)
        cls = self.pop(offset)
        if isinstance(args, Container) and isinstance(kwargs, Container) and kwargs.items:
            args = tuple_of([*args.items, kwargs])
        self._call(cls, args, offset, "NEWOBJ_EX")

    def _obj(self, arg: object, offset: int) -> None:
        items = self.pop_mark(offset)
        if not items:
            self.sink.issue("stack-underflow", "OBJ without a class", offset)
            self.stack.append(OPAQUE)
            return
        self._call(items[0], tuple_of(items[1:]), offset, "OBJ")

    def _call(self, func: object, args: object, offset: int, via: str) -> None:
        call = Call(func, args, offset)
        if isinstance(func, Global) and func.name == "add_extension" and func.module in {"copyreg", "copy_reg"}:
            self._add_extension(args)
        replacement = self.sink.called(call, via)
        self.stack.append(call if replacement is None else replacement)

    def _add_extension(self, args: object) -> None:
        """Model ``copyreg.add_extension(module, name, code)``: later EXT opcodes resolve to it."""
        items = args.items if isinstance(args, Container) else []
        if len(items) == 3 and isinstance(items[2], int) and all(isinstance(v, str) for v in items[:2]):
            self.extensions[items[2]] = (str(items[0]), str(items[1]))

    def _build(self, arg: object, offset: int) -> None:
        state = self.pop(offset)
        target = self.top(offset)
        self.sink.built(target, state, offset)


_LITERALS = ("INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4", "FLOAT", "BINFLOAT")
_DATA = (
    "STRING",
    "BINSTRING",
    "SHORT_BINSTRING",
    "BINBYTES",
    "SHORT_BINBYTES",
    "BINBYTES8",
    "BYTEARRAY8",
    "UNICODE",
    "SHORT_BINUNICODE",
    "BINUNICODE",
    "BINUNICODE8",
)


def _kind(value: object) -> str:
    if isinstance(value, Global):
        return f"import {value.qualname}"
    if isinstance(value, Call):
        return "call result"
    return type(value).__name__


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    if isinstance(value, Blob):
        return value.text_prefix() + "…"  # cut: never a valid path, so it is judged, not trusted
    return f"<{_kind(value)}>"

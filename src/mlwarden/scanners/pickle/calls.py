"""What a call site runs, and when a dangerous-by-default import is vetted by how it is used.

A REDUCE runs its function; NEWOBJ runs ``cls.__new__``; and several allowlisted helpers run one of
their *arguments* (``torch._tensor._rebuild_from_type_v2(func, type, args, state)`` calls ``func``,
``copyreg._reconstructor(cls, base, state)`` calls ``base``). :func:`callees` lists every value a
call site runs with its role, so that an allowlisted helper cannot launder a callable and an
allowlisted class that must never run (``numpy.memmap``) is caught wherever it is run.

Some globals are dangerous in general but written by real libraries in one harmless shape
(``getattr(ZoneInfo, "_unpickle")``, ``torch.storage._load_from_bytes(<legacy torch bytes>)``,
``functools.partial(<allowlisted function>)``). :func:`resolve_getattr` and :func:`vetted` decide
whether one use has that shape; a finding is dropped only when *every* reference is such a use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from mlwarden.scanners.pickle.rules import CALLEE_ARGS
from mlwarden.scanners.pickle.values import Call, Container, Global, Nested

__all__ = ["built_callees", "callees", "constructed_class", "innermost", "resolve_getattr", "smuggled", "vetted"]

_CONSTRUCTORS: Final = frozenset({"copyreg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__"})
# Helper arguments judged as callees when they are imports, but *passed on*, not called, when they are
# objects: numpy/random/_pickle.py __generator_ctor(bit_generator_name, ctor) wraps a BitGenerator
# instance (what numpy 2 pickles) and only calls ``ctor``.
_PASSED_WHEN_BUILT: Final = frozenset(
    {("numpy.random._pickle.__generator_ctor", 0), ("numpy.random._pickle.__randomstate_ctor", 0)}
)
_WALK_DEPTH: Final = 4


def innermost(value: object) -> object:
    """The function at the bottom of a chain of calls (``f(a)(b)`` -> ``f``)."""
    while isinstance(value, Call):
        value = value.func
    return value


def _args(call: Call) -> list[object]:
    return call.args.items if isinstance(call.args, Container) and call.args.kind == "tuple" else []


def callees(call: Call, via: str) -> list[tuple[object, str]]:
    """``(value, role)`` for what this call site runs: role ``call``, ``new`` (``__new__``) or ``ref``."""
    role = "new" if via in {"NEWOBJ", "NEWOBJ_EX"} else "call"
    found: list[tuple[object, str]] = [(innermost(call.func), role)]
    func = call.func
    if isinstance(func, Global):
        args = _args(call)
        for index, arg_role in CALLEE_ARGS.get(func.key, ()):
            if index < len(args):
                found.append((innermost(args[index]), arg_role))
    return found


def built_callees(call: Call, via: str) -> list[tuple[Call, str]]:
    """Objects the pickle *built* (call results) that this call site runs, with the role.

    Calling an instance runs ``type(obj).__call__`` over state the pickle chose: an ``nn.Module``'s
    smuggled ``forward``, ``Parallel()(items)``, a ``partial``. Standard picklers never write this (a
    bound method is ``getattr``, judged on its own), so every such call site is reported.
    """
    role = "new" if via in {"NEWOBJ", "NEWOBJ_EX"} else "call"
    found: list[tuple[Call, str]] = [(call.func, role)] if isinstance(call.func, Call) else []
    func = call.func
    if isinstance(func, Global):
        args = _args(call)
        for index, arg_role in CALLEE_ARGS.get(func.key, ()):
            value = args[index] if index < len(args) else None
            if isinstance(value, Call) and arg_role != "ref" and (func.key, index) not in _PASSED_WHEN_BUILT:
                found.append((value, arg_role))
    return found


def smuggled(value: object, skip: frozenset[int] = frozenset(), depth: int = 0) -> Iterator[Global]:
    """Imports inside a value (tuple/list/dict/set items, nested), except top-level indices in ``skip``.

    Used for arguments and BUILD states: an import placed there may be called by library code later
    (``defaultdict(factory)``, ``data.to(...)`` on an object whose ``to`` the state set).
    """
    if depth > _WALK_DEPTH:
        return
    if isinstance(value, Global):
        yield value
    elif isinstance(value, tuple):  # a dict item
        for item in value:
            yield from smuggled(item, depth=depth + 1)
    elif isinstance(value, Container):
        for index, item in enumerate(value.items):
            if index not in skip:
                yield from smuggled(item, depth=depth + 1)


def constructed_class(target: object) -> Global | None:
    """The imported class a call result is an instance of, when the call is a plain construction."""
    if not isinstance(target, Call):
        return None
    func = target.func
    if isinstance(func, Global) and func.key in _CONSTRUCTORS:
        args = _args(target)
        func = args[0] if args else None
    return func if isinstance(func, Global) else None


def resolve_getattr(call: Call) -> Global | None:
    """``getattr(<imported global>, "<literal>")`` as the dotted global a loader would get, else None."""
    func = call.func
    args = _args(call)
    if not (isinstance(func, Global) and func.key == "builtins.getattr" and len(args) == 2):
        return None
    target, attr = args
    if isinstance(target, Global) and isinstance(attr, str) and attr.isidentifier():
        return Global(target.module, f"{target.name}.{attr}", call.offset, "getattr")
    return None


def _clean_literal(value: object) -> bool:
    """A scanned, clean nested pickle, directly or as protocol 2's ``_codecs.encode(text, 'latin1')``."""
    if isinstance(value, Call) and isinstance(value.func, Global) and value.func.key == "_codecs.encode":
        args = _args(value)
        value = args[0] if len(args) == 2 and args[1] in {"latin1", "latin-1"} else None
    return isinstance(value, Nested) and value.clean


def vetted(kind: str, call: Call, is_safe: dict[str, bool]) -> bool:
    """Whether this use of a conditional import has the harmless shape ``kind`` (see ``CONDITIONAL``).

    ``is_safe`` maps judged keys to whether they are allowlisted (only keys seen in this pickle).
    """
    args = _args(call)
    if kind == "bytes-literal":
        return len(args) == 1 and _clean_literal(args[0])
    if kind == "wraps-safe":
        state = call.state
        wrapped = [args[0] if args else None]
        if isinstance(state, Container) and state.kind == "tuple" and state.items:
            wrapped.append(state.items[0])
        elif state is not None:
            return False
        return all(isinstance(w, Global) and is_safe.get(w.key, False) for w in wrapped)
    return False

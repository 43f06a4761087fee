"""joblib's inline arrays: recognise a ``NumpyArrayWrapper`` BUILD and size the bytes that follow.

``joblib.dump`` writes each numpy array as a pickled ``NumpyArrayWrapper`` (shape, dtype, order,
alignment) and then the raw array bytes *inline*, outside the pickle opcode stream; object arrays
are written as a nested protocol-5 pickle instead. ``NumpyUnpickler.load_build`` reads them right
after the wrapper's BUILD. We size the payload from the same fields joblib uses, so we skip exactly
what joblib reads, and scan object-array payloads as pickles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlwarden.scanners.pickle.values import Call, Container, Global

__all__ = ["ArrayPayload", "array_payload"]

_WRAPPERS = frozenset(
    {
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
    }
)
_CONSTRUCTORS = frozenset({"copyreg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__"})
_DTYPE_STR = re.compile(r"^[<>|=]?([a-zA-Z])(\d*)")
_MAX_WALK = 4096


@dataclass(frozen=True, slots=True)
class ArrayPayload:
    """What follows a wrapper: a nested pickle (object dtype) or ``nbytes`` of raw data."""

    is_object: bool
    nbytes: int
    padded: bool


def _is_wrapper(target: object) -> bool:
    if not isinstance(target, Call):
        return False
    func = target.func
    if isinstance(func, Global) and func.qualname in _CONSTRUCTORS and isinstance(target.args, Container):
        func = target.args.items[0] if target.args.items else None
    return isinstance(func, Global) and func.qualname in _WRAPPERS


def _state_fields(state: object) -> dict[str, object]:
    if isinstance(state, Container) and state.kind == "tuple" and state.items:
        state = state.items[0]  # (dict, slotstate) form
    fields: dict[str, object] = {}
    if isinstance(state, Container) and state.kind == "dict":
        for item in state.items:
            if isinstance(item, tuple) and isinstance(item[0], str):
                fields[item[0]] = item[1]
    return fields


def _dtype_code(dtype: object) -> str | None:
    if isinstance(dtype, Call) and isinstance(dtype.args, Container) and dtype.args.items:
        first = dtype.args.items[0]
        return first if isinstance(first, str) else None
    return None


def _itemsize(dtype: object) -> int | None:
    code = _dtype_code(dtype)
    match = _DTYPE_STR.match(code or "")
    if match is None:
        return None
    if isinstance(dtype, Call) and isinstance(dtype.state, Container) and len(dtype.state.items) >= 6:
        elsize = dtype.state.items[5]
        if isinstance(elsize, int) and not isinstance(elsize, bool) and elsize > 0:
            return elsize
    kind, digits = match.group(1), match.group(2)
    size = int(digits) if digits else (1 if kind in "b?" else 0)
    return size * 4 if kind == "U" else size


def _has_object(value: object, budget: list[int]) -> bool:
    """Whether a dtype value (or its fields) holds an object dtype, as ``dtype.hasobject`` would say."""
    budget[0] -= 1
    if budget[0] < 0:
        return True  # too big to be sure: treat as object so the payload is parsed, not skipped
    if isinstance(value, Call):
        code = _dtype_code(value)
        if code is not None and code.lstrip("<>|=").startswith("O"):
            return True
        return _has_object(value.args, budget) or _has_object(value.state, budget)
    if isinstance(value, Container):
        return any(_has_object(v, budget) for v in value.items)
    if isinstance(value, tuple):
        return any(_has_object(v, budget) for v in value)
    return False


def _count(shape: object) -> int | None:
    if not isinstance(shape, Container) or shape.count != len(shape.items):
        return None
    total = 1
    for dim in shape.items:
        if not isinstance(dim, int) or isinstance(dim, bool) or dim < 0:
            return None
        total *= dim
    return total


def array_payload(target: object, state: object) -> ArrayPayload | None:
    """The payload joblib reads after this BUILD, ``None`` when ``target`` is not a wrapper.

    Raises ``ValueError`` when it is a wrapper whose fields cannot be sized (joblib would fail).
    """
    if not _is_wrapper(target):
        return None
    fields = _state_fields(state)
    dtype = fields.get("dtype")
    padded = fields.get("numpy_array_alignment_bytes") is not None
    if _has_object(dtype, [_MAX_WALK]):
        return ArrayPayload(is_object=True, nbytes=0, padded=False)
    count = _count(fields.get("shape"))
    itemsize = _itemsize(dtype)
    if count is None or itemsize is None:
        raise ValueError("a joblib NumpyArrayWrapper has a shape or dtype that cannot be sized")
    return ArrayPayload(is_object=False, nbytes=count * itemsize, padded=padded)

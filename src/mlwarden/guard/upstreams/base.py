"""What every upstream adapter shares: text slots, the prepared request, and the one rejection type.

An adapter knows one protocol's JSON: where the texts to check are in a request and a response,
where the tabular rows are, and how to cap generation. It never does I/O. The service reads texts
through ``Slot``s and writes redacted texts back through the same slots, so the body keeps its
shape and the upstream sees exactly what it would have seen, minus the redacted spans.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GuardRejection", "Prepared", "Slot", "dotted_slots", "require_mapping"]


class GuardRejection(Exception):
    """A request the guard refuses, with the HTTP status, a stable code and a client-safe message.

    ``rule_id``/``kind`` make the audit record and the metrics say which control refused it.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        rule_id: str | None = None,
        kind: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.rule_id = rule_id or f"MW-GUARD-{code.upper().replace('_', '-')}"
        self.kind = kind or code
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Slot:
    """One string inside a JSON body: read ``text``, write a redacted one back with ``set``."""

    container: Any
    key: Any

    @property
    def text(self) -> str:
        """The current string."""
        value = self.container[self.key]
        return value if isinstance(value, str) else ""

    def set(self, value: str) -> None:
        """Replace the string in place."""
        self.container[self.key] = value


@dataclass
class Prepared:
    """A validated request: the body (possibly rewritten), its texts, its tabular rows, streaming or not."""

    body: Any
    slots: list[Slot] = field(default_factory=list)
    rows: list[list[Any]] | None = None
    stream: bool = False


def require_mapping(body: Any, what: str) -> dict[str, Any]:
    """``body`` as a JSON object, or a 400 rejection naming the protocol."""
    if not isinstance(body, dict):
        raise GuardRejection(400, "invalid_request", f"{what} request body must be a JSON object")
    return body


def _walk(node: Any, parts: list[str]) -> Iterator[Slot]:
    head, rest = parts[0], parts[1:]
    if head == "*":
        items: list[tuple[Any, Any]] = list(enumerate(node)) if isinstance(node, list) else []
        if isinstance(node, dict):
            items = list(node.items())
    elif isinstance(node, dict) and head in node:
        items = [(head, node[head])]
    elif isinstance(node, list) and head.isdigit() and int(head) < len(node):
        items = [(int(head), node[int(head)])]
    else:
        items = []
    for key, value in items:
        if not rest:
            if isinstance(value, str):
                yield Slot(node, key)
        else:
            yield from _walk(value, rest)


def dotted_slots(body: Any, paths: list[str]) -> list[Slot]:
    """Slots for dotted paths with ``*`` wildcards, e.g. ``inputs.*.text`` (missing paths give nothing)."""
    slots: list[Slot] = []
    for path in paths:
        slots.extend(_walk(body, path.split(".")))
    return slots

"""The detector output: a span in the input text, never a file path or an HTTP request."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Match"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """One detected span ``text[start:end]`` of a ``kind`` (and optional ``subtype``).

    ``validated`` is true when a checksum or structure check passed, which is what separates
    a real identifier from a look-alike; ``confidence`` already accounts for it.
    """

    start: int
    end: int
    kind: str
    confidence: float
    subtype: str | None = None
    validated: bool = False
    rule_id: str = ""

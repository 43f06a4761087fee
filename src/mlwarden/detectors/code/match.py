"""The code detector's output: a rule key and a position, never the raw source of a secret."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodeMatch"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeMatch:
    """One risky construct at ``line``/``column`` (1-based) up to ``end_line``.

    ``key`` names the pattern (a stable key such as ``pickle-load``; scanners map it to a rule id),
    ``name`` is the non-secret fact that matched (``pickle.load``, ``pip install requests``) and
    feeds a finding's fingerprint, and ``snippet`` is the first source line, bounded, with any
    secret on it masked.
    """

    key: str
    name: str
    line: int
    column: int
    end_line: int
    snippet: str
    confidence: float

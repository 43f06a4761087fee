"""The Scanner protocol and the context every scanner receives.

A scanner reads one artifact and yields findings. It never imports, unpickles or executes what it
reads. Third parties implement the protocol without inheriting from our classes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget, Deadline
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule

__all__ = ["ScanContext", "Scanner"]


@runtime_checkable
class Scanner(Protocol):
    """A reader of one or more sniffed formats that yields findings for one artifact at a time.

    ``version`` is bumped whenever detection changes; it is part of every finding's provenance.
    The same scanner object is reused across artifacts and threads, so it keeps no per-scan state.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    formats: ClassVar[frozenset[Format]]
    extra: ClassVar[str | None]
    rules: ClassVar[tuple[Rule, ...]]

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield the findings for ``artifact``; raise ``BudgetExceeded`` when a limit is hit."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanContext:
    """What a scanner may use: limits, a deadline, its own options from the policy file."""

    budget: Budget = field(default_factory=Budget)
    deadline: Deadline = field(default_factory=lambda: Budget().deadline())
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, key: str, default: Any = None) -> Any:
        """One of this scanner's options, or ``default``."""
        return self.options.get(key, default)

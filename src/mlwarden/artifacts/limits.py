"""Resource budgets shared by every reader: size, depth, members, decompression ratio and time.

A hostile artifact is designed to exhaust the scanner; every loop over untrusted structure checks
one of these limits and raises ``BudgetExceeded``, which the engine turns into a finding.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from mlwarden.core.errors import BudgetExceeded

__all__ = ["Budget", "Deadline"]

MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True, slots=True, kw_only=True)
class Budget:
    """Limits for one scan. Defaults suit CI on real models; the policy file can raise them."""

    max_file_bytes: int = 64 * GiB
    max_member_bytes: int = 4 * GiB
    max_total_extracted_bytes: int = 16 * GiB
    max_archive_depth: int = 5
    max_archive_members: int = 100_000
    max_compression_ratio: float = 200.0
    max_seconds_per_artifact: float = 300.0
    max_pickle_opcodes: int = 50_000_000
    max_pickle_stack_depth: int = 100_000
    max_text_bytes: int = 64 * MiB
    max_json_depth: int = 200
    max_files: int = 1_000_000

    def check(self, resource: str, actual: int | float, *, where: str = "") -> None:
        """Raise ``BudgetExceeded`` if ``actual`` is over the limit called ``resource``."""
        limit = getattr(self, f"max_{resource}")
        if actual > limit:
            raise BudgetExceeded(resource, limit, actual, where=where)

    def deadline(self) -> Deadline:
        """A fresh per-artifact deadline."""
        return Deadline(seconds=self.max_seconds_per_artifact)


@dataclass(slots=True)
class Deadline:
    """A cooperative time limit: long loops call ``check()`` every so often."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def expired(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() - self.started > self.seconds

    def check(self, where: str = "") -> None:
        """Raise ``BudgetExceeded`` once the time is up."""
        elapsed = time.monotonic() - self.started
        if elapsed > self.seconds:
            raise BudgetExceeded("seconds_per_artifact", self.seconds, round(elapsed, 2), where=where)

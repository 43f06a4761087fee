"""Reading an artifact as bounded text, and turning match offsets into 1-based lines and columns.

Shared by every text scanner (configs, Python source, notebooks) so a secret's line is computed
one way wherever it is committed.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.encoding import decode_bytes
from mlwarden.detectors.base import Match
from mlwarden.scanners.base import ScanContext

__all__ = ["line_offsets", "read_text", "secret_positions"]


def line_offsets(text: str) -> list[int]:
    """The offset at which each line starts, for turning match offsets into line numbers."""
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def read_text(artifact: Artifact, ctx: ScanContext) -> str:
    """The artifact as text, at most the budget's ``max_text_bytes`` (over it: ``BudgetExceeded``)."""
    limit = ctx.budget.max_text_bytes
    with artifact.open() as stream:
        raw = stream.read(limit + 1)
    ctx.budget.check("text_bytes", len(raw), where=artifact.display)
    return decode_bytes(raw)


def secret_positions(text: str, matches: list[Match]) -> Iterator[tuple[Match, int, int]]:
    """Each match with its 1-based line and column in ``text``."""
    starts = line_offsets(text)
    for match in matches:
        line = bisect.bisect_right(starts, match.start)
        yield match, line, match.start - starts[line - 1] + 1

"""``DetectorSet``: the one configured bundle of detectors used by scanners and the runtime guard.

The dataset scanner, the notebook scanner and the guard each build a ``DetectorSet``; with the same
arguments they flag the same spans, which is what lets the documentation promise that the check
that scans a dataset is the check that redacts a prompt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.detector import pii_candidates
from mlwarden.detectors.pii.normalize import encodable
from mlwarden.detectors.pii.overlap import resolve_overlaps
from mlwarden.detectors.secrets import find_secrets

__all__ = ["COLUMN_SEPARATOR", "DetectorSet"]

# Joins column values. No pattern matches across a newline *and* a NUL, and context windows stop
# at NUL, so each value is matched exactly as if it were alone.
COLUMN_SEPARATOR = "\n\x00\n"
# Values are joined in chunks of about this many characters, bounding the joined string's memory.
_CHUNK_CHARS = 1 << 20


@dataclass(frozen=True, slots=True)
class DetectorSet:
    """Which detectors run and what they report.

    ``kinds`` limits the reported kinds (None: all); ``min_confidence`` drops weaker matches;
    ``secrets`` turns the secrets detector on or off.
    """

    kinds: frozenset[str] | None = None
    min_confidence: float = 0.5
    secrets: bool = True

    @classmethod
    def default(cls) -> DetectorSet:
        """The defaults shared by ``mlwarden scan``, ``mlwarden detect`` and the guard."""
        return cls()

    def _wanted(self, match: Match) -> bool:
        if match.confidence < self.min_confidence:
            return False
        return self.kinds is None or match.kind in self.kinds

    def _candidates(self, text: str, column_name: str | None = None) -> list[Match]:
        found = pii_candidates(text, column_name=column_name)
        if self.secrets:
            found.extend(find_secrets(encodable(text)))  # lone surrogates -> U+FFFD, offsets unchanged
        return [m for m in found if self._wanted(m)]

    def detect(self, text: str, *, column_name: str | None = None) -> list[Match]:
        """Non-overlapping matches in ``text``, sorted by start; offsets are ``str`` indices.

        ``column_name`` is the field the text is the value of (``ssn``, ``passport``, ``дата_рождения``):
        it counts as a context word, so ``4510123456`` under ``passport`` is a passport, not a phone.
        """
        return resolve_overlaps(self._candidates(text, column_name))

    def detect_column(self, values: Sequence[str], column_name: str | None = None) -> list[list[Match]]:
        """``[self.detect(v, column_name=column_name) for v in values]``, over joined chunks (far fewer calls)."""
        results: list[list[Match]] = []
        chunk: list[str] = []
        size = 0
        for value in values:
            chunk.append(value)
            size += len(value) + len(COLUMN_SEPARATOR)
            if size >= _CHUNK_CHARS:
                results.extend(self._detect_chunk(chunk, column_name))
                chunk, size = [], 0
        if chunk:
            results.extend(self._detect_chunk(chunk, column_name))
        return results

    def _detect_chunk(self, values: list[str], column_name: str | None) -> list[list[Match]]:
        starts: list[int] = []
        position = 0
        for value in values:
            starts.append(position)
            position += len(value) + len(COLUMN_SEPARATOR)
        per_value: list[list[Match]] = [[] for _ in values]
        rerun: set[int] = set()
        for match in self._candidates(COLUMN_SEPARATOR.join(values), column_name):
            index = bisect_right(starts, match.start) - 1
            base = starts[index]
            if match.end > base + len(values[index]):
                rerun.add(index)  # crossed a separator: match this value alone
                continue
            per_value[index].append(_shift(match, base))
        return [
            self.detect(values[i], column_name=column_name) if i in rerun else resolve_overlaps(found)
            for i, found in enumerate(per_value)
        ]


def _shift(match: Match, offset: int) -> Match:
    if offset == 0:
        return match
    return Match(start=match.start - offset, end=match.end - offset, kind=match.kind, confidence=match.confidence,
                 subtype=match.subtype, validated=match.validated, rule_id=match.rule_id)  # fmt: skip

"""Per-column evidence: how many values are wholly one kind, how many merely contain one.

A value *is* kind K when K's matches cover at least ``WHOLE_COVERAGE`` of its non-space characters:
``ivan@example.ru`` is an EMAIL, ``write to ivan@example.ru today`` is free text containing one.
That distinction is what separates "the ``email`` column" from "a comments column with some emails".
Values are deduplicated per batch before detection, so a column of a few thousand distinct values
costs a few thousand detector calls however many rows it has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mlwarden.detectors.base import Match
from mlwarden.scanners.dataset.masking import mask_value

__all__ = ["PERSONAL_KINDS", "WHOLE_COVERAGE", "ColumnDetector", "ColumnProfile", "coverage", "whole_kind"]

WHOLE_COVERAGE = 0.8
PERSONAL_KINDS = frozenset(
    {
        "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "DATE_OF_BIRTH", "PERSON", "ADDRESS",
        "RU_PASSPORT", "RU_INN", "RU_SNILS",
    }
)  # fmt: skip


class ColumnDetector(Protocol):
    """What classification needs from ``mlwarden.detectors.detector_set.DetectorSet``."""

    def detect_column(self, values: Sequence[str]) -> list[list[Match]]:
        """The matches in each value, in order."""
        ...


def _solid(text: str) -> int:
    return len("".join(text.split()))


def coverage(value: str, matches: Sequence[Match]) -> float:
    """The share of ``value``'s non-space characters covered by the union of ``matches``."""
    total = _solid(value)
    if total == 0:
        return 0.0
    covered = 0
    end = -1
    for match in sorted(matches, key=lambda m: m.start):
        start = max(match.start, end)
        if match.end > start:
            covered += _solid(value[start : match.end])
            end = match.end
    return covered / total


def whole_kind(value: str, matches: Sequence[Match]) -> str | None:
    """The kind ``value`` wholly is (best coverage, then confidence), or ``None`` for free text."""
    by_kind: dict[str, list[Match]] = {}
    for match in matches:
        by_kind.setdefault(match.kind, []).append(match)
    best: tuple[float, float, str] | None = None
    for kind, found in by_kind.items():
        share = coverage(value, found)
        if share >= WHOLE_COVERAGE:
            candidate = (share, max(m.confidence for m in found), kind)
            best = candidate if best is None or candidate > best else best
    return None if best is None else best[2]


@dataclass(slots=True)
class ColumnProfile:
    """Counts for one column over every sampled value (empty values are counted apart)."""

    name: str
    values: int = 0
    empty: int = 0
    with_personal: int = 0
    whole: Counter[str] = field(default_factory=Counter)
    contains: Counter[str] = field(default_factory=Counter)
    secrets: Counter[str] = field(default_factory=Counter)
    confidence: dict[str, float] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    def observe(self, values: Sequence[str | None], detector: ColumnDetector) -> None:
        """Run the detector over the distinct non-empty ``values`` and count by kind."""
        counts = Counter(values)
        for key in [k for k in counts if k is None or not k.strip()]:
            self.empty += counts.pop(key)
        distinct = [value for value in counts if value is not None]
        self.values += sum(counts.values())
        if not distinct:
            return
        for value, matches in zip(distinct, detector.detect_column(distinct), strict=True):
            if matches:
                self._count(value, matches, counts[value])

    def _count(self, value: str, matches: Sequence[Match], times: int) -> None:
        kinds: set[str] = set()
        for match in matches:
            if match.kind == "SECRET":
                self.secrets[match.subtype or "SECRET"] += times
            kinds.add(match.kind)
            if match.confidence > self.confidence.get(match.kind, 0.0):
                self.confidence[match.kind] = match.confidence
            if match.kind not in self.examples:
                self.examples[match.kind] = mask_value(match.kind, value[match.start : match.end])
        for kind in kinds:
            self.contains[kind] += times
        if kinds & PERSONAL_KINDS:
            self.with_personal += times
        whole = whole_kind(value, matches)
        if whole is not None:
            self.whole[whole] += times

    def merge(self, other: ColumnProfile) -> None:
        """Add another profile of the same column (for parallel or per-sheet reads)."""
        self.values += other.values
        self.empty += other.empty
        self.with_personal += other.with_personal
        self.whole.update(other.whole)
        self.contains.update(other.contains)
        self.secrets.update(other.secrets)
        for kind, score in other.confidence.items():
            self.confidence[kind] = max(score, self.confidence.get(kind, 0.0))
        for kind, example in other.examples.items():
            self.examples.setdefault(kind, example)

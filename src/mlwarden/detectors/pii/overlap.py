"""Resolve overlapping matches: a secret, then the validated, more confident, more specific, longer one wins.

An address beats any name it overlaps (street and town names are often first names or surnames).

One function for the PII finder and the ``DetectorSet`` (PII plus secrets), so a span is never
reported twice under two kinds and the guard never redacts half of a card number.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable

from mlwarden.detectors.base import Match

__all__ = ["SPECIFICITY", "resolve_overlaps"]

# Higher is more specific: a checksum-bearing id beats a phone, a phone beats a date, a secret beats all.
SPECIFICITY: dict[str, int] = {
    "SECRET": 100, "CREDIT_CARD": 90, "IBAN": 90, "RU_SNILS": 85, "RU_INN": 85, "ORG_ID": 80, "US_SSN": 80,
    "RU_PASSPORT": 75, "EMAIL": 70, "PHONE": 60, "IP_ADDRESS": 55, "DATE_OF_BIRTH": 50, "ADDRESS": 40, "PERSON": 30,
}  # fmt: skip


def _rank(match: Match) -> tuple[bool, bool, float, int, int, int]:
    return (
        match.kind == "SECRET",  # a credential is never downgraded to the e-mail or phone inside it
        match.validated,
        round(match.confidence, 2),
        SPECIFICITY.get(match.kind, 0),
        match.end - match.start,
        -match.start,
    )


def _address_wins(matches: list[Match]) -> list[Match]:
    """A name inside an address is a street or a town ("Jennifer Estate", "Port Kevin", "ул. Л.Толстого")."""
    addresses = sorted((m.start, m.end) for m in matches if m.kind == "ADDRESS")
    if not addresses:
        return matches
    starts = [a for a, _ in addresses]

    def inside(match: Match) -> bool:
        at = bisect_left(starts, match.end)  # addresses starting before the name ends
        return any(addresses[i][1] > match.start for i in range(max(0, at - 4), at))

    return [m for m in matches if m.kind != "PERSON" or not inside(m)]


def resolve_overlaps(matches: Iterable[Match]) -> list[Match]:
    """Keep a non-overlapping subset, best first by :func:`_rank`; return it sorted by start.

    Address context wins over name guesses: a PERSON overlapping an ADDRESS is dropped first.
    """
    kept_starts: list[int] = []
    kept: dict[int, Match] = {}
    for match in sorted(_address_wins(list(matches)), key=_rank, reverse=True):
        if match.end <= match.start:
            continue
        at = bisect_left(kept_starts, match.start)
        before = kept.get(kept_starts[at - 1]) if at > 0 else None
        after = kept.get(kept_starts[at]) if at < len(kept_starts) else None
        if before is not None and before.end > match.start:
            continue
        if after is not None and after.start < match.end:
            continue
        insort(kept_starts, match.start)
        kept[match.start] = match
    return [kept[s] for s in kept_starts]

"""``find_pii``: every personal-data and organisation-id finder over one normalised copy of the text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.address import find_addresses
from mlwarden.detectors.pii.context import fields_scope
from mlwarden.detectors.pii.dates import find_dates_of_birth
from mlwarden.detectors.pii.fields import field_map
from mlwarden.detectors.pii.generic import (
    find_cards,
    find_emails,
    find_ibans,
    find_ips,
    find_ssns,
)
from mlwarden.detectors.pii.name_forms import find_name_forms
from mlwarden.detectors.pii.names import find_persons
from mlwarden.detectors.pii.normalize import normalize
from mlwarden.detectors.pii.overlap import resolve_overlaps
from mlwarden.detectors.pii.phones import find_phones
from mlwarden.detectors.pii.ru import find_digit_runs, find_kpp, find_passports, find_snils

__all__ = ["FINDERS", "PII_KINDS", "find_pii", "pii_candidates"]

PII_KINDS = frozenset({
    "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "DATE_OF_BIRTH", "PERSON", "ADDRESS",
    "RU_PASSPORT", "RU_INN", "RU_SNILS", "ORG_ID",
})  # fmt: skip

FINDERS: tuple[Callable[[str], Iterator[Match]], ...] = (
    find_emails,
    find_ibans,
    find_cards,
    find_snils,
    find_ssns,
    find_passports,
    find_digit_runs,
    find_kpp,
    find_phones,
    find_ips,
    find_dates_of_birth,
    find_persons,
    find_name_forms,
    find_addresses,
)


# The fewest ASCII digits a finder's match can hold: a text with fewer skips that finder (one C-speed
# count instead of a regex pass per finder, which is most of the cost of short texts).
_MIN_DIGITS: dict[Callable[[str], Iterator[Match]], int] = {
    find_emails: 0, find_ibans: 2, find_cards: 13, find_snils: 11, find_ssns: 9, find_passports: 10,
    find_digit_runs: 9, find_kpp: 7, find_phones: 7, find_ips: 0, find_dates_of_birth: 5, find_persons: 0,
    find_name_forms: 0, find_addresses: 1,
}  # fmt: skip
_NO_DIGITS = str.maketrans("", "", "0123456789")


def _digit_count(text: str) -> int:
    return len(text) - len(text.translate(_NO_DIGITS))


def pii_candidates(text: str, *, column_name: str | None = None) -> list[Match]:
    """Every candidate reading, overlaps included, with offsets into ``text``.

    ``DetectorSet`` filters these by kind and confidence *before* resolving overlaps, so a kind
    the caller did not ask for never hides one it did. ``column_name`` (a dataset column or JSON
    key the whole text sits under) is context for every value, like a word just before it.
    """
    if not text:
        return []
    norm = normalize(text)
    clean = norm.text
    digits = _digit_count(clean)
    found: list[Match] = []
    with fields_scope(field_map(clean, column_name)):
        for finder in FINDERS:
            if digits >= _MIN_DIGITS[finder]:
                found.extend(finder(clean))
    if not norm.positions:
        return found
    return [
        Match(
            start=norm.start(m.start),
            end=norm.end(m.end),
            kind=m.kind,
            confidence=m.confidence,
            subtype=m.subtype,
            validated=m.validated,
        )
        for m in found
    ]


def find_pii(text: str, *, min_confidence: float = 0.5, column_name: str | None = None) -> Iterator[Match]:
    """Yield non-overlapping personal-data matches, sorted by start, with offsets into ``text``.

    Candidates below ``min_confidence`` (an unvalidated number with no context word, say) are
    dropped before overlaps are resolved.

    Linear time in ``len(text)`` (RE2 patterns, bounded per-candidate checks); never raises on any
    ``str``, including lone surrogates, zero-width characters and megabyte lines.
    """
    found = pii_candidates(text, column_name=column_name)
    yield from resolve_overlaps(m for m in found if m.confidence >= min_confidence)

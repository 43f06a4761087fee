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


# Finders whose matches always contain an ASCII digit: skipped on text without one.
_NEED_DIGITS = frozenset(FINDERS) - {find_emails, find_persons, find_name_forms, find_addresses, find_ips}


def _has_digit(text: str) -> bool:
    return any(c in text for c in "0123456789")


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
    digits = _has_digit(clean)
    found: list[Match] = []
    with fields_scope(field_map(clean, column_name)):
        for finder in FINDERS:
            if digits or finder not in _NEED_DIGITS:
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

"""ADDRESS: Russian ("г. Москва, ул. Ленина, д. 5, кв. 12") and English ("221 Baker Street, London") postal addresses.

An address needs a street-type word *and* a house number; a postcode, a city or a flat number
make it more certain. Street names are capitalised words or ordinals ("5th Avenue").
"""

from __future__ import annotations

from collections.abc import Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_addresses"]

_RU_STRONG = ("кв.", "квартира", "корп", "стр.", "г.", "город", "обл", "край", "респ", "р-н", "район")
_MAX_LENGTH = 200


def _ru_confidence(value: str) -> float:
    lowered = value.lower()
    score = 0.8
    if lowered[:6].isdigit():
        score += 0.1
    if any(word in lowered for word in _RU_STRONG):
        score += 0.1
    return min(score, 0.97)


def _en_confidence(value: str) -> float:
    score = 0.8
    tail = value[-10:]
    if any(c.isdigit() for c in tail) and "," in value:
        score += 0.1  # ZIP code or unit after a comma
    if value.count(",") >= 2:
        score += 0.05
    return min(score, 0.95)


def find_addresses(text: str) -> Iterator[Match]:
    """Postal addresses with a street and a house number."""
    for name, scorer in (("ADDRESS_RU", _ru_confidence), ("ADDRESS_EN", _en_confidence)):
        for m in compiled(name).finditer(text):
            start, end = m.span()
            value = m.group().rstrip(" ,")
            end = start + len(value)
            if len(value) > _MAX_LENGTH or (start > 0 and text[start - 1].isalnum()):
                continue
            yield Match(start=start, end=end, kind="ADDRESS", confidence=scorer(value))

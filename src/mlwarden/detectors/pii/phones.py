"""PHONE: candidates checked against the numbering plan (``phonenumbers``), cheaply.

Validation is the slow part of the whole detector set, so it is filtered and cached: unseparated
digit runs are left to the digit-run classifier, a "+" number the plan rejects is retried without
its last group (a following number glued on), and North American numbers are cached per area code
and exchange, which is what the plan's validity depends on.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.context import has_context, has_negative
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_phones", "phone_match"]


def _digits(value: str) -> str:
    return "".join(c for c in value if "0" <= c <= "9")


def _score(*, validated: bool, context: bool, base: float) -> float:
    if validated:
        return 0.97 if context else base
    return 0.6 if context else 0.3


def _phone_valid(candidate: str) -> bool:
    digits = _digits(candidate)
    plus = candidate.lstrip().startswith("+")
    russian = len(digits) == 11 and (digits[0] == "7" if plus else digits[0] in "78")
    if russian and digits[1] == "9":
        return True  # Russian mobile range (+7 9xx); other +7 ranges go to the full numbering plan
    if plus:
        return _plan_valid("+" + digits, (None,))
    regions = _regions(digits)
    if regions == ("US", "RU") and len(digits) == 10:
        # NANP validity depends on the area code ([2-9]xx) and the exchange only: cache on them.
        if digits[0] in "23456789" and _nanp_valid(digits[:6]):
            return True
        return digits[0] in "34789" and _plan_valid(digits, ("RU",))  # Russian (and +7 Kazakh) area codes
    return _plan_valid(digits, regions)


def _regions(digits: str) -> tuple[str | None, ...]:
    """National forms are tried only as Russian or North American numbers.

    Other national forms ("020 7946 0958") are accepted for GB/DE/FR only beside a phone word,
    because most European plans accept many digit strings that are really order numbers.
    """
    if len(digits) == 11 and digits[0] in "78":
        return ("RU",)
    if len(digits) == 11 and digits[0] == "1":
        return ("US",)
    if len(digits) == 10 and digits[0] != "0":
        return ("US", "RU")
    return ()


@lru_cache(maxsize=1 << 16)
def _nanp_valid(prefix: str) -> bool:
    return _plan_valid(prefix + "5555", ("US",))


@lru_cache(maxsize=16384)
def _plan_valid(number: str, regions: tuple[str | None, ...]) -> bool:
    """Whether ``phonenumbers`` accepts the number in one of ``regions`` (cached: datasets repeat numbers)."""
    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


def _groups(candidate: str) -> list[int]:
    return [len(g) for g in candidate.replace("-", " ").replace(".", " ").split()]


def _passport_layout(candidate: str) -> bool:
    """ "4510 123456" / "45 10 123456": a Russian passport layout, never how phones are written."""
    return not candidate.startswith(("+", "(")) and _groups(candidate) in ([4, 6], [2, 2, 6])


def _dotted_not_nanp(candidate: str) -> bool:
    """Dots only and not 3.3.4: a version or a date-like id ("26.29.17.1738"), not a phone."""
    if "." not in candidate or " " in candidate or "-" in candidate or "(" in candidate:
        return False
    return _groups(candidate) not in ([3, 3, 4], [1, 3, 3, 4])


def phone_match(text: str, start: int, end: int) -> Match | None:
    """A phone when the numbering plan accepts it (or, if merely plausible, when a context word says so)."""
    candidate = text[start:end]
    digits = _digits(candidate)
    if not 7 <= len(digits) <= 15 or len(set(digits)) <= 2 or _passport_layout(candidate):
        return None
    if has_negative(text, start, end, "PHONE"):
        return None
    context = has_context(text, start, end, "PHONE")
    if _dotted_not_nanp(candidate) and not context:
        return None
    validated = _phone_valid(candidate)
    if not validated and context and digits[0] == "0" and 10 <= len(digits) <= 11:
        validated = _plan_valid(digits, ("GB", "DE", "FR"))
    if not validated:  # a number the plan rejects needs a phone word right before it
        context = has_context(text, start, end, "PHONE", before=24, after=0)
    separated = len(candidate) > len(digits)
    confidence = _score(validated=validated, context=context, base=0.8 if separated else 0.6)
    return Match(start=start, end=end, kind="PHONE", confidence=confidence, validated=validated)


def _trimmed(text: str, start: int, end: int) -> Match | None:
    """A "+" number rejected whole: retry without its last one or two groups ("+44 20 7946 0958 12")."""
    for _ in range(2):
        cut = max(text.rfind(" ", start, end), text.rfind("-", start, end), text.rfind(".", start, end))
        if cut <= start + 3:
            return None
        end = cut
        while end > start and text[end - 1] in " -.":
            end -= 1
        found = phone_match(text, start, end)
        if found is not None and found.validated:
            return found
    return None


def _continues(separator: str, following: str) -> bool:
    return (separator in " -" and following.isdigit()) or (separator == "-" and following.isalpha())


def find_phones(text: str) -> Iterator[Match]:
    """Separated phone shapes and "+" numbers checked against the numbering plan."""
    for m in compiled("PHONE").finditer(text):
        start, end = m.span()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".:/+"):
            continue
        if end < len(text) and text[end] in ".:/" and text[end + 1 : end + 2].isdigit():
            continue  # a version, time or path segment
        if end + 1 < len(text) and (text[end] + text[end + 1]).isascii() and _continues(text[end], text[end + 1]):
            continue  # a piece of a longer code ("8 901 234 56 78 9", "512-44-78321-A")
        value = m.group()
        if value.isdigit() and len(value) >= 9:
            continue  # an unseparated run: the digit-run classifier weighs it against INN, SNILS, passport
        found = phone_match(text, start, end)
        if (found is None or not found.validated) and value[0] == "+":
            found = _trimmed(text, start, end) or found
        if found is not None:
            yield found

"""International entities: email, phone, payment card, IBAN, US SSN, IP address, date of birth.

Each finder takes normalised text and yields matches in its offsets; ``detector.find_pii`` maps
them back. A candidate becomes a match only after validation (checksum, issuer range, numbering
plan, address syntax) or, for shapes without a checksum, with a context word.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.checksums import card_brand, iban_valid, luhn_valid, us_ssn_valid
from mlwarden.detectors.pii.context import has_context, has_negative
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_cards", "find_emails", "find_ibans", "find_ips", "find_ssns", "score"]


def score(*, validated: bool, context: bool, base: float = 0.8) -> float:
    """The confidence scale: validated + context ~0.97, validated ~``base``, context only 0.6, else 0.3."""
    if validated:
        return 0.97 if context else base
    return 0.6 if context else 0.3


def _match(kind: str, start: int, end: int, confidence: float, *, validated: bool, subtype: str | None = None) -> Match:
    return Match(start=start, end=end, kind=kind, confidence=confidence, subtype=subtype, validated=validated)


def digits_of(value: str) -> str:
    """Only the ASCII digits of ``value``."""
    return "".join(c for c in value if "0" <= c <= "9")


def find_emails(text: str) -> Iterator[Match]:
    """Addresses with a letter-only top-level domain; a context word only raises confidence."""
    if "@" not in text:
        return
    for m in compiled("EMAIL").finditer(text):
        start, end = m.span()
        value = m.group()
        tld = value[value.rfind(".") + 1 :]
        if (start > 0 and text[start - 1] in ".-") or ".." in value or len(tld) > 24:
            continue
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue
        context = has_context(text, start, end, "EMAIL")
        yield _match("EMAIL", start, end, 0.99 if context else 0.95, validated=True)


def find_ips(text: str) -> Iterator[Match]:
    """IPv4 (each octet <= 255) not inside a version string, and IPv6 accepted by ``ipaddress``."""
    for m in compiled("IPV4").finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else " "
        after = text[end : end + 2]
        if before in ".vV" or (after[:1] == "." and after[1:2].isdigit()) or has_negative(text, start, end):
            continue
        if text.startswith("255.", start):
            continue  # a netmask ("255.255.255.0") or broadcast address, not a host
        yield _match("IP_ADDRESS", start, end, 0.95 if has_context(text, start, end, "IP_ADDRESS") else 0.85,
                     validated=True)  # fmt: skip
    if ":" not in text:
        return
    for m in compiled("IPV6").finditer(text):
        value = m.group()
        if value.count(":") < 2 or sum(c.isdigit() for c in value) == 0:
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        yield _match("IP_ADDRESS", m.start(), m.end(), 0.9, validated=True)


def card_match(text: str, start: int, end: int, digits: str) -> Match | None:
    """A card when Luhn passes and a scheme issues that prefix and length (any prefix beside a card word)."""
    if not luhn_valid(digits) or len(set(digits)) <= 1:
        return None
    context = has_context(text, start, end, "CREDIT_CARD")
    if card_brand(digits) is None and not (context and 13 <= len(digits) <= 19):
        return None
    if has_negative(text, start, end) and not context:
        return None
    return _match("CREDIT_CARD", start, end, score(validated=True, context=context, base=0.85), validated=True)


def find_cards(text: str) -> Iterator[Match]:
    """Grouped card numbers (unseparated ones come through the digit-run classifier in ``ru``)."""
    for m in compiled("CARD").finditer(text):
        found = card_match(text, m.start(), m.end(), digits_of(m.group()))
        if found is not None:
            yield found


def find_ibans(text: str) -> Iterator[Match]:
    """IBANs: country length trims the candidate, then mod 97."""
    for m in compiled("IBAN").finditer(text):
        value = m.group()
        expected = _iban_length(value[:2])
        if expected is None:
            continue
        taken, cut = 0, len(value)
        for i, ch in enumerate(value):
            taken += ch != " "
            if taken == expected:
                cut = i + 1
                break
        compact = value[:cut].replace(" ", "")
        if iban_valid(compact):
            context = has_context(text, m.start(), m.start() + cut, "IBAN")
            yield _match("IBAN", m.start(), m.start() + cut, 0.99 if context else 0.95, validated=True)


def _iban_length(country: str) -> int | None:
    from mlwarden.detectors.pii.checksums import IBAN_LENGTHS

    return IBAN_LENGTHS.get(country)


def find_ssns(text: str) -> Iterator[Match]:
    """US SSNs written 123-45-6789 or 123 45 6789 that follow the SSA numbering rules."""
    for m in compiled("US_SSN").finditer(text):
        start, end = m.span()
        value = m.group()
        if value[3] != value[6] or not us_ssn_valid(digits_of(value)):
            continue
        context = has_context(text, start, end, "US_SSN")
        if value[3] == " " and not context:
            continue
        yield _match("US_SSN", start, end, score(validated=True, context=context, base=0.85), validated=True)

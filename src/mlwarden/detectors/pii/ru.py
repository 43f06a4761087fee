"""Russian identifiers (152-FZ): passport, personal INN, SNILS; and organisation ids (INN-10, OGRN, KPP).

Personal data and organisation identifiers are different kinds on purpose: a company's INN, OGRN
or KPP is public registry data, reported as ``ORG_ID`` for classification and never redacted as
personal data. Unseparated digit runs are classified here by length, because the same run of 10,
11 or 16 digits could be an INN, a passport, a SNILS, a phone or a card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.checksums import inn10_valid, inn12_valid, kpp_valid, ogrn_valid, snils_valid
from mlwarden.detectors.pii.context import field_context, has_context, has_negative
from mlwarden.detectors.pii.fields import NEGATIVE_FIELD
from mlwarden.detectors.pii.generic import card_match, digits_of, score
from mlwarden.detectors.pii.patterns import compiled
from mlwarden.detectors.pii.phones import phone_match

__all__ = ["find_digit_runs", "find_kpp", "find_passports", "find_snils"]


def _match(kind: str, start: int, end: int, confidence: float, *, validated: bool, subtype: str | None = None) -> Match:
    return Match(start=start, end=end, kind=kind, confidence=confidence, subtype=subtype, validated=validated)


def _ctx(text: str, start: int, end: int, key: str) -> bool:
    return has_context(text, start, end, key)


def _inn12(text: str, start: int, end: int, digits: str) -> Match | None:
    if not inn12_valid(digits):
        return None
    return _match("RU_INN", start, end, score(validated=True, context=_ctx(text, start, end, "RU_INN")), validated=True)


def _inn10(text: str, start: int, end: int, digits: str) -> Match | None:
    if not inn10_valid(digits):
        return None
    context = _ctx(text, start, end, "RU_INN_ORG")
    return _match("ORG_ID", start, end, score(validated=True, context=context, base=0.7), validated=True,
                  subtype="RU_INN_ORG")  # fmt: skip


def _snils(text: str, start: int, end: int, digits: str) -> Match | None:
    if not snils_valid(digits):
        return None
    context = _ctx(text, start, end, "RU_SNILS")
    return _match("RU_SNILS", start, end, score(validated=True, context=context, base=0.75), validated=True)


def _ogrn(text: str, start: int, end: int, digits: str) -> Match | None:
    if not ogrn_valid(digits):
        return None
    context = _ctx(text, start, end, "RU_OGRN")
    if len(digits) == 15 and not context:
        return None  # OGRNIP: one check digit mod 13, so 1 in 10 random 15-digit runs pass; needs "ОГРНИП"
    return _match("ORG_ID", start, end, score(validated=True, context=context, base=0.7), validated=True,
                  subtype="RU_OGRN")  # fmt: skip


def _passport(text: str, start: int, end: int, digits: str) -> Match | None:
    if len(digits) != 10 or not _ctx(text, start, end, "RU_PASSPORT") or digits[:2] == "00":
        return None
    if _driving_licence(text, start):
        return None
    return _match("RU_PASSPORT", start, end, 0.85, validated=True)


def _kpp(text: str, start: int, end: int, digits: str) -> Match | None:
    if not kpp_valid(digits) or not _ctx(text, start, end, "RU_KPP") or has_negative(text, start, end, "RU_KPP"):
        return None
    return _match("ORG_ID", start, end, 0.9, validated=True, subtype="RU_KPP")


def _ssn(text: str, start: int, end: int, digits: str) -> Match | None:
    from mlwarden.detectors.pii.checksums import us_ssn_valid

    if not us_ssn_valid(digits) or not _ctx(text, start, end, "US_SSN"):
        return None
    return _match("US_SSN", start, end, 0.8, validated=True)


def _card(text: str, start: int, end: int, digits: str) -> Match | None:
    if len(digits) == 12 and inn12_valid(digits) and not _ctx(text, start, end, "CREDIT_CARD"):
        return None  # two INN check digits pass by chance 1 in 100 times, Luhn 1 in 10: an INN, unless "card"
    return card_match(text, start, end, digits)


def _phone(text: str, start: int, end: int, digits: str) -> Match | None:
    if (len(digits) == 11 and digits[0] not in "78") or (len(digits) == 10 and digits[0] not in "2345689"):
        return None
    return phone_match(text, start, end)


_Classifier = Callable[[str, int, int, str], "Match | None"]

# Which identifiers a run of N digits can be, most specific first.
_BY_LENGTH: dict[int, tuple[_Classifier, ...]] = {
    9: (_kpp, _ssn),
    10: (_passport, _inn10, _phone),
    11: (_snils, _phone),
    12: (_inn12, _card),
    13: (_ogrn, _card),
    14: (_card,),
    15: (_ogrn, _card),
    16: (_card,),
    17: (_card,),
    18: (_card,),
    19: (_card,),
}


def _best(found: list[Match]) -> Match | None:
    return max(found, key=lambda m: (m.confidence, m.validated), default=None)


def find_digit_runs(text: str) -> Iterator[Match]:
    """Unseparated runs of 9-19 digits, each given the most confident reading that validates."""
    for m in compiled("DIGITS").finditer(text):
        start, end = m.span()
        glued_before = start > 0 and (
            text[start - 1] in "+.-" or (text[start - 1] == "," and text[start - 2 : start - 1].isdigit())
        )
        glued_after = end < len(text) and text[end] in ".,-" and text[end + 1 : end + 2].isdigit()
        labelled = field_context(start, end) - {NEGATIVE_FIELD}  # a labelled CSV cell is its own value
        if (glued_before or glued_after) and not labelled:
            continue  # a decimal, date, id or phone already ("1,234567890", "a45f-426614174000"; not "Ann,5001...")
        digits = m.group()
        if has_negative(text, start, end) and not _any_context(text, start, end):
            continue
        readings = [r for c in _BY_LENGTH.get(len(digits), ()) if (r := c(text, start, end, digits)) is not None]
        best = _best(readings)
        if best is not None:
            yield best


def _any_context(text: str, start: int, end: int) -> bool:
    keys = ("RU_INN", "RU_SNILS", "RU_PASSPORT", "CREDIT_CARD", "PHONE", "RU_OGRN", "RU_KPP")
    return any(_ctx(text, start, end, key) for key in keys)


def find_snils(text: str) -> Iterator[Match]:
    """SNILS written 123-456-789 01 (the separated form is distinctive even without context)."""
    for m in compiled("SNILS").finditer(text):
        found = _snils(text, m.start(), m.end(), digits_of(m.group()))
        if found is not None:
            yield _match("RU_SNILS", found.start, found.end, max(found.confidence, 0.9), validated=True)


def find_passports(text: str) -> Iterator[Match]:
    """Passport series and number ("45 10 123456", "4510 № 123456"): confidence comes from context."""
    for m in compiled("RU_PASSPORT").finditer(text):
        start, end = m.span()
        digits = digits_of(m.group())
        if digits[:2] == "00" or not _token_bounded(text, start, end):
            continue
        context = _ctx(text, start, end, "RU_PASSPORT")
        spaced = " " in m.group()[:5]
        if (not context and (not spaced or has_negative(text, start, end))) or _driving_licence(text, start):
            continue
        # No check digit: the series/number layout beside "паспорт"/"серия" is the validation.
        yield _match("RU_PASSPORT", start, end, 0.9 if context else 0.5, validated=context)


_LICENCE_WORDS = ("водительск", "вод. уд", "в/у", " ву ", " ву:", " ву №", "driver", "driving")


def _driving_licence(text: str, start: int) -> bool:
    """ "Водительское удостоверение 99 99 123456": the same layout as a passport, but not one."""
    before = " " + text[max(0, start - 40) : start].lower()
    return any(word in before for word in _LICENCE_WORDS) and "паспорт" not in before


def _token_bounded(text: str, start: int, end: int) -> bool:
    """Not a piece of a longer grouped number ("3782 822463 10005" holds no passport)."""
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    grouped_after = len(after) == 2 and after[0] in " -" and after[1].isdigit()
    grouped_before = len(before) == 2 and before[1] in " -" and before[0].isdigit()
    return not (grouped_after or grouped_before)


def find_kpp(text: str) -> Iterator[Match]:
    """KPP with letters in the reason code (digit-only KPPs come through the digit runs)."""
    for m in compiled("KPP").finditer(text):
        value = m.group()
        if value.isdigit():
            continue
        found = _kpp(text, m.start(), m.end(), value)
        if found is not None:
            yield found

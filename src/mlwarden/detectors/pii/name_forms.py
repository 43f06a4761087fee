"""PERSON in the forms capitalised-word runs miss: capitals, "Last, First" and lower case in context.

"JOHN SMITH" and "ИВАНОВ ИВАН ИВАНОВИЧ" (forms, headers), "Davis, James" and "DAVIS, James"
(registers, sign-up lists), "contact ashley harris" (chat). Each form is stricter than the
capitalised one, because it has less shape to go on: both a known first name and a known surname
(or a patronymic), and for lower case a word that announces a person right before it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.context import field_context
from mlwarden.detectors.pii.names import (
    ambiguous_first_name,
    dictionary_surname,
    first_name,
    parts_confidence,
    ru_surname,
    stopword,
)
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_name_forms"]


def _bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalpha()) and (end == len(text) or not text[end].isalpha())


def _person(start: int, end: int, confidence: float) -> Match:
    return Match(start=start, end=end, kind="PERSON", confidence=confidence)


def _caps(text: str) -> Iterator[Match]:
    for m in compiled("NAME_CAPS").finditer(text):
        start, end = m.span()
        if not _bounded(text, start, end):
            continue
        words = [w if w.endswith(".") else w.capitalize() for w in m.group().split(" ")]
        if any(stopword(w) for w in words):
            continue
        confidence = parts_confidence(words)
        if confidence >= 0.9:  # a known first name and a known surname, or a patronymic
            yield _person(start, end, round(confidence - 0.05, 2))


def _inverted(text: str) -> Iterator[Match]:
    for m in compiled("NAME_INVERTED").finditer(text):
        start, end = m.span()
        if not _bounded(text, start, end):
            continue
        surname, _, rest = m.group().partition(", ")
        given = rest.split(" ")[0]
        caps = surname.isupper()
        surname, given = surname.capitalize(), given.capitalize() if given.isupper() else given
        if stopword(surname) or stopword(given) or not first_name(given) or ambiguous_first_name(given):
            continue
        known = dictionary_surname(surname)
        if not (known or ru_surname(surname)) or (first_name(surname) and not known):
            continue  # "Mary, John": a list of first names, not "Last, First"
        yield _person(start, end, 0.9 if caps else 0.85)


def _lower(text: str) -> Iterator[Match]:
    person_column = "PERSON" in field_context(0, 0)
    pattern = compiled("NAME_LOWER")
    for m in pattern.finditer(text):
        offset = m.end() - len(m.group().split(" ", 1)[1]) if " " in m.group() else m.end()
        yield from _lower_words(text, offset, m.end())
    if person_column and text.islower():
        yield from _lower_words(text, 0, len(text))


def _lower_words(text: str, start: int, end: int) -> Iterator[Match]:
    """``first [middle] surname`` in lower case from the dictionaries, starting at ``start``."""
    words = text[start:end].split(" ")
    if len(words) < 2 or not first_name(words[0]) or ambiguous_first_name(words[0]) or stopword(words[0]):
        return
    for count in (3, 2):
        if len(words) >= count and dictionary_surname(words[count - 1]) and not stopword(words[count - 1]):
            if count == 3 and not first_name(words[1]):
                continue
            stop = start + len(" ".join(words[:count]))
            if _bounded(text, start, stop):
                yield _person(start, stop, 0.8)
            return


def find_name_forms(text: str) -> Iterator[Match]:
    """Names in capitals, inverted with a comma, or in lower case after a person word."""
    if not text.islower():
        yield from _caps(text)
        if ", " in text:
            yield from _inverted(text)
    if not text.isupper():
        yield from _lower(text)

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
    patronymic,
    person_context,
    ru_surname,
    stopword,
)
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_name_forms"]

# Names that in lower case are mostly words ("это роман о войне", "слава богу", "hi will").
_LOWER_WORDS = frozenset({
    "роман", "слава", "мир", "лев", "лука", "ника", "влас", "поля", "тема", "тома", "дина", "мила", "гена", "ян",
    "нил", "фома", "влада", "юля", "макс", "стас", "ден", "гоша", "сава",
})  # fmt: skip


def _bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalpha()) and (end == len(text) or not text[end].isalpha())


def _person(start: int, end: int, confidence: float) -> Match:
    return Match(start=start, end=end, kind="PERSON", confidence=confidence)


def _caps(text: str) -> Iterator[Match]:
    for m in compiled("NAME_CAPS").finditer(text):
        start, end = m.span()
        if not _bounded(text, start, end):
            continue
        # "MICHAEL J ANDERSON": a lone capital between names is an initial.
        words = [w if w.endswith(".") else w + "." if len(w) == 1 else w.capitalize() for w in m.group().split(" ")]
        if len(words[-1]) == 2 and words[-1].endswith(".") and not m.group().endswith("."):
            continue  # "SMITH A" runs into the next word
        if any(stopword(w) for w in words):
            continue
        confidence = parts_confidence(words)
        if confidence >= 0.9:  # a known first name and a known surname, or a patronymic
            yield _person(start, end, round(confidence - 0.05, 2))
        elif confidence >= 0.8 and person_context(text, start, end):  # "Patient YVETTE HUNTER"
            yield _person(start, end, 0.8)


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
    for m in compiled("NAME_LOWER").finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # the cue word is the tail of a longer word
        yield from _lower_words(text, m.start(1), m.end(1))
    for m in compiled("NAME_LOWER_ONE").finditer(text):
        if (m.start() == 0 or not text[m.start() - 1].isalpha()) and _lower_first(text, m.start(1), m.end(1)):
            yield _person(m.start(1), m.end(1), 0.7)
    if person_column and text.islower():
        yield from _lower_words(text, 0, len(text))


def _lower_first(text: str, start: int, end: int) -> bool:
    """A lone lower-case first name ("mike" in "its mike"), whole word, not also an everyday word."""
    word = text[start:end]
    if not _bounded(text, start, end) or word in _LOWER_WORDS or stopword(word):
        return False
    return first_name(word) and not ambiguous_first_name(word)


def _russian_order(words: list[str]) -> int:
    """How many words make "иванов иван [иванович]" or "людмила петровна" (0 if neither)."""
    if len(words) < 2 or words[0] in _LOWER_WORDS or words[1] in _LOWER_WORDS or stopword(words[0]):
        return 0
    if dictionary_surname(words[0]) and first_name(words[1]) and not ambiguous_first_name(words[1]):
        return 3 if len(words) == 3 and patronymic(words[2]) else 2
    return 2 if first_name(words[0]) and patronymic(words[1]) else 0


def _lower_words(text: str, start: int, end: int) -> Iterator[Match]:
    """``first [middle] surname`` (or ``surname first [patronymic]``) in lower case, starting at ``start``."""
    words = text[start:end].split(" ")
    count = _russian_order(words)
    if count:
        stop = start + len(" ".join(words[:count]))
        if _bounded(text, start, stop):
            yield _person(start, stop, 0.8)
        return
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


def _cells(text: str) -> Iterator[Match]:
    """ "Соловьёв,Глеб,Аркадьевич": surname, first name and patronymic in three cells of one row."""
    for m in compiled("NAME_CELLS").finditer(text):
        start, end = m.span()
        separator = m.group(1)
        parts = m.group().split(separator)
        if len(parts) != 3 or not _bounded(text, start, end) or (start > 0 and text[start - 1] not in "\n" + separator):
            continue
        surname, given, middle = parts
        if patronymic(middle) and first_name(given) and ru_surname(surname) and not stopword(surname):
            yield _person(start, end, 0.95)


def find_name_forms(text: str) -> Iterator[Match]:
    """Names in capitals, inverted with a comma, in CSV cells, or in lower case after a person word."""
    if not text.islower():
        yield from _caps(text)
        if ", " in text:
            yield from _inverted(text)
        yield from _cells(text)
    if not text.isupper():
        yield from _lower(text)

"""ADDRESS: Russian, US and UK postal addresses by their structure.

Russian (see ``address_data_ru``): a chain of address parts around a street with a house number, a
village with a house number, a Zelenograd building or a PO box: postcode, country, region, district and
settlement before or after it, building, letter, flat, entrance and floor after it; FIAS abbreviations with
or without dots, in any letter case, and the same chain transliterated ("ul. Lenina, d. 5, kv. 10, Moscow").
A number followed by a unit ("ул. Ленина 5 минут", "54 кв. м") is a quantity, not a house.
English: a house number, street-name words and a USPS Publication 28 suffix (or a British
thoroughfare word), then unit, city, state and ZIP(+4) or a Royal Mail postcode; also "Flat 3, ...",
PO Boxes and APO/FPO/DPO addresses. A suffix that is also an everyday word ("Run", "Key") needs
more evidence (a unit, ZIP, postcode, city line or an address word) than "Street" does.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.address_data import STRONG_SUFFIXES, US_STATES
from mlwarden.detectors.pii.address_data_ru import UNIT_STEMS, UNIT_WORDS
from mlwarden.detectors.pii.context import field_context, window
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_addresses"]

_RU_STRONG = ("кв.", "квартира", "корп", "стр.", "г.", "город", "обл", "край", "респ", "р-н", "район", "д.", "дом")
_ADDRESS_WORDS = ("address", "адрес", "live at", "lives at", "located at", "ship to", "deliver", "mailing", "resid",
                  "проживает", "зарегистрир", "прописк")  # fmt: skip
_MAX_LENGTH = 240
# A transliterated Russian address has one of these (a cheap test before its regex).
_LATIN_STREET_WORDS = ("ul.", "ul ", "ulitsa", "ulica", "prosp", "pr-t", "pr.", "pereul", "per.", "shosse", "sh.",
                       "bulvar", "b-r", "nab.", "naberezh", "pl.", "ploshchad", "proezd", "mkr")  # fmt: skip
_LATIN_EVIDENCE = ("d.", "dom ", "kv", "korp", "str.", "ul.", "ul ", "ulitsa", "ulica", "prospekt", "pereulok",
                   "shosse", "naberezhnaya", "bulvar", "ploshchad", "proezd", "russia", "rossiya", "moscow",
                   "moskva", "petersburg", "peterburg")  # fmt: skip
# Each English pattern and the words one of which its match must contain (a cheap test before the regex).
_EN_KINDS = (
    ("ADDRESS_EN", ("",)),
    ("ADDRESS_UK_FLAT", ("Flat", "Studio", "Apartment", "Unit")),
    ("ADDRESS_PO_BOX", ("Box", "POB")),
    ("ADDRESS_MILITARY", ("APO", "FPO", "DPO")),
)


def _ru_confidence(value: str) -> float:
    lowered = value.lower()
    score = 0.8
    if lowered[:6].isdigit() or lowered[-6:].isdigit():
        score += 0.1
    if any(word in lowered for word in _RU_STRONG):
        score += 0.1
    return min(score, 0.97)


def _uk_postcode_valid(code: str) -> bool:
    """Royal Mail rules: no Q/V/X first, no I/J/Z second, inward letters never C, I, K, M, O or V."""
    compact = code.replace(" ", "")
    outward, inward = compact[:-3], compact[-3:]
    if not 2 <= len(outward) <= 4 or outward[0] in "QVX" or any(c in "CIKMOV" for c in inward[1:]):
        return False
    return not (outward[1].isalpha() and outward[1] in "IJZ")


def _inward(word: str) -> bool:
    return len(word) == 3 and word[0].isdigit() and word[1:].isalpha() and word[1:].isupper()


def _postcode_at_end(value: str) -> str | None:
    """The UK postcode that ends ``value`` ("SW1A 1AA", "EC1A1BB"), if it ends with one."""
    words = value.split(" ")
    last = words[-1]
    if _inward(last) and len(words) >= 2 and 2 <= len(words[-2]) <= 4 and words[-2][0].isupper():
        return words[-2] + " " + last
    if 5 <= len(last) <= 7 and _inward(last[-3:]) and last[0].isupper():
        return last
    return None


def _trim_tail(value: str) -> str:
    """Drop a trailing two-letter "state" that is not a USPS code, or a postcode Royal Mail would not issue."""
    words = value.split(" ")
    last = words[-1]
    state = words[-2] if len(words) >= 2 and last.isdigit() and len(last) == 5 else last
    if len(state) == 2 and state.isalpha() and state.isupper() and state not in US_STATES:
        return value[: value.rfind(state)].rstrip(" ,\n")
    code = _postcode_at_end(value)
    if code is not None and not _uk_postcode_valid(code):
        return value[: -len(code)].rstrip(" ,\n")
    return value


def _evidence(value: str) -> bool:
    """Anything besides number + name + suffix: a unit, a second line, a ZIP, a state or a postcode."""
    tail = value[-10:]
    return "\n" in value or "," in value or sum(c.isdigit() for c in tail) >= 3


def _en_confidence(text: str, start: int, value: str, kind: str) -> float:
    if kind != "ADDRESS_EN":
        return 0.95  # a flat, a PO Box or a military address: as sure as a full street address
    suffix_strong = any(word.lower().rstrip(".,") in STRONG_SUFFIXES for word in value.split()[1:])
    evidence = _evidence(value)
    if not suffix_strong and not evidence:
        around = window(text, start, start + len(value), before=32, after=0)
        return 0.75 if any(word in around for word in _ADDRESS_WORDS) else 0.45
    score = 0.8 + (0.1 if evidence else 0.0) + (0.05 if value.count(",") + value.count("\n") >= 2 else 0.0)
    return min(score, 0.95)


def _spans(text: str, name: str) -> Iterator[tuple[int, str]]:
    for m in compiled(name).finditer(text):
        start = m.start()
        value = m.group().rstrip(" ,\n")
        if len(value) > _MAX_LENGTH or (start > 0 and text[start - 1].isalnum()):
            continue
        yield start, value


def _ru_end(text: str, value: str, end: int) -> int | None:
    """Where a Russian address really ends, or None when its last number is a quantity or a longer number."""
    if end < len(text) and text[end].isalpha() and value[-1].isalpha():
        if value[-2:-1].isdigit():
            return end - 1  # "д. 5Иван": that letter starts the next word
        cut = max(value.rfind(","), value.rfind(" "), value.rfind("\n"))
        return None if cut <= 0 else end - len(value) + len(value[:cut].rstrip(" ,\n"))
    if end < len(text) and text[end].isdigit():
        return None  # "квартал 3, 2022": the house number would be a piece of a year
    if value[-1].isdigit() and _quantity_follows(text, end):
        return None  # "ул. Ленина 5 минут", "площадь квартиры 54 кв. м"
    return end


def _quantity_follows(text: str, end: int) -> bool:
    """Whether the word after a number makes it a quantity ("5 минут", "3 человека", "54 кв. м")."""
    if text[end : end + 1] != " ":
        return False
    following = text[end + 1 : end + 17].lower()
    word = following.split(None, 1)[0].rstrip(".,;:!?)") if following.strip() else ""
    if word == "кв":
        return following.replace(" ", "").startswith("кв.м")
    return word in UNIT_WORDS or word.startswith(UNIT_STEMS)


def _ru_spans(text: str) -> Iterator[tuple[int, int]]:
    names = ["ADDRESS_RU"] if not text.isascii() else []
    if any(c.isdigit() for c in text) and _latin_gate(text):
        names.append("ADDRESS_RU_LATIN")
    for name in names:
        for m in compiled(name).finditer(text):
            start, end = m.span(1)
            value = text[start:end].rstrip(" ,\n")
            if len(value) > _MAX_LENGTH:
                continue
            if name == "ADDRESS_RU_LATIN" and not _latin_evidence(value):
                continue
            real_end = _ru_end(text, value, start + len(value))
            if real_end is not None and real_end > start:
                yield start, real_end


def _latin_evidence(value: str) -> bool:
    """More than "pr. Main 45": a house or flat word, a full street word, "ul.", a city, the country or a postcode."""
    lowered = value.lower()
    if any(word in lowered for word in _LATIN_EVIDENCE):
        return True
    return any(len(part) == 6 and part.isdigit() for part in lowered.replace(",", " ").split())


def _latin_gate(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _LATIN_STREET_WORDS)


def find_addresses(text: str) -> Iterator[Match]:
    """Postal addresses with a street (or box) and a number."""
    for start, end in _ru_spans(text):
        confidence = _ru_confidence(text[start:end])
        if "ADDRESS" in field_context(start, end):
            confidence = max(confidence, 0.9)
        yield Match(start=start, end=end, kind="ADDRESS", confidence=confidence)
    if not any(c.isdigit() for c in text):
        return
    for kind, needs in _EN_KINDS:
        if not any(word in text for word in needs):
            continue
        for start, found in _spans(text, kind):
            value = _trim_tail(found)
            confidence = _en_confidence(text, start, value, kind)
            if "ADDRESS" in field_context(start, start + len(value)):
                confidence = max(confidence, 0.85)
            yield Match(start=start, end=start + len(value), kind="ADDRESS", confidence=confidence)

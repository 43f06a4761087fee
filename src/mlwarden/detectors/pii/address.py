"""ADDRESS: Russian, US and UK postal addresses by their structure.

Russian: a street type ("ул.", "пр-т", "наб.", "б-р" ...) with a name and a house number, with an
optional postcode, region ("Московская обл.", "Респ. Татарстан", "Чукотский АО"), settlement,
building ("корп. 1", "стр. 2", "52к3"), flat ("кв. 12", "165-287") and a trailing postcode.
English: a house number, street-name words and a USPS Publication 28 suffix (or a British
thoroughfare word), then unit, city, state and ZIP(+4) or a Royal Mail postcode; also "Flat 3, ...",
PO Boxes and APO/FPO/DPO addresses. A suffix that is also an everyday word ("Run", "Key") needs
more evidence (a unit, ZIP, postcode, city line or an address word) than "Street" does.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.address_data import STRONG_SUFFIXES, US_STATES
from mlwarden.detectors.pii.context import field_context, window
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_addresses"]

_RU_STRONG = ("кв.", "квартира", "корп", "стр.", "г.", "город", "обл", "край", "респ", "р-н", "район", "д.", "дом")
_ADDRESS_WORDS = ("address", "адрес", "live at", "lives at", "located at", "ship to", "deliver", "mailing", "resid",
                  "проживает", "зарегистрир", "прописк")  # fmt: skip
_MAX_LENGTH = 200
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


def find_addresses(text: str) -> Iterator[Match]:
    """Postal addresses with a street (or box) and a number."""
    for start, found in () if text.isascii() else _spans(text, "ADDRESS_RU"):
        end = start + len(found)
        glued = end < len(text) and text[end].isalpha() and found[-1].isalpha() and found[-2:-1].isdigit()
        value = found[:-1] if glued else found  # "д. 5 Ленина": that letter starts the next word
        confidence = _ru_confidence(value)
        if "ADDRESS" in field_context(start, start + len(value)):
            confidence = max(confidence, 0.9)
        yield Match(start=start, end=start + len(value), kind="ADDRESS", confidence=confidence)
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

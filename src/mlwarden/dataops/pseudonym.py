"""Consistent pseudonyms: the same value and key always give the same fake value of the same shape.

Every pseudonym is derived from an HMAC of the normalised value, so joins across tables still work
while the original cannot be recovered without the key. Separators and length are kept, digits stay
digits and letters stay letters of the same script and case; identifiers with a check digit (cards,
INN, SNILS, IBAN) get a valid one, and SSNs follow the SSA structure rules, so downstream validation
and the detectors treat them like real values.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date, timedelta

from mlwarden.dataops.keys import keyed_hash
from mlwarden.dataops.normalize import normalize_identifier

__all__ = ["pseudonym"]

_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "абвгдежзиклмнопрстуфхцчшэюя"
_FIRST = {"latin": ("Alex", "Maria", "John", "Anna", "David", "Laura", "Peter", "Emma", "Mark", "Julia"),
          "cyrillic": ("Алексей", "Мария", "Иван", "Анна", "Дмитрий", "Елена", "Павел", "Ольга", "Сергей",
                       "Юлия")}  # fmt: skip
_LAST = {"latin": ("Smith", "Brown", "Taylor", "Wilson", "Clark", "Walker", "Young", "Hall", "Allen", "King"),
         "cyrillic": ("Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков",
                      "Зайцев")}  # fmt: skip
_STREETS = {"latin": ("Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St"),
            "cyrillic": ("ул. Лесная", "ул. Садовая", "ул. Полевая", "ул. Речная", "ул. Школьная")}  # fmt: skip
_DATE = re.compile(r"^(\d{4})([-./])(\d{2})\2(\d{2})$|^(\d{2})([-./])(\d{2})\6(\d{4})$")


class _Stream:
    """Deterministic pseudo-random numbers from a seed (SHA-256 in counter mode)."""

    def __init__(self, seed: str) -> None:
        self._seed = seed.encode("ascii")
        self._bytes = self._generate()

    def _generate(self) -> Iterator[int]:
        counter = 0
        while True:
            yield from hashlib.sha256(self._seed + counter.to_bytes(8, "big")).digest()
            counter += 1

    def below(self, limit: int) -> int:
        """A number in ``range(limit)`` (limit <= 256; the bias is irrelevant for pseudonyms)."""
        return next(self._bytes) % limit


def _script(value: str) -> str:
    return "cyrillic" if any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in value) else "latin"


def _reshape(value: str, rng: _Stream, *, keep: int = 0) -> str:
    """Replace letters and digits after the first ``keep`` of them, keeping case, script and separators."""
    out: list[str] = []
    seen = 0
    for ch in value:
        if not ch.isalnum() or seen < keep:
            seen += ch.isalnum()
            out.append(ch)
            continue
        seen += 1
        if ch.isdigit():
            out.append(str(rng.below(10)))
        else:
            alphabet = _CYRILLIC if _script(ch) == "cyrillic" else _LATIN
            letter = alphabet[rng.below(len(alphabet))]
            out.append(letter.upper() if ch.isupper() else letter)
    return "".join(out)


def _with_digits(template: str, digits: list[int]) -> str:
    feed = iter(digits)
    return "".join(str(next(feed)) if ch.isdigit() else ch for ch in template)


def _weighted(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def _fix_digits(kind: str, digits: list[int]) -> list[int]:
    """Make a digit list pass its kind's checksum or structure rules."""
    if kind == "CREDIT_CARD" and len(digits) >= 12:
        body = digits[:-1]
        total = sum((d * 2 - 9 if d > 4 else d * 2) if i % 2 == 0 else d for i, d in enumerate(reversed(body)))
        return [*body, (10 - total % 10) % 10]
    if kind == "RU_INN" and len(digits) == 12:
        body = digits[:10]
        body.append(_weighted(body, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
        return [*body, _weighted(body, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))]
    if kind == "RU_INN" and len(digits) == 10:
        return [*digits[:9], _weighted(digits[:9], (2, 4, 10, 3, 5, 9, 4, 6, 8))]
    if kind == "RU_SNILS" and len(digits) == 11:
        body = [max(digits[0], 1), *digits[1:9]]
        total = sum(d * w for d, w in zip(body, range(9, 0, -1), strict=True))
        total = total % 101 if total > 101 else total
        check = 0 if total in (100, 101) else total
        return [*body, check // 10, check % 10]
    if kind == "US_SSN" and len(digits) == 9:
        area = [1 + digits[0] % 8, digits[1], digits[2]]
        if area == [6, 6, 6]:
            area[2] = 7
        return [*area, digits[3], max(digits[4], 1), *digits[5:8], max(digits[8], 1)]
    return digits


def _digit_kind(kind: str, value: str, rng: _Stream) -> str:
    keep = 0
    if kind == "PHONE":
        stripped = value.lstrip()
        keep = (1 if stripped[1:2] in ("7", "1") else 2) if stripped.startswith("+") else 1
    elif kind == "CREDIT_CARD":
        keep = 1
    shaped = _reshape(value, rng, keep=keep)
    digits = [int(ch) for ch in shaped if ch.isdigit()]
    return _with_digits(shaped, _fix_digits(kind, digits))


def _iban(value: str, rng: _Stream) -> str:
    compact = value.replace(" ", "")
    bban = _reshape(compact[4:], rng)
    country = compact[:2].upper()
    number = "".join(str(int(ch, 36)) for ch in bban.upper() + country + "00")
    check = f"{98 - int(number) % 97:02d}"
    result = country + check + bban
    if " " in value:
        return " ".join(result[i : i + 4] for i in range(0, len(result), 4))
    return result


def _birth_date(value: str, rng: _Stream) -> str:
    found = _DATE.match(value.strip())
    if found is None:
        return _reshape(value, rng)
    day = date(1940, 1, 1) + timedelta(days=rng.below(256) * 256 + rng.below(256))
    if found.group(1):
        sep = found.group(2)
        return f"{day.year:04d}{sep}{day.month:02d}{sep}{day.day:02d}"
    sep = found.group(6)
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year:04d}"


def _ip(value: str, rng: _Stream) -> str:
    if ":" in value:
        return "fd00:" + ":".join(f"{rng.below(256):02x}{rng.below(256):02x}" for _ in range(7))
    return "10." + ".".join(str(rng.below(256)) for _ in range(3))


def _words(kind: str, value: str, rng: _Stream) -> str:
    script = _script(value)
    if kind == "ADDRESS":
        return f"{_STREETS[script][rng.below(5)]}, {1 + rng.below(120)}"
    words = value.split()
    names = [_FIRST[script][rng.below(10)], _LAST[script][rng.below(10)]]
    return " ".join(names if len(words) != 1 else names[1:])


def pseudonym(kind: str, value: str, key: bytes) -> str:
    """The pseudonym of ``value`` (of detector kind ``kind``) under ``key``."""
    seed = keyed_hash(key, f"pseudonym:{kind}", normalize_identifier(value))
    rng = _Stream(seed)
    if kind == "EMAIL":
        local = "".join(_LATIN[rng.below(26)] for _ in range(8))
        return f"{local}@example.com"
    if kind in ("PERSON", "ADDRESS"):
        return _words(kind, value, rng)
    if kind == "IBAN" and len(value.replace(" ", "")) > 4:
        return _iban(value, rng)
    if kind == "DATE_OF_BIRTH":
        return _birth_date(value, rng)
    if kind == "IP_ADDRESS":
        return _ip(value, rng)
    return _digit_kind(kind, value, rng)

"""Synthetic, checksum-valid identifiers for tests: never real people's data.

Every generator takes a ``random.Random`` so tests are reproducible. Values are built digit by
digit from the published check-digit algorithms, which is also an independent check of
``mlwarden.detectors.pii.checksums`` (the generators do not import it).
"""

from __future__ import annotations

import random
import string

__all__ = [
    "card",
    "iban",
    "inn10",
    "inn12",
    "invalid_variant",
    "kpp",
    "ogrn",
    "ogrnip",
    "ru_mobile",
    "snils",
    "us_ssn",
]

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_IBAN_SHAPES = {"DE": 22, "GB": 22, "FR": 27, "RU": 33, "NL": 18, "ES": 24, "KZ": 20}


def _digits(rng: random.Random, count: int, *, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(count - 1))


def _weighted(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def inn10(rng: random.Random) -> str:
    """A 10-digit organisation INN with a valid check digit."""
    body = _digits(rng, 9)
    return body + _weighted(body, _INN10)


def inn12(rng: random.Random) -> str:
    """A 12-digit personal INN with both check digits valid."""
    body = _digits(rng, 10)
    body += _weighted(body, _INN12_1)
    return body + _weighted(body, _INN12_2)


def snils(rng: random.Random, *, formatted: bool = True) -> str:
    """A SNILS above 001-001-998 with its checksum: ``123-456-789 01`` or 11 bare digits."""
    body = _digits(rng, 9, first="123456789")
    total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    check = 0 if total in (100, 101) else total
    value = body + f"{check:02d}"
    return f"{value[:3]}-{value[3:6]}-{value[6:9]} {value[9:]}" if formatted else value


def ogrn(rng: random.Random) -> str:
    """A 13-digit OGRN of a legal entity."""
    body = rng.choice("15") + _digits(rng, 11, first=string.digits)
    return body + str(int(body) % 11 % 10)


def ogrnip(rng: random.Random) -> str:
    """A 15-digit OGRNIP of a sole proprietor."""
    body = "3" + _digits(rng, 13, first=string.digits)
    return body + str(int(body) % 13 % 10)


def kpp(rng: random.Random) -> str:
    """A KPP: tax office, reason code, serial."""
    return _digits(rng, 4) + rng.choice(("01", "43", "45", "50")) + _digits(rng, 3, first=string.digits)


def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def card(rng: random.Random, prefix: str = "4", length: int = 16) -> str:
    """A Luhn-valid card number with an issuer ``prefix`` (4 Visa, 51 Mastercard, 2200 Mir, 37 Amex)."""
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return _luhn_complete(body)


def iban(rng: random.Random, country: str = "DE") -> str:
    """An IBAN of the country's registry length with valid mod-97 check digits."""
    bban = "".join(rng.choice(string.digits) for _ in range(_IBAN_SHAPES[country] - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def us_ssn(rng: random.Random) -> str:
    """An SSN in the SSA's assignable ranges, written 123-45-6789."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def ru_mobile(rng: random.Random) -> str:
    """A Russian mobile number: +7 9XX XXX-XX-XX."""
    return f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def invalid_variant(value: str) -> str:
    """The same shape with the last digit changed: fails its check digit (a decoy)."""
    last = value[-1]
    return value[:-1] + str((int(last) + 1) % 10)

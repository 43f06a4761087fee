"""Check digits and structure rules: what separates a real identifier from a look-alike number.

Every function takes the bare digits (or characters) of a candidate, already stripped of
separators, and returns whether the identifier is well formed. They are pure and total: any
string, however hostile, gives ``True`` or ``False``.
"""

from __future__ import annotations

__all__ = [
    "IBAN_LENGTHS",
    "card_brand",
    "iban_valid",
    "inn10_valid",
    "inn12_valid",
    "kpp_valid",
    "luhn_valid",
    "ogrn_valid",
    "snils_valid",
    "us_ssn_valid",
]

# Per-country IBAN lengths from the SWIFT IBAN registry.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _digits(value: str, length: int) -> list[int] | None:
    if len(value) != length or not value.isascii() or not value.isdigit():
        return None
    return [ord(c) - 48 for c in value]


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment cards."""
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# (prefix low, prefix high, prefix length, allowed lengths, brand). Checked in order.
_CARD_RANGES: tuple[tuple[int, int, int, tuple[int, ...], str], ...] = (
    (2200, 2204, 4, (16, 17, 18, 19), "MIR"),
    (34, 34, 2, (15,), "AMEX"),
    (37, 37, 2, (15,), "AMEX"),
    (4, 4, 1, (13, 16, 19), "VISA"),
    (51, 55, 2, (16,), "MASTERCARD"),
    (2221, 2720, 4, (16,), "MASTERCARD"),
    (6011, 6011, 4, (16, 17, 18, 19), "DISCOVER"),
    (644, 649, 3, (16, 17, 18, 19), "DISCOVER"),
    (65, 65, 2, (16, 17, 18, 19), "DISCOVER"),
    (3528, 3589, 4, (16, 17, 18, 19), "JCB"),
    (62, 62, 2, (16, 17, 18, 19), "UNIONPAY"),
    (300, 305, 3, (14, 16, 17, 18, 19), "DINERS"),
    (36, 36, 2, (14, 16, 17, 18, 19), "DINERS"),
    (38, 39, 2, (14, 16, 17, 18, 19), "DINERS"),
    (50, 50, 2, (12, 13, 14, 15, 16, 17, 18, 19), "MAESTRO"),
    (56, 69, 2, (12, 13, 14, 15, 16, 17, 18, 19), "MAESTRO"),
)


def card_brand(digits: str) -> str | None:
    """The card scheme for an issuer prefix (BIN) and length, or None when no scheme issues it."""
    if not digits.isascii() or not digits.isdigit():
        return None
    for low, high, size, lengths, brand in _CARD_RANGES:
        if len(digits) in lengths and low <= int(digits[:size]) <= high:
            return brand
    return None


def iban_valid(value: str) -> bool:
    """Country length from the registry and the ISO 7064 mod-97 check (remainder 1)."""
    value = value.upper()
    if not value.isascii() or not value.isalnum() or len(value) < 15:
        return False
    if IBAN_LENGTHS.get(value[:2]) != len(value) or not value[2:4].isdigit():
        return False
    rearranged = value[4:] + value[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn10_valid(value: str) -> bool:
    """A 10-digit INN of a legal entity: one check digit."""
    d = _digits(value, 10)
    return d is not None and value != "0" * 10 and _check_digit(d, _INN10_WEIGHTS) == d[9]


def inn12_valid(value: str) -> bool:
    """A 12-digit INN of a person (or sole proprietor): two check digits."""
    d = _digits(value, 12)
    if d is None or value == "0" * 12:
        return False
    return _check_digit(d, _INN12_WEIGHTS_1) == d[10] and _check_digit(d, _INN12_WEIGHTS_2) == d[11]


def snils_valid(value: str) -> bool:
    """SNILS: 9 digits and a 2-digit checksum. Numbers up to 001-001-998 carry no checksum."""
    d = _digits(value, 11)
    if d is None:
        return False
    body = int(value[:9])
    if body <= 1001998:
        return False  # issued without a control number; indistinguishable from noise, not reported
    total = sum(digit * weight for digit, weight in zip(d[:9], range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    check = 0 if total in (100, 101) else total
    return check == d[9] * 10 + d[10]


def ogrn_valid(value: str) -> bool:
    """OGRN (13 digits, legal entity) or OGRNIP (15 digits, sole proprietor) check digit."""
    if not value.isascii() or not value.isdigit() or value[:1] == "0":
        return False
    if len(value) == 13 and value[0] in "1256789":
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15 and value[0] in "34":
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False


def kpp_valid(value: str) -> bool:
    """KPP structure: 4-digit tax office, 2-character reason (digits or A-Z), 3-digit serial."""
    if len(value) != 9 or not value.isascii():
        return False
    office, reason, serial = value[:4], value[4:6], value[6:]
    if not (office.isdigit() and serial.isdigit()) or office[:2] == "00":
        return False
    return all(c.isdigit() or "A" <= c <= "Z" for c in reason)


def us_ssn_valid(value: str) -> bool:
    """SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000; no all-same digits."""
    d = _digits(value, 9)
    if d is None:
        return False
    area, group, serial = value[:3], value[3:5], value[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return len(set(value)) > 1 and value not in ("123456789", "078051120", "219099999")

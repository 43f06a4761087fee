"""Identifier normalisation: ``+7 (916) 123-45-67`` and ``89161234567`` are the same phone.

Used by ``forget --match normalized`` (a subject's number is often written differently in each
system) and before hashing, so a keyed hash joins the same person across formats.
"""

from __future__ import annotations

__all__ = ["normalize_identifier"]

_SEPARATORS = str.maketrans("", "", " \t\u00a0-().+/")


def normalize_identifier(value: str) -> str:
    """A canonical form: e-mails lower-cased, digit identifiers reduced to digits (RU ``8…`` -> ``7…``)."""
    text = value.strip()
    if "@" in text:
        return text.casefold()
    digits = text.translate(_SEPARATORS)
    if digits.isascii() and digits.isdigit():
        if len(digits) == 11 and digits[0] == "8":
            return "7" + digits[1:]
        if len(digits) == 10 and digits[0] == "9" and text.lstrip()[:1] != "+":
            return "7" + digits
        return digits
    return " ".join(text.casefold().split())

"""Masks that keep a value's shape: ``i***@e***.ru``, ``+7 *** ***-**-89``, ``И*** П***``.

Used for finding evidence (so a report can show what kind of value it saw without showing it) and
by ``mlwarden redact --mode mask``. A mask keeps separators and at most the few characters that make
the value recognisable to its owner (the last digits of a phone or card), never enough to re-identify.
"""

from __future__ import annotations

__all__ = ["mask_value"]

# How many trailing digits each digit-based kind keeps.
_KEEP_DIGITS = {"PHONE": 2, "CREDIT_CARD": 4, "IBAN": 4, "US_SSN": 0, "RU_INN": 0, "RU_SNILS": 0}
_WORD_KINDS = frozenset({"PERSON", "ADDRESS"})


def _mask_email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    if not host:
        host, dot, tld = domain, "", ""
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}"


def _mask_words(value: str) -> str:
    return " ".join(f"{word[:1]}***" if word[:1].isalnum() else word for word in value.split())


def _mask_chars(value: str, *, keep_tail: int, keep_head: int = 0) -> str:
    """Replace letters and digits with ``*``, keeping separators, ``keep_head`` leading characters
    (a ``+7`` country code, an IBAN's country) and ``keep_tail`` trailing digits."""
    alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
    keep = set(alnum[:keep_head]) | (set(alnum[-keep_tail:]) if keep_tail else set())
    return "".join(ch if (i in keep or not ch.isalnum()) else "*" for i, ch in enumerate(value))


def mask_value(kind: str, value: str) -> str:
    """A masked form of ``value`` that keeps the format hints of its ``kind``."""
    if kind == "EMAIL" and "@" in value:
        return _mask_email(value)
    if kind in _WORD_KINDS:
        return _mask_words(value)
    if kind == "SECRET":
        return f"***({len(value)} chars)"
    keep_tail = _KEEP_DIGITS.get(kind, 0)
    keep_head = 0
    if kind == "PHONE" and value.lstrip().startswith("+"):
        digits = [ch for ch in value if ch.isdigit()]
        keep_head = 1 if digits[:1] in (["7"], ["1"]) else 2
    elif kind == "IBAN":
        keep_head = 2
    masked = _mask_chars(value, keep_tail=keep_tail, keep_head=keep_head)
    return masked if masked != value else "*" * len(value)

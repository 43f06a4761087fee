"""Context words (English and Russian) that raise or lower a candidate's confidence.

A 10-digit number after "ИНН" is an INN; the same number after "order" or "заказ" is not. Words
are matched as lowercase substrings (so "паспорта" matches "паспорт") in a short window before
and after the match. The window never crosses a NUL character, which is how column values joined
by ``DetectorSet.detect_column`` keep their own context.

Field names count as context too: inside ``fields_scope(field_map(...))`` a value in the ``ssn``
column of a CSV block, an SQL ``INSERT`` or under a ``column_name`` has the ``US_SSN`` context even
when the header is far away (see ``fields``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from mlwarden.detectors.pii.fields import NEGATIVE_FIELD, FieldMap

__all__ = [
    "AFTER",
    "BEFORE",
    "CONTEXT",
    "NEGATIVE",
    "field_context",
    "fields_scope",
    "has_context",
    "has_negative",
    "window",
]

BEFORE = 48
AFTER = 24

CONTEXT: dict[str, tuple[str, ...]] = {
    "EMAIL": ("email", "e-mail", "mail", "почт", "эл. адрес", "contact", "контакт"),
    "PHONE": (
        "phone",
        "tel",
        "mobile",
        "cell",
        "call",
        "fax",
        "whatsapp",
        "telegram",
        "тел.",
        "тел:",
        "тел ",
        "телефон",
        "моб",
        "звон",
        "номер телефона",
        "контакт",
        "contact",
        "sms",
        "смс",
        "мой номер",
        "my number",
        "reach me",
        "text me",
        "вотсап",
        "ватсап",
        "viber",
        "вайбер",
        "перезвон",
        "позвон",
    ),
    "CREDIT_CARD": ("card", "visa", "mastercard", "amex", "мир", "карт", "payment", "оплат", "cc", "pan"),
    "IBAN": ("iban", "account", "bank", "счет", "счёт", "банк", "transfer", "перевод"),
    "US_SSN": ("ssn", "social security", "social sec", "ss#", "ss #", "taxpayer"),
    "IP_ADDRESS": ("ip", "address", "host", "server", "адрес", "сервер", "client"),
    "DATE_OF_BIRTH": (
        "birth",
        "born",
        "dob",
        "d.o.b",
        "birthday",
        "рожд",
        "родил",
        "д.р",
        "г.р",
        "возраст",
        "age",
    ),
    "RU_PASSPORT": ("паспорт", "серия", "серии", "выдан", "passport", "удостовер", "документ", "пасп"),
    "RU_INN": ("инн", "inn", "идентификационный номер", "налог", "taxpayer", "tax id"),
    "RU_SNILS": ("снилс", "snils", "страхов", "пенсион", "пфр"),
    "RU_INN_ORG": ("инн", "inn", "организац", "ооо", "ао ", "пао", "зао", "ип ", "company", "компани", "юр"),
    "RU_OGRN": ("огрн", "ogrn", "огрнип", "регистрац", "ооо", "ао ", "пао", "ип "),
    "RU_KPP": ("кпп", "kpp"),
}

# Words that make a number something else: orders, invoices, versions, timestamps, hashes.
NEGATIVE: tuple[str, ...] = (
    "order",
    "заказ",
    "invoice",
    "накладн",
    "tracking",
    "трек",
    "version",
    "верси",
    "build",
    "сборк",
    "timestamp",
    "epoch",
    "unix",
    "md5",
    "hash",
    "хеш",
    "хэш",
    "commit",
    "артикул",
    "sku",
    "isbn",
    "transaction",
    "транзакц",
    "ticket",
    "тикет",
    "заявк",
    "sha1",
    "sha2",
    "sha-",
    "uuid",
    "guid",
    "ref",
    "#",
    "№",
    "ord-",
    "inv-",
    "бик",
    "bik",
    "р/с",
    "к/с",
    "корр",
    "booking",
    "visit",
    "firmware",
    "прошивк",
    "release",
    "релиз",
    "patch",
    "fw ",
)


_FIELDS: ContextVar[FieldMap | None] = ContextVar("mlwarden_pii_fields", default=None)


@contextmanager
def fields_scope(fields: FieldMap) -> Iterator[None]:
    """Make ``fields`` the field context of every lookup in this block (thread- and task-local)."""
    token = _FIELDS.set(fields)
    try:
        yield
    finally:
        _FIELDS.reset(token)


def field_context(start: int, end: int) -> frozenset[str]:
    """The context keys that the field (column) holding ``[start, end)`` gives, if any."""
    fields = _FIELDS.get()
    return fields.at(start, end) if fields else frozenset()


def window(text: str, start: int, end: int, *, before: int = BEFORE, after: int = AFTER) -> str:
    """Lowercased text around ``text[start:end]``, cut at the nearest NUL on either side."""
    left = text[max(0, start - before) : start]
    cut = left.rfind("\x00")
    if cut >= 0:
        left = left[cut + 1 :]
    right = text[end : end + after]
    cut = right.find("\x00")
    if cut >= 0:
        right = right[:cut]
    return (left + " \x01 " + right).lower()


def has_context(text: str, start: int, end: int, key: str, *, before: int = BEFORE, after: int = AFTER) -> bool:
    """Whether a context word for ``key`` appears around the match (or its field name implies ``key``)."""
    if key in field_context(start, end):
        return True
    return _mentions(window(text, start, end, before=before, after=after), key)


@lru_cache(maxsize=16384)
def _mentions(around: str, key: str) -> bool:
    return any(word in around for word in CONTEXT[key])


def has_negative(text: str, start: int, end: int, key: str | None = None) -> bool:
    """Whether a word just before the match says it is an order number, version, hash or timestamp.

    With ``key``, a context word for that kind that is *closer* to the match than the negative word
    wins ("ИНН/КПП 7707083893/773601001, БИК 044525225": the BIK is negative, the KPP is not).
    """
    keys = field_context(start, end)
    if key is not None and key in keys:
        return False
    if NEGATIVE_FIELD in keys:
        return True
    left = text[max(0, start - 24) : start]
    cut = left.rfind("\x00")
    if cut >= 0:
        left = left[cut + 1 :]
    cut = max(left.rfind(mark) for mark in "?!;\n")
    if cut >= 0:
        left = left[cut + 1 :]  # "где мой заказ? Ирина, +7 ...": the order word is in another sentence
    if left.isspace() or not left:
        return False
    return _negative_before(left.lower() + " ", key)


@lru_cache(maxsize=16384)
def _negative_before(before: str, key: str | None) -> bool:
    negative = max(before.rfind(word) for word in NEGATIVE)
    if negative < 0:
        return False
    if key is None:
        return True
    positive = max((before.rfind(word) for word in CONTEXT[key]), default=-1)
    return negative > positive

"""``find_pii`` on English and Russian sentences, decoys that fail validation, and exact offsets."""

from __future__ import annotations

import itertools
import random

import pytest
from tests.factories import pii as factory

from mlwarden.detectors.pii import find_pii

RNG = random.Random(7)
INN12 = factory.inn12(RNG)
INN10 = factory.inn10(RNG)
SNILS = factory.snils(RNG)
OGRN = factory.ogrn(RNG)
KPP = factory.kpp(RNG)
VISA = factory.card(RNG, "4", 16)
MIR = factory.card(RNG, "2200", 16)
IBAN_DE = factory.iban(RNG, "DE")
SSN = factory.us_ssn(RNG)
MOBILE = factory.ru_mobile(RNG)
ADDRESS_RU = "123456, г. Москва, ул. Ленина, д. 5, кв. 12"


def _spaced(card: str) -> str:
    return " ".join(card[i : i + 4] for i in range(0, len(card), 4))


def _found(text: str) -> list[tuple[str, str, str | None]]:
    return [(text[m.start : m.end], m.kind, m.subtype) for m in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "value", "kind", "subtype"),
    [
        ("Пишите на ivan.petrov@example.ru", "ivan.petrov@example.ru", "EMAIL", None),
        ("почта: почта@пример.рф.", "почта@пример.рф", "EMAIL", None),
        (f"Мой телефон {MOBILE}, звоните", MOBILE, "PHONE", None),
        ("тел. 8 (916) 123-45-67", "8 (916) 123-45-67", "PHONE", None),
        ("тел.: 8-916-123-45-67", "8-916-123-45-67", "PHONE", None),
        ("Call me: (212) 555-0123.", "(212) 555-0123", "PHONE", None),
        ("UK office +44 20 7946 0958", "+44 20 7946 0958", "PHONE", None),
        (f"Оплата картой {_spaced(VISA)} прошла", _spaced(VISA), "CREDIT_CARD", None),
        (f"карта Мир {MIR}", MIR, "CREDIT_CARD", None),
        (f"IBAN: {IBAN_DE}", IBAN_DE, "IBAN", None),
        (f"SSN {SSN} on file", SSN, "US_SSN", None),
        ("connect to 10.20.30.40 now", "10.20.30.40", "IP_ADDRESS", None),
        ("host 2001:db8::8a2e:370:7334 up", "2001:db8::8a2e:370:7334", "IP_ADDRESS", None),
        ("Date of birth: 12/25/1990", "12/25/1990", "DATE_OF_BIRTH", None),
        ("дата рождения 03.04.1985", "03.04.1985", "DATE_OF_BIRTH", None),
        ("родился 12 марта 1985 года", "12 марта 1985", "DATE_OF_BIRTH", None),
        ("born on March 12, 1985", "March 12, 1985", "DATE_OF_BIRTH", None),
        ("паспорт серия 45 10 № 123456 выдан", "45 10 № 123456", "RU_PASSPORT", None),
        ("Паспорт: 4510 123456", "4510 123456", "RU_PASSPORT", None),
        (f"ИНН {INN12}", INN12, "RU_INN", None),
        (f"СНИЛС {SNILS}", SNILS, "RU_SNILS", None),
        (f"ООО «Ромашка», ИНН {INN10}", INN10, "ORG_ID", "RU_INN_ORG"),
        (f"ОГРН {OGRN}", OGRN, "ORG_ID", "RU_OGRN"),
        (f"КПП {KPP}", KPP, "ORG_ID", "RU_KPP"),
        ("Иванов Иван Иванович подписал", "Иванов Иван Иванович", "PERSON", None),
        ("выдано Петровой Анне Сергеевне", "Петровой Анне Сергеевне", "PERSON", None),
        ("утвердил И. И. Иванов", "И. И. Иванов", "PERSON", None),
        ("John Smith signed it", "John Smith", "PERSON", None),
        ("Please ask Mr. Brown", "Brown", "PERSON", None),
        ("Адрес: 123456, г. Москва, ул. Ленина, д. 5, кв. 12.", ADDRESS_RU, "ADDRESS", None),
        ("Ship to 221 Baker Street, London", "221 Baker Street, London", "ADDRESS", None),
    ],
)  # fmt: skip
def test_finds_entity(text: str, value: str, kind: str, subtype: str | None) -> None:
    assert (value, kind, subtype) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "order 1234567890 shipped",  # order number
        "Заказ № 4000123456 оформлен",
        "sha1 3f786850e387550fdab836ed7e6dc881de23001b",
        "commit 1234567890abcdef",
        "version 1.2.3.4 released",
        "v10.0.0.1",
        "timestamp 1700000000123",
        "2024-01-15 12:30:45",
        "coordinates 55.7558, 37.6173",
        "price 1234.56 RUB",
        "ISBN 978-3-16-148410-0",
        "uuid 123e4567-e89b-12d3-a456-426614174000",
        f"card {factory.invalid_variant(VISA)}",  # Luhn fails
        f"ИНН {factory.invalid_variant(INN12)}",  # check digit fails
        f"СНИЛС {factory.invalid_variant(SNILS)}",
        f"IBAN {factory.invalid_variant(IBAN_DE)}",
        "SSN 666-12-3456",
        "build 2200000000000000",
        "May 12 we will meet Will",
        "The University of London and Apple Inc",
        "Москва, Россия",
    ],
)
def test_decoys_are_not_personal_data(text: str) -> None:
    kinds = {kind for _, kind, _ in _found(text)}
    assert not kinds & {"CREDIT_CARD", "RU_INN", "RU_SNILS", "IBAN", "US_SSN", "PHONE", "PERSON", "ORG_ID"}, text


def test_validation_and_context_raise_confidence() -> None:
    bare = next(find_pii(f"value {INN12}"))
    with_context = next(find_pii(f"ИНН {INN12}"))
    assert bare.validated and with_context.validated
    assert with_context.confidence >= 0.95 > bare.confidence >= 0.75


def test_org_ids_are_not_personal() -> None:
    found = list(find_pii(f"ИНН {INN10}, ОГРН {OGRN}, КПП {KPP}"))
    assert {m.kind for m in found} == {"ORG_ID"}
    assert {m.subtype for m in found} == {"RU_INN_ORG", "RU_OGRN", "RU_KPP"}


def test_snils_beats_phone_and_passport_needs_context() -> None:
    bare = SNILS.replace("-", "").replace(" ", "")
    assert _found(f"СНИЛС {bare}") == [(bare, "RU_SNILS", None)]
    assert not [k for _, k, _ in _found("number 4510123456") if k == "RU_PASSPORT"]


@pytest.mark.parametrize(
    "prefix",
    ["", "\u200b", "\u200b\u200d\ufeff", "😀", "😀\u200b😀", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ", "éè ", "\u00a0", "\ud800 "],
)
def test_offsets_are_exact_after_invisible_and_astral_characters(prefix: str) -> None:
    text = f"{prefix}mail a@example.com, ИНН {INN12}, тел. {MOBILE}"
    found = {m.kind: text[m.start : m.end] for m in find_pii(text)}
    assert found["EMAIL"] == "a@example.com"
    assert found["RU_INN"] == INN12
    assert found["PHONE"] == MOBILE


def test_zero_width_inside_a_number_is_spanned() -> None:
    hidden = INN12[:4] + "\u200b" + INN12[4:8] + "\u2060" + INN12[8:]
    text = f"ИНН {hidden}."
    (match,) = [m for m in find_pii(text) if m.kind == "RU_INN"]
    assert text[match.start : match.end] == hidden


def test_full_width_digits_are_normalised_and_offsets_kept() -> None:
    full = "".join(chr(0xFF10 + int(d)) for d in INN12)
    text = f"😀 ИНН {full}"
    (match,) = list(find_pii(text))
    assert (text[match.start : match.end], match.kind) == (full, "RU_INN")


def test_sorted_and_non_overlapping() -> None:
    text = f"{MOBILE} {VISA} {INN12} a@b.co {SNILS} Иванов Иван Иванович " * 3
    found = list(find_pii(text))
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))

"""Field names as context (SQL, CSV, Markdown, JSON, column hints), INN vs card, passports, OGRNIP, secrets."""

from __future__ import annotations

import random

import pytest
from tests.factories import pii as factory

from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.pii.checksums import inn12_valid, luhn_valid
from mlwarden.detectors.pii.fields import field_keys, field_map
from mlwarden.detectors.secrets import find_secrets

RNG = random.Random(23)
DETECTORS = DetectorSet.default()
SSN = factory.us_ssn(RNG)
SSN_BARE = SSN.replace("-", "")
PASSPORT = "4510123456"


def _inn12_luhn() -> str:
    while True:
        value = factory.inn12(RNG)
        if luhn_valid(value) and value[:2] in ("50", "56", "57", "58", "60", "63", "67"):
            return value


INN_LUHN = _inn12_luhn()


def _found(text: str, **kwargs: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in DETECTORS.detect(text, **kwargs)]


def test_field_keys_of_names() -> None:
    assert field_keys("ssn") == {"US_SSN"}
    assert "RU_INN" in field_keys("tax_id")
    assert field_keys("customer_id") == {"NEGATIVE"}
    assert field_keys("passport_id") == {"RU_PASSPORT"}
    assert field_keys("Дата рождения") == {"DATE_OF_BIRTH"}
    assert field_keys("app_version") == {"NEGATIVE"}
    assert field_keys("comment") == frozenset()


def test_sql_insert_columns_are_context() -> None:
    text = (
        f"INSERT INTO people (name, ssn, passport, dob) VALUES ('Ann', '{SSN_BARE}', '{PASSPORT}', '1990-01-02'),"
        f" ('Bob', '{SSN[:3]} {SSN[4:6]} {SSN[7:]}', '4511 123457', '02.03.1985');"
    )
    found = _found(text)
    assert (SSN_BARE, "US_SSN") in found
    assert (f"{SSN[:3]} {SSN[4:6]} {SSN[7:]}", "US_SSN") in found
    assert (PASSPORT, "RU_PASSPORT") in found
    assert ("4511 123457", "RU_PASSPORT") in found
    assert ("1990-01-02", "DATE_OF_BIRTH") in found
    assert ("02.03.1985", "DATE_OF_BIRTH") in found


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_header_is_context(delimiter: str) -> None:
    rows = [["name", "ssn", "passport"], ["Ann Lee", SSN_BARE, PASSPORT]]
    text = "\n".join(delimiter.join(row) for row in rows)
    found = _found(text)
    assert (SSN_BARE, "US_SSN") in found
    assert (PASSPORT, "RU_PASSPORT") in found


def test_markdown_table_header_is_context() -> None:
    text = f"| name | ssn | phone |\n|---|---|---|\n| Ann Lee | {SSN_BARE} | 617.403.3499 |"
    found = _found(text)
    assert (SSN_BARE, "US_SSN") in found
    assert ("617.403.3499", "PHONE") in found


def test_json_keys_are_context() -> None:
    text = f'{{"tax_id": "{INN_LUHN}", "ssn": "{SSN_BARE}"}}'
    found = _found(text)
    assert (INN_LUHN, "RU_INN") in found
    assert (SSN_BARE, "US_SSN") in found


def test_without_a_field_the_same_digits_are_not_claimed() -> None:
    assert (PASSPORT, "RU_PASSPORT") not in _found(f"x {PASSPORT}")
    assert (SSN_BARE, "US_SSN") not in _found(f"x {SSN_BARE}")


def test_a_table_ends_at_a_row_of_another_width() -> None:
    text = f"name,ssn\nAnn,{SSN_BARE}\n\nvalue {PASSPORT}, other, more"
    assert (PASSPORT, "RU_PASSPORT") not in _found(text)


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [
        ("passport", PASSPORT, "RU_PASSPORT"),
        ("ssn", SSN_BARE, "US_SSN"),
        ("inn", INN_LUHN, "RU_INN"),
        ("tax_id", INN_LUHN, "RU_INN"),
        ("date_of_birth", "1985-03-12", "DATE_OF_BIRTH"),
        ("дата_рождения", "12.03.1985", "DATE_OF_BIRTH"),
        ("card_number", factory.card(RNG, "9", 16), "CREDIT_CARD"),
    ],
)
def test_column_name_hint(column: str, value: str, kind: str) -> None:
    assert _found(value, column_name=column) == [(value, kind)]
    assert (
        DETECTORS.detect_column([value, value], column_name=column) == [DETECTORS.detect(value, column_name=column)] * 2
    )


def test_inn12_beats_a_12_digit_card_unless_card_context() -> None:
    assert inn12_valid(INN_LUHN) and luhn_valid(INN_LUHN)
    assert _found(f"value {INN_LUHN}") == [(INN_LUHN, "RU_INN")]
    assert _found(f"card {INN_LUHN}") == [(INN_LUHN, "CREDIT_CARD")]


def test_amex_layout_failing_luhn_holds_no_passport() -> None:
    card = factory.invalid_variant(factory.card(RNG, "37", 15))
    grouped = f"{card[:4]} {card[4:10]} {card[10:]}"
    assert _found(f"паспорт или карта {grouped}") == []


def test_ogrnip_needs_its_word() -> None:
    value = factory.ogrnip(RNG)
    assert "ORG_ID" in {k for _, k in _found(f"ОГРНИП {value}")}
    assert "ORG_ID" not in {k for _, k in _found(f"number {value}")}


def test_field_map_stops_at_nul() -> None:
    text = f"name,ssn\n\x00\nAnn,{SSN_BARE}"
    assert not field_map(text)


@pytest.mark.parametrize(
    "text",
    [
        '"PASSWORD": "Volga68#uPlK"',
        'DB_PASSWORD="Volga68#uPlK"',
        "DB_PASSWORD='Volga68#uPlK'",
        "DB_PASSWORD=Volga68#uPlK",
        "password: 'Volga68#uPlK'  # main database",
    ],
)
def test_quoted_password_with_hash_is_whole(text: str) -> None:
    found = [text[m.start : m.end] for m in find_secrets(text)]
    assert found == ["Volga68#uPlK"]


def test_comment_after_whitespace_is_not_part_of_the_value() -> None:
    text = "password = Volga68uPlK # rotate monthly"
    assert [text[m.start : m.end] for m in find_secrets(text)] == ["Volga68uPlK"]


@pytest.mark.parametrize(
    "text",
    [
        "Водительское удостоверение 99 99 123456 выдано ГИБДД",
        "в/у 7712 345678, кат. B",
        "Booking reference: 4510 123456",
    ],
)
def test_driving_licences_and_references_are_not_passports(text: str) -> None:
    assert "RU_PASSPORT" not in {m.kind for m in DETECTORS.detect(text)}


def test_a_passport_after_a_licence_is_still_a_passport() -> None:
    text = "ВУ 99 99 123456, паспорт 4510 123456"
    assert [text[m.start : m.end] for m in DETECTORS.detect(text) if m.kind == "RU_PASSPORT"] == ["4510 123456"]

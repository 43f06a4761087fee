"""Check digits against generated valid values, their one-digit decoys and the edge rules."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from tests.factories import pii as factory

from mlwarden.detectors.pii import checksums as cs

RNG_SEED = 20240611


def _values(make: Callable[[random.Random], str], count: int = 200) -> list[str]:
    rng = random.Random(RNG_SEED)
    return [make(rng) for _ in range(count)]


@pytest.mark.parametrize(
    ("make", "check"),
    [
        (factory.inn10, cs.inn10_valid),
        (factory.inn12, cs.inn12_valid),
        (lambda rng: factory.snils(rng, formatted=False), cs.snils_valid),
        (factory.ogrn, cs.ogrn_valid),
        (factory.ogrnip, cs.ogrn_valid),
        (factory.card, cs.luhn_valid),
        (factory.kpp, cs.kpp_valid),
    ],
)
def test_generated_values_validate_and_decoys_do_not(
    make: Callable[[random.Random], str], check: Callable[[str], bool]
) -> None:
    values = _values(make)
    assert all(check(v) for v in values)
    if check is not cs.kpp_valid:  # KPP has no check digit
        assert not any(check(factory.invalid_variant(v)) for v in values)


@pytest.mark.parametrize("country", ["DE", "GB", "FR", "RU", "NL", "ES", "KZ"])
def test_iban_mod97_and_country_length(country: str) -> None:
    rng = random.Random(RNG_SEED)
    for _ in range(50):
        value = factory.iban(rng, country)
        assert cs.iban_valid(value)
        assert cs.iban_valid(value.lower())
        assert not cs.iban_valid(value[:-1])  # wrong length for the country
        assert not cs.iban_valid(value[:4] + value[5] + value[4] + value[6:]) or value[4] == value[5]


def test_iban_rejects_unknown_country_and_junk() -> None:
    assert not cs.iban_valid("ZZ00" + "1" * 18)
    assert not cs.iban_valid("DE89 3704 0044 0532 0130 00")  # spaces are stripped by the caller
    assert not cs.iban_valid("")
    assert not cs.iban_valid("DE" + "٣" * 20)


def test_snils_small_numbers_carry_no_checksum() -> None:
    # Numbers up to 001-001-998 were issued without a control number: never reported.
    assert not cs.snils_valid("00100199800")
    assert not cs.snils_valid("00000000000")


def test_snils_checksum_100_and_101_become_00() -> None:
    # Find bodies whose weighted sum is exactly 100 or 101: their control number is 00.
    for body in ("999999991", "222222222", "112233445"):
        total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
        if total in (100, 101):
            assert cs.snils_valid(body + "00")


@pytest.mark.parametrize(
    ("digits", "brand"),
    [
        ("2200", "MIR"), ("2204", "MIR"), ("4", "VISA"), ("51", "MASTERCARD"), ("2221", "MASTERCARD"),
        ("2720", "MASTERCARD"), ("6011", "DISCOVER"), ("3528", "JCB"), ("62", "UNIONPAY"),
    ],
)  # fmt: skip
def test_card_brands_by_bin(digits: str, brand: str) -> None:
    value = factory.card(random.Random(1), digits, 16)
    assert cs.card_brand(value) == brand
    assert cs.luhn_valid(value)


def test_card_brand_needs_a_scheme_and_length() -> None:
    assert cs.card_brand(factory.card(random.Random(1), "37", 15)) == "AMEX"
    assert cs.card_brand(factory.card(random.Random(1), "37", 16)) is None
    assert cs.card_brand(factory.card(random.Random(1), "2205", 16)) is None  # between Mir and Mastercard
    assert cs.card_brand(factory.card(random.Random(1), "1", 16)) is None
    assert cs.card_brand("x" * 16) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("536904399", True), ("000123456", False), ("666123456", False), ("900123456", False),
        ("536004399", False), ("536900000", False), ("111111111", False), ("123456789", False),
    ],
)  # fmt: skip
def test_us_ssn_rules(value: str, valid: bool) -> None:
    assert cs.us_ssn_valid(value) is valid


def test_kpp_structure() -> None:
    assert cs.kpp_valid("7736" + "01" + "001")
    assert cs.kpp_valid("7736" + "AB" + "001")
    assert not cs.kpp_valid("0036" + "01" + "001")
    assert not cs.kpp_valid("7736" + "ab" + "001")
    assert not cs.kpp_valid("77360100")


def test_checks_are_total_on_junk() -> None:
    junk = ["", "0", "x" * 12, "１２３４５６７８９０", "\ud800" * 10, "-" * 11, "0" * 10, "0" * 12]
    for value in junk:
        for check in (cs.luhn_valid, cs.inn10_valid, cs.inn12_valid, cs.snils_valid, cs.ogrn_valid, cs.kpp_valid,
                      cs.iban_valid, cs.us_ssn_valid):  # fmt: skip
            assert check(value) in (True, False)
    assert not cs.inn10_valid("0" * 10)
    assert not cs.inn12_valid("0" * 12)

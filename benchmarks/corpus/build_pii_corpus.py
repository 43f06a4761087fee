"""Build the labelled English/Russian personal-data evaluation set for ``benchmarks/pii_detection.py``.

    benchmarks/.venv-pii-peers/bin/python benchmarks/corpus/build_pii_corpus.py [--out DIR] [--seed N]

Writes ``pii_eval.jsonl`` (default under ``benchmarks/work/pii-corpus/``), one record a line::

    {"id", "text", "lang": "en"|"ru", "source": "<context>:<template id>",
     "entities": [{"start", "end", "kind"}], "decoys": [{"start", "end", "type"}]}

Offsets are Python string (code point) offsets; ``text[start:end]`` is exactly the value. Records are
filled from hand-written templates in realistic contexts (support chats, CRM notes, HR and medical forms,
logs, JSON/YAML/SQL/CSV snippets, payment requisites) with values generated here and names/streets/cities
from Faker (``ru_RU``, ``en_US``, ``en_GB``). Everything derives from ``--seed`` (default ``SEED``): the
Python RNG and every Faker instance are seeded from it, so the same seed and Faker version give the same file.
No value is taken from a real person; identifiers are random but structurally valid.

Validity rules (the public standards each generator follows):
- Card numbers: ISO/IEC 7812-1 Luhn check digit; issuer prefixes and lengths as published by the networks
  (Visa 4, Mastercard 51-55 and 2221-2720, American Express 34/37 with 15 digits, Mir 2200-2204 (NSPK),
  JCB 3528-3589, Discover 6011/65, UnionPay 62).
- IBAN: ISO 13616-1 structure (country code, two check digits, country-specific BBAN length as listed in
  the SWIFT IBAN registry) with ISO 7064 MOD 97-10 check digits.
- US SSN: SSA rules (area 001-899 except 666, group 01-99, serial 0001-9999; SSA "Social Security Number
  Randomization", 2011).
- RU INN: FNS algorithm (Приказ ФНС России от 29.06.2012 N ММВ-7-6/435@): 10-digit organisation INN with
  weights 2,4,10,3,5,9,4,6,8 and 12-digit personal INN with two check digits (weights 7,2,4,10,3,5,9,4,6,8
  and 3,7,2,4,10,3,5,9,4,6,8), each ``sum mod 11 mod 10``.
- RU SNILS: Pension Fund checksum (Постановление Правления ПФР от 31.07.2006 N 192п): digits weighted 9..1,
  sum < 100 is the check, 100/101 give 00, otherwise ``sum mod 101`` (100 -> 00); numbers above 001-001-998.
- RU OGRN / OGRNIP: Приказ ФНС N САЭ-3-09/355@ structure (sign 1/5 or 3, year, region), check digit
  ``first 12 digits mod 11 mod 10`` (OGRNIP: first 14 mod 13 mod 10).
- RU KPP: 4-digit tax-office code, 2-character reason code, 3-digit sequence (Приказ ФНС N ММВ-7-6/435@).
- RU passport: series of 4 digits (OKATO region code + 2-digit year of the form) and a 6-digit number
  (Положение о паспорте гражданина РФ, Постановление Правительства N 828).
- Phone numbers: ITU-T E.164 plans, kept only when libphonenumber (``phonenumbers``) says the number is
  valid for its region; Russian numbers in the formats people write (+7 (916) ..., 8-916-..., 89161234567).
- E-mail: RFC 5322 addr-spec incl. plus-addressing, sub-domains and internationalised domains (RFC 6531/5890).
- IP: public IPv4 (no RFC 1918, loopback, documentation or multicast ranges) and global-unicast IPv6 (RFC 4291,
  compressed per RFC 5952).
- Decoys must fail every validation that applies to their shape: order/contract numbers fail INN/OGRN/SNILS
  checksums, "card-like" numbers fail Luhn, SSN look-alikes use area 000/666 or group 00 or serial 0000,
  ISBN-13 (ISO 2108) and EAN-13 (GS1) have their own check digit and are rejected if they also pass Luhn or
  OGRN; dates appear only outside a birth context.
"""

# ruff: noqa: E501  (the template table keeps one record per line)
from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import random
import re
import string
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from faker import Faker

SEED = 20240611
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "work" / "pii-corpus"
SLOT = re.compile(r"\{\{([A-Z0-9_]+)\}\}")

# --------------------------------------------------------------------------------------------------
# Check digits (shared with the CSV builder and used to keep decoys invalid)
# --------------------------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_digit(payload: str) -> str:
    for d in "0123456789":
        if luhn_ok(payload + d):
            return d
    raise AssertionError("unreachable")


def _weighted(digits: str, weights: list[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


INN10_W = [2, 4, 10, 3, 5, 9, 4, 6, 8]
INN12_W1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
INN12_W2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]


def inn10_ok(v: str) -> bool:
    return len(v) == 10 and v.isdigit() and _weighted(v, INN10_W) == int(v[9])


def inn12_ok(v: str) -> bool:
    return (
        len(v) == 12 and v.isdigit() and _weighted(v, INN12_W1) == int(v[10]) and _weighted(v, INN12_W2) == int(v[11])
    )


def snils_check(nine: str) -> str:
    s = sum(int(d) * (9 - i) for i, d in enumerate(nine))
    if s < 100:
        return f"{s:02d}"
    if s in (100, 101):
        return "00"
    c = s % 101
    return "00" if c == 100 else f"{c:02d}"


def snils_ok(v: str) -> bool:
    return len(v) == 11 and v.isdigit() and snils_check(v[:9]) == v[9:]


def ogrn_ok(v: str) -> bool:
    if len(v) == 13 and v.isdigit():
        return int(v[:12]) % 11 % 10 == int(v[12])
    if len(v) == 15 and v.isdigit():
        return int(v[:14]) % 13 % 10 == int(v[14])
    return False


def iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def any_checksum_ok(digits: str) -> bool:
    """True when a digit string would pass a check that some detector validates for its length."""
    return (
        inn10_ok(digits) or inn12_ok(digits) or snils_ok(digits) or ogrn_ok(digits)
        or (12 <= len(digits) <= 19 and luhn_ok(digits))
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Static tables
# --------------------------------------------------------------------------------------------------

RU_REGIONS = ["77", "78", "50", "66", "16", "52", "54", "23", "61", "63", "74", "02", "24", "59", "38", "36", "34",
              "55", "64", "27", "25", "39", "47", "69", "76", "71", "86", "89", "26", "42", "56", "72"]  # fmt: skip
# OKATO codes that open real passport series (45 Moscow, 40 St Petersburg, 46 Moscow region, ...).
PASSPORT_OKATO = ["45", "40", "46", "65", "92", "22", "50", "03", "60", "36", "75", "80", "04", "57", "25", "52"]
CARD_BRANDS: list[tuple[str, list[str], int]] = [
    ("visa", ["4"], 16),
    ("mastercard", ["51", "52", "53", "54", "55"], 16),
    ("mastercard-2series", [str(x) for x in range(2221, 2721, 37)], 16),
    ("amex", ["34", "37"], 15),
    ("mir", ["2200", "2201", "2202", "2203", "2204"], 16),
    ("jcb", [str(x) for x in range(3528, 3590, 7)], 16),
    ("discover", ["6011", "65"], 16),
    ("unionpay", ["62"], 16),
]
CARD_WEIGHTS = [22, 14, 4, 8, 26, 4, 4, 4]  # Mir and Visa dominate Russian-language traffic
# BBAN layouts from the SWIFT IBAN registry: n digit, a upper-case letter, c alphanumeric.
IBAN_SPECS = {
    "DE": "n" * 18, "GB": "aaaa" + "n" * 14, "FR": "n" * 10 + "c" * 11 + "nn", "ES": "n" * 20,
    "IT": "a" + "n" * 10 + "c" * 12, "NL": "aaaa" + "n" * 10, "CH": "n" * 5 + "c" * 12, "AT": "n" * 16,
    "BE": "n" * 12, "PL": "n" * 24, "KZ": "nnn" + "c" * 13, "AE": "n" * 19, "SA": "nn" + "c" * 18,
    "TR": "n" * 6 + "c" * 16, "SE": "n" * 20, "NO": "n" * 11, "FI": "n" * 14, "IE": "aaaa" + "n" * 14,
    "PT": "n" * 21, "CZ": "n" * 20, "UA": "n" * 6 + "c" * 19, "BY": "cccc" + "nnnn" + "c" * 16,
    "GE": "aa" + "n" * 16, "LT": "n" * 16, "LV": "aaaa" + "c" * 13, "EE": "n" * 16,
}  # fmt: skip
GB_BANKS = ["NWBK", "BARC", "HBUK", "LOYD", "MIDL", "CITI", "MONZ"]
# (region, country calling code, [(national prefix, national significant number length)])
PHONE_PLANS: dict[str, tuple[int, list[tuple[str, int]]]] = {
    "RU": (7, [(p, 10) for p in ["915", "916", "917", "925", "926", "903", "905", "909", "921", "922", "951",
                                 "960", "977", "985", "999", "495", "499", "812", "343", "383", "861", "846"]]),
    "US": (1, [(p, 10) for p in ["212", "415", "312", "617", "202", "305", "646", "718", "213", "206", "512",
                                 "303", "404", "702", "608", "919"]]),
    "GB": (44, [("20", 10), ("74", 10), ("75", 10), ("77", 10), ("78", 10), ("79", 10), ("121", 10), ("161", 10)]),
    "DE": (49, [("30", 10), ("89", 10), ("40", 10), ("151", 11), ("152", 11), ("160", 10), ("170", 10),
                ("176", 11)]),
    "FR": (33, [("1", 9), ("6", 9), ("7", 9), ("4", 9)]),
    "KZ": (7, [("701", 10), ("702", 10), ("705", 10), ("707", 10), ("747", 10), ("771", 10), ("777", 10)]),
    "BY": (375, [("29", 9), ("33", 9), ("44", 9), ("25", 9)]),
    "IN": (91, [("98", 10), ("99", 10), ("97", 10), ("90", 10), ("70", 10), ("81", 10)]),
    "ES": (34, [("6", 9), ("91", 9), ("93", 9)]),
    "IT": (39, [("33", 10), ("34", 10), ("32", 10)]),
}  # fmt: skip
PUBLIC_V4_FIRST = [5, 31, 34, 35, 37, 46, 52, 54, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 87, 88, 89, 91, 93, 94,
                   95, 104, 109, 128, 151, 162, 176, 178, 185, 188, 193, 194, 195, 203, 212, 213, 217]  # fmt: skip
V6_PREFIXES = ["2a02:6b8", "2001:4860", "2a00:1450", "2606:4700", "2a03:2880", "2001:67c", "2a01:4f8", "2c0f:fb50",
               "2406:da00", "2600:1f18"]  # fmt: skip
RU_MAIL = ["mail.ru", "yandex.ru", "ya.ru", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "gmail.com", "yandex.com"]
EN_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "icloud.com", "proton.me", "aol.com"]
EN_CORP = ["northwind-traders.com", "acmelogistics.io", "globex-corp.net", "initech.co", "mail.stateu.edu",
           "umbrella-health.org", "hooli.xyz", "corp.vandelay.co.uk"]  # fmt: skip
RU_CORP = ["romashka.ru", "vektor-stroy.ru", "severtrans.com", "tk-delta.ru", "mail.univer.edu.ru", "nii-polus.ru"]
IDN_DOMAINS = ["почта.рф", "пример-магазин.рф", "компания.рус", "bücher.de", "münchen-reisen.de"]
RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                 "ноября", "декабря"]  # fmt: skip
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]  # fmt: skip
COMPANIES_EN = ["Northwind Traders", "Acme Logistics", "Globex Corporation", "Initech", "Umbrella Health",
                "Blue Harbor Analytics", "Pinecrest Software", "Summit Freight", "Brightline Media"]  # fmt: skip
COMPANIES_RU = ["Ромашка", "Вектор", "СеверТранс", "ТК Дельта", "Полюс-Софт", "Агроресурс", "СтройИнвест",
                "Меридиан", "Технопарк", "Альфа-Логистик"]  # fmt: skip
PRODUCTS_EN = ["wireless headphones", "standing desk", "coffee grinder", "router", "winter jacket", "e-reader"]
PRODUCTS_RU = ["беспроводные наушники", "стиральная машина", "кофемолка", "роутер", "зимняя куртка", "смартфон"]
CITIES_RU = ["Москва", "Санкт-Петербург", "Казань", "Екатеринбург", "Новосибирск", "Нижний Новгород", "Самара",
             "Краснодар", "Воронеж", "Пермь", "Тюмень", "Томск"]  # fmt: skip


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _pattern(rng: random.Random, pattern: str) -> str:
    alphabet = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits * 3 + string.ascii_uppercase}
    return "".join(rng.choice(alphabet[ch]) for ch in pattern)


# --------------------------------------------------------------------------------------------------
# Value generators
# --------------------------------------------------------------------------------------------------


@dataclass
class Values:
    """Every generator draws from one seeded RNG and seeded Faker instances."""

    seed: int
    rng: random.Random = field(init=False)
    ru: Faker = field(init=False)
    us: Faker = field(init=False)
    gb: Faker = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.ru, self.us, self.gb = Faker("ru_RU"), Faker("en_US"), Faker("en_GB")
        for i, fake in enumerate((self.ru, self.us, self.gb)):
            fake.seed_instance(self.seed + i + 1)

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    # ---- Russian identifiers ----
    def inn12(self) -> str:
        head = self.pick(RU_REGIONS) + f"{self.rng.randint(1, 51):02d}" + _digits(self.rng, 6)
        head += str(_weighted(head, INN12_W1))
        return head + str(_weighted(head, INN12_W2))

    def inn10(self) -> str:
        head = self.pick(RU_REGIONS) + f"{self.rng.randint(1, 51):02d}" + _digits(self.rng, 5)
        return head + str(_weighted(head, INN10_W))

    def snils_digits(self) -> str:
        while True:
            nine = _digits(self.rng, 9)
            if int(nine) > 1001998:
                return nine + snils_check(nine)

    def snils(self) -> str:
        d = self.snils_digits()
        style = self.rng.random()
        if style < 0.65:
            return f"{d[:3]}-{d[3:6]}-{d[6:9]} {d[9:]}"
        if style < 0.8:
            return f"{d[:3]}-{d[3:6]}-{d[6:9]}-{d[9:]}"
        if style < 0.9:
            return f"{d[:3]} {d[3:6]} {d[6:9]} {d[9:]}"
        return d

    def ogrn(self) -> str:
        head = self.pick(["1", "1", "5"]) + f"{self.rng.randint(2, 24):02d}" + self.pick(RU_REGIONS)
        head += _digits(self.rng, 7)
        return head + str(int(head) % 11 % 10)

    def ogrnip(self) -> str:
        head = "3" + f"{self.rng.randint(4, 24):02d}" + self.pick(RU_REGIONS) + _digits(self.rng, 9)
        return head + str(int(head) % 13 % 10)

    def kpp(self) -> str:
        office = self.pick(RU_REGIONS) + f"{self.rng.randint(1, 51):02d}"
        reason = self.pick(["01", "01", "01", "43", "45", "02", "03"])
        return office + reason + self.pick(["001", "001", "002", "003"])

    def passport(self) -> str:
        series = self.pick(PASSPORT_OKATO) + f"{self.rng.choice([*range(97, 100), *range(0, 25)]):02d}"
        number = f"{self.rng.randint(100000, 999999)}"
        style = self.rng.random()
        if style < 0.45:
            return f"{series[:2]} {series[2:]} {number}"
        if style < 0.8:
            return f"{series} {number}"
        if style < 0.9:
            return f"{series} №{number}"
        return series + number

    def passport_long(self) -> str:
        """The value after the word "серии": series, the word/sign for number, and the number."""
        series = self.pick(PASSPORT_OKATO) + f"{self.rng.randint(0, 24):02d}"
        number = f"{self.rng.randint(100000, 999999)}"
        sep = self.pick([" № ", " номер ", " N "])
        return (f"{series[:2]} {series[2:]}" if self.rng.random() < 0.5 else series) + sep + number

    # ---- payment ----
    def card(self) -> str:
        _brand, prefixes, length = self.rng.choices(CARD_BRANDS, weights=CARD_WEIGHTS)[0]
        payload = self.pick(prefixes)
        payload += _digits(self.rng, length - 1 - len(payload))
        return self._format_card(payload + luhn_digit(payload))

    def _format_card(self, number: str) -> str:
        style = self.rng.random()
        if len(number) == 15:
            return f"{number[:4]} {number[4:10]} {number[10:]}" if style < 0.7 else number
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
        if style < 0.55:
            return " ".join(groups)
        if style < 0.75:
            return "-".join(groups)
        return number

    def bad_card(self) -> str:
        _brand, prefixes, length = self.rng.choices(CARD_BRANDS, weights=CARD_WEIGHTS)[0]
        payload = self.pick(prefixes)
        payload += _digits(self.rng, length - 1 - len(payload))
        good = int(luhn_digit(payload))
        return self._format_card(payload + str((good + self.rng.randint(1, 9)) % 10))

    def iban(self) -> str:
        country = self.pick(list(IBAN_SPECS))
        bban = _pattern(self.rng, IBAN_SPECS[country])
        if country in {"GB", "IE"}:
            bban = self.pick(GB_BANKS) + bban[4:]
        compact = country + iban_check(country, bban) + bban
        if self.rng.random() < 0.6:
            return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        return compact

    # ---- US ----
    def ssn(self) -> str:
        area = self.rng.choice([a for a in range(1, 900) if a != 666])
        group, serial = self.rng.randint(1, 99), self.rng.randint(1, 9999)
        style = self.rng.random()
        if style < 0.8:
            return f"{area:03d}-{group:02d}-{serial:04d}"
        if style < 0.92:
            return f"{area:03d} {group:02d} {serial:04d}"
        return f"{area:03d}{group:02d}{serial:04d}"

    def bad_ssn(self) -> str:
        area, group, serial = f"{self.rng.randint(1, 899):03d}", f"{self.rng.randint(1, 99):02d}", _digits(self.rng, 4)
        broken = self.rng.randint(0, 3)
        if broken == 0:
            area = self.pick(["000", "666"])
        elif broken == 1:
            group = "00"
        elif broken == 2:
            serial = "0000"
        else:
            area = "000"
        return f"{area}-{group}-{serial}"

    # ---- phones ----
    def _valid_phone(self, region: str) -> phonenumbers.PhoneNumber:
        code, plans = PHONE_PLANS[region]
        for _ in range(200):
            prefix, length = self.rng.choice(plans)
            nsn = prefix + _digits(self.rng, length - len(prefix))
            num = phonenumbers.parse(f"+{code}{nsn}")
            if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == region:
                return num
        raise RuntimeError(f"no valid {region} number generated")

    def phone_ru(self) -> str:
        nsn = str(self._valid_phone("RU").national_number)
        a, b, c, d = nsn[:3], nsn[3:6], nsn[6:8], nsn[8:]
        return self.pick([
            f"+7 ({a}) {b}-{c}-{d}", f"+7 {a} {b}-{c}-{d}", f"+7 {a} {b} {c} {d}", f"8 ({a}) {b}-{c}-{d}",
            f"8-{a}-{b}-{c}-{d}", f"8 {a} {b} {c} {d}", f"8{nsn}", f"+7{nsn}", f"+7-{a}-{b}-{c}-{d}",
            f"8({a}){b}{c}{d}", f"+7 ({a}) {b}{c}{d}", f"8 {a} {b}-{c}{d}",
        ])  # fmt: skip

    def phone_us(self) -> str:
        nsn = str(self._valid_phone("US").national_number)
        a, b, c = nsn[:3], nsn[3:6], nsn[6:]
        return self.pick([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}", f"+1-{a}-{b}-{c}",
                          f"+1 ({a}) {b}-{c}", f"1-{a}-{b}-{c}"])  # fmt: skip

    def phone_intl(self) -> str:
        region = self.pick(["GB", "DE", "FR", "KZ", "BY", "IN", "ES", "IT", "US", "RU"])
        num = self._valid_phone(region)
        fmt = self.rng.random()
        if fmt < 0.65:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if fmt < 0.85:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.RFC3966).removeprefix("tel:")

    # ---- e-mail ----
    def email_en(self) -> str:
        first, last = self.us.first_name().lower(), self.us.last_name().lower()
        local = self.pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{self.rng.randint(1, 99)}",
                           f"{first}{self.rng.randint(70, 2005)}", f"{last}.{first[0]}"])  # fmt: skip
        if self.rng.random() < 0.12:
            local += "+" + self.pick(["news", "orders", "work", "2fa", "shop"])
        domain = self.pick(EN_MAIL + EN_CORP)
        address = f"{local}@{domain}"
        return address.title().replace("@", "@", 1) if self.rng.random() < 0.05 else address

    def email_ru(self) -> str:
        if self.rng.random() < 0.08:
            local = self.pick(["иван.петров", "заказ", "анна", "info", "support", "мария.смирнова"])
            return f"{local}@{self.pick(IDN_DOMAINS)}"
        local = self.ru.user_name()
        if self.rng.random() < 0.1:
            local += "+" + self.pick(["crm", "shop", "promo"])
        return f"{local}@{self.pick(RU_MAIL + RU_CORP)}"

    # ---- network ----
    def ipv4(self) -> str:
        while True:
            addr = ipaddress.IPv4Address(
                f"{self.pick([str(x) for x in PUBLIC_V4_FIRST])}.{self.rng.randint(0, 255)}."
                f"{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
            )
            if addr.is_global:
                return str(addr)

    def ipv6(self) -> str:
        groups = self.pick(V6_PREFIXES).split(":") + [f"{self.rng.randint(0, 0xFFFF):x}" for _ in range(6)]
        if self.rng.random() < 0.5:
            for i in range(3, 6):
                groups[i] = "0"
        addr = ipaddress.IPv6Address(":".join(groups))
        return addr.compressed if self.rng.random() < 0.8 else addr.exploded

    # ---- dates ----
    def _birth_date(self) -> dt.date:
        return dt.date(1940, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 66))

    def _event_date(self) -> dt.date:
        return dt.date(2015, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 11))

    def date_en(self, day: dt.date) -> str:
        month = EN_MONTHS[day.month - 1]
        return self.pick([f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}", day.strftime("%m/%d/%Y"),
                          day.isoformat(), f"{month[:3]} {day.day}, {day.year}", day.strftime("%d/%m/%Y")])  # fmt: skip

    def date_ru(self, day: dt.date) -> str:
        return self.pick([day.strftime("%d.%m.%Y"), day.strftime("%d.%m.%Y"), day.isoformat(),
                          f"{day.day} {RU_MONTHS_GEN[day.month - 1]} {day.year}", day.strftime("%d/%m/%Y")])  # fmt: skip

    # ---- people and places ----
    def name_en(self) -> str:
        first, last = self.us.first_name(), self.us.last_name()
        style = self.rng.random()
        if style < 0.65:
            name = f"{first} {last}"
        elif style < 0.8:
            name = f"{first} {self.rng.choice(string.ascii_uppercase)}. {last}"
        elif style < 0.9:
            name = f"{first} {self.us.first_name()} {last}"
        else:
            name = f"{first[0]}. {last}"
        return name.upper() if self.rng.random() < 0.04 else name

    def fio(self) -> str:
        male = self.rng.random() < 0.5
        last = self.ru.last_name_male() if male else self.ru.last_name_female()
        first = self.ru.first_name_male() if male else self.ru.first_name_female()
        middle = self.ru.middle_name_male() if male else self.ru.middle_name_female()
        style = self.rng.random()
        if style < 0.55:
            return f"{last} {first} {middle}"
        if style < 0.7:
            return f"{last} {first[0]}. {middle[0]}."
        if style < 0.8:
            return f"{last} {first[0]}.{middle[0]}."
        if style < 0.9:
            return f"{first[0]}. {middle[0]}. {last}"
        return f"{first} {middle} {last}"

    def name_ru(self) -> str:
        male = self.rng.random() < 0.5
        last = self.ru.last_name_male() if male else self.ru.last_name_female()
        first = self.ru.first_name_male() if male else self.ru.first_name_female()
        return f"{first} {last}" if self.rng.random() < 0.7 else f"{last} {first}"

    def fio_case(self, case: str) -> str:
        """A full name in the genitive ("gen") or dative ("dat") case, as Russian forms address people.

        Only regular declensions are generated (surnames in -ов/-ев/-ин, first names ending in a hard consonant
        or -а, patronymics in -ич/-на); anything else is redrawn, so every form is grammatical.
        """
        while True:
            male = self.rng.random() < 0.5
            if male:
                last, first, middle = self.ru.last_name_male(), self.ru.first_name_male(), self.ru.middle_name_male()
                if last.endswith(("ов", "ев", "ин", "ын")) and first[-1] not in "йьаяо" and middle.endswith("ич"):
                    end = "а" if case == "gen" else "у"
                    return f"{last}{end} {first}{end} {middle}{end}"
            else:
                last, first, middle = (self.ru.last_name_female(), self.ru.first_name_female(),
                                       self.ru.middle_name_female())  # fmt: skip
                if last.endswith(("ова", "ева", "ина", "ына")) and first.endswith("а") and middle.endswith("на"):
                    soft = first[-2] in "гкхжшщч"
                    first_end = ("и" if soft else "ы") if case == "gen" else "е"
                    return f"{last[:-1]}ой {first[:-1]}{first_end} {middle[:-1]}{'ы' if case == 'gen' else 'е'}"

    def name_en_casual(self) -> str:
        """How people type names in chats and exports: lower case, or "Last, First"."""
        first, last = self.us.first_name(), self.us.last_name()
        return self.pick([f"{first} {last}".lower(), f"{last}, {first}", f"{last.upper()}, {first}"])

    def addr_en(self) -> str:
        if self.rng.random() < 0.75:
            return f"{self.us.street_address()}, {self.us.city()}, {self.us.state_abbr()} {self.us.postcode()}"
        return self.gb.address().replace("\n", ", ")

    def addr_ru(self) -> str:
        city, street = self.pick([*CITIES_RU, self.ru.city_name()]), self.ru.street_name()
        house, flat = f"{self.rng.randint(1, 180)}", f"{self.rng.randint(1, 420)}"
        if self.rng.random() < 0.2:
            house += self.pick(["а", "/2", " корп. 2", " стр. 1", "к3"])
        return self.pick([
            f"г. {city}, {street}, д. {house}, кв. {flat}",
            f"{self.ru.postcode()}, г. {city}, {street}, д. {house}",
            f"{self.ru.region()}, г. {city}, {street}, д. {house}, кв. {flat}",
            f"{city}, {street}, {house}-{flat}",
            f"{street}, д. {house}, кв. {flat}",
            f"{self.ru.postcode()}, {city}, {street}, дом {house}, квартира {flat}",
        ])  # fmt: skip

    # ---- decoys ----
    def order(self) -> str:
        kind = self.rng.randint(0, 4)
        if kind == 0:
            return "ORD-" + _digits(self.rng, 8)
        if kind == 1:
            return "#" + _digits(self.rng, 7)
        if kind == 2:
            return self.pick(["A", "B", "RU", "WB"]) + "-" + _digits(self.rng, 6)
        if kind == 3:
            return self._invalid_digits(10, first="1")
        return _digits(self.rng, 8)

    def _invalid_digits(self, n: int, first: str = "") -> str:
        while True:
            value = first + _digits(self.rng, n - len(first))
            if not any_checksum_ok(value):
                return value

    def invoice_en(self) -> str:
        year = self.rng.randint(2019, 2026)
        return self.pick([f"INV-{year}-{_digits(self.rng, 6)}", f"{year}/{_digits(self.rng, 4)}",
                          f"TCK-{_digits(self.rng, 5)}", f"PO{_digits(self.rng, 7)}"])  # fmt: skip

    def invoice_ru(self) -> str:
        year = self.rng.randint(2019, 2026)
        return self.pick([f"СЧ-{_digits(self.rng, 5)}", f"{year}/{_digits(self.rng, 4)}",
                          f"Д-{_digits(self.rng, 3)}/{year % 100}", f"№ {_digits(self.rng, 4)}-{year}"])  # fmt: skip

    def bad_inn(self) -> str:
        return self._invalid_digits(12, first=self.pick(RU_REGIONS))

    def bad_snils(self) -> str:
        nine = _digits(self.rng, 9)
        check = (int(snils_check(nine)) + self.rng.randint(1, 98)) % 100
        return f"{nine[:3]}-{nine[3:6]}-{nine[6:]} {check:02d}"

    def isbn(self) -> str:
        while True:
            group = self.pick(["5", "0", "1"])
            body = "978" + group + _digits(self.rng, 8)
            check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
            full = body + str(check)
            if not luhn_ok(full) and not ogrn_ok(full):
                return f"978-{group}-{full[4:8]}-{full[8:12]}-{full[12]}"

    def ean(self) -> str:
        while True:
            body = "46" + _digits(self.rng, 10)
            check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
            full = body + str(check)
            if not luhn_ok(full) and not ogrn_ok(full):
                return full

    def serial(self) -> str:
        kind = self.rng.randint(0, 2)
        if kind == 0:
            return "SN" + self.pick(["AX", "KT", "ZR", "QF"]) + _digits(self.rng, 8)
        if kind == 1:
            d = self._invalid_digits(11, first="0")
            return f"{d[:3]}-{d[3:6]}-{d[6:9]}-{d[9:]}"
        d = "0" + _digits(self.rng, 9)
        return f"{d[:4]}-{d[4:8]}-{d[8:]}"

    def bik(self) -> str:
        return "04" + self.pick(RU_REGIONS) + _digits(self.rng, 2) + f"{self.rng.randint(50, 999):03d}"

    def track(self) -> str:
        if self.rng.random() < 0.5:
            body = _digits(self.rng, 8)
            weights = [8, 6, 4, 2, 3, 5, 9, 7]
            check = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
            check = 0 if check == 10 else 5 if check == 11 else check
            return f"{self.pick(['RA', 'RR', 'LP', 'CP'])}{body}{check}{self.pick(['RU', 'CN', 'DE'])}"
        return "1Z" + _pattern(self.rng, "cccccc") + _digits(self.rng, 10)

    def semver(self) -> str:
        core = f"{self.rng.randint(0, 14)}.{self.rng.randint(0, 40)}.{self.rng.randint(0, 30)}"
        return self.pick([core, "v" + core, core + "-rc." + str(self.rng.randint(1, 5)), core + "+build." + _digits(
            self.rng, 3)])  # fmt: skip

    def ver4(self) -> str:
        core = ".".join(str(self.rng.randint(0, 30)) for _ in range(3)) + "." + str(self.rng.randint(100, 9999))
        return self.pick(["v" + core, core])

    def timestamp(self) -> str:
        moment = dt.datetime(2019, 1, 1) + dt.timedelta(seconds=self.rng.randint(0, 86400 * 365 * 7))
        return self.pick([moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.strftime("%Y-%m-%d %H:%M:%S,")
                          + _digits(self.rng, 3), moment.strftime("%d.%m.%Y %H:%M"),
                          moment.strftime("%Y-%m-%dT%H:%M:%S.%f+03:00")])  # fmt: skip

    def epoch(self) -> str:
        return self._invalid_digits(10, first="17")

    def price_en(self) -> str:
        return self.pick([f"${self.rng.randint(1, 9)},{self.rng.randint(0, 999):03d}.{self.rng.randint(0, 99):02d}",
                          f"${self.rng.randint(5, 999)}.{self.rng.randint(0, 99):02d}",
                          f"EUR {self.rng.randint(10, 9999)}.00", f"£{self.rng.randint(2, 500)}.{self.rng.randint(0, 99):02d}"])  # fmt: skip

    def price_ru(self) -> str:
        return self.pick([f"{self.rng.randint(1, 99)} {self.rng.randint(0, 999):03d} ₽",
                          f"{self.rng.randint(100, 99999)},{self.rng.randint(0, 99):02d} руб.",
                          f"{self.rng.randint(1, 999)} {self.rng.randint(0, 999):03d},00 рублей"])  # fmt: skip

    def coord(self) -> str:
        lat, lon = self.rng.uniform(41, 70), self.rng.uniform(20, 140)
        return self.pick([f"{lat:.6f}, {lon:.6f}", f"{lat:.4f},{lon:.4f}", f"{lat:.5f} {lon:.5f}"])

    def mac(self) -> str:
        octets = [f"{self.rng.randint(0, 255):02X}" for _ in range(6)]
        return self.pick([":".join(octets), "-".join(octets), ":".join(octets).lower()])

    def hexstr(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


# --------------------------------------------------------------------------------------------------
# Slots: name -> (generator, entity kind or None, decoy type or None)
# --------------------------------------------------------------------------------------------------

SlotFn = Callable[[Values], str]
SLOTS: dict[str, tuple[SlotFn, str | None, str | None]] = {
    # entities
    "NAME_EN": (Values.name_en, "PERSON", None),
    "FIO": (Values.fio, "PERSON", None),
    "NAME_RU": (Values.name_ru, "PERSON", None),
    "FIO_GEN": (lambda v: v.fio_case("gen"), "PERSON", None),
    "FIO_DAT": (lambda v: v.fio_case("dat"), "PERSON", None),
    "NAME_EN_CASUAL": (Values.name_en_casual, "PERSON", None),
    "EMAIL_EN": (Values.email_en, "EMAIL", None),
    "EMAIL_RU": (Values.email_ru, "EMAIL", None),
    "PHONE_US": (Values.phone_us, "PHONE", None),
    "PHONE_RU": (Values.phone_ru, "PHONE", None),
    "PHONE_INTL": (Values.phone_intl, "PHONE", None),
    "CARD": (Values.card, "CREDIT_CARD", None),
    "IBAN": (Values.iban, "IBAN", None),
    "SSN": (Values.ssn, "US_SSN", None),
    "IPV4": (Values.ipv4, "IP_ADDRESS", None),
    "IPV6": (Values.ipv6, "IP_ADDRESS", None),
    "DOB_EN": (lambda v: v.date_en(v._birth_date()), "DATE_OF_BIRTH", None),
    "DOB_RU": (lambda v: v.date_ru(v._birth_date()), "DATE_OF_BIRTH", None),
    "DOB_ISO": (lambda v: v._birth_date().isoformat(), "DATE_OF_BIRTH", None),
    "ADDR_EN": (Values.addr_en, "ADDRESS", None),
    "ADDR_RU": (Values.addr_ru, "ADDRESS", None),
    "PASSPORT": (Values.passport, "RU_PASSPORT", None),
    "PASSPORT_LONG": (Values.passport_long, "RU_PASSPORT", None),
    "INN12": (Values.inn12, "RU_INN", None),
    "SNILS": (Values.snils, "RU_SNILS", None),
    "SNILS_PLAIN": (Values.snils_digits, "RU_SNILS", None),
    "INN10": (Values.inn10, "ORG_ID", None),
    "OGRN": (Values.ogrn, "ORG_ID", None),
    "OGRNIP": (Values.ogrnip, "ORG_ID", None),
    "KPP": (Values.kpp, "ORG_ID", None),
    # decoys (must not be reported)
    "ORDER": (Values.order, None, "order_number"),
    "INVOICE": (Values.invoice_en, None, "invoice_id"),
    "INVOICE_RU": (Values.invoice_ru, None, "invoice_id"),
    "SHA1": (lambda v: v.hexstr(40), None, "git_hash"),
    "SHORTSHA": (lambda v: v.hexstr(7), None, "git_hash"),
    "SHA256": (lambda v: v.hexstr(64), None, "hash"),
    "MD5": (lambda v: v.hexstr(32), None, "hash"),
    "UUID": (Values.uuid, None, "uuid"),
    "SEMVER": (Values.semver, None, "version"),
    "VER4": (Values.ver4, None, "version_4part"),
    "TS": (Values.timestamp, None, "timestamp"),
    "EPOCH": (Values.epoch, None, "timestamp"),
    "PRICE_EN": (Values.price_en, None, "price"),
    "PRICE_RU": (Values.price_ru, None, "price"),
    "COORD": (Values.coord, None, "coordinates"),
    "BADCARD": (Values.bad_card, None, "luhn_fail"),
    "BADINN": (Values.bad_inn, None, "inn_checksum_fail"),
    "BADSNILS": (Values.bad_snils, None, "snils_checksum_fail"),
    "BADSSN": (Values.bad_ssn, None, "ssn_invalid"),
    "ISBN": (Values.isbn, None, "isbn"),
    "EAN": (Values.ean, None, "ean13"),
    "SERIAL": (Values.serial, None, "serial_number"),
    "BIK": (Values.bik, None, "bank_bik"),
    "TRACK": (Values.track, None, "tracking_number"),
    "MAC": (Values.mac, None, "mac_address"),
    "DATE_EN": (lambda v: v.date_en(v._event_date()), None, "date_not_birth"),
    "DATE_RU": (lambda v: v.date_ru(v._event_date()), None, "date_not_birth"),
    # fillers (not labelled)
    "COMPANY_EN": (lambda v: v.pick(COMPANIES_EN), None, None),
    "CO": (lambda v: v.pick(COMPANIES_RU), None, None),
    "PRODUCT_EN": (lambda v: v.pick(PRODUCTS_EN), None, None),
    "PRODUCT_RU": (lambda v: v.pick(PRODUCTS_RU), None, None),
    "N": (lambda v: str(v.rng.randint(2, 480)), None, None),
}


# --------------------------------------------------------------------------------------------------
# Templates: (context, text). Groups set how often each template is filled (see ``main``).
# --------------------------------------------------------------------------------------------------

# fmt: off
PROSE_EN: list[tuple[str, str]] = [
    ("support_chat", "Hi, this is {{NAME_EN}}. My order {{ORDER}} hasn't arrived yet. You can reach me at {{PHONE_US}} or {{EMAIL_EN}}."),
    ("crm_note", "Customer {{NAME_EN}} (DOB: {{DOB_EN}}) called about invoice {{INVOICE}}; identity verified with SSN {{SSN}}."),
    ("support_chat", "Please update my billing card to {{CARD}}, exp 09/27. Name on card: {{NAME_EN}}."),
    ("finance", "Wire the refund to IBAN {{IBAN}} (account holder {{NAME_EN}}), reference {{INVOICE}}."),
    ("crm_note", "Shipping address changed to {{ADDR_EN}} per customer request on {{DATE_EN}}."),
    ("hr_record", "New hire: {{NAME_EN}}, born {{DOB_EN}}, SSN {{SSN}}, home address {{ADDR_EN}}."),
    ("medical_form", "Patient {{NAME_EN}}, date of birth {{DOB_EN}}, presented with mild fever. Contact: {{PHONE_US}}."),
    ("security_log", "Login from {{IPV4}} for account {{EMAIL_EN}} was blocked after 5 failed attempts."),
    ("security_log", "Suspicious request from {{IPV6}} at {{TS}}, request id {{UUID}}."),
    ("support_ticket", "Ticket {{INVOICE}}: user {{EMAIL_EN}} reports the app crashes on version {{SEMVER}}."),
    ("hr_record", "Emergency contact for {{NAME_EN}}: {{NAME_EN}}, phone {{PHONE_INTL}}."),
    ("email", "From: {{NAME_EN}} <{{EMAIL_EN}}>\nSubject: Order {{ORDER}}\n\nHi team, please call me back at {{PHONE_US}}. Thanks!"),
    ("payment_form", "Account holder: {{NAME_EN}}\nCard: {{CARD}}\nBilling address: {{ADDR_EN}}\nPhone: {{PHONE_US}}"),
    ("hr_record", "Employee {{NAME_EN}} ({{EMAIL_EN}}) requested PTO starting {{DATE_EN}}."),
    ("sms", "Your verification code was sent to {{PHONE_INTL}}. If this wasn't you, contact {{EMAIL_EN}}."),
    ("hr_record", "Background check for {{NAME_EN}}, SSN {{SSN}}, DOB {{DOB_EN}}: clear."),
    ("ecommerce", "Hello {{NAME_EN}}, your {{PRODUCT_EN}} will be delivered to {{ADDR_EN}} on {{DATE_EN}}."),
    ("medical_form", "Intake form. Name: {{NAME_EN}}; Date of birth: {{DOB_EN}}; Visit #: {{ORDER}}; Phone: {{PHONE_US}}"),
    ("email", "Please send the signed contract to {{EMAIL_EN}} and cc {{EMAIL_EN}} before {{DATE_EN}}."),
    ("finance", "Our new IBAN is {{IBAN}}. The old account will be closed on {{DATE_EN}}."),
    ("finance", "Chargeback on card {{CARD}} for {{PRICE_EN}}, merchant ref {{INVOICE}}."),
    ("crm_note", "{{NAME_EN}} moved from {{ADDR_EN}} to {{ADDR_EN}} last month."),
    ("devops", "Servers {{IPV4}} and {{IPV6}} sit behind the load balancer since commit {{SHA1}}."),
    ("support_chat", "Caller {{NAME_EN}} gave an old number, {{PHONE_US}}; the new one is {{PHONE_US}}."),
    ("loan_application", "Applicant {{NAME_EN}}, date of birth {{DOB_EN}}, SSN {{SSN}}, currently lives at {{ADDR_EN}}."),
    ("medical_form", "Pharmacy note: refill for {{NAME_EN}} (born {{DOB_EN}}), call {{PHONE_US}} when ready."),
    ("crm_note", "Meeting with {{NAME_EN}} from {{COMPANY_EN}} on {{DATE_EN}} about the renewal of {{N}} seats."),
    ("finance", "Invoice {{INVOICE}} total {{PRICE_EN}} due {{DATE_EN}}; remit to IBAN {{IBAN}}."),
    ("security_log", "User {{EMAIL_EN}} changed the password from IP {{IPV4}} at {{TS}}."),
    ("crm_note", "Lead: {{NAME_EN}}, {{COMPANY_EN}}, {{PHONE_INTL}}, {{EMAIL_EN}}."),
    ("support_chat", "We could not verify SSN {{SSN}} for {{NAME_EN}}; please re-enter it."),
    ("support_chat", "The customer's date of birth ({{DOB_EN}}) does not match our records for order {{ORDER}}."),
    ("support_chat", "Hi {{NAME_EN}}, thanks for reaching out! We have updated your phone to {{PHONE_INTL}}."),
    ("crm_note", "Contact {{NAME_EN}} at {{EMAIL_EN}} / {{PHONE_US}}, mailing address {{ADDR_EN}}."),
    ("visitor_log", "Visitor log: {{NAME_EN}} signed in at {{TS}}, badge {{SERIAL}}."),
    ("ecommerce", "Please charge {{CARD}} for the {{PRODUCT_EN}} and send the receipt to {{EMAIL_EN}}."),
    ("insurance", "Policyholder {{NAME_EN}} was born on {{DOB_EN}} and lives at {{ADDR_EN}}."),
    ("support_chat", "my card {{CARD}} got charged twice for order {{ORDER}}, pls refund. {{NAME_EN}}"),
    ("email", "Dear {{NAME_EN}},\n\nYour appointment on {{DATE_EN}} is confirmed. Questions? Call {{PHONE_US}}.\n\nBest,\n{{NAME_EN}}"),
    ("hr_record", "Payroll update: {{NAME_EN}} switched direct deposit to IBAN {{IBAN}} effective {{DATE_EN}}."),
    ("travel", "Passenger {{NAME_EN}}, DOB {{DOB_EN}}, contact {{PHONE_INTL}}, booking ref {{ORDER}}."),
    ("devops", "Alert: {{N}} failed SSH logins from {{IPV4}}; host fingerprint {{SHA256}}."),
    ("support_chat", "I live at {{ADDR_EN}}, the courier keeps going to the wrong building."),
    ("school_record", "Student {{NAME_EN}}, date of birth {{DOB_EN}}; guardian {{NAME_EN}}, {{PHONE_US}}, {{EMAIL_EN}}."),
    ("finance", "Card {{CARD}} (holder {{NAME_EN}}) was declined for {{PRICE_EN}} at {{TS}}."),
    ("finance", "Beneficiary: {{NAME_EN}}\nIBAN: {{IBAN}}\nAmount: {{PRICE_EN}}\nReference: {{INVOICE}}"),
    ("support_chat", "hey its {{NAME_EN_CASUAL}} again, still waiting on order {{ORDER}}. text me at {{PHONE_US}}"),
    ("crm_export", "Contact: {{NAME_EN_CASUAL}} | {{EMAIL_EN}} | {{PHONE_INTL}} | owner: {{NAME_EN}}"),
    ("email", "Hi team, I spoke with {{NAME_EN}}'s assistant; {{NAME_EN}} will sign on {{DATE_EN}}. Cheers, {{NAME_EN}}"),
]

PROSE_RU: list[tuple[str, str]] = [
    ("support_chat", "Здравствуйте! Меня зовут {{FIO}}, мой заказ {{ORDER}} до сих пор не доставлен. Телефон для связи: {{PHONE_RU}}."),
    ("bank_note", "Клиент: {{FIO}}, паспорт {{PASSPORT}}, дата рождения {{DOB_RU}}. Обращение: выпуск карты."),
    ("support_chat", "Прошу перечислить зарплату на карту {{CARD}}. {{FIO}}"),
    ("hr_record", "ИНН физлица: {{INN12}}, СНИЛС: {{SNILS}}."),
    ("requisites", "Реквизиты поставщика: ООО «{{CO}}», ИНН {{INN10}}, КПП {{KPP}}, ОГРН {{OGRN}}, БИК {{BIK}}."),
    ("ecommerce", "Адрес доставки: {{ADDR_RU}}. Получатель {{NAME_RU}}, тел. {{PHONE_RU}}."),
    ("hr_record", "Сотрудник {{FIO}}, {{DOB_RU}} г.р., принят на должность менеджера с {{DATE_RU}}."),
    ("medical_form", "Пациент: {{FIO}}, дата рождения: {{DOB_RU}}, СНИЛС {{SNILS}}. Жалобы на головную боль."),
    ("support_chat", "Пишите на {{EMAIL_RU}} или звоните {{PHONE_RU}} с 9 до 18."),
    ("security_log", "Вход в личный кабинет с IP {{IPV4}} заблокирован, пользователь {{EMAIL_RU}}."),
    ("ecommerce", "Заказ {{ORDER}} на сумму {{PRICE_RU}} оплачен картой {{CARD}}."),
    ("requisites", "Счёт {{INVOICE_RU}} от {{DATE_RU}} на сумму {{PRICE_RU}} выставлен ООО «{{CO}}»."),
    ("bank_note", "Паспорт серии {{PASSPORT_LONG}} выдан отделом УФМС {{DATE_RU}}."),
    ("crm_note", "Контакт: {{NAME_RU}}, {{PHONE_RU}}, {{EMAIL_RU}}."),
    ("support_chat", "Обновите, пожалуйста, мой адрес: {{ADDR_RU}}. Заранее спасибо, {{NAME_RU}}."),
    ("requisites", "ИП {{FIO}}, ИНН {{INN12}}, ОГРНИП {{OGRNIP}}."),
    ("bank_note", "Родился {{DOB_RU}}, гражданин РФ, паспорт {{PASSPORT}}, зарегистрирован по адресу {{ADDR_RU}}."),
    ("hr_record", "Сотрудник: {{FIO}}; СНИЛС {{SNILS}}; ИНН {{INN12}}; e-mail {{EMAIL_RU}}."),
    ("support_chat", "Перезвоните мне на {{PHONE_RU}}, пожалуйста, по поводу заявки {{INVOICE_RU}}."),
    ("hr_record", "Контактное лицо на случай ЧС: {{FIO}}, {{PHONE_RU}} (мама)."),
    ("bank_note", "Карта {{CARD}} заблокирована по заявлению владельца {{NAME_RU}}."),
    ("hr_record", "Зарегистрирован по адресу: {{ADDR_RU}}; фактически проживает: {{ADDR_RU}}."),
    ("finance", "Для возврата средств укажите IBAN: {{IBAN}} (получатель {{NAME_RU}})."),
    ("legal", "Доверенность выдана {{FIO}} (паспорт {{PASSPORT}}) на получение груза по накладной {{INVOICE_RU}}."),
    ("medical_form", "Дата рождения ребёнка: {{DOB_RU}}. Законный представитель: {{FIO}}, тел. {{PHONE_RU}}."),
    ("crm_note", "Менеджер {{NAME_RU}} созвонился с клиентом, договорились о встрече {{DATE_RU}}."),
    ("notification", "Отправлено уведомление на {{EMAIL_RU}} и SMS на {{PHONE_RU}}."),
    ("security_log", "Логин {{EMAIL_RU}}, последний вход {{TS}} с адреса {{IPV6}}."),
    ("questionnaire", "Анкета. ФИО: {{FIO}}; дата рождения: {{DOB_RU}}; телефон: {{PHONE_RU}}; адрес: {{ADDR_RU}}."),
    ("requisites", "Платёж по договору {{INVOICE_RU}}: получатель ООО «{{CO}}», ИНН {{INN10}}, КПП {{KPP}}."),
    ("insurance", "Уважаемый(ая) {{NAME_RU}}, ваш полис будет продлён {{DATE_RU}}. Вопросы: {{PHONE_RU}}."),
    ("logistics", "Водитель {{FIO}}, тел. {{PHONE_RU}}, прибудет по адресу {{ADDR_RU}}."),
    ("crm_note", "Клиент сообщила, что родилась {{DOB_RU}}, и попросила исправить фамилию в профиле."),
    ("ecommerce", "Пользователь {{NAME_RU}} ({{EMAIL_RU}}) оставил отзыв о товаре «{{PRODUCT_RU}}»."),
    ("crm_note", "Иностранный номер клиента: {{PHONE_INTL}}, почта {{EMAIL_EN}}."),
    ("requisites", "ОГРН {{OGRN}}, ИНН {{INN10}}, дата регистрации {{DATE_RU}}."),
    ("crm_note", "Руководитель: {{FIO}}, контактный телефон {{PHONE_RU}}, почта {{EMAIL_RU}}."),
    ("hr_record", "Табель: {{FIO}} ({{DOB_RU}} г. р.), СНИЛС {{SNILS}}, паспорт {{PASSPORT}}."),
    ("support_chat", "добрый день, номер карты {{CARD}}, деньги списались, а заказ {{ORDER}} отменён"),
    ("bank_note", "Получатель перевода: {{FIO}}, ИНН {{INN12}}, счёт в банке с БИК {{BIK}}."),
    ("email", "От: {{NAME_RU}} <{{EMAIL_RU}}>\nТема: заявка {{INVOICE_RU}}\n\nДобрый день! Мой телефон {{PHONE_RU}}, адрес {{ADDR_RU}}."),
    ("medical_form", "Направление: {{FIO}}, {{DOB_RU}} г.р., полис выдан {{DATE_RU}}, СНИЛС {{SNILS}}."),
    ("devops", "Сервер {{IPV4}} недоступен с {{TS}}, ответственный {{NAME_RU}} ({{PHONE_RU}})."),
    ("education", "Студент {{FIO}}, дата рождения {{DOB_RU}}, зачислен приказом от {{DATE_RU}}."),
    ("bank_note", "Клиент {{FIO}} просит перевыпустить карту {{CARD}}, новый адрес доставки: {{ADDR_RU}}."),
    ("finance", "Реквизиты для перевода из-за рубежа: IBAN {{IBAN}}, получатель {{FIO}}, назначение: оплата по счёту {{INVOICE_RU}}."),
    ("hr_record", "Выдать справку о доходах {{FIO_DAT}}, табельный номер {{N}}, ИНН {{INN12}}."),
    ("legal", "Заявление от {{FIO_GEN}} (адрес регистрации: {{ADDR_RU}}) принято {{DATE_RU}}."),
    ("support_chat", "Передайте, пожалуйста, {{FIO_DAT}}, что курьер приедет завтра; телефон {{PHONE_RU}}."),
    ("bank_note", "Перевод {{PRICE_RU}} на карту {{CARD}} по поручению {{FIO_GEN}}."),
    ("medical_form", "Направить {{FIO_GEN}} ({{DOB_RU}} г.р.) на консультацию; полис ОМС оформлен {{DATE_RU}}."),
]

STRUCTURED: list[tuple[str, str, str]] = [
    ("en", "json", '{"id": {{N}}, "name": "{{NAME_EN}}", "email": "{{EMAIL_EN}}", "phone": "{{PHONE_US}}", "dob": "{{DOB_ISO}}", "ssn": "{{SSN}}"}'),
    ("en", "csv", "id,name,email,phone,card\n{{N}},{{NAME_EN}},{{EMAIL_EN}},{{PHONE_US}},{{CARD}}"),
    ("en", "app_log", "{{TS}} INFO auth: login ok user={{EMAIL_EN}} src={{IPV4}} session={{UUID}}"),
    ("en", "access_log", '{{IPV4}} - - [12/Mar/2024:10:15:30 +0000] "GET /api/v1/orders/{{ORDER}} HTTP/1.1" 200 512 "-" "Mozilla/5.0"'),
    ("en", "yaml", 'contact:\n  name: {{NAME_EN}}\n  email: {{EMAIL_EN}}\n  phone: "{{PHONE_INTL}}"\nbilling:\n  iban: {{IBAN}}\n  version: {{SEMVER}}'),
    ("en", "sql", "INSERT INTO customers (name, email, ssn, address) VALUES ('{{NAME_EN}}', '{{EMAIL_EN}}', '{{SSN}}', '{{ADDR_EN}}');"),
    ("en", "python", 'user = User(name="{{NAME_EN}}", email="{{EMAIL_EN}}", last_ip="{{IPV6}}", build="{{SHORTSHA}}")'),
    ("en", "kv", "name={{NAME_EN}}; dob={{DOB_ISO}}; addr={{ADDR_EN}}; order={{ORDER}}"),
    ("en", "markdown", "| Name | Email | Phone |\n|---|---|---|\n| {{NAME_EN}} | {{EMAIL_EN}} | {{PHONE_US}} |"),
    ("ru", "json", '{"fio": "{{FIO}}", "inn": "{{INN12}}", "snils": "{{SNILS_PLAIN}}", "passport": "{{PASSPORT}}", "phone": "{{PHONE_RU}}"}'),
    ("ru", "csv", "ФИО;Телефон;Email;Дата рождения\n{{FIO}};{{PHONE_RU}};{{EMAIL_RU}};{{DOB_RU}}"),
    ("ru", "app_log", "{{TS}} WARN payment declined card={{CARD}} user={{EMAIL_RU}} ip={{IPV4}} order={{ORDER}}"),
    ("ru", "1c_export", "Контрагент: ООО «{{CO}}» | ИНН/КПП {{INN10}}/{{KPP}} | ОГРН {{OGRN}} | р/с в банке БИК {{BIK}}"),
    ("ru", "xml", "<client><name>{{FIO}}</name><inn>{{INN12}}</inn><phone>{{PHONE_RU}}</phone><email>{{EMAIL_RU}}</email></client>"),
    ("ru", "env", "SUPPORT_PHONE={{PHONE_RU}}\nADMIN_EMAIL={{EMAIL_RU}}\nAPP_VERSION={{SEMVER}}\nREQUEST_ID={{UUID}}"),
    ("ru", "kv", "фио={{FIO}}; снилс={{SNILS}}; дата_рождения={{DOB_RU}}; адрес={{ADDR_RU}}"),
]

DECOY_EN: list[tuple[str, str]] = [
    ("ecommerce", "Order {{ORDER}} shipped on {{DATE_EN}}; tracking {{TRACK}}."),
    ("changelog", "Upgrade to {{SEMVER}} fixes the parser crash; see commit {{SHA1}}."),
    ("release", "Build {{VER4}} is available for download (sha256 {{SHA256}})."),
    ("finance", "Invoice {{INVOICE}} for {{PRICE_EN}} is due on {{DATE_EN}}."),
    ("app_log", "Request {{UUID}} completed in 128 ms at {{TS}}."),
    ("logistics", "Warehouse location: {{COORD}}; dock {{N}} opens on {{DATE_EN}}."),
    ("support_ticket", "Reference number {{BADCARD}} could not be matched to any account."),
    ("inventory", "Serial number {{SERIAL}} registered to device {{MAC}}."),
    ("bookshop", "ISBN {{ISBN}} ships in 3 days, price {{PRICE_EN}}."),
    ("inventory", "Product barcode {{EAN}}, SKU {{ORDER}}, {{N}} units in stock."),
    ("devops", "The artifact's MD5 is {{MD5}} and it was built from {{SHORTSHA}}."),
    ("app_log", "Epoch {{EPOCH}} corresponds to the last sync of job {{UUID}}."),
    ("insurance", "Claim number {{BADSSN}} was closed on {{DATE_EN}}."),
    ("legal", "Contract {{BADINN}} archived; renewal scheduled for {{DATE_EN}}."),
    ("calendar", "The quarterly review moved to {{DATE_EN}} at 3 pm; agenda v{{SEMVER}}."),
    ("devops", "Pulled image registry.local/app@sha256:{{SHA256}} (chart {{SEMVER}})."),
    ("inventory", "Firmware {{VER4}} installed on {{N}} routers; next window {{DATE_EN}}."),
]

DECOY_RU: list[tuple[str, str]] = [
    ("ecommerce", "Заказ {{ORDER}} отправлен {{DATE_RU}}, трек-номер {{TRACK}}."),
    ("changelog", "Обновление до версии {{SEMVER}} доступно, коммит {{SHORTSHA}}."),
    ("legal", "Номер договора {{BADINN}}, дата заключения {{DATE_RU}}."),
    ("support_ticket", "Регистрационный номер заявки {{BADSNILS}}, статус: в работе."),
    ("requisites", "Банк получателя: ПАО Сбербанк, БИК {{BIK}}, сумма {{PRICE_RU}}."),
    ("ecommerce", "Стоимость: {{PRICE_RU}}, скидка 10%, артикул {{ORDER}}."),
    ("logistics", "Координаты точки выдачи: {{COORD}}."),
    ("app_log", "Идентификатор транзакции {{UUID}}, время {{TS}}."),
    ("inventory", "Штрихкод {{EAN}}, ISBN {{ISBN}}."),
    ("inventory", "Серийный номер {{SERIAL}}, гарантия до {{DATE_RU}}."),
    ("legal", "Срок действия лицензии до {{DATE_RU}}, счёт {{INVOICE_RU}}."),
    ("ecommerce", "Номер карты лояльности {{BADCARD}} не найден в программе."),
    ("devops", "Контрольная сумма файла: {{MD5}}, сборка {{VER4}}."),
    ("inventory", "Прошивка {{VER4}} установлена на устройство {{MAC}}."),
    ("app_log", "Метка времени {{EPOCH}}, задача {{UUID}} завершена."),
    ("calendar", "Совещание перенесено на {{DATE_RU}}, версия презентации {{SEMVER}}."),
]

# fmt: on


def _templates() -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    rows += [("prose", "en", ctx, f"en-{i:02d}", t) for i, (ctx, t) in enumerate(PROSE_EN)]
    rows += [("prose", "ru", ctx, f"ru-{i:02d}", t) for i, (ctx, t) in enumerate(PROSE_RU)]
    rows += [("structured", lang, ctx, f"st-{i:02d}", t) for i, (lang, ctx, t) in enumerate(STRUCTURED)]
    rows += [("decoy", "en", ctx, f"dec-en-{i:02d}", t) for i, (ctx, t) in enumerate(DECOY_EN)]
    rows += [("decoy", "ru", ctx, f"dec-ru-{i:02d}", t) for i, (ctx, t) in enumerate(DECOY_RU)]
    return rows


TEMPLATES = _templates()


def fill(template: str, values: Values) -> tuple[str, list[dict[str, object]], list[dict[str, object]]]:
    """Replace every ``{{SLOT}}`` and return the text with exact entity and decoy offsets."""
    out: list[str] = []
    pos = 0
    entities: list[dict[str, object]] = []
    decoys: list[dict[str, object]] = []
    last = 0
    for found in SLOT.finditer(template):
        literal = template[last : found.start()]
        out.append(literal)
        pos += len(literal)
        fn, kind, decoy = SLOTS[found.group(1)]
        value = fn(values)
        if kind:
            entities.append({"start": pos, "end": pos + len(value), "kind": kind})
        if decoy:
            decoys.append({"start": pos, "end": pos + len(value), "type": decoy})
        out.append(value)
        pos += len(value)
        last = found.end()
    out.append(template[last:])
    return "".join(out), entities, decoys


def build(seed: int, repeats: dict[str, int]) -> list[dict[str, object]]:
    values = Values(seed)
    records: list[dict[str, object]] = []
    for group, lang, context, template_id, template in TEMPLATES:
        for _ in range(repeats[group]):
            text, entities, decoys = fill(template, values)
            records.append({"id": f"pii-{len(records):05d}", "text": text, "lang": lang,
                            "source": f"{context}:{template_id}", "entities": entities, "decoys": decoys})  # fmt: skip
    values.rng.shuffle(records)
    return records


def summary(records: list[dict[str, object]]) -> dict[str, object]:
    kinds: Counter[str] = Counter()
    decoys: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    for rec in records:
        langs[str(rec["lang"])] += 1
        kinds.update(f"{e['kind']}/{rec['lang']}" for e in rec["entities"])  # type: ignore[attr-defined]
        decoys.update(str(d["type"]) for d in rec["decoys"])  # type: ignore[attr-defined]
    return {"records": len(records), "langs": dict(langs), "entities": dict(sorted(kinds.items())),
            "decoys": dict(sorted(decoys.items()))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    records = build(args.seed, {"prose": 15, "structured": 15, "decoy": 12})
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "pii_eval.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    stats = summary(records)
    stats["seed"] = args.seed
    (args.out / "pii_eval.summary.json").write_text(json.dumps(stats, ensure_ascii=False, indent=2))
    print(json.dumps(stats, ensure_ascii=False, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""Column names as weak evidence: ``phone`` or ``телефон`` makes a PHONE classification more certain.

A name never classifies a column by itself (``name`` may hold product names); it only lowers the
share of matching values needed and raises the finding's confidence. Names are split into words
on anything that is not a letter or digit, in any script, and each word is looked up.
"""

from __future__ import annotations

import re

__all__ = ["NAME_HINTS", "name_hint"]

# Data table: word in a column name -> the kind it suggests.
NAME_HINTS: dict[str, str] = {
    **dict.fromkeys(("email", "e_mail", "mail", "emails", "почта", "емейл", "email_address"), "EMAIL"),
    **dict.fromkeys(
        ("phone", "tel", "telephone", "mobile", "msisdn", "cell", "phones", "тел", "телефон", "мобильный"), "PHONE"
    ),
    **dict.fromkeys(("inn", "инн"), "RU_INN"),
    **dict.fromkeys(("snils", "снилс"), "RU_SNILS"),
    **dict.fromkeys(("passport", "паспорт", "passport_number"), "RU_PASSPORT"),
    **dict.fromkeys(
        (
            "fio",
            "фио",
            "name",
            "имя",
            "фамилия",
            "отчество",
            "surname",
            "firstname",
            "lastname",
            "fullname",
            "first_name",
            "last_name",
            "full_name",
            "patronymic",
            "person",
        ),
        "PERSON",
    ),
    **dict.fromkeys(("address", "адрес", "street", "улица", "addr"), "ADDRESS"),
    **dict.fromkeys(("dob", "birth", "birthday", "birthdate", "дата_рождения", "рождения", "др"), "DATE_OF_BIRTH"),
    **dict.fromkeys(("card", "pan", "карта", "card_number", "cc"), "CREDIT_CARD"),
    **dict.fromkeys(("iban",), "IBAN"),
    **dict.fromkeys(("ssn",), "US_SSN"),
    **dict.fromkeys(("ip", "ip_address", "ipaddr"), "IP_ADDRESS"),
}

_WORD = re.compile(r"[^\W_]+")


def name_hint(column: str) -> str | None:
    """The kind a column name suggests, or ``None``; the whole name is tried before its words."""
    lowered = column.strip().lower()
    whole = NAME_HINTS.get(lowered.replace(" ", "_").replace("-", "_"))
    if whole is not None:
        return whole
    for word in _WORD.findall(lowered):
        kind = NAME_HINTS.get(word)
        if kind is not None:
            return kind
    return None

"""RE2 patterns for personal-data candidates, as data.

Patterns only *find candidates*; checksums, phonenumbers and context decide. They run on
normalised text (see ``normalize``), so they need only ASCII digits, spaces and hyphens.
RE2 has no look-around: trailing boundaries are ``\\b`` (ASCII) or checked in Python. No
pattern may cross a NUL character: ``DetectorSet.detect_column`` joins values with one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import re2

from mlwarden.detectors.pii.address_data import ADDRESS_PATTERNS

__all__ = ["PATTERNS", "compiled"]

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_MONTHS_EN = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_MONTHS_RU = r"(?:январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья]|янв|фев|мар|апр|авг|сент?|окт|нояб?|дек)"  # noqa: E501

PATTERNS: dict[str, str] = {
    # Unbounded repetition is linear in RE2; counted repetition of Unicode classes would blow up the DFA.
    "EMAIL": r"[\p{L}\p{N}_%+\-][\p{L}\p{N}._%+\-]*@(?:[\p{L}\p{N}][\p{L}\p{N}\-]*\.)+\p{L}\p{L}+",
    "IPV4": r"\b" + _OCTET + r"(?:\." + _OCTET + r"){3}\b",
    "IPV6": r"(?i)(?:[0-9a-f]{1,4}:|::)[0-9a-f:]{2,37}(?:[0-9a-f]|::)",
    # Unseparated digit runs: classified by length (INN, SNILS, OGRN, cards, phones, KPP, SSN).
    "DIGITS": r"\b[0-9]{9,19}\b",
    # Cards printed in groups: 4-4-4-4(-3), 4-6-5 (Amex), 4-6-4 (Diners).
    "CARD": r"\b(?:[0-9]{4}([ \-])[0-9]{4}[ \-][0-9]{4}[ \-][0-9]{4}(?:[ \-][0-9]{1,3})?"
    r"|[0-9]{4}[ \-][0-9]{6}[ \-][0-9]{4,5})\b",
    # Phones: Russian +7 / 8 formats, international E.164 with a plus, North American (NXX) NXX-XXXX.
    # A "+" number may be grouped any way ("+33 1 45 36 41 43", "+447911123456"): its plan decides.
    "PHONE": r"\+[0-9]{1,3}(?:[ \-.]?(?:\([0-9]{1,5}\)|[0-9]{1,5})){2,7}\b"
    r"|(?:\b[178][ \-.]?)?(?:\([0-9]{2,5}\)|\b[0-9]{2,5})[ \-.]?[0-9]{2,4}(?:[ \-.]?[0-9]{2,4}){1,3}\b",
    "SNILS": r"\b[0-9]{3}[ \-][0-9]{3}[ \-][0-9]{3}[ \-]{1,3}[0-9]{2}\b",
    "US_SSN": r"\b[0-9]{3}([ \-])[0-9]{2}[ \-][0-9]{4}\b",
    # Passport: series (2+2 digits) and 6-digit number, with optional "№"/"N"/"номер" between.
    "RU_PASSPORT": r"\b[0-9]{2} ?[0-9]{2}(?: ?(?:№|N|No\.?|номер) ?| )[0-9]{6}\b",
    "IBAN": r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b",
    # A capitalised word (with Mc/Mac/O' prefixes and double-barrelled parts) or an initial "И.".
    "NAME_TOKEN": r"\p{Lu}\.|(?:Mc|Mac|O'|D'|O’|D’)?\p{Lu}\p{Ll}+(?:['’]\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?",
    # Names in capitals ("DAVIS", "JOHN Q. SMITH") and "Last, First" ("Davis, James", "DAVIS, James").
    "NAME_CAPS": r"\p{Lu}[\p{Lu}'’\-]+(?: (?:\p{Lu}[\p{Lu}'’\-]+|\p{Lu}\.?)){1,3}",
    "NAME_INVERTED": r"\p{Lu}[\p{L}'’\-]+, \p{Lu}[\p{L}'’\-]+(?: \p{Lu}\.| \p{Lu}\p{Ll}+)?",
    # A lower-case full name right after a word that announces a person ("contact ashley harris").
    "NAME_LOWER": r"(?i:(?:contact|name|dear|hi|hello|thanks|cheers|regards|customer|client|patient|user|employee|from"
    r"|to|cc|by|signed|author|owner|manager|ask|call|email|ping|with|for|attn|attention|its|it's|this is|i'm|im"
    r"|клиент|клиентка|пациент|пациентка|фио|зовут|это|от|для|сотрудник|курьер|менеджер|абонент|заявитель)[:,]? )+"
    r"([a-zа-яё][a-zа-яё'\-]+ [a-zа-яё][a-zа-яё'\-]+(?: [a-zа-яё][a-zа-яё'\-]+)?)",
    # One lower-case first name where chats introduce or thank someone ("its mike", "спасибо, лена").
    "NAME_LOWER_ONE": r"(?i:(?:it's|its|this is|i'm|thanks|thank you|thx|hi|hey|hello|dear|cheers|это|зовут|спасибо"
    r"|привет|здравствуйте)[:,!]? )+([a-zа-яё]{3,})",
    # Surname, first name and patronymic in three cells of a CSV or TSV row ("Соловьёв,Глеб,Аркадьевич").
    "NAME_CELLS": r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?([,;\t|])\p{Lu}\p{Ll}+[,;\t|]\p{Lu}\p{Ll}+",
    "KPP": r"\b[0-9]{4}[0-9A-Z]{2}[0-9]{3}\b",
    # Numeric dates (four-digit year, or two-digit after the day and month: "д.р. 03/03/85"), month names
    # ("3rd of March, 1985", "March 3, 1985", "3 мар. 1985", "5-го мая 1991").
    "DATE": r"(?i)\b(?:[0-9]{1,2}[./\-][0-9]{1,2}[./\-](?:19|20)[0-9]{2}\b"
    r"|(?:19|20)[0-9]{2}(?:-[0-9]{1,2}-|/[0-9]{1,2}/|\.[0-9]{1,2}\.)[0-9]{1,2}"
    r"|[0-9]{2}[./\-][0-9]{2}[./\-][0-9]{2}\b"
    r"|[0-9]{1,2}(?:st|nd|rd|th)?(?: of)? " + _MONTHS_EN + r"\.?,? (?:19|20)[0-9]{2}"
    r"|" + _MONTHS_EN + r"\.? [0-9]{1,2}(?:st|nd|rd|th)?,? (?:19|20)[0-9]{2}"
    r"|[0-9]{1,2}(?:-?го)? " + _MONTHS_RU + r"\.? (?:19|20)[0-9]{2})",
}


PATTERNS.update(ADDRESS_PATTERNS)

# Words that say a nearby date is a birth date (see ``dates``); short ones are checked as whole words.
PATTERNS["BIRTH_CUE"] = r"(?i)birth|born|dob|d\.o\.b|рожд|родил|д\.р\.?|д\. р\.|г\.р\.?|г\. р\.|г\.р|возраст|age"


@cache
def compiled(name: str) -> Any:
    """The compiled RE2 pattern ``name`` (bounded memory; a hostile input never makes it slow)."""
    options = re2.Options()
    options.max_mem = 16 << 20
    return re2.compile(PATTERNS[name], options)

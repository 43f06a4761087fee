"""Field names as context: the ``ssn`` column of a CSV row says what ``123456789`` is.

A value in a table is often far from its label: the header of a CSV block, the column list of an
SQL ``INSERT``, a JSON key, or the column name a dataset scanner passes in. ``field_map`` finds
those structures in the text and maps every cell to the context keys its field name implies; the
context lookups in ``context`` consult that map (through ``scope``) as if the field name were a
context word right before the value. Every pattern is RE2 and stops at a NUL, so values joined
by ``DetectorSet.detect_column`` keep their own fields.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import re2

__all__ = ["NEGATIVE_FIELD", "FieldMap", "field_keys", "field_map"]

NEGATIVE_FIELD = "NEGATIVE"

# Data table: context keys, then the words of field names that imply them. A field name is tried
# whole, then word by word; negative words (ids, versions, amounts) lose to any positive word.
_TABLE = """
EMAIL: email mail e_mail emails почта емейл email_address
PHONE: phone tel telephone mobile msisdn cell fax phones тел телефон мобильный phone_number contact_phone
CREDIT_CARD: card cc pan ccn карта карты card_number credit_card cc_number
IBAN: iban
US_SSN: ssn social_security social_security_number
IP_ADDRESS: ip ip_address ipaddr ipv4 ipv6
DATE_OF_BIRTH: dob birth birthday birthdate born date_of_birth дата_рождения рождения др д_р birth_date bdate
RU_PASSPORT: passport паспорт паспорта passport_number passport_no
RU_INN RU_INN_ORG: inn инн
RU_INN RU_INN_ORG US_SSN: tax tax_id taxpayer tin налог
RU_SNILS: snils снилс
RU_OGRN: ogrn огрн ogrnip огрнип
RU_KPP: kpp кпп
PERSON: fio фио name имя фамилия отчество surname firstname lastname fullname first_name last_name full_name
PERSON: patronymic person customer client клиент employee сотрудник contact author
ADDRESS: address адрес street улица addr city zip postcode
NEGATIVE: order orders invoice version ver build sku hash uuid guid sha md5 commit tracking ticket transaction txn
NEGATIVE: заказ заказа артикул count price amount total qty timestamp ts id ref bik бик signup created updated
NEGATIVE: firmware прошивка
"""


def _parse(table: str) -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for line in table.strip().splitlines():
        keys, _, names = line.partition(":")
        for name in names.split():
            words[name] = tuple(sorted(set(words.get(name, ())) | set(keys.split())))
    return words


_WORDS = _parse(_TABLE)
_WEAK = frozenset({NEGATIVE_FIELD, "PERSON", "ADDRESS"})
_WORD_SPLIT = re2.compile(r"[\p{L}\p{N}]+")


@lru_cache(maxsize=4096)
def field_keys(name: str) -> frozenset[str]:
    """The context keys a field name implies (``tax_id`` -> INN, org INN and SSN); negative words lose to positive."""
    lowered = name.strip().strip("\"'`[]").lower()
    whole = _WORDS.get(lowered.replace(" ", "_").replace("-", "_"))
    if whole is not None:
        return frozenset(whole)
    keys: set[str] = set()
    for word in _WORD_SPLIT.findall(lowered[:80]):
        keys.update(_WORDS.get(word, ()))
    if NEGATIVE_FIELD in keys:
        # "passport_id" is a passport, "customer_id" an identifier: only a number kind beats a negative word.
        return frozenset(keys - {NEGATIVE_FIELD}) if keys - _WEAK else frozenset({NEGATIVE_FIELD})
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Cells ``[start, end)`` of the text with their field keys; ``base`` applies everywhere (a column name)."""

    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    keys: tuple[frozenset[str], ...] = ()
    base: frozenset[str] = frozenset()

    def at(self, start: int, end: int) -> frozenset[str]:
        """The field keys of the cell holding ``[start, end)`` (and the base keys)."""
        if not self.starts:
            return self.base
        index = bisect_right(self.starts, start) - 1
        if index >= 0 and end <= self.ends[index]:
            return self.keys[index] | self.base
        return self.base

    def __bool__(self) -> bool:
        return bool(self.starts or self.base)


def _options() -> Any:
    options = re2.Options()
    options.max_mem = 16 << 20
    return options


@cache
def _patterns() -> dict[str, Any]:
    cell = r"[\p{L}_][\p{L}\p{N}_ .\-]*"
    return {
        "insert": re2.compile(r"(?i)\binsert\s+into\s+[^\s(\x00]+\s*\(([^()\x00]+)\)\s*values\s*", _options()),
        "header": re2.compile(r"(?m)^[ \t|]*" + cell + r"(?:[ \t]*[,;\t|][ \t]*" + cell + r")+[ \t|]*\r?$", _options()),
        "pair": re2.compile(
            r"[\"']([\p{L}_][\p{L}\p{N}_ \-]*)[\"'][ \t]*[:=][ \t]*"
            r"(\"[^\"\\\n\x00]*\"|'[^'\\\n\x00]*'|[0-9+(][0-9 ()+\-./]*)",
            _options(),
        ),
    }


_Cell = tuple[int, int, frozenset[str]]


def _split_cells(line: str, offset: int, delimiter: str) -> list[tuple[int, int]]:
    """Cell spans of one delimited line (quotes respected), trimmed of spaces and quotes."""
    spans: list[tuple[int, int]] = []
    quoted = False
    begin = 0
    for i, ch in enumerate(line + delimiter):
        if ch in "\"'" and (i == begin or quoted):
            quoted = not quoted
        elif ch == delimiter and not quoted:
            spans.append(_trim(line, begin, i, offset))
            begin = i + 1
    if delimiter == "|":
        spans = [s for k, s in enumerate(spans) if not (s[0] == s[1] and k in (0, len(spans) - 1))]
    return spans


def _trim(line: str, begin: int, end: int, offset: int) -> tuple[int, int]:
    while begin < end and line[begin] in " \t\r\"'":
        begin += 1
    while end > begin and line[end - 1] in " \t\r\"'":
        end -= 1
    return offset + begin, offset + end


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in ("\t", "|", ";", ",")}
    return max(counts, key=lambda d: counts[d])


def _table_cells(text: str, start: int, end: int) -> Iterator[_Cell]:
    """The rows under a header line: each cell gets its column's keys; a row of another width ends the table."""
    header = text[start:end]
    delimiter = _delimiter(header)
    names = [text[a:b] for a, b in _split_cells(header, start, delimiter)]
    columns = [field_keys(name) for name in names]
    if len(columns) < 2 or not any(columns):
        return
    position = end + 1
    while position < len(text):
        stop = text.find("\n", position)
        stop = len(text) if stop < 0 else stop
        line = text[position:stop]
        if "\x00" in line or not line.strip():
            return
        if not set(line.strip()) <= set("|-: \t+"):  # a Markdown separator row
            cells = _split_cells(line, position, delimiter)
            if len(cells) != len(columns):
                return
            yield from ((a, b, keys) for (a, b), keys in zip(cells, columns, strict=True) if keys and b > a)
        position = stop + 1


def _insert_cells(text: str, start: int, columns: list[frozenset[str]]) -> Iterator[_Cell]:
    """Values of ``VALUES (...), (...)`` in column order; quotes respected, stops at ``;`` or a NUL."""
    depth, quoted, index, begin = 0, False, 0, start
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "\x00" or (ch == ";" and not quoted):
            return
        if ch == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            depth, index, begin = depth + 1, 0, i + 1
        elif ch in ",)" and depth == 1:
            a, b = _trim(text, begin, i, 0)
            if index < len(columns) and columns[index] and b > a:
                yield a, b, columns[index]
            index, begin = index + 1, i + 1
            depth -= ch == ")"
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch not in " ,\t\r\n":
            return


def _tables(text: str, header: Any) -> Iterator[_Cell]:
    table_end = -1
    for m in header.finditer(text):
        if m.start() < table_end:
            continue  # a row of the table just read, not a new header
        for cell in _table_cells(text, m.start(), m.end()):
            table_end = cell[1]
            yield cell


def _cells(text: str) -> Iterator[_Cell]:
    patterns = _patterns()
    if "nsert" in text or "NSERT" in text:
        for m in patterns["insert"].finditer(text):
            columns = [field_keys(c) for c in m.group(1).split(",")]
            if any(columns):
                yield from _insert_cells(text, m.end(), columns)
    if "\n" in text and any(d in text for d in ",;\t|"):
        yield from _tables(text, patterns["header"])
    if (":" in text or "=" in text) and ('"' in text or "'" in text):
        for m in patterns["pair"].finditer(text):
            keys = field_keys(m.group(1))
            if keys:
                a, b = _trim(text, m.start(2), m.end(2), 0)
                yield a, b, keys


def field_map(text: str, column_name: str | None = None) -> FieldMap:
    """Every labelled cell of ``text`` (SQL ``INSERT``, delimited tables, JSON-style pairs) plus the column name."""
    base = field_keys(column_name) if column_name else frozenset()
    cells = sorted(_cells(text), key=lambda c: (c[0], c[1]))
    starts: list[int] = []
    ends: list[int] = []
    keys: list[frozenset[str]] = []
    for a, b, k in cells:
        if ends and a < ends[-1]:
            continue  # nested or overlapping cells: the first (outermost) wins
        starts.append(a)
        ends.append(b)
        keys.append(k)
    return FieldMap(tuple(starts), tuple(ends), tuple(keys), base)

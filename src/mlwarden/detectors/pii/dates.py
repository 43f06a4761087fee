"""DATE_OF_BIRTH: a real past date that is the nearest date to a birth word.

"родился 12.03.1985, принят на работу с 25.09.2018": both are dates near "родился", but only
the nearest one is the birth date. Each birth word ("DOB", "born", "дата рождения", "г.р.",
"г. р.") claims at most one date, the closest on either side within a short window; a date in a
field named ``dob``/``дата_рождения`` (a column, a CSV header, a JSON key) needs no word.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.context import field_context, has_negative
from mlwarden.detectors.pii.fields import NEGATIVE_FIELD
from mlwarden.detectors.pii.patterns import compiled

__all__ = ["find_dates_of_birth", "parse_date"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12, "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
_BEFORE = 40  # a birth word up to this many characters before the date
_AFTER = 14  # ... or this many after it ("12.04.1972 г. р.")


def parse_date(value: str) -> date | None:
    """The calendar date written in ``value`` (day-first unless the year leads or ``/`` says US order)."""
    lowered = value.lower()
    numbers = [int(n) for n in "".join(c if c.isdigit() else " " for c in lowered).split()]
    month = next((n for k, n in _MONTHS.items() if k in lowered), None)
    try:
        if month is not None:
            day = next(n for n in numbers if n < 100)
            year = next(n for n in numbers if n >= 1900)
            return date(year, month, day)
        if len(numbers) >= 3 and numbers[0] >= 1900:
            return date(numbers[0], numbers[1], numbers[2])
        if len(numbers) >= 3:
            # Day first unless the second number cannot be a month ("07-22-1983", "04/15/1978").
            day, mon = (numbers[0], numbers[1]) if numbers[1] <= 12 else (numbers[1], numbers[0])
            return date(_full_year(numbers[2]), mon, day)
    except (ValueError, StopIteration):
        return None
    return None


def _full_year(year: int) -> int:
    """ "85" is 1985 and "07" 2007: a two-digit birth year is in the last hundred years."""
    if year >= 100:
        return year
    return 2000 + year if 2000 + year <= date.today().year else 1900 + year


def _short_date(text: str, start: int, end: int) -> bool:
    """ "03/03/85" with one separator throughout, and not a version ("версия 12.03.85")."""
    value = text[start:end]
    if not (value[:2].isdigit() and value[3:5].isdigit()):
        return True  # a month name ("3 мар 1985"), not the two-digit-year form
    return value[2] == value[5] and not has_negative(text, start, end)


def _cues(text: str) -> list[tuple[int, int]]:
    """Spans of birth words, each starting a word; "dob" and "age" only as whole words ("usage" is not one)."""
    found = []
    for m in compiled("BIRTH_CUE").finditer(text):
        start, end = m.span()
        if start > 0 and text[start - 1].isalpha():
            continue
        if m.group().lower() in ("dob", "age") and end < len(text) and text[end].isalpha():
            continue
        found.append((start, end))
    return found


def _nearest(text: str, cue: tuple[int, int], dates: list[tuple[int, int]], ends: list[int]) -> int | None:
    """Index of the date closest to ``cue`` within the window (never across a NUL), or None.

    The closest date is either the last one ending before the cue or the first one starting after it.
    """
    best: tuple[int, int] | None = None
    before = bisect_right(ends, cue[0]) - 1
    after = bisect_left(dates, (cue[1], -1))
    for i in (before, after):
        if not 0 <= i < len(dates):
            continue
        start, end = dates[i]
        gap, limit = ((cue[1], start), _BEFORE) if start >= cue[1] else ((end, cue[0]), _AFTER)
        distance = gap[1] - gap[0]
        if distance > limit or "\x00" in text[gap[0] : gap[1]]:
            continue
        if best is None or distance < best[0]:
            best = (distance, i)
    return None if best is None else best[1]


def find_dates_of_birth(text: str) -> Iterator[Match]:
    """Calendar-valid past dates claimed by a birth word ("DOB", "born", "дата рождения") or a birth field."""
    today = date.today()
    dates = [m.span() for m in compiled("DATE").finditer(text)]
    if not dates:
        return
    ends = [end for _, end in dates]
    claimed = {i for cue in _cues(text) if (i := _nearest(text, cue, dates, ends)) is not None}
    for i, (start, end) in enumerate(dates):
        keys = field_context(start, end)
        if NEGATIVE_FIELD in keys or (i not in claimed and "DATE_OF_BIRTH" not in keys):
            continue
        if end - start == 8 and not _short_date(text, start, end):
            continue
        parsed = parse_date(text[start:end])
        if parsed is None or parsed > today or parsed.year < 1900:
            continue
        yield Match(start=start, end=end, kind="DATE_OF_BIRTH", confidence=0.9, validated=True)

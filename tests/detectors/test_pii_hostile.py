"""Hostile input: backtracking bait, megabyte lines, invisible characters, surrogates, mixed scripts.

Timing bounds here are generous (a slow CI must pass); they exist to catch a hang or a quadratic
blow-up, not to measure speed (that is ``benchmarks/``).
"""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.pii import find_pii
from mlwarden.detectors.pii.normalize import normalize

MEGABYTE = 1 << 20

HOSTILE = {
    "letters": "a" * MEGABYTE,
    "digits": "1" * MEGABYTE,
    "spaced digits": "1 " * (MEGABYTE // 2),
    "dashed digits": "1-" * (MEGABYTE // 2),
    "at signs": "a@" * (MEGABYTE // 2),
    "dots after at": "a@" + "b." * (MEGABYTE // 2),
    "plus sevens": "+7 " * (MEGABYTE // 3),
    "cyrillic": "Ж" * MEGABYTE,
    "zero width": "\u200b" * MEGABYTE,
    "zero width between digits": "1\u200b" * (MEGABYTE // 2),
    "full width digits": "１" * MEGABYTE,
    "names": "Иван " * (MEGABYTE // 5),
    "initials": "И." * (MEGABYTE // 2),
    "street words": "ул. " * (MEGABYTE // 4),
    "ip like": "1." * (MEGABYTE // 2),
    "colons": "a:" * (MEGABYTE // 2),
    "surrogates": "\ud800" * MEGABYTE,
    "mixed scripts": "Aа1１\u200b😀" * (MEGABYTE // 6),
    "us addresses": "12 Main Street Apt 4, Springfield, IL 62704 " * (MEGABYTE // 44),
    "uk flats": "Flat 1, " * (MEGABYTE // 8),
    "ru addresses": "ул. Ленина, д. 1, кв. 2, " * (MEGABYTE // 25),
    "ru regions": "Московская обл., " * (MEGABYTE // 17),
    "sql insert": "INSERT INTO t (ssn, passport) VALUES " + "('078051121', '4510123456'), " * (MEGABYTE // 30),
    "csv rows": "name,ssn,phone\n" + "Ann Lee,078051121,617.403.3499\n" * (MEGABYTE // 31),
    "json pairs": '"ssn": "078051121", ' * (MEGABYTE // 21),
    "birth words": "г.р. 01.01.1990 " * (MEGABYTE // 16),
    "capital names": "JOHN SMITH " * (MEGABYTE // 11),
    "inverted names": "Smith, John " * (MEGABYTE // 12),
    "lower names": "contact ashley harris " * (MEGABYTE // 22),
    "plus phones": "+4 4 7 9 1 1 1 2 3 4 5 6 " * (MEGABYTE // 24),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_bounded(name: str) -> None:
    text = HOSTILE[name]
    started = time.perf_counter()
    found = DetectorSet.default().detect(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"{name}: {elapsed:.1f}s"
    for match in found:
        assert 0 <= match.start < match.end <= len(text)


def test_linear_growth_on_backtracking_bait() -> None:
    """Doubling the input must not quadruple the time (classic catastrophic backtracking)."""

    def timed(size: int) -> float:
        text = ("a" * 30 + "@" + "1 " * 20) * size
        started = time.perf_counter()
        list(find_pii(text))
        return time.perf_counter() - started

    small, large = timed(2000), timed(8000)
    assert large < max(small, 0.01) * 16


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_fuzz_any_text_never_raises_and_spans_are_valid(text: str) -> None:
    for match in DetectorSet.default().detect(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end]
        assert 0.0 <= match.confidence <= 1.0


_PIECES = st.sampled_from(
    ["ИНН ", "500100732259", "+7 916 123-45-67", "\u200b", "😀", "１", "a@b.co", " ", "-", "Иван ", "Петрович",
     "4111 1111 1111 1111", "ул. Ленина, д. 5", "\ud800", "\x00", "\n", "12.03.1985", "дата рождения "]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_fuzz_structured_pieces(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = DetectorSet.default().detect(text)
    for match in found:
        assert text[match.start : match.end]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1\u200b\u2060\ufeff１😀 "), max_size=60))
def test_normalised_offsets_map_back_to_the_same_characters(text: str) -> None:
    norm = normalize(text)
    for i, ch in enumerate(norm.text):
        original = text[norm.start(i)]
        assert original == ch or (ch.isdigit() and original == chr(0xFF10 + int(ch)))

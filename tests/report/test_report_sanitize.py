"""The terminal sanitiser: no escape sequence or invisible control survives, nothing is hidden."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.report.sanitize import fix_surrogates, sanitize_terminal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain.pkl", "plain.pkl"),
        ("данные/клиенты.csv", "данные/клиенты.csv"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b[2Kb", "ab"),
        ("\x1b]8;;file:///etc\x07link\x1b]8;;\x07", "link"),
        ("\x1b]52;c;ZXZpbA==\x1b\\x", "x"),
        ("\x9b31mred", "red"),
        ("a\rb", "a\\x0db"),
        ("a\nb", "a\\nb"),
        ("tab\there", "tab\\x09here"),
        ("bell\x07", "bell\\x07"),
        ("\x1b]0;unterminated title", "\\x1b]0;unterminated title"),
        ("exe\u202etxt.scr", "exe\\u202etxt.scr"),
        ("odd\udcffbyte", "odd\\xffbyte"),
        ("\x1bc reset", " reset"),
    ],
)
def test_sanitize_terminal(raw: str, expected: str) -> None:
    assert sanitize_terminal(raw) == expected


def _is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in "\u202e\u2066\u2028"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x20FF)))
def test_no_control_character_survives(text: str) -> None:
    clean = sanitize_terminal(text)
    assert not any(_is_unsafe(char) for char in clean)
    clean.encode("utf-8")  # surrogates are gone too
    assert sanitize_terminal(clean) == clean  # idempotent


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))))
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert sanitize_terminal(text) == text


def test_long_hostile_input_is_linear() -> None:
    text = "\x1b]" * 50_000 + "\x1b[" * 50_000
    assert "\x1b" not in sanitize_terminal(text)


def test_fix_surrogates_keeps_controls_and_text() -> None:
    assert fix_surrogates("a\tb\udc80я") == "a\tb\\x80я"
    assert fix_surrogates("plain") == "plain"

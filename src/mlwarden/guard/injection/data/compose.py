"""A tiny seeded grammar expander and surface-noise functions for the injection training data.

Why a grammar rather than templates: a template with two slots teaches the classifier the template's
fixed words. Here every sentence is assembled from many independent fragments (openers, verbs,
determiners, referents, payloads, closers), each with many alternatives, then perturbed (typos,
casing, punctuation, wrappers), so the model has to learn which *features* mark an attack.

Grammar: ``{"S": ["[[opener?]][[verb]] [[target]]"], "verb": [...], ...}``; ``[[name]]`` expands a
rule, ``[[name?]]`` expands it half of the time and is empty otherwise. Rules may nest.
"""

from __future__ import annotations

import base64
import codecs
import random
import re
from collections.abc import Callable, Mapping, Sequence

__all__ = ["Grammar", "expand", "noisy", "obfuscate", "typo"]

Grammar = Mapping[str, Sequence[str]]
_SLOT = re.compile(r"\[\[([a-z_0-9]+)(\??)\]\]")
_MAX_DEPTH = 12
_KEYBOARD_NEIGHBOURS = {
    "a": "qs", "e": "wr", "i": "uo", "o": "ip", "u": "yi", "r": "et", "t": "ry", "n": "bm", "s": "ad", "l": "k",
    "c": "xv", "d": "sf", "m": "n", "p": "o", "h": "gj", "g": "fh",
}  # fmt: skip
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}


def expand(grammar: Grammar, symbol: str, rng: random.Random, depth: int = 0) -> str:
    """One random expansion of ``symbol``."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"grammar too deep at {symbol!r}")
    choice = rng.choice(grammar[symbol])

    def replace(match: re.Match[str]) -> str:
        name, optional = match.group(1), match.group(2)
        if optional and rng.random() < 0.5:
            return ""
        return expand(grammar, name, rng, depth + 1)

    return _SLOT.sub(replace, choice)


def typo(text: str, rng: random.Random, rate: float = 0.04) -> str:
    """Drop, double, swap or mistype a few letters (a human typing fast)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        roll = rng.random()
        if not ch.isalpha() or roll > rate:
            out.append(ch)
        elif roll < rate * 0.25:
            pass  # dropped
        elif roll < rate * 0.5:
            out.append(ch + ch)
        elif roll < rate * 0.75 and i + 1 < len(text):
            out.append(text[i + 1] + ch)
            i += 1
        else:
            out.append(rng.choice(_KEYBOARD_NEIGHBOURS.get(ch.lower(), ch)))
        i += 1
    return "".join(out)


def _fix_spaces(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    return text.strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def noisy(text: str, rng: random.Random) -> str:
    """Tidy spacing, then sometimes: typos, lower/upper case, no capital, trailing punctuation, emoji."""
    text = _fix_spaces(text)
    roll = rng.random()
    if roll < 0.55:
        text = _capitalise(text)
    elif roll < 0.62:
        text = text.upper()
    elif roll < 0.72:
        text = text.lower()
    if rng.random() < 0.18:
        text = typo(text, rng)
    roll = rng.random()
    if roll < 0.1:
        text = text.rstrip(".") + rng.choice(["!", "!!", "?", "...", " :)", " pls", " thx", " 🙏", " 😊"])
    elif roll < 0.2:
        text = text.rstrip(".!")
    return text


def _spaced(text: str, rng: random.Random) -> str:
    sep = rng.choice([" ", ".", "-", "_", "*"])
    return " ".join(sep.join(word) for word in text.split())


def _homoglyph(text: str, rng: random.Random) -> str:
    return "".join(_HOMOGLYPHS[ch] if ch in _HOMOGLYPHS and rng.random() < 0.5 else ch for ch in text)


def _leet(text: str, rng: random.Random) -> str:
    return "".join(_LEET[ch] if ch in _LEET and rng.random() < 0.6 else ch for ch in text.lower())


def _zero_width(text: str, rng: random.Random) -> str:
    mark = rng.choice(["\u200b", "\u200c", "\u2060", "\u00ad"])
    return "".join(ch + mark if ch.isalpha() and rng.random() < 0.4 else ch for ch in text)


def _split_vars(text: str, rng: random.Random) -> str:
    words = text.split()
    size = max(1, len(words) // rng.randint(2, 4))
    parts = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    names = rng.choice([list("abcdef"), ["x", "y", "z", "w", "v", "u"], ["s1", "s2", "s3", "s4", "s5", "s6"],
                        ["part1", "part2", "part3", "part4", "part5", "part6"]])  # fmt: skip
    names = (names * 3)[: len(parts)]
    quote = rng.choice(["'", '"'])
    assigns = "\n".join(f"{n} = {quote}{p} {quote}" for n, p in zip(names, parts, strict=True))
    joined = " + ".join(names)
    return f"{assigns}\nz = {joined}"


OBFUSCATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "base64": lambda t, _r: base64.b64encode(t.encode()).decode(),
    "hex": lambda t, r: t.encode().hex(" ") if r.random() < 0.3 else t.encode().hex(),
    "rot13": lambda t, _r: codecs.encode(t, "rot13"),
    "reversed": lambda t, _r: t[::-1],
    "spaced": _spaced,
    "homoglyph": _homoglyph,
    "leet": _leet,
    "zero_width": _zero_width,
    "typos": lambda t, r: typo(t, r, 0.12),
    "split": _split_vars,
}


def obfuscate(text: str, rng: random.Random, kind: str | None = None) -> tuple[str, str]:
    """``(kind, transformed text)`` for one of ``OBFUSCATIONS`` (random unless ``kind`` is given)."""
    kind = kind or rng.choice(sorted(OBFUSCATIONS))
    return kind, OBFUSCATIONS[kind](text, rng)

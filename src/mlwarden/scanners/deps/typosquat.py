"""Typosquat candidates: names one typo, a separator, a look-alike character or an affix from a popular one.

The reference list is data shipped in the package (``data/popular_packages.txt``); nothing is fetched at
run time. Names are compared after PEP 503 normalisation, so ``scikit_learn`` *is* ``scikit-learn``.
A popular name itself, and the known legitimate neighbours in ``data/legit_neighbours.txt``, are never
reported. Short names (under five characters) are too dense to judge by edit distance alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mlwarden.scanners.deps.model import normalize

__all__ = ["Squat", "damerau_levenshtein", "find_squat", "malicious_entries", "popular_names", "skeleton"]

# Look-alikes a reader confuses with ASCII letters (Cyrillic and Greek homoglyphs, digits for letters).
_CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ӏ": "l",
        "ɡ": "g",
        "һ": "h",
        "ո": "n",
        "ս": "u",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "τ": "t",
        "κ": "k",
        "ι": "i",
        "ε": "e",
        "І": "l",
        "Ι": "l",
        "I": "l",
        "0": "o",
        "1": "l",
        "|": "l",
    }
)
_MULTI = (("rn", "m"), ("vv", "w"))
_PREFIXES = ("python-", "python3-", "py-")
_SUFFIXES = ("-python", "-py", "-dev", "-nightly", "-gpu", "-lite", "-plus", "-lib")
_TRAILING_DIGITS = re.compile(r"\d+$")
_MIN_LEN_ONE = 5
_MIN_LEN_TWO = 10


@dataclass(frozen=True, slots=True)
class Squat:
    """A typosquat candidate: which popular package it resembles, how, and how sure we are."""

    target: str
    technique: str
    confidence: float


def _data_lines(name: str) -> Iterable[str]:
    text = resources.files("mlwarden.scanners.deps").joinpath("data", name).read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield line


@lru_cache(maxsize=1)
def curated_names() -> frozenset[str]:
    """The hand-picked list (ML emphasis): the targets worth checking for two typos."""
    return frozenset(normalize(line.split()[0]) for line in _data_lines("popular_packages.txt"))


@lru_cache(maxsize=1)
def popular_names() -> frozenset[str]:
    """Every reference name: the curated list plus the most downloaded projects."""
    return curated_names() | {normalize(line.split()[0]) for line in _data_lines("popular_downloads.txt")}


@lru_cache(maxsize=1)
def _legit() -> dict[str, str]:
    """Legitimate neighbour -> the popular package it resembles."""
    pairs = (line.split() for line in _data_lines("legit_neighbours.txt"))
    return {normalize(pair[0]): normalize(pair[-1]) for pair in pairs}


@lru_cache(maxsize=1)
def malicious_entries() -> dict[str, frozenset[str]]:
    """Known malicious names: name -> versions (an empty set means every release)."""
    found: dict[str, set[str]] = {}
    for line in _data_lines("malicious_packages.txt"):
        name, _, version = line.partition("==")
        found.setdefault(normalize(name.strip()), set())
        if version.strip():
            found[normalize(name.strip())].add(version.strip())
    return {name: frozenset(versions) for name, versions in found.items()}


@lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[tuple[str, frozenset[str]], ...]]:
    buckets: dict[int, list[tuple[str, frozenset[str]]]] = {}
    for name in sorted(popular_names()):
        buckets.setdefault(len(name), []).append((name, frozenset(name)))
    return {length: tuple(names) for length, names in buckets.items()}


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (adjacent swaps cost 1), cut off at ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def skeleton(raw_name: str) -> str:
    """The name with look-alike characters folded to the ASCII letters they imitate, then normalised."""
    text = unicodedata.normalize("NFKC", raw_name).translate(_CONFUSABLES).lower()
    for seq, letter in _MULTI:
        text = text.replace(seq, letter)
    return normalize(text)


def find_squat(raw_name: str) -> Squat | None:
    """The popular package ``raw_name`` may be squatting, or None when it is popular, legit or unrelated."""
    name = normalize(raw_name)
    popular = popular_names()
    if name in popular or name in _legit():
        return None
    look = skeleton(raw_name)
    if look != name and look in popular:
        return Squat(look, "look-alike characters", 0.9)
    squashed = name.replace("-", "")
    for target in popular:
        if len(target) >= _MIN_LEN_ONE and target.replace("-", "") == squashed:
            return Squat(target, "separator change", 0.8)
    return _edit_squat(name) or _affix_squat(name)


def _sibling(name: str, target: str) -> bool:
    """Whether two names are members of one family rather than a typo of each other.

    ``markdown2``/``markdown``, ``uuid7``/``uuid6`` differ only in a trailing number; ``mypy-boto3-sqs``/
    ``mypy-boto3-sns`` or ``nvidia-cudnn-cu11``/``-cu12`` differ in one short segment of a shared scheme.
    """
    if _TRAILING_DIGITS.sub("", name) == _TRAILING_DIGITS.sub("", target):
        return True
    ours, theirs = name.split("-"), target.split("-")
    if len(ours) < 2 or len(ours) != len(theirs):
        return False
    differing = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    return len(differing) == 1 and min(len(differing[0][0]), len(differing[0][1])) <= 4


def _edit_squat(name: str) -> Squat | None:
    if len(name) < _MIN_LEN_ONE:
        return None
    curated = curated_names()
    letters = frozenset(name)
    best: Squat | None = None
    for length in range(len(name) - 2, len(name) + 3):
        for target, target_letters in _by_length().get(length, ()):
            if len(letters ^ target_letters) > 4:  # two edits change at most four distinct letters
                continue
            top = target in curated
            if len(target) < (_MIN_LEN_ONE if top else _MIN_LEN_ONE + 1) or (not top and abs(length - len(name)) > 1):
                continue
            distance = damerau_levenshtein(name, target)
            if distance > 2 or _sibling(name, target):
                continue
            if distance == 1 and (top or name[0] == target[0]):
                plural = name.rstrip("s") == target.rstrip("s")
                confidence = 0.4 if plural or name[0] != target[0] else 0.75 if len(target) >= 7 else 0.6
                return Squat(target, "one edit (typo)", confidence)
            if distance == 2 and top and len(target) >= _MIN_LEN_TWO and best is None:
                best = Squat(target, "two edits (typos)", 0.4)
    return best


def _affix_squat(name: str) -> Squat | None:
    popular, legit = popular_names(), _legit()
    bases = [(name.removeprefix(p), f"'{p}' prefix") for p in _PREFIXES if name.startswith(p)]
    bases += [(name.removesuffix(s), f"'{s}' suffix") for s in _SUFFIXES if name.endswith(s)]
    for base, technique in bases:
        if len(base) >= 4 and base in popular:
            return Squat(base, technique, 0.5)
        if base in legit:
            return Squat(legit[base], technique, 0.5)
    return None

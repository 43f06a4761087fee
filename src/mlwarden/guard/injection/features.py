"""Sparse hashed features of a prompt for the injection classifier (pure Python, no numpy).

Computed here and nowhere else: ``scripts/train_injection_model.py`` calls ``features()`` to build
its training matrix, so training and inference cannot disagree. Feature families, all hashed with
CRC32 into ``buckets`` slots:

- character 2-5-grams of each folded word (padded with spaces): robust to typos and inflection;
- word unigrams and bigrams over *stems* (crude suffix stripping for Latin script, a 5-letter prefix
  for Cyrillic), so "ignoring the instructions" and "ignore instruction" share features;
- skip-bigrams of stems two or three words apart ("print ... above", "reveal ... prompt");
- meta features: an imperative/request verb and a meta-referent ("instructions", "prompt", "above",
  "previous", "system"; Russian "инструкции", "выше", "промпт" ...) in the same short window, and
  second-person address, which is how injections talk to the model;
- punctuation runs (``<|``, ``###``, ``![``, ``](``) that chat templates and markdown exfiltration use;
- ``extras``: tokens for decoded views (``x:base64``) the caller found.

Each count becomes ``1 + log(count)`` and the vector is L2-normalised. Words' character n-gram
buckets are cached (bounded), since the same words recur across prompts.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["MAX_CHARS", "features", "stem", "tokens"]

MAX_CHARS = 3000  # longer texts: the head and the tail are scored
_HEAD, _TAIL = 2000, 1000
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_WINDOW = 4
_LATIN_SUFFIXES = ("ations", "ation", "ions", "ing", "ings", "ed", "es", "ly", "s")
_VERB_STEMS = (
    "ignor disregard forget skip overrid bypas drop discard abandon stop repeat print show reveal display output "
    "tell give shar disclos dump leak writ spell recit list copy echo return past summar summari paraphras translat "
    "reproduc quot expos provid describ enumerat continu complet decod follow obey execut act pretend imagin becom "
    "simulat enabl activat enter switch send forward upload post mail includ append render open visit "
    "игнор проиг забуд забей отбро покаж вывед напиш повто раскр скаж переч проци распе выда перес отпр слей "
    "загру продуб воспр"
)
_REFERENT_STEMS = (
    "instruction instructions prompt prompts rule rules guideline guidelines directive directives above previou "
    "prior earlier initial original system preced preamble configur setup polic polici restriction "
    "constraint message hidden secret password context everyth initializ developer "
    "инстр указа прави огран промп выше систе преды прежн исход перво скрыт настр начал парол секре"
)
_YOU_WORDS = "you your you're yourself u ur ты тебя тебе твои твой свой свои вы вас ваши"
_IMPERATIVES, _REFERENTS, _YOU = (frozenset(words.split()) for words in (_VERB_STEMS, _REFERENT_STEMS, _YOU_WORDS))
_SYMBOLS = re.compile(r"[^\w\s]{1,6}")


def _clip(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:_HEAD] + " " + text[-_TAIL:]


def _bucket(token: str, buckets: int) -> int:
    return zlib.crc32(token.encode("utf-8", "replace")) % buckets


@lru_cache(maxsize=1 << 15)
def _char_grams(word: str, buckets: int) -> tuple[int, ...]:
    padded = f" {word} "
    size = len(padded)
    return tuple(_bucket("c" + padded[i : i + n], buckets) for n in range(2, 6) for i in range(size - n + 1))


@lru_cache(maxsize=1 << 15)
def stem(word: str) -> str:
    """A crude language-agnostic stem: Cyrillic 5-letter prefix, Latin suffixes stripped."""
    if word and "\u0400" <= word[0] <= "\u04ff":
        return word[:5]
    for suffix in _LATIN_SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """Word tokens of folded text (letters and digits; apostrophes inside words kept)."""
    return _WORD.findall(text)


def _add(counts: dict[int, int], index: int) -> None:
    counts[index] = counts.get(index, 0) + 1


@lru_cache(maxsize=1 << 14)
def _is_verb(word_stem: str) -> bool:
    return any(word_stem[:n] in _IMPERATIVES for n in range(3, min(len(word_stem), 9) + 1))


@lru_cache(maxsize=1 << 14)
def _is_referent(word_stem: str) -> bool:
    return word_stem in _REFERENTS or word_stem[:5] in _REFERENTS


def _meta(stems: list[str], counts: dict[int, int], buckets: int) -> None:
    imperative = [_is_verb(s) for s in stems]
    referent = [_is_referent(s) for s in stems]
    for i, is_verb in enumerate(imperative):
        if is_verb and any(referent[i + 1 : i + 1 + _WINDOW + 2]):
            _add(counts, _bucket("m:verb+ref", buckets))
    if any(s in _YOU for s in stems):
        _add(counts, _bucket("m:you", buckets))
    _add(counts, _bucket(f"m:refs{min(sum(referent), 4)}", buckets))


def _word_features(words: list[str], counts: dict[int, int], buckets: int) -> None:
    stems = [stem(w) for w in words]
    for i, current in enumerate(stems):
        _add(counts, _bucket("w" + current, buckets))
        for gap in (1, 2, 3):
            if i + gap < len(stems):
                prefix = "b" if gap == 1 else "k"
                _add(counts, _bucket(prefix + current + " " + stems[i + gap], buckets))
    _meta(stems, counts, buckets)


def features(text: str, buckets: int, extras: Iterable[str] = ()) -> dict[int, float]:
    """The L2-normalised sparse feature vector of ``text`` (already folded) plus ``extras`` tokens."""
    text = _clip(text)
    counts: dict[int, int] = {}
    words = tokens(text)
    for word in words:
        for index in _char_grams(word[:40], buckets):
            _add(counts, index)
    _word_features(words, counts, buckets)
    for run in _SYMBOLS.findall(text):
        _add(counts, _bucket("p" + run, buckets))
    for extra in extras:
        _add(counts, _bucket("x" + extra, buckets))
    values = {k: 1.0 + math.log(v) for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {k: v / norm for k, v in values.items()}

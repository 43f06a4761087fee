"""Sparse hashed features of a prompt for the injection classifier (pure Python, no numpy).

Computed here and nowhere else: ``scripts/train_injection_model.py`` calls ``features()`` to build
its training matrix, so training and inference cannot disagree. Feature families, all hashed with
CRC32 into ``buckets`` slots:

- character 2-5-grams of each folded word (padded with spaces): robust to typos and inflection; a run
  of Chinese / Japanese script has no spaces, so its n-grams cover up to ``_CJK_RUN`` characters and
  its *word* units are overlapping character bigrams ("忽略", "略之" ...); Indic vowel signs stay inside
  their word;
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
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from mlwarden.guard.normalize import View, fold

__all__ = ["MAX_CHARS", "dot", "feature_counts", "features", "stem", "tokens", "weighted"]

MAX_CHARS = 3000  # longer texts: the head and the tail are scored
_HEAD, _TAIL = 2000, 1000
# Letters and digits, plus the Brahmic / Thai blocks (their vowel signs are not \w); dandas excluded.
_WORD = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u0dff\u0e00-\u0e7f])+(?:'[^\W_]+)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD_CHARS, _CJK_RUN = 40, 120
_WINDOW = 4
_LATIN_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ed", "es", "ly", "s")
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
_CJK_VERBS = (
    "忽略 无视 無視 忘记 忘掉 忘れ 显示 顯示 输出 輸出 出力 表示 重复 重複 透露 泄露 告诉 告訴 教え 翻译 翻譯 "
    "発送 发送 転送 转发"
)
_CJK_REFERENTS = "指令 指示 提示 规则 規則 ルル 设定 設定 系统 系統 密码 密碼 パス 命令 限制 制限 聊天 记录 履歴 プロ"
_YOU_WORDS = "you your you're yourself u ur ты тебя тебе твои твой свой свои вы вас ваши 你的 あなた"


def _folded_set(words: str) -> frozenset[str]:
    """The words as they appear in the folded view (Cyrillic look-alikes folded to Latin), and as written."""
    listed = words.split()
    return frozenset(listed + [fold(View("words", w, tuple(range(len(w))))).text for w in listed])


_IMPERATIVES = _folded_set(_VERB_STEMS + " " + _CJK_VERBS)
_REFERENTS = _folded_set(_REFERENT_STEMS + " " + _CJK_REFERENTS)
_YOU = _folded_set(_YOU_WORDS)
_SYMBOLS = re.compile(r"[^\w\s]{1,6}")
_MAX_LOGGED = 64
_LOG = (0.0, *(1.0 + math.log(c) for c in range(1, _MAX_LOGGED)))


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


@lru_cache(maxsize=1 << 14)
def _is_verb(word_stem: str) -> bool:
    return word_stem in _IMPERATIVES or any(word_stem[:n] in _IMPERATIVES for n in range(3, min(len(word_stem), 9) + 1))


@lru_cache(maxsize=1 << 14)
def _is_referent(word_stem: str) -> bool:
    return word_stem in _REFERENTS or word_stem[:5] in _REFERENTS


def _meta(stems: list[str], out: list[int], buckets: int) -> None:
    imperative = [_is_verb(s) for s in stems]
    referent = [_is_referent(s) for s in stems]
    pairs = sum(1 for i, is_verb in enumerate(imperative) if is_verb and any(referent[i + 1 : i + 3 + _WINDOW]))
    out.extend([_bucket("m:verb+ref", buckets)] * pairs)
    if any(s in _YOU for s in stems):
        out.append(_bucket("m:you", buckets))
    out.append(_bucket(f"m:refs{min(sum(referent), 4)}", buckets))


def _word_units(words: list[str]) -> list[str]:
    """Words, with each run of Chinese / Japanese script replaced by its overlapping character bigrams."""
    units: list[str] = []
    for word in words:
        if len(word) > 2 and _CJK.search(word):
            units.extend(word[i : i + 2] for i in range(min(len(word), _CJK_RUN) - 1))
        else:
            units.append(word)
    return units


def _word_features(words: list[str], out: list[int], buckets: int) -> None:
    stems = [stem(w) for w in _word_units(words)]
    size = len(stems)
    for i, current in enumerate(stems):
        out.append(_bucket("w" + current, buckets))
        if i + 1 < size:
            out.append(_bucket("b" + current + " " + stems[i + 1], buckets))
        out.extend(_bucket("k" + current + " " + stems[j], buckets) for j in range(i + 2, min(i + 4, size)))
    _meta(stems, out, buckets)


def feature_counts(text: str, buckets: int, extras: Iterable[str] = ()) -> Counter[int]:
    """How often each hashed feature occurs in ``text`` (already folded) plus ``extras`` tokens."""
    text = _clip(text)
    out: list[int] = []
    words = tokens(text)
    for word in words:
        out.extend(_char_grams(word[: _CJK_RUN if _CJK.search(word) else _WORD_CHARS], buckets))
    _word_features(words, out, buckets)
    out.extend(_bucket("p" + run, buckets) for run in _SYMBOLS.findall(text))
    out.extend(_bucket("x" + extra, buckets) for extra in extras)
    return Counter(out)


def weighted(counts: Counter[int]) -> tuple[dict[int, float], float]:
    """``1 + log(count)`` per feature, and the L2 norm of those values."""
    values = {k: _weight(v) for k, v in counts.items()}
    return values, math.sqrt(sum(v * v for v in values.values())) or 1.0


def _weight(count: int) -> float:
    return _LOG[count] if count < _MAX_LOGGED else 1.0 + math.log(count)


def dot(counts: Counter[int], weights: Sequence[int]) -> float:
    """``weights . features`` (the L2-normalised vector) in one pass over the counts."""
    total = squares = 0.0
    logs, limit = _LOG, _MAX_LOGGED
    for index, count in counts.items():
        value = logs[count] if count < limit else 1.0 + math.log(count)
        total += weights[index] * value
        squares += value * value
    return total / (math.sqrt(squares) or 1.0)


def features(text: str, buckets: int, extras: Iterable[str] = ()) -> dict[int, float]:
    """The L2-normalised sparse feature vector of ``text`` (already folded) plus ``extras`` tokens."""
    values, norm = weighted(feature_counts(text, buckets, extras))
    return {k: v / norm for k, v in values.items()}

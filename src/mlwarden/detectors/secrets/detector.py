"""Find secrets in text: provider formats first, then credential-looking assignments.

The assignment fallback is what catches a team's own passwords; it keeps false positives low by
requiring a secret-like key name, a value that is not a placeholder or a variable reference,
and enough randomness for anything that is not explicitly a password.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from typing import Any

import re2

from mlwarden.detectors.base import Match
from mlwarden.detectors.secrets.patterns import ASSIGNMENT_ANCHORS, ASSIGNMENT_PATTERN, PROVIDER_PATTERNS

__all__ = ["find_secrets", "shannon_entropy"]

_PLACEHOLDER_WORDS = (
    "example", "changeme", "change_me", "placeholder", "your", "xxxx", "****", "dummy", "redacted",
    "replace", "todo", "none", "null", "undefined", "secret_here", "password_here", "<", "${", "{{", "%(",
    "os.environ", "getenv", "env(", "process.env", "vault:", "secretkeyref", "valuefrom",
)  # fmt: skip


def _options() -> Any:
    options = re2.Options()
    options.max_mem = 64 << 20
    return options


@cache
def _provider(index: int) -> Any:
    """``PROVIDER_PATTERNS[index]`` compiled on first use: most texts need none or a few of them."""
    return re2.compile(PROVIDER_PATTERNS[index].regex, _options())


@lru_cache(maxsize=1)
def _assignment() -> Any:
    return re2.compile(ASSIGNMENT_PATTERN, _options())


def _any_of(literals: Iterable[str], *, ignore_case: bool) -> str:
    alternation = "|".join(re2.escape(literal) for literal in literals)
    return f"(?i:{alternation})" if ignore_case else f"(?:{alternation})"


# The anchor set's last entry: the assignment fallback's key-name anchors.
_ASSIGNMENT = len(PROVIDER_PATTERNS)


@lru_cache(maxsize=1)
def _anchor_set() -> Any:
    """One RE2 set, entry ``i`` the anchors of ``PROVIDER_PATTERNS[i]``: one pass tells which patterns can match.

    Anchors are plain literals, so the set's DFA has at most one state per anchor character and never
    runs out of memory, whatever the text.
    """
    anchors = re2.Set.SearchSet(_options())
    for pattern in PROVIDER_PATTERNS:
        anchors.Add(_any_of(pattern.anchors, ignore_case=pattern.ignore_case))
    anchors.Add(_any_of(ASSIGNMENT_ANCHORS, ignore_case=True))
    anchors.Compile()
    return anchors


def _candidates(text: str) -> list[int]:
    """Sorted indices of the patterns that can match ``text`` (``_ASSIGNMENT`` for the assignment fallback)."""
    hits: list[int] = sorted(_anchor_set().Match(text) or ())
    if hits and hits[-1] == _ASSIGNMENT and "=" not in text and ":" not in text:
        hits.pop()  # every assignment has an operator: =>, :=, = or :
    return hits


def shannon_entropy(value: str) -> float:
    """Bits per character: random keys score above ~3.5, words and repeated characters below."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if lowered in {"true", "false", "required", "optional", "string"}:
        return True
    return len(set(value)) <= 3


# A call or subscript (``self.get_token(``, ``Iterable[``), or a name without digits: a variable, attribute
# path or type annotation (``password``, ``settings.api_key``, ``Incomplete``). Credentials carry digits
# or symbols; an all-letters password is the accepted miss of this rule.
_CODE_VALUE = re.compile(r"^[A-Za-z_][\w.]*[(\[]|^[A-Za-z_][A-Za-z_.]*$")


def _assignment_confidence(key: str, value: str) -> float | None:
    """Confidence for a ``key = value`` pair, or None when it is not a credential."""
    if _is_placeholder(value) or value.startswith(("$", "%", "@", "/", "./", "[", "(", "{")) or "://" in value:
        return None
    if _CODE_VALUE.match(value):
        return None  # code, not a literal: get_token(), self.password, settings.api_key, Iterable[str]
    entropy = shannon_entropy(value)
    classes = sum(1 for test in (str.islower, str.isupper, str.isdigit) if any(test(ch) for ch in value))
    is_password = any(word in key.lower() for word in ("password", "passwd", "pwd"))
    if is_password:
        return 0.6 if entropy >= 2.5 else None
    if entropy >= 3.5 and len(value) >= 16 and classes >= 2:  # "bare-quoted-string" is words, not a key
        return 0.7
    return None


def _valid_jwt(token: str) -> bool:
    """A JWT's header is base64url JSON naming its algorithm; look-alikes (ids, hashes) are not."""
    header = token.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return False
    return isinstance(decoded, dict) and isinstance(decoded.get("alg"), str)


def _random_enough(value: str) -> bool:
    """Keys matched only by their provider's name next to them must at least look random."""
    return shannon_entropy(value) >= 3.0


_URL_PLACEHOLDERS = frozenset({"password", "passwd", "pass", "pwd", "secret", "pw"})

# Structural checks per subtype; a provider match that fails its check is dropped.
_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "JWT": _valid_jwt,
    "WANDB_API_KEY": _random_enough,
    "COHERE_API_KEY": _random_enough,
    "MISTRAL_API_KEY": _random_enough,
    "MAILGUN_KEY": _random_enough,
    "DATABASE_URL": lambda password: not _is_placeholder(password) and password.lower() not in _URL_PLACEHOLDERS,
}


def find_secrets(text: str) -> Iterator[Match]:
    """Yield secret matches with character offsets of the secret value itself."""
    yield from _scan(text, _candidates(text))


def _scan(text: str, indices: Iterable[int]) -> Iterator[Match]:
    """Run the patterns at ``indices`` (ascending) over ``text``; the rest are known not to match."""
    taken: list[tuple[int, int]] = []
    for index in indices:
        if index == _ASSIGNMENT:
            yield from _assignments(text, taken)
            return
        subtype, confidence = PROVIDER_PATTERNS[index].subtype, PROVIDER_PATTERNS[index].confidence
        check = _VALIDATORS.get(subtype)
        for found in _provider(index).finditer(text):
            start, end = found.start(1), found.end(1)
            if check is not None and not check(text[start:end]):
                continue
            taken.append((found.start(), found.end()))
            yield Match(start=start, end=end, kind="SECRET", subtype=subtype, confidence=confidence, validated=True)


def _assignments(text: str, taken: list[tuple[int, int]]) -> Iterator[Match]:
    """Credential-looking ``key = value`` pairs that no provider match already covers."""
    for found in _assignment().finditer(text):
        group = next(g for g in (2, 3, 4) if found.start(g) >= 0)
        start, end = found.start(group), found.end(group)
        if group == 4:
            end -= len(found.group(4)) - len(found.group(4).rstrip(")]}"))  # closing brackets of a call around it
        if end - start < 8 or any(a < end and start < b for a, b in taken):
            continue
        score = _assignment_confidence(found.group(1), text[start:end])
        if score is not None:
            yield Match(start=start, end=end, kind="SECRET", subtype="GENERIC_CREDENTIAL", confidence=score)

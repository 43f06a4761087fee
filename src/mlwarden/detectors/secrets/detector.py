"""Find secrets in text: provider formats first, then credential-looking assignments.

The assignment fallback is what catches a team's own passwords; it keeps false positives low by
requiring a secret-like key name, a value that is not a placeholder or a variable reference,
and enough randomness for anything that is not explicitly a password.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import re2

from mlwarden.detectors.base import Match
from mlwarden.detectors.secrets.patterns import ASSIGNMENT_PATTERN, PROVIDER_PATTERNS

__all__ = ["find_secrets", "shannon_entropy"]

_PLACEHOLDER_WORDS = (
    "example", "changeme", "change_me", "placeholder", "your", "xxxx", "****", "dummy", "redacted",
    "replace", "todo", "none", "null", "undefined", "secret_here", "password_here", "<", "${", "{{", "%(",
    "os.environ", "getenv", "env(", "process.env", "vault:", "secretkeyref", "valuefrom",
)  # fmt: skip


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[Any, str, float]], Any]:
    options = re2.Options()
    options.max_mem = 64 << 20
    providers = [(re2.compile(p.regex, options), p.subtype, p.confidence) for p in PROVIDER_PATTERNS]
    return providers, re2.compile(ASSIGNMENT_PATTERN, options)


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


def _assignment_confidence(key: str, value: str) -> float | None:
    """Confidence for a ``key = value`` pair, or None when it is not a credential."""
    if _is_placeholder(value) or value.startswith(("$", "%", "@", "/", "./", "http://", "https://")):
        return None
    if "." in value and value.replace(".", "").replace("_", "").isalpha():
        return None  # an attribute path such as settings.api_key
    entropy = shannon_entropy(value)
    is_password = any(word in key.lower() for word in ("password", "passwd", "pwd"))
    if is_password:
        return 0.6 if entropy >= 2.5 else None
    if entropy >= 3.5 and len(value) >= 16:
        return 0.7
    return None


def find_secrets(text: str) -> Iterator[Match]:
    """Yield secret matches with character offsets of the secret value itself."""
    providers, assignment = _compiled()
    taken: list[tuple[int, int]] = []
    for regex, subtype, confidence in providers:
        for found in regex.finditer(text):
            start, end = found.start(1), found.end(1)
            taken.append((found.start(), found.end()))
            yield Match(start=start, end=end, kind="SECRET", subtype=subtype, confidence=confidence, validated=True)
    for found in assignment.finditer(text):
        start, end = found.start(2), found.end(2)
        if any(a < end and start < b for a, b in taken):
            continue
        score = _assignment_confidence(found.group(1), found.group(2))
        if score is not None:
            yield Match(start=start, end=end, kind="SECRET", subtype="GENERIC_CREDENTIAL", confidence=score)

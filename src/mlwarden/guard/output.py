"""Checks on model responses: validation, system-prompt leakage, unexpected contacts, prediction hardening.

All pure functions over strings and parsed JSON, used by ``Guard.check_output`` and
``Guard.harden_prediction``; nothing here does I/O. Every pattern over response text is RE2.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import re2

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.detectors.base import Match
from mlwarden.guard.policy import HardeningPolicy

__all__ = [
    "INPUT_TOO_LONG",
    "OUTPUT_RULES",
    "PROMPT_LEAK",
    "UNEXPECTED_CONTACT",
    "VALIDATION_FAILED",
    "harden",
    "leaked_spans",
    "unexpected_contacts",
    "validate_output",
]


def _rule(rule_id: str, title: str, risk: str, help_text: str, remediation: str) -> Rule:
    return Rule(id=rule_id, title=title, severity=Severity.MEDIUM, risk_ids=(risk,), stage=Stage.SERVING,
                help=help_text, remediation=remediation)  # fmt: skip


INPUT_TOO_LONG = _rule("MW-GUARD-IN-001", "Text longer than the policy allows", "SERVE-01",
                       "Very long inputs hide injected instructions and cost model time.",
                       "Raise max_chars for this route if long texts are expected.")  # fmt: skip
VALIDATION_FAILED = _rule("MW-GUARD-OUT-001", "Response failed output validation", "SERVE-08",
                          "The response does not match the configured JSON schema or regex allowlist.",
                          "Constrain the model's output format or fix the schema.")  # fmt: skip
PROMPT_LEAK = _rule("MW-GUARD-OUT-002", "Response repeats the system prompt", "SERVE-01",
                    "A long verbatim span of the configured system prompt appears in the response.",
                    "Keep the block on; treat the system prompt as public if it leaked before.")  # fmt: skip
UNEXPECTED_CONTACT = _rule("MW-GUARD-OUT-003", "Response names a URL, email or phone not in the request",
                           "SERVE-08",
                           "Made-up links and contacts are a common hallucination and a phishing vector.",
                           "Allowlist the domains the model may cite (output.contact_allowlist).")  # fmt: skip
OUTPUT_RULES: tuple[Rule, ...] = (INPUT_TOO_LONG, VALIDATION_FAILED, PROMPT_LEAK, UNEXPECTED_CONTACT)

_MAX_JSON_DEPTH = 32
_MAX_LEAK_WORDS = 20_000


@lru_cache(maxsize=4)
def _compile(pattern: str) -> Any:
    options = re2.Options()
    options.max_mem = 8 << 20
    return re2.compile(pattern, options)


# --- validation -------------------------------------------------------------------------------------------

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "null": (type(None),),
    "integer": (int,), "number": (int, float),
}  # fmt: skip


def _type_ok(value: Any, expected: Any) -> bool:
    names = expected if isinstance(expected, list) else [expected]
    for name in names:
        kinds = _TYPES.get(str(name), ())
        if isinstance(value, kinds) and not (name in ("integer", "number") and isinstance(value, bool)):
            return True
    return False


def _schema_errors(value: Any, schema: dict[str, Any], path: str, depth: int) -> Iterator[str]:
    """A JSON-schema subset: type, enum, const, required, properties, additionalProperties, items, bounds."""
    if depth > _MAX_JSON_DEPTH:
        yield f"{path}: nested too deeply"
        return
    if "type" in schema and not _type_ok(value, schema["type"]):
        yield f"{path}: expected {schema['type']}"
        return
    if "enum" in schema and value not in schema["enum"]:
        yield f"{path}: not one of the allowed values"
    if "const" in schema and value != schema["const"]:
        yield f"{path}: not the expected constant"
    if isinstance(value, dict):
        yield from _object_errors(value, schema, path, depth)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            yield from _schema_errors(item, schema["items"], f"{path}[{i}]", depth + 1)
    else:
        yield from _scalar_errors(value, schema, path)


def _scalar_errors(value: Any, schema: dict[str, Any], path: str) -> Iterator[str]:
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)) or len(value) < schema.get("minLength", 0):
            yield f"{path}: length out of bounds"
        if "pattern" in schema and _compile(str(schema["pattern"])).search(value) is None:
            yield f"{path}: does not match the pattern"
    elif (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (schema.get("minimum", value) <= value <= schema.get("maximum", value))
    ):
        yield f"{path}: out of range"


def _object_errors(value: dict[str, Any], schema: dict[str, Any], path: str, depth: int) -> Iterator[str]:
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            yield f"{path}: missing '{key}'"
    for key, item in value.items():
        if key in properties:
            yield from _schema_errors(item, properties[key], f"{path}.{key}", depth + 1)
        elif schema.get("additionalProperties") is False:
            yield f"{path}: unexpected key '{key}'"


def validate_output(text: str, *, json_schema: dict[str, Any] | None, regex_allowlist: Iterable[str]) -> str | None:
    """Why ``text`` fails validation (a message safe to show), or None when it passes."""
    if json_schema is not None:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return "response is not valid JSON"
        errors = list(_schema_errors(value, json_schema, "$", 0))
        if errors:
            return "response does not match the schema: " + "; ".join(errors[:3])
    patterns = tuple(regex_allowlist)
    if patterns and not any(_compile(p).fullmatch(text) for p in patterns):
        return "response matches no allowed pattern"
    return None


# --- system-prompt leakage --------------------------------------------------------------------------------

_SHINGLE = 6


def _words(text: str) -> list[tuple[str, int, int]]:
    out = []
    for match in _compile(r"[\pL\pN]+").finditer(text):
        out.append((match.group(0).casefold(), match.start(), match.end()))
        if len(out) >= _MAX_LEAK_WORDS:
            break
    return out


@lru_cache(maxsize=8)
def _shingles(system_prompt: str) -> frozenset[tuple[str, ...]]:
    words = [w for w, _s, _e in _words(system_prompt)]
    return frozenset(tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1))


def leaked_spans(text: str, system_prompt: str, *, min_chars: int) -> list[tuple[int, int]]:
    """Spans of ``text`` that repeat at least ``min_chars`` characters of ``system_prompt`` verbatim (by words)."""
    known = _shingles(system_prompt)
    words = _words(text)
    if not known or len(words) < _SHINGLE:
        return []
    spans: list[tuple[int, int]] = []
    for i in range(len(words) - _SHINGLE + 1):
        if tuple(w for w, _s, _e in words[i : i + _SHINGLE]) not in known:
            continue
        start, end = words[i][1], words[i + _SHINGLE - 1][2]
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return [(s, e) for s, e in spans if e - s >= min_chars]


# --- unexpected contacts ----------------------------------------------------------------------------------

_URL = r"(?i)\b(?:https?://|www\.)[^\s<>\"'`)\]]{2,1000}"


@dataclass(frozen=True, slots=True)
class Contact:
    """A URL, email or phone in a response, with its span."""

    kind: str
    value: str
    start: int
    end: int


def _host(value: str) -> str:
    url = value if "://" in value else "http://" + value
    try:
        return (urlsplit(url).hostname or "").casefold()
    except ValueError:
        return ""


def _allowed(contact: Contact, prompt: str, allowlist: tuple[str, ...]) -> bool:
    value = contact.value.casefold().rstrip(".,;:!?")
    if value and value in prompt:
        return True
    if contact.kind == "PHONE":
        digits = "".join(ch for ch in value if ch.isdigit())
        return bool(digits) and digits in "".join(ch for ch in prompt if ch.isdigit())
    host = value.rsplit("@", 1)[-1] if contact.kind == "EMAIL" else _host(value)
    return any(host == d or host.endswith("." + d) for d in allowlist) or (bool(host) and host in prompt)


def unexpected_contacts(
    text: str, matches: Iterable[Match], *, prompt: str | None, allowlist: Iterable[str]
) -> list[Contact]:
    """URLs, emails and phones in ``text`` that neither the prompt nor the allowlist mention."""
    found = [Contact("URL", m.group(0), m.start(), m.end()) for m in _compile(_URL).finditer(text)]
    found.extend(
        Contact(m.kind, text[m.start : m.end], m.start, m.end) for m in matches if m.kind in ("EMAIL", "PHONE")
    )
    folded_prompt = (prompt or "").casefold()
    domains = tuple(d.casefold().lstrip(".") for d in allowlist)
    return [c for c in found if not _allowed(c, folded_prompt, domains)]


# --- prediction hardening ---------------------------------------------------------------------------------

_LOGIT_KEYS = frozenset({"logits", "logit", "raw_scores", "hidden_states", "embeddings", "log_probs", "logprobs"})
_SCORE_KEYS = ("score", "probability", "prob", "confidence")


def _score_of(item: Any) -> float | None:
    if isinstance(item, dict):
        for key in _SCORE_KEYS:
            if isinstance(item.get(key), int | float):
                return float(item[key])
    return None


def _top_k(items: list[Any], policy: HardeningPolicy) -> list[Any]:
    if policy.top_k is None or not items or any(_score_of(i) is None for i in items):
        return items
    return sorted(items, key=lambda i: _score_of(i) or 0.0, reverse=True)[: policy.top_k]


def _top_k_mapping(value: dict[str, Any], policy: HardeningPolicy) -> dict[str, Any]:
    numeric = value and all(isinstance(v, float) for v in value.values())
    if policy.top_k is None or not numeric or len(value) <= policy.top_k:
        return value
    return dict(sorted(value.items(), key=lambda kv: kv[1], reverse=True)[: policy.top_k])


def harden(value: Any, policy: HardeningPolicy, depth: int = 0) -> Any:
    """A copy of a parsed prediction with logits stripped, top-k classes kept and scores rounded."""
    if depth > _MAX_JSON_DEPTH:
        return value
    if isinstance(value, float):
        return round(value, policy.round_digits) if policy.round_digits is not None else value
    if isinstance(value, list):
        return [harden(v, policy, depth + 1) for v in _top_k(value, policy)]
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items() if not (policy.strip_logits and str(k).casefold() in _LOGIT_KEYS)}
        return {k: harden(v, policy, depth + 1) for k, v in _top_k_mapping(kept, policy).items()}
    return value

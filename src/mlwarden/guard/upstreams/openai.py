"""OpenAI-compatible ``/v1/chat/completions`` and ``/v1/completions``.

Input texts are every message's content (string or ``text`` parts) and ``prompt``; output texts are
each choice's ``message.content`` or ``text``. Generation is capped (SERVE-04 looped input, SERVE-07
denial of service): ``max_tokens`` is clamped to the route's cap (and set when absent) and ``n`` to
a small number, because a client that asks for 100 long completions costs 100 times the tokens.
"""

from __future__ import annotations

from typing import Any

from mlwarden.guard.config import RouteConfig
from mlwarden.guard.upstreams.base import GuardRejection, Prepared, Slot, require_mapping

__all__ = ["MAX_CHOICES", "output_slots", "prepare"]

MAX_CHOICES = 4
_TOKEN_FIELDS = ("max_tokens", "max_completion_tokens")


def _message_slots(messages: Any) -> list[Slot]:
    if not isinstance(messages, list):
        raise GuardRejection(400, "invalid_request", "'messages' must be a list")
    slots: list[Slot] = []
    for message in messages:
        if not isinstance(message, dict):
            raise GuardRejection(400, "invalid_request", "each message must be an object")
        content = message.get("content")
        if isinstance(content, str):
            slots.append(Slot(message, "content"))
        elif isinstance(content, list):
            slots.extend(
                Slot(part, "text")
                for part in content
                if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)
            )
    return slots


def _prompt_slots(body: dict[str, Any]) -> list[Slot]:
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return [Slot(body, "prompt")]
    if isinstance(prompt, list):
        return [Slot(prompt, index) for index, item in enumerate(prompt) if isinstance(item, str)]
    return []


def _cap_generation(body: dict[str, Any], route: RouteConfig, stream: bool) -> None:
    cap = route.max_tokens
    if cap is not None:
        present = [name for name in _TOKEN_FIELDS if name in body]
        for name in present:
            value = body[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise GuardRejection(400, "invalid_request", f"'{name}' must be a positive integer")
            body[name] = min(value, cap)
        if not present:
            body["max_tokens"] = cap
    n = body.get("n", 1)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise GuardRejection(400, "invalid_request", "'n' must be a positive integer")
    if n > (1 if stream else MAX_CHOICES):
        raise GuardRejection(
            400, "too_many_choices", "'n' is above the limit for this route", rule_id="MW-GUARD-TOKENS-002"
        )


def prepare(body: Any, route: RouteConfig) -> Prepared:
    """Validate the request shape, cap generation, and point at the texts to check."""
    data = require_mapping(body, "OpenAI")
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise GuardRejection(400, "invalid_request", "'stream' must be a boolean")
    if "messages" in data:
        slots = _message_slots(data["messages"])
    elif "prompt" in data:
        slots = _prompt_slots(data)
    else:
        raise GuardRejection(400, "invalid_request", "the request has neither 'messages' nor 'prompt'")
    _cap_generation(data, route, stream)
    if route.hardening is not None:
        # NOTE: token log-probabilities are an LLM's logits: with hardening on they are not asked for.
        for name in ("logprobs", "top_logprobs"):
            data.pop(name, None)
    return Prepared(body=data, slots=slots, stream=stream)


def output_slots(body: Any, route: RouteConfig) -> list[Slot]:
    """The generated texts of a (non-streaming) response."""
    del route
    if not isinstance(body, dict) or not isinstance(body.get("choices"), list):
        raise GuardRejection(502, "upstream_bad_response", "the upstream returned an unexpected response")
    slots: list[Slot] = []
    for choice in body["choices"]:
        if not isinstance(choice, dict):
            continue
        message = choice.get("message")
        if isinstance(message, dict) and isinstance(message.get("content"), str):
            slots.append(Slot(message, "content"))
        if isinstance(choice.get("text"), str):
            slots.append(Slot(choice, "text"))
    return slots

"""OpenAI server-sent events, relayed while they are scanned with a bounded look-back window.

Each content delta is appended to a *pending* buffer; the pipeline checks the window made of the
last ``lookback`` characters already sent plus everything pending, so a secret split across
chunks is seen whole, and each check costs O(lookback) however long the answer grows. The last
``holdback`` characters stay pending until more text arrives, so a short secret that has only
partly arrived is not sent before it can be recognised (secrets longer than ``holdback`` can leak
their first characters: the window trades latency for coverage). A redaction rewrites pending text;
a block sends one final sanitised error event and closes the stream.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from mlwarden.guard.decision import Action, Decision, Reason
from mlwarden.guard.upstreams.base import GuardRejection

__all__ = ["SSEParser", "StreamOutcome", "StreamScanner", "error_event", "redact_spans", "relay"]

_MAX_EVENT_BYTES = 1_048_576


def redact_spans(text: str, reasons: tuple[Reason, ...], offset: int) -> str:
    """Replace the parts of ``text`` covered by reasons' spans (window offsets minus ``offset``)."""
    spans = sorted(
        (max(r.start - offset, 0), min(r.end - offset, len(text)), r.kind)
        for r in reasons
        if r.start is not None and r.end is not None and r.end - offset > 0 and r.start - offset < len(text)
    )
    out: list[str] = []
    cursor = 0
    for start, end, kind in spans:
        if end <= cursor:
            continue
        out.append(text[cursor : max(start, cursor)])
        out.append(f"[{kind}]")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


@dataclass
class StreamScanner:
    """The look-back state of one streamed answer."""

    check: Callable[[str], Decision]
    lookback: int
    holdback: int
    sent_tail: str = ""
    pending: str = ""
    reasons: list[Reason] = field(default_factory=list)
    action: Action = Action.ALLOW

    def feed(self, delta: str, *, final: bool = False) -> str | None:
        """Text that may be sent now, or None when the answer must be blocked."""
        self.pending += delta
        window = self.sent_tail + self.pending
        decision = self.check(window)
        if decision.action is Action.BLOCK:
            self.action = Action.BLOCK
            self.reasons.extend(decision.reasons)
            return None
        if decision.action is Action.REDACT:
            self.action = Action.REDACT
            self.reasons.extend(decision.reasons)
            self.pending = redact_spans(self.pending, decision.reasons, len(self.sent_tail))
        cut = len(self.pending) if final else max(0, len(self.pending) - self.holdback)
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        self.sent_tail = (self.sent_tail + ready)[-self.lookback :]
        return ready


class SSEParser:
    """Incremental ``text/event-stream`` parser: bytes in, complete ``data`` payloads out."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._buffer = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[str]:
        """Payloads of the events completed by ``chunk``; ValueError on invalid UTF-8 or a huge event."""
        self._buffer += self._decoder.decode(chunk)
        if len(self._buffer) > _MAX_EVENT_BYTES:
            raise ValueError("event too large")
        events: list[str] = []
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            line = line.rstrip("\r")
            if not line:
                if self._data:
                    events.append("\n".join(self._data))
                    self._data = []
            elif line.startswith("data:"):
                self._data.append(line[5:].removeprefix(" "))
        return events


@dataclass
class StreamOutcome:
    """What happened to a stream, read by the audit record after the last byte was sent."""

    action: Action = Action.ALLOW
    reasons: list[Reason] = field(default_factory=list)
    error: str | None = None
    chunks: int = 0


def error_event(code: str, message: str) -> bytes:
    """The final event sent when a stream is cut: an OpenAI-style error object, nothing from upstream."""
    body = {"error": {"type": "mlwarden_guard", "code": code, "message": message}}
    return f"data: {json.dumps(body)}\n\n".encode()


def _event(obj: Any) -> bytes:
    return f"data: {json.dumps(obj, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


def _choice(obj: Any) -> dict[str, Any] | None:
    choices = obj.get("choices") if isinstance(obj, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0]
    return None


def _set_text(choice: dict[str, Any], text: str) -> None:
    delta = choice.get("delta")
    if isinstance(delta, dict):
        delta["content"] = text
    else:
        choice["text"] = text


def _get_text(choice: dict[str, Any]) -> str:
    delta = choice.get("delta")
    value = delta.get("content") if isinstance(delta, dict) else choice.get("text")
    return value if isinstance(value, str) else ""


class _Relay:
    def __init__(self, scanner: StreamScanner, outcome: StreamOutcome) -> None:
        self.scanner = scanner
        self.outcome = outcome
        self.template: Any = None

    def on_data(self, data: str) -> list[bytes] | None:
        """Events to send for one upstream payload; None when the stream must end (after ``self.tail``)."""
        if data == "[DONE]":
            return None
        obj = json.loads(data)
        choice = _choice(obj)
        if choice is None:
            return [_event(obj)]
        self.template = self.template or json.loads(data)
        text = _get_text(choice)
        finishing = choice.get("finish_reason") is not None
        ready = self.scanner.feed(text, final=finishing)
        if ready is None:
            raise GuardRejection(502, "response_blocked", "the answer was blocked by policy")
        _set_text(choice, ready)
        return [_event(obj)] if ready or not text else []

    def flush(self) -> list[bytes]:
        ready = self.scanner.feed("", final=True)
        if ready is None:
            raise GuardRejection(502, "response_blocked", "the answer was blocked by policy")
        choice = _choice(self.template)
        if not ready or choice is None:
            return []
        _set_text(choice, ready)
        choice["finish_reason"] = None
        return [_event(self.template)]


async def relay(response: httpx.Response, scanner: StreamScanner, outcome: StreamOutcome) -> AsyncIterator[bytes]:
    """Relay the upstream's events, scanned; end with ``[DONE]`` or with one sanitised error event."""
    parser, state = SSEParser(), _Relay(scanner, outcome)
    try:
        async for chunk in response.aiter_bytes():
            for data in parser.feed(chunk):
                events = state.on_data(data)
                if events is None:
                    for event in state.flush():
                        yield event
                    yield b"data: [DONE]\n\n"
                    return
                outcome.chunks += len(events)
                for event in events:
                    yield event
        for event in state.flush():
            yield event
        yield b"data: [DONE]\n\n"
    except GuardRejection as exc:
        outcome.error = exc.code
        yield error_event(exc.code, exc.message)
    except httpx.TimeoutException:
        outcome.error = "upstream_timeout"
        yield error_event("upstream_timeout", "the model server did not answer in time")
    except (httpx.HTTPError, ValueError):
        outcome.error = "upstream_bad_response"
        yield error_event("upstream_bad_response", "the model server returned an invalid answer")
    finally:
        outcome.action = scanner.action
        outcome.reasons = scanner.reasons

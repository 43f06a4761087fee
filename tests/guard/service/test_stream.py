"""OpenAI SSE streaming: relayed chunk by chunk, scanned over a bounded look-back, cut on a block."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from mlwarden.guard.decision import Action, Decision, Reason
from mlwarden.guard.upstreams.stream import SSEParser, StreamScanner, redact_spans

from .conftest import AUTH, SECRET, ChunkStream, base_config, make_client, sse

pytestmark = pytest.mark.anyio


def _events(text: str) -> list[str]:
    return [line[6:] for line in text.split("\n") if line.startswith("data: ")]


def _content(events: list[str]) -> str:
    out = []
    for data in events:
        if data == "[DONE]":
            continue
        obj = json.loads(data)
        for choice in obj.get("choices", []):
            out.append(choice.get("delta", {}).get("content") or "")
    return "".join(out)


def _streaming(deltas: list[str], *, done: bool = True) -> object:
    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=ChunkStream(sse(deltas, done=done)))

    return upstream


async def test_secret_split_across_chunks_is_redacted(tmp_path: Path) -> None:
    half = len(SECRET) // 2
    upstream = _streaming(["The key: ", SECRET[:half], SECRET[half:], " done."])
    async with make_client(base_config(tmp_path), upstream) as client:  # type: ignore[arg-type]
        body = {"messages": [{"role": "user", "content": "hi"}], "stream": True}
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert events[-1] == "[DONE]"
    text = _content(events)
    assert SECRET not in text and SECRET[:half] not in text
    assert text == "The key: [secret] done."


async def test_block_mid_stream_sends_one_error_event_and_closes(tmp_path: Path) -> None:
    upstream = _streaming(["fine so far. ", "then BLOCK", "ME and more", " never sent"])
    async with make_client(base_config(tmp_path), upstream) as client:  # type: ignore[arg-type]
        body = {"messages": [{"role": "user", "content": "hi"}], "stream": True}
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    events = _events(response.text)
    last = json.loads(events[-1])
    assert last["error"]["code"] == "response_blocked"
    assert "[DONE]" not in events
    assert "never sent" not in response.text and "BLOCKME" not in response.text


async def test_stream_without_done_is_flushed(tmp_path: Path) -> None:
    async with make_client(base_config(tmp_path), _streaming(["a", "b"], done=False)) as client:  # type: ignore[arg-type]
        body = {"messages": [{"role": "user", "content": "hi"}], "stream": True}
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    events = _events(response.text)
    assert _content(events) == "ab" and events[-1] == "[DONE]"


async def test_garbage_stream_gives_sanitised_error_event(tmp_path: Path) -> None:
    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=ChunkStream([b"data: {not json\n\n", b"Traceback: /srv/model.py"]))

    async with make_client(base_config(tmp_path), upstream) as client:
        body = {"messages": [{"role": "user", "content": "hi"}], "stream": True}
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    assert json.loads(_events(response.text)[-1])["error"]["code"] == "upstream_bad_response"
    assert "Traceback" not in response.text


def test_scanner_looks_back_only_a_bounded_window() -> None:
    windows: list[str] = []

    def check(window: str) -> Decision:
        windows.append(window)
        return Decision(action=Action.ALLOW)

    scanner = StreamScanner(check=check, lookback=16, holdback=4)
    for _ in range(200):
        assert scanner.feed("abcdefgh") is not None
    assert max(len(w) for w in windows) <= 16 + 4 + 8


def test_redact_spans_maps_window_offsets() -> None:
    reason = Reason(rule_id="R", kind="email", message="m", start=5, end=12)
    assert redact_spans("abcdefghij", (reason,), offset=3) == "ab[email]j"


def test_sse_parser_handles_split_lines_and_crlf() -> None:
    parser = SSEParser()
    assert parser.feed(b'data: {"a"') == []
    assert parser.feed(b":1}\r\n\r\ndata: [DONE]\n") == ['{"a":1}']
    assert parser.feed(b"\n") == ["[DONE]"]
    with pytest.raises(ValueError):
        parser.feed(b"\xff\xfe")


class SlowStream(httpx.AsyncByteStream):
    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for chunk in sse(["one ", "two ", "three "]):
            yield chunk
            await asyncio.sleep(0.2)


async def test_client_disconnect_mid_stream_releases_slot_and_records(tmp_path: Path) -> None:
    from mlwarden.guard.app import create_app
    from mlwarden.guard.config import GuardConfig

    from .conftest import ScriptedGuard

    config = base_config(tmp_path)
    config["routes"][0]["limits"] = {"concurrency": 1}
    upstream = httpx.MockTransport(lambda request: httpx.Response(200, stream=SlowStream()))
    app = create_app(GuardConfig.model_validate(config), pipeline=ScriptedGuard(), transport=upstream)
    svc = app.state.services
    body = json.dumps({"messages": [{"role": "user", "content": "hi"}], "stream": True}).encode()
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(0.3)  # the client goes away after the first events
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/chat/completions",
        "raw_path": b"/v1/chat/completions",
        "query_string": b"",
        "headers": [(b"authorization", AUTH["authorization"].encode()), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8080),
    }
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
        assert svc.concurrency.in_flight("route:/v1/chat/completions") == 0
        await asyncio.sleep(0.05)
        assert svc.audit.depth() == 0
    chunks = [m for m in sent if m["type"] == "http.response.body" and m.get("body")]
    assert chunks and b"[DONE]" not in b"".join(m["body"] for m in chunks)  # type: ignore[misc]
    from mlwarden.guard.audit import verify_chain

    assert verify_chain(f"sqlite:///{tmp_path / 'audit.db'}").rows == 1

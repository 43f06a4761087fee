"""Round trips through the in-process app: auth, scopes, redaction, blocking, sanitised errors, metrics."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from mlwarden.guard.audit import verify_chain

from .conftest import ADMIN_KEY, AUTH, READER_KEY, SECRET, base_config, make_client

pytestmark = pytest.mark.anyio


def _chat(text: str, **extra: object) -> dict[str, object]:
    return {"model": "m", "messages": [{"role": "user", "content": text}], **extra}


async def test_round_trip_redacts_request_and_caps_tokens(tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        assert "authorization" not in request.headers  # the client's key never reaches the model server
        return httpx.Response(200, json={"choices": [{"message": {"content": "ok"}}]})

    async with make_client(base_config(tmp_path), upstream) as client:
        response = await client.post(
            "/v1/chat/completions", json=_chat(f"my key is {SECRET}", max_tokens=5000), headers=AUTH
        )
    assert response.status_code == 200
    assert response.headers["x-mlwarden-decision"] == "redact"
    assert response.headers["x-mlwarden-audit"] == "committed"
    assert seen[0]["messages"] == [{"role": "user", "content": "my key is [SECRET]"}]
    assert seen[0]["max_tokens"] == 64
    report = verify_chain(f"sqlite:///{tmp_path / 'audit.db'}")
    assert report.ok and report.rows == 1
    assert SECRET not in (tmp_path / "audit.db").read_bytes().decode("latin-1")


async def test_blocked_input_never_reaches_upstream(tmp_path: Path) -> None:
    calls = []

    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={})

    async with make_client(base_config(tmp_path), upstream) as client:
        response = await client.post("/v1/chat/completions", json=_chat("please BLOCKME now"), headers=AUTH)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "request_blocked"
    assert "BLOCKME" not in response.text
    assert calls == []


async def test_output_redacted_and_blocked(tmp_path: Path) -> None:
    async with make_client(base_config(tmp_path)) as client:
        redacted = await client.post("/v1/chat/completions", json=_chat("say hi"), headers=AUTH)
        assert redacted.json()["choices"][0]["message"]["content"] == "echo: say hi"

    def leaky(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"choices": [{"message": {"content": f"here: {SECRET}"}}]})

    async with make_client(base_config(tmp_path), leaky) as client:
        response = await client.post("/v1/chat/completions", json=_chat("hi"), headers=AUTH)
    assert response.json()["choices"][0]["message"]["content"] == "here: [SECRET]"


async def test_auth_and_scopes(client: httpx.AsyncClient) -> None:
    assert (await client.post("/v1/chat/completions", json=_chat("hi"))).status_code == 401
    assert (
        await client.post("/v1/chat/completions", json=_chat("hi"), headers={"x-api-key": "wrong"})
    ).status_code == 401
    denied = await client.post("/v1/chat/completions", json=_chat("hi"), headers={"x-api-key": READER_KEY})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    assert (await client.post("/generic", json={"prompt": "x"})).status_code == 200  # route without auth


async def test_unknown_path_and_method_are_sanitised(client: httpx.AsyncClient) -> None:
    missing = await client.get("/v2/models/iris", headers=AUTH)
    assert missing.status_code == 404 and set(missing.json()) == {"error", "request_id"}
    wrong = await client.get("/v1/chat/completions", headers=AUTH)
    assert wrong.status_code == 405
    assert "server" not in wrong.headers


async def test_metrics_need_privileged_key_and_count(client: httpx.AsyncClient) -> None:
    await client.post("/v1/chat/completions", json=_chat("BLOCKME"), headers=AUTH)
    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers=AUTH)).status_code == 403
    text = (await client.get("/metrics", headers={"authorization": f"Bearer {ADMIN_KEY}"})).text
    assert 'mlwarden_guard_decisions_total{decision="block",route="/v1/chat/completions"} 1.0' in text
    assert "mlwarden_guard_overhead_seconds_bucket" in text
    assert (await client.get("/healthz")).json() == {"status": "ok", "audit": "ok"}


async def test_upstream_cookies_are_never_shared_between_callers(tmp_path: Path) -> None:
    cookies_seen: list[str | None] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        cookies_seen.append(request.headers.get("cookie"))
        headers = {"set-cookie": "session=victim; Path=/", "server": "model-server/1.2"}
        return httpx.Response(200, json={"choices": [{"message": {"content": "ok"}}]}, headers=headers)

    async with make_client(base_config(tmp_path), upstream) as client:
        first = await client.post("/v1/chat/completions", json=_chat("a"), headers=AUTH)
        await client.post("/v1/chat/completions", json=_chat("b"), headers=AUTH)
    assert cookies_seen == [None, None]
    assert "set-cookie" not in first.headers and "server" not in first.headers

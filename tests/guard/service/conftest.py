"""Shared pieces for the guard service tests: a scripted pipeline, fake upstreams, a config builder."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from mlwarden.guard.app import create_app
from mlwarden.guard.auth import hash_key
from mlwarden.guard.config import GuardConfig
from mlwarden.guard.decision import Action, Decision, Reason

# Fake credentials are assembled at run time so secret scanners do not flag the suite.
KEY = "mwk_" + "unit" * 8
READER_KEY = "mwk_" + "read" * 8
ADMIN_KEY = "mwk_" + "admn" * 8
SECRET = "SECRET" + "-" + "TOKEN-42"


class ScriptedGuard:
    """A pipeline with fixed behaviour: BLOCKME blocks, SECRET-TOKEN-42 is redacted, outputs likewise."""

    def __init__(self) -> None:
        self.inputs: list[str] = []
        self.outputs: list[str] = []

    def _decide(self, text: str, rule: str) -> Decision:
        if "BLOCKME" in text:
            start = text.index("BLOCKME")
            reason = Reason(rule_id=rule, kind="injection", message="blocked", start=start, end=start + 7)
            return Decision(action=Action.BLOCK, reasons=(reason,))
        if SECRET in text:
            start = text.index(SECRET)
            reason = Reason(
                rule_id="MW-SECRET-001", kind="secret", message="secret", start=start, end=start + len(SECRET)
            )
            return Decision(action=Action.REDACT, reasons=(reason,), text=text.replace(SECRET, "[SECRET]"))
        return Decision(action=Action.ALLOW)

    def check_input(self, text: str, *, context: Any = None) -> Decision:
        self.inputs.append(text)
        return self._decide(text, "MW-INJ-001")

    def check_output(self, text: str, *, prompt: str | None = None) -> Decision:
        self.outputs.append(text)
        return self._decide(text, "MW-OUT-001")

    def harden_prediction(self, obj: Any) -> Any:
        return obj


class ChunkStream(httpx.AsyncByteStream):
    """An upstream body delivered in the given chunks (to test cross-chunk scanning)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def sse(deltas: list[str], *, done: bool = True) -> list[bytes]:
    """OpenAI chat.completion.chunk events carrying ``deltas``."""
    events = [b'data: {"id":"c1","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}\n\n']
    for delta in deltas:
        obj = {"id": "c1", "choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": None}]}
        events.append(f"data: {json.dumps(obj)}\n\n".encode())
    events.append(b'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
    if done:
        events.append(b"data: [DONE]\n\n")
    return events


def default_upstream(request: httpx.Request) -> httpx.Response:
    """Echo-ish fake model servers for every protocol."""
    body = json.loads(request.content) if request.content else {}
    path = request.url.path
    if path == "/v1/chat/completions":
        if body.get("stream"):
            return httpx.Response(
                200, stream=ChunkStream(sse(["Hello ", "world"])), headers={"content-type": "text/event-stream"}
            )
        last = body["messages"][-1]["content"]
        return httpx.Response(
            200,
            json={
                "choices": [{"index": 0, "message": {"role": "assistant", "content": f"echo: {last}"}}],
                "seen": body,
            },
        )
    if path == "/invocations":
        n = len(body.get("dataframe_split", {}).get("data", [])) or 1
        return httpx.Response(200, json={"predictions": [[0.1234, 0.6543, 0.2223]] * n, "logits": [[1.0, 2.0, 3.0]]})
    if path.startswith("/v2/models/"):
        return httpx.Response(
            200,
            json={
                "model_name": "iris",
                "model_version": "1.2.3-secret-build",
                "outputs": [
                    {"name": "probabilities", "shape": [1, 3], "datatype": "FP32", "data": [0.1234, 0.6543, 0.2223]},
                    {"name": "logits", "shape": [1, 3], "datatype": "FP32", "data": [1.0, 2.0, 3.0]},
                ],
            },
        )
    return httpx.Response(200, json={"output": {"text": "generic " + str(body.get("prompt", ""))}})


def base_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """A config with one route per protocol and three keys."""
    config: dict[str, Any] = {
        "routes": [
            {
                "path": "/v1/chat/completions",
                "kind": "openai",
                "upstream": "http://llm.test",
                "max_tokens": 64,
                "scopes": ["chat"],
            },
            {
                "path": "/invocations",
                "kind": "mlflow",
                "upstream": "http://tab.test",
                "scopes": ["predict"],
                "features": [{"name": "a", "min": 0, "max": 10}, {"name": "b", "min": 0, "max": 10}],
                "hardening": {"top_k": 1, "round_digits": 2},
            },
            {
                "path": "/v2/models/{model}/infer",
                "kind": "kserve",
                "upstream": "http://ks.test",
                "hardening": {"top_k": 2, "round_digits": 1},
            },
            {
                "path": "/generic",
                "kind": "generic",
                "upstream": "http://gen.test",
                "auth": False,
                "text_fields": ["prompt"],
                "output_text_fields": ["output.text"],
            },
        ],
        "api_keys": [
            {"id": "app", "hash": hash_key(KEY), "roles": ["app"], "scopes": ["chat", "predict"]},
            {"id": "reader", "hash": hash_key(READER_KEY), "scopes": []},
            {"id": "ops", "hash": hash_key(ADMIN_KEY), "scopes": ["metrics:read"]},
        ],
        "rate_limits": {"per_key": {"rate": 1000, "burst": 1000}, "per_ip": {"rate": 1000, "burst": 1000}},
        "audit": {"url": f"sqlite:///{tmp_path / 'audit.db'}", "wait_for_commit": True},
        "metrics_scope": "metrics:read",
    }
    config.update(overrides)
    return config


Handler = Callable[[httpx.Request], httpx.Response]


@asynccontextmanager
async def make_client(
    config: dict[str, Any], handler: Handler = default_upstream, guard: Any = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, behind an in-process httpx client."""
    app = create_app(
        GuardConfig.model_validate(config),
        pipeline=guard or ScriptedGuard(),
        transport=httpx.MockTransport(handler),
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://guard.test") as client:
            yield client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(base_config(tmp_path)) as c:
        yield c


AUTH = {"authorization": f"Bearer {KEY}"}

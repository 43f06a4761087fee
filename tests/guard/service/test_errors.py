"""Bad input and upstream faults: every failure is a stable code, nothing from the upstream leaks."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from .conftest import AUTH, base_config, make_client

pytestmark = pytest.mark.anyio

_CHAT = {"messages": [{"role": "user", "content": "hi"}]}
_LEAK = "Traceback (most recent call last): File /srv/app/model.py torch==2.1.0 mlflow/2.9"


def _raising(exc: Exception) -> object:
    def upstream(request: httpx.Request) -> httpx.Response:
        raise exc

    return upstream


@pytest.mark.parametrize(
    ("upstream", "status", "code"),
    [
        (_raising(httpx.ConnectError("refused")), 502, "upstream_unavailable"),
        (_raising(httpx.ReadTimeout("slow")), 504, "upstream_timeout"),
        (lambda r: httpx.Response(500, text=_LEAK, headers={"server": "uvicorn/0.1"}), 502, "upstream_error"),
        (lambda r: httpx.Response(200, text=_LEAK), 502, "upstream_bad_response"),
        (lambda r: httpx.Response(200, json={"unexpected": _LEAK}), 502, "upstream_bad_response"),
        (lambda r: httpx.Response(422, json={"detail": _LEAK}), 422, "upstream_rejected"),
        (lambda r: httpx.Response(401, json={"detail": _LEAK}), 502, "upstream_error"),
    ],
)
async def test_upstream_faults_are_sanitised(tmp_path: Path, upstream: object, status: int, code: str) -> None:
    async with make_client(base_config(tmp_path), upstream) as client:  # type: ignore[arg-type]
        response = await client.post("/v1/chat/completions", json=_CHAT, headers=AUTH)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    for fragment in ("Traceback", "torch", "mlflow", "/srv", "uvicorn"):
        assert fragment not in response.text
    assert "server" not in response.headers


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b'{"messages": [{"role": "user", "content": "\xff\xfe"}]}', 400, "invalid_utf8"),
        (b'{"messages": ', 400, "invalid_json"),
        (b'{"messages": NaN}', 400, "invalid_json"),
        (b"[" * 5000 + b"]" * 5000, 400, "invalid_json"),
        (b"[1, 2]", 400, "invalid_request"),
        (b'{"messages": "x"}', 400, "invalid_request"),
        (b'{"messages": [], "n": 50}', 400, "too_many_choices"),
        (b'{"messages": [], "max_tokens": -1}', 400, "invalid_request"),
    ],
)
async def test_malformed_bodies(client: httpx.AsyncClient, content: bytes, status: int, code: str) -> None:
    headers = {**AUTH, "content-type": "application/json"}
    response = await client.post("/v1/chat/completions", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


async def test_oversized_body_413_declared_and_streamed(tmp_path: Path) -> None:
    config = base_config(tmp_path)
    config["routes"][0]["max_body_bytes"] = 1000
    async with make_client(config) as client:
        declared = await client.post("/v1/chat/completions", content=b"x" * 2000, headers=AUTH)

        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(10):
                yield b"y" * 200

        chunked = await client.post("/v1/chat/completions", content=chunks(), headers=AUTH)
    assert declared.status_code == 413 and chunked.status_code == 413
    assert chunked.json()["error"]["code"] == "body_too_large"


async def test_internal_error_is_sanitised(tmp_path: Path) -> None:
    class Broken:
        def check_input(self, text: str, *, context: object = None) -> object:
            raise RuntimeError("secret internal detail /opt/mlwarden")

    async with make_client(base_config(tmp_path), guard=Broken()) as client:
        response = await client.post("/v1/chat/completions", json=_CHAT, headers=AUTH)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret internal detail" not in response.text

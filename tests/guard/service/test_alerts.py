"""The block-rate alert: fires once over the threshold, respects the cooldown, survives a dead webhook."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from mlwarden.guard.alerts import AlertHook
from mlwarden.guard.config import AlertsConfig

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_fires_over_threshold_then_cooldown() -> None:
    posts: list[dict[str, object]] = []

    def hook(request: httpx.Request) -> httpx.Response:
        posts.append(json.loads(request.content))
        return httpx.Response(204)

    clock, outcomes = Clock(), []
    config = AlertsConfig(webhook="http://127.0.0.1:9/hook", threshold_per_minute=3, cooldown_seconds=60)
    async with httpx.AsyncClient(transport=httpx.MockTransport(hook)) as client:
        alerts = AlertHook(config, client=client, clock=clock, on_outcome=outcomes.append)
        for _ in range(2):
            alerts.record_block("/chat", ["MW-INJ-001"])
        await asyncio.sleep(0)
        assert posts == []
        for _ in range(5):
            alerts.record_block("/chat", ["MW-INJ-001"])
        await asyncio.sleep(0.05)
        assert len(posts) == 1  # once, then the cooldown holds
        clock.now = 61.0
        for _ in range(3):
            alerts.record_block("/chat", ["MW-PII-001"])
        await asyncio.sleep(0.05)
        await alerts.aclose()
    assert len(posts) == 2 and outcomes == ["sent", "sent"]
    assert posts[0]["blocks_last_minute"] == 3
    assert "prompt" not in json.dumps(posts)  # counts and rule ids only


async def test_dead_webhook_is_retried_then_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def dead(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("refused")

    real_sleep = asyncio.sleep
    monkeypatch.setattr("mlwarden.guard.alerts.asyncio.sleep", lambda delay: real_sleep(0))
    outcomes: list[str] = []
    config = AlertsConfig(webhook="http://127.0.0.1:9/hook", threshold_per_minute=1, retries=2)
    async with httpx.AsyncClient(transport=httpx.MockTransport(dead)) as client:
        alerts = AlertHook(config, client=client, on_outcome=outcomes.append)
        alerts.record_block("/r", [])
        for _ in range(20):
            await real_sleep(0.01)
            if outcomes:
                break
        await alerts.aclose()
    assert len(calls) == 3 and outcomes == ["failed"]

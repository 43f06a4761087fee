"""Token buckets, quotas and concurrency caps, in memory and in a real Redis on loopback."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import httpx
import pytest

from mlwarden.guard.config import BucketConfig, FailMode
from mlwarden.guard.limits import Concurrency, Limiter, MemoryBackend, RedisBackend

from .conftest import AUTH, base_config, make_client

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_bucket_refills_at_rate() -> None:
    clock = Clock()
    limiter = Limiter(MemoryBackend(clock=clock), fail_mode=FailMode.OPEN, on_degraded=lambda: None)
    bucket = BucketConfig(rate=2, burst=3)
    results = [(await limiter.check("k", bucket)).allowed for _ in range(4)]
    assert results == [True, True, True, False]
    clock.now += 0.5
    assert (await limiter.check("k", bucket)).allowed
    assert not (await limiter.check("k", bucket)).allowed


async def test_daily_quota() -> None:
    limiter = Limiter(MemoryBackend(), fail_mode=FailMode.OPEN, on_degraded=lambda: None)
    bucket = BucketConfig(rate=1000, burst=1000, daily_quota=2)
    verdicts = [await limiter.check("q", bucket, day=1) for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[-1].reason == "quota"
    assert (await limiter.check("q", bucket, day=2)).allowed  # a new day


def test_concurrency_all_or_nothing() -> None:
    caps = Concurrency()
    assert caps.acquire([("route", 2), ("key", 1)])
    assert not caps.acquire([("route", 2), ("key", 1)])
    assert caps.in_flight("route") == 1
    caps.release([("route", 2), ("key", 1)])
    assert caps.in_flight("route") == 0


async def test_rate_limit_over_http_per_key_override(tmp_path: Path) -> None:
    config = base_config(tmp_path)
    config["api_keys"][0]["limits"] = {"rate": {"rate": 0.01, "burst": 2}}
    async with make_client(config) as client:
        statuses = []
        for _ in range(3):
            response = await client.post("/invocations", json={"instances": [[1, 2]]}, headers=AUTH)
            statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["error"]["code"] == "rate_limited"


async def test_per_ip_limit_applies_before_auth(tmp_path: Path) -> None:
    config = base_config(tmp_path, rate_limits={"per_ip": {"rate": 0.01, "burst": 1}})
    async with make_client(config) as client:
        first = await client.post("/generic", json={"prompt": "a"})
        second = await client.post("/v1/chat/completions", json={})
    assert first.status_code == 200 and second.status_code == 429


async def test_concurrency_cap_refuses_at_once(tmp_path: Path) -> None:
    release = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200, json={"output": {"text": "x"}})

    config = base_config(tmp_path)
    config["routes"][3]["limits"] = {"concurrency": 1}
    async with make_client(config, slow) as client:  # type: ignore[arg-type]
        first = asyncio.create_task(client.post("/generic", json={"prompt": "a"}))
        await asyncio.sleep(0.05)
        second = await client.post("/generic", json={"prompt": "b"})
        release.set()
        assert (await first).status_code == 200
    assert second.status_code == 429 and second.json()["error"]["code"] == "too_many_in_flight"


class DownBackend(MemoryBackend):
    async def take(self, bucket: str, rate: float, burst: int) -> float:
        from mlwarden.guard.limits import BackendUnavailable

        raise BackendUnavailable("ConnectionError")


async def test_backend_down_fails_open_or_closed(caplog: pytest.LogCaptureFixture) -> None:
    bucket = BucketConfig(rate=1, burst=1)
    degraded: list[int] = []
    opened = Limiter(DownBackend(), fail_mode=FailMode.OPEN, on_degraded=lambda: degraded.append(1))
    closed = Limiter(DownBackend(), fail_mode=FailMode.CLOSED, on_degraded=lambda: degraded.append(1))
    assert (await opened.check("k", bucket)).allowed
    verdict = await closed.check("k", bucket)
    assert not verdict.allowed and verdict.reason == "backend"
    assert len(degraded) == 2
    assert "failing OPEN" in caplog.text and "failing CLOSED" in caplog.text


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("MLWARDEN_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("MLWARDEN_TEST_REDIS_URL is not set in CI: scripts/redis.sh start must run first")
        pytest.skip("no Redis: run `eval $(scripts/redis.sh start)` to enable")
    return url


@pytest.mark.redis
async def test_redis_bucket_is_shared_and_atomic(redis_url: str) -> None:
    name = f"t-{uuid.uuid4().hex}"
    a, b = RedisBackend(redis_url, timeout=1.0), RedisBackend(redis_url, timeout=1.0)
    try:
        one = Limiter(a, fail_mode=FailMode.CLOSED, on_degraded=lambda: None)
        two = Limiter(b, fail_mode=FailMode.CLOSED, on_degraded=lambda: None)
        bucket = BucketConfig(rate=0.001, burst=10, daily_quota=100)
        verdicts = await asyncio.gather(*[(one if i % 2 else two).check(name, bucket) for i in range(30)])
        assert sum(v.allowed for v in verdicts) == 10  # two "instances", one bucket, no lost update
        quota = BucketConfig(rate=1000, burst=1000, daily_quota=3)
        allowed = [(await one.check(name + "q", quota, day=7)).allowed for _ in range(4)]
        assert allowed == [True, True, True, False]
    finally:
        await a.close()
        await b.close()


@pytest.mark.redis
async def test_redis_unreachable_is_degraded_not_a_crash(redis_url: str) -> None:
    del redis_url
    backend = RedisBackend("redis://127.0.0.1:1/0", timeout=0.2)
    try:
        limiter = Limiter(backend, fail_mode=FailMode.CLOSED, on_degraded=lambda: None)
        verdict = await limiter.check("x", BucketConfig(rate=1, burst=1))
        assert verdict.degraded and not verdict.allowed
    finally:
        await backend.close()


async def test_circuit_breaker_skips_a_dead_backend_for_a_while() -> None:
    calls: list[int] = []

    class Counting(DownBackend):
        async def take(self, bucket: str, rate: float, burst: int) -> float:
            calls.append(1)
            return await super().take(bucket, rate, burst)

    clock = Clock()
    limiter = Limiter(Counting(), fail_mode=FailMode.OPEN, on_degraded=lambda: None, retry_after=1.0, clock=clock)
    bucket = BucketConfig(rate=1, burst=1)
    for _ in range(5):
        assert (await limiter.check("k", bucket)).degraded
    assert len(calls) == 1  # one timeout paid, then the breaker answers at once
    clock.now += 1.5
    await limiter.check("k", bucket)
    assert len(calls) == 2

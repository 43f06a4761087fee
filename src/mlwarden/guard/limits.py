"""Rate limits (token buckets), daily quotas and concurrency caps: the guard's answer to SERVE-07/09.

Buckets live in this process by default. With several guard instances they live in Redis, where a
Lua script takes a token atomically (read, refill, take, write in one step, on Redis's clock, so
instances with skewed clocks agree). When Redis cannot be reached the limiter fails open or closed
as configured and says so in the log and in ``/metrics``, because a silent fail-open is an outage
of the control nobody notices.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from mlwarden.guard.config import BackendConfig, BucketConfig, FailMode

__all__ = [
    "BackendUnavailable",
    "Concurrency",
    "Limiter",
    "MemoryBackend",
    "RateBackend",
    "RedisBackend",
    "Verdict",
    "make_backend",
]

log = logging.getLogger("mlwarden.guard.limits")

_MAX_BUCKETS = 100_000
_DAY = 86_400

_TAKE_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local retry = 0
if tokens >= 1 then tokens = tokens - 1 else retry = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(retry)
"""

_QUOTA_LUA = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return n
"""


class BackendUnavailable(Exception):
    """The shared limit store could not answer in time."""


class RateBackend(Protocol):
    """Where buckets and quota counters live."""

    async def take(self, bucket: str, rate: float, burst: int) -> float:
        """Take one token; 0.0 when allowed, else the seconds until one is available."""
        ...

    async def count(self, counter: str, ttl: int) -> int:
        """Increment a counter that expires after ``ttl`` seconds; the new value."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class MemoryBackend:
    """Buckets in a dict: safe under asyncio because no ``await`` splits a read from its write."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_buckets: int = _MAX_BUCKETS) -> None:
        self._clock = clock
        self._max = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._counters: dict[str, tuple[int, float]] = {}

    async def take(self, bucket: str, rate: float, burst: int) -> float:
        now = self._clock()
        tokens, last = self._buckets.pop(bucket, (float(burst), now))
        tokens = min(float(burst), tokens + max(0.0, now - last) * rate)
        retry = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            retry = (1.0 - tokens) / rate
        self._buckets[bucket] = (tokens, now)
        if len(self._buckets) > self._max:
            # NOTE: the oldest bucket is evicted; it refilled long ago, so forgetting it grants
            # what a refill would have granted anyway (a client cannot gain by flooding keys).
            self._buckets.popitem(last=False)
        return retry

    async def count(self, counter: str, ttl: int) -> int:
        now = self._clock()
        value, expires = self._counters.get(counter, (0, now + ttl))
        if expires <= now:
            value, expires = 0, now + ttl
        self._counters[counter] = (value + 1, expires)
        if len(self._counters) > self._max:
            self._counters = {k: v for k, v in self._counters.items() if v[1] > now}
        return value + 1

    async def close(self) -> None:
        return None


class RedisBackend:
    """Buckets in Redis, shared by every guard instance; errors become BackendUnavailable."""

    def __init__(self, url: str, *, timeout: float) -> None:
        from mlwarden.core.extras import require

        redis_asyncio: Any = require("redis.asyncio", extra="redis")
        self._client: Any = redis_asyncio.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, decode_responses=True
        )
        self._timeout = timeout
        self._take = self._client.register_script(_TAKE_LUA)
        self._count = self._client.register_script(_QUOTA_LUA)

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        from redis.exceptions import RedisError

        try:
            return await asyncio.wait_for(script(keys=keys, args=args), self._timeout * 2)
        except (RedisError, OSError, TimeoutError) as exc:
            raise BackendUnavailable(type(exc).__name__) from None

    async def take(self, bucket: str, rate: float, burst: int) -> float:
        return float(await self._call(self._take, [f"mlwarden:b:{bucket}"], [rate, burst]))

    async def count(self, counter: str, ttl: int) -> int:
        return int(await self._call(self._count, [f"mlwarden:q:{counter}"], [ttl]))

    async def close(self) -> None:
        await self._client.aclose()


def make_backend(config: BackendConfig) -> RateBackend:
    """The backend ``guard.yaml`` asks for."""
    if config.kind == "redis" and config.url:
        return RedisBackend(config.url, timeout=config.timeout)
    return MemoryBackend()


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a request may go on; ``reason`` is a rule-like id when not, ``retry_after`` in seconds."""

    allowed: bool
    reason: str = ""
    retry_after: float = 0.0
    degraded: bool = False


_OK = Verdict(True)


class Limiter:
    """Applies buckets and quotas through a backend, with the configured behaviour when it is down."""

    def __init__(
        self,
        backend: RateBackend,
        *,
        fail_mode: FailMode,
        on_degraded: Callable[[], None],
        retry_after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backend = backend
        self._fail_mode = fail_mode
        self._on_degraded = on_degraded
        self._retry_after = retry_after
        self._clock = clock
        # NOTE: a circuit breaker: after a failure the backend is skipped for `retry_after` seconds,
        # so a dead Redis costs each request nothing instead of a timeout; logs are one line a second.
        self._down_until = 0.0
        self._last_log = -float("inf")
        self._unlogged = 0

    async def check(self, name: str, bucket: BucketConfig | None, *, day: int | None = None) -> Verdict:
        """Take a token from bucket ``name`` and count it against the daily quota, if configured."""
        if bucket is None:
            return _OK
        if self._clock() < self._down_until:
            return self._degraded("circuit open")
        try:
            retry = await self._backend.take(name, bucket.rate, bucket.burst)
            if retry > 0:
                return Verdict(False, "rate", retry)
            if bucket.daily_quota is not None:
                today = day if day is not None else int(time.time()) // _DAY
                used = await self._backend.count(f"{name}:{today}", 2 * _DAY)
                if used > bucket.daily_quota:
                    return Verdict(False, "quota", float(_DAY - int(time.time()) % _DAY))
        except BackendUnavailable as exc:
            self._down_until = self._clock() + self._retry_after
            return self._degraded(str(exc))
        return _OK

    def _degraded(self, cause: str) -> Verdict:
        self._on_degraded()
        closed = self._fail_mode is FailMode.CLOSED
        now = self._clock()
        if now - self._last_log >= 1.0:
            what = "failing CLOSED, requests refused" if closed else "failing OPEN, requests not limited"
            level = logging.ERROR if closed else logging.WARNING
            log.log(level, "rate-limit backend unavailable (%s): %s (+%d since last line)", cause, what, self._unlogged)
            self._last_log, self._unlogged = now, 0
        else:
            self._unlogged += 1
        if closed:
            return Verdict(False, "backend", 1.0, degraded=True)
        return Verdict(True, degraded=True)

    async def close(self) -> None:
        """Close the backend."""
        await self._backend.close()


class Concurrency:
    """Non-blocking caps on requests in flight per name (route, key): a full cap refuses at once.

    Waiting in line would keep a looping client's connections open (SERVE-04); refusing with 429
    hands the back-pressure to the client.
    """

    def __init__(self) -> None:
        self._in_flight: dict[str, int] = {}

    def acquire(self, caps: list[tuple[str, int]]) -> bool:
        """Take one slot under every ``(name, cap)``, all or nothing."""
        if any(self._in_flight.get(name, 0) >= cap for name, cap in caps):
            return False
        for name, _ in caps:
            self._in_flight[name] = self._in_flight.get(name, 0) + 1
        return True

    def release(self, caps: list[tuple[str, int]]) -> None:
        """Give back what ``acquire`` took."""
        for name, _ in caps:
            left = self._in_flight.get(name, 1) - 1
            if left <= 0:
                self._in_flight.pop(name, None)
            else:
                self._in_flight[name] = left

    def in_flight(self, name: str) -> int:
        """Requests currently holding a slot under ``name``."""
        return self._in_flight.get(name, 0)

"""The alert hook: a webhook POSTed when blocks per minute pass a threshold, never on the request path.

The request handler only calls ``record_block`` (a deque append). When the one-minute count crosses
the threshold and the cooldown has passed, one delivery task is started; it retries with
exponential backoff and gives up quietly (logged, counted), because a dead webhook must not take
the guard down with it. The payload holds counts and rule ids only, never request content.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

import httpx

from mlwarden.guard.config import AlertsConfig

__all__ = ["AlertHook"]

log = logging.getLogger("mlwarden.guard.alerts")


class AlertHook:
    """Counts blocks in a sliding minute and fires the webhook when there are too many."""

    def __init__(
        self,
        config: AlertsConfig,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_outcome: Callable[[str], None] = lambda _outcome: None,
    ) -> None:
        self._config = config
        self._client = client
        self._clock = clock
        self._on_outcome = on_outcome
        self._blocks: deque[tuple[float, str]] = deque()
        self._last_fired = -float("inf")
        self._tasks: set[asyncio.Task[None]] = set()

    def record_block(self, route: str, rule_ids: list[str]) -> None:
        """Note one block; may schedule a delivery."""
        if self._config.webhook is None:
            return
        now = self._clock()
        for rule_id in rule_ids or ["unknown"]:
            self._blocks.append((now, f"{route} {rule_id}"))
        while self._blocks and self._blocks[0][0] < now - 60:
            self._blocks.popleft()
        # NOTE: cap memory under a flood: past 10x the threshold the exact count no longer matters.
        while len(self._blocks) > 10 * self._config.threshold_per_minute:
            self._blocks.popleft()
        if len(self._blocks) < self._config.threshold_per_minute:
            return
        if now - self._last_fired < self._config.cooldown_seconds:
            return
        self._last_fired = now
        payload = self._payload()
        task = asyncio.get_running_loop().create_task(self._deliver(payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _payload(self) -> dict[str, Any]:
        top = Counter(label for _, label in self._blocks).most_common(10)
        return {
            "event": "mlwarden.guard.blocks",
            "blocks_last_minute": len(self._blocks),
            "threshold_per_minute": self._config.threshold_per_minute,
            "top": [{"route_rule": label, "count": count} for label, count in top],
            "time": time.time(),
        }

    async def _deliver(self, payload: dict[str, Any]) -> None:
        url = self._config.webhook
        client = self._client
        if url is None or client is None:
            return
        delay = 0.5
        for attempt in range(self._config.retries + 1):
            try:
                response = await client.post(url, json=payload, timeout=self._config.timeout)
                if response.status_code < 500:
                    self._on_outcome("sent" if response.is_success else "rejected")
                    return
            except httpx.HTTPError as exc:
                log.warning("alert webhook failed (%s), attempt %d", type(exc).__name__, attempt + 1)
            await asyncio.sleep(delay)
            delay *= 2
        self._on_outcome("failed")
        log.error("alert webhook gave up after %d attempts", self._config.retries + 1)

    async def aclose(self) -> None:
        """Cancel deliveries still in flight (at shutdown)."""
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

"""Calling the upstream over a pooled ``httpx.AsyncClient``, with every failure mapped to a sanitised rejection.

Nothing the upstream says about itself reaches the client: a 5xx body (stack traces, framework
versions, file paths), its ``Server`` header and its error details are dropped, and the client gets
a stable code (``upstream_unavailable``, ``upstream_timeout``, ``upstream_error``,
``upstream_bad_response``). A 4xx keeps its status (the client's request was bad) with a generic
message. Responses are read under a size cap, so a runaway upstream cannot exhaust our memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from mlwarden.guard.upstreams.base import GuardRejection

__all__ = ["forward_json", "open_stream"]

log = logging.getLogger("mlwarden.guard.upstream")

_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def _status_rejection(status: int) -> GuardRejection:
    if status >= 500:
        return GuardRejection(502, "upstream_error", "the model server failed to answer")
    if status in (401, 403):
        # NOTE: the guard's own credentials to the upstream are wrong; not the client's fault.
        return GuardRejection(502, "upstream_error", "the model server refused the guard")
    if status == 429:
        return GuardRejection(429, "upstream_busy", "the model server is busy, retry later", retry_after=1.0)
    return GuardRejection(
        status if 400 <= status < 500 else 502, "upstream_rejected", "the model server rejected the request"
    )


def _http_rejection(exc: httpx.HTTPError, url: str) -> GuardRejection:
    if isinstance(exc, httpx.TimeoutException):
        log.warning("upstream %s timed out (%s)", url, type(exc).__name__)
        return GuardRejection(504, "upstream_timeout", "the model server did not answer in time")
    log.warning("upstream %s unreachable (%s)", url, type(exc).__name__)
    return GuardRejection(502, "upstream_unavailable", "the model server is unavailable")


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise GuardRejection(502, "upstream_bad_response", "the model server's answer is too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def forward_json(
    client: httpx.AsyncClient,
    url: str,
    payload: bytes,
    *,
    timeout: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
) -> Any:
    """POST ``payload``; the parsed JSON answer, or a sanitised rejection. ``timeout`` bounds the whole call."""
    request = client.build_request("POST", url, content=payload, headers={**_HEADERS, **(headers or {})})
    try:
        async with asyncio.timeout(timeout):
            response = await client.send(request, stream=True)
            try:
                if response.status_code >= 300:
                    log.info("upstream %s answered %d", url, response.status_code)
                    raise _status_rejection(response.status_code)
                raw = await _read_capped(response, max_bytes)
            finally:
                await response.aclose()
    except TimeoutError:
        log.warning("upstream %s exceeded the %.1fs deadline", url, timeout)
        raise GuardRejection(504, "upstream_timeout", "the model server did not answer in time") from None
    except httpx.HTTPError as exc:
        raise _http_rejection(exc, url) from None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        log.warning("upstream %s returned a body that is not JSON", url)
        raise GuardRejection(502, "upstream_bad_response", "the model server returned an invalid answer") from None


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient,
    url: str,
    payload: bytes,
    *,
    timeout: float,
    headers: dict[str, str] | None = None,
) -> AsyncIterator[httpx.Response]:
    """POST and hand over the streaming response once its status is known good; closed on exit."""
    request = client.build_request("POST", url, content=payload, headers={**_HEADERS, **(headers or {})})
    try:
        async with asyncio.timeout(timeout):
            response = await client.send(request, stream=True)
    except TimeoutError:
        raise GuardRejection(504, "upstream_timeout", "the model server did not answer in time") from None
    except httpx.HTTPError as exc:
        raise _http_rejection(exc, url) from None
    try:
        if response.status_code >= 300:
            raise _status_rejection(response.status_code)
        yield response
    finally:
        await response.aclose()

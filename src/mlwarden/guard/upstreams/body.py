"""Reading a request body under a size limit and a deadline, and parsing it strictly (SERVE-09).

A declared ``Content-Length`` over the limit is refused before a byte is read; a chunked body is
counted as it arrives. The whole body must arrive within ``timeout`` seconds, which is what stops
slowloris-style clients that trickle a body to hold a worker. Text must be valid UTF-8 and JSON
must be plain JSON (no NaN/Infinity, bounded nesting), because a lenient parser here becomes a
parser differential with the model server behind us.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request

from mlwarden.guard.upstreams.base import GuardRejection

__all__ = ["parse_json", "read_body"]

_MAX_NESTING = 64
_BRACKETS = re.compile(r"[^\[\]{}]+")


def _too_large() -> GuardRejection:
    return GuardRejection(413, "body_too_large", "the request body is larger than this route accepts")


async def read_body(request: Request, *, max_bytes: int, timeout: float) -> bytes:
    """The whole body, or a rejection: 413 too large, 408 too slow, 400 malformed length or disconnect."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise GuardRejection(400, "invalid_request", "invalid Content-Length")
        if int(declared) > max_bytes:
            raise _too_large()
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large()
                chunks.append(chunk)
    except TimeoutError:
        raise GuardRejection(408, "body_timeout", "the request body did not arrive in time") from None
    except ClientDisconnect:
        raise GuardRejection(400, "client_disconnected", "the client went away") from None
    return b"".join(chunks)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth_ok(raw: str) -> bool:
    # NOTE: a cheap upper bound on nesting without parsing: brackets inside strings count too,
    # which can only make us stricter, and 64 levels is far beyond any inference payload.
    if raw.count("[") + raw.count("{") <= _MAX_NESTING:
        return True
    depth = 0
    for char in _BRACKETS.sub("", raw):
        if char in "[{":
            depth += 1
            if depth > _MAX_NESTING:
                return False
        elif char in "]}":
            depth -= 1
    return True


def parse_json(raw: bytes) -> Any:
    """Strict UTF-8, strict JSON; 400 rejections that say which of the two failed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GuardRejection(400, "invalid_utf8", "the request body is not valid UTF-8") from None
    if not _depth_ok(text):
        raise GuardRejection(400, "invalid_json", "the request body is nested too deeply")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise GuardRejection(400, "invalid_json", "the request body is not valid JSON") from None

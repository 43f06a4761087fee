"""The guard service: a Starlette app that proxies each configured route to its model server.

Per request, cheapest refusal first: client-IP bucket → API key, roles and scopes → key/route
buckets, daily quota and concurrency caps → body size and read deadline → UTF-8 and JSON →
protocol shape, schema and feature ranges → extraction-pattern detection → ``check_input`` on
every text (redact in place, or block) → upstream call under a deadline → ``check_output`` and
hardening → response. Every request ends with one audit record (queued, off the request path),
metrics and perhaps an alert. Every error leaves through ``error_response``, the one place that
decides what a client may see.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from mlwarden.guard.audit import Exchange
from mlwarden.guard.auth import Principal, authorize, extract_key
from mlwarden.guard.config import GuardConfig, LimitsConfig, RouteConfig
from mlwarden.guard.decision import Action, Decision, Reason
from mlwarden.guard.metrics import CONTENT_TYPE_LATEST
from mlwarden.guard.server import Services, make_services
from mlwarden.guard.upstreams import ADAPTERS
from mlwarden.guard.upstreams.base import GuardRejection, Prepared
from mlwarden.guard.upstreams.body import parse_json, read_body
from mlwarden.guard.upstreams.proxy import forward_json, open_stream
from mlwarden.guard.upstreams.stream import StreamOutcome, StreamScanner, relay
from mlwarden.guard.upstreams.tabular import check_rows, check_schema

__all__ = ["create_app", "error_response"]

log = logging.getLogger("mlwarden.guard")

_THREAD_CHARS = 32_768  # texts longer than this are checked in a worker thread


def error_response(exc: GuardRejection, request_id: str) -> JSONResponse:
    """The only error shape a client ever sees: a stable code, a safe message, the request id."""
    headers = {"x-request-id": request_id}
    if exc.retry_after is not None:
        headers["retry-after"] = str(max(1, round(exc.retry_after)))
    if exc.status == 401:
        headers["www-authenticate"] = "Bearer"
    body = {"error": {"code": exc.code, "message": exc.message}, "request_id": request_id}
    return JSONResponse(body, status_code=exc.status, headers=headers)


def _limits_for(route: RouteConfig, principal: Principal | None) -> LimitsConfig:
    if principal is None:
        return route.limits
    key = principal.limits
    return LimitsConfig(
        rate=key.rate or route.limits.rate,
        concurrency=key.concurrency or route.limits.concurrency,
    )


async def _admit(svc: Services, route: RouteConfig, request: Request, ex: Exchange) -> list[tuple[str, int]]:
    """IP limit, authentication, authorization, key limits, audit capacity; the concurrency caps taken."""
    host = svc.client_ip(request)
    verdict = await svc.limiter.check(f"ip:{host}", svc.config.rate_limits.per_ip)
    if not verdict.allowed:
        raise _limited(verdict.reason, verdict.retry_after)
    principal = None
    if route.auth:
        key = extract_key(request.headers.get("authorization"), request.headers.get("x-api-key"))
        principal = svc.keys.authenticate(key) if key else None
        if principal is None:
            raise GuardRejection(401, "unauthorized", "a valid API key is required", rule_id="MW-GUARD-AUTH-001")
        ex.key_id = principal.key_id
        why = authorize(principal, route)
        if why:
            raise GuardRejection(403, "forbidden", why, rule_id="MW-GUARD-AUTH-002")
    limits = _limits_for(route, principal)
    bucket = limits.rate or (svc.config.rate_limits.per_key if principal else None)
    who = f"key:{principal.key_id}" if principal else f"anon:{host}"
    verdict = await svc.limiter.check(f"{route.path}|{who}", bucket)
    if not verdict.allowed:
        raise _limited(verdict.reason, verdict.retry_after)
    if not svc.audit.accepting():
        raise GuardRejection(503, "audit_unavailable", "the service cannot record requests right now", retry_after=1)
    caps = [(f"route:{route.path}", c) for c in [route.limits.concurrency] if c]
    caps += [(f"{route.path}|{who}", c) for c in [limits.concurrency] if c]
    if not svc.concurrency.acquire(caps):
        raise GuardRejection(429, "too_many_in_flight", "too many requests in flight", rule_id="MW-GUARD-CONC-001")
    return caps


def _limited(reason: str, retry_after: float) -> GuardRejection:
    if reason == "backend":
        return GuardRejection(503, "limits_unavailable", "the service cannot check limits right now", retry_after=1)
    code = "quota_exceeded" if reason == "quota" else "rate_limited"
    rule = "MW-GUARD-QUOTA-001" if reason == "quota" else "MW-GUARD-RATE-001"
    return GuardRejection(429, code, "too many requests", rule_id=rule, retry_after=retry_after)


async def _check(svc: Services, text: str, *, output: bool, prompt: str | None = None) -> Decision:
    if output:
        call: Any = lambda: svc.pipeline.check_output(text, prompt=prompt)  # noqa: E731
    else:
        call = lambda: svc.pipeline.check_input(text)  # noqa: E731
    if len(text) > _THREAD_CHARS:
        result: Decision = await asyncio.to_thread(call)
        return result
    decided: Decision = call()
    return decided


async def _check_inputs(svc: Services, route: RouteConfig, prepared: Prepared, ex: Exchange) -> str:
    """Run the pipeline over every input text; redact in place or raise a block. The joined texts."""
    for slot in prepared.slots:
        decision = await _check(svc, slot.text, output=False)
        ex.decide(decision, "input")
        if decision.action is Action.BLOCK:
            first = decision.reasons[0].rule_id if decision.reasons else None
            raise GuardRejection(403, "request_blocked", "the request was blocked by policy", rule_id=first)
        if decision.action is Action.REDACT and decision.text is not None:
            slot.set(decision.text)
    joined = "\n".join(slot.text for slot in prepared.slots)
    if route.log_text:
        ex.text = joined[:4096]
    return joined


async def _validate(svc: Services, route: RouteConfig, body: Any, ex: Exchange) -> Prepared:
    if route.json_schema is not None:
        check_schema(body, route.json_schema)
    prepared = ADAPTERS[route.kind].prepare(body, route)
    if prepared.rows is not None:
        check_rows(prepared.rows, route)
        monitor = svc.monitors.get(route.path)
        if monitor is not None:
            signal = monitor.observe(ex.key_id or "anonymous", prepared.rows)
            if signal is not None:
                log.warning("extraction pattern on %s by key %s: %s", route.path, ex.key_id, signal.kind)
                if monitor.blocks:
                    raise GuardRejection(429, "extraction_suspected", "query pattern refused", rule_id=signal.rule_id)
                ex.reasons.append(("input", _flag(signal.rule_id, signal.kind)))
    return prepared


def _flag(rule_id: str, kind: str) -> Reason:
    return Reason(rule_id=rule_id, kind=kind, message=kind, confidence=0.5)


async def _respond_json(svc: Services, route: RouteConfig, prepared: Prepared, prompt: str, ex: Exchange) -> Any:
    url = route.upstream + (route.upstream_path or route.path)
    payload = json.dumps(prepared.body, ensure_ascii=False).encode()
    started = time.perf_counter()
    try:
        answer = await forward_json(
            svc.client, url, payload, timeout=route.timeout, max_bytes=16 * route.max_body_bytes + 65536
        )
    finally:
        ex.upstream_seconds = time.perf_counter() - started
    adapter = ADAPTERS[route.kind]
    for slot in adapter.output_slots(answer, route):
        decision = await _check(svc, slot.text, output=True, prompt=prompt)
        ex.decide(decision, "output")
        if decision.action is Action.BLOCK:
            first = decision.reasons[0].rule_id if decision.reasons else None
            raise GuardRejection(502, "response_blocked", "the answer was blocked by policy", rule_id=first)
        if decision.action is Action.REDACT and decision.text is not None:
            slot.set(decision.text)
    if route.hardening is not None:
        answer = adapter.harden(answer, route.hardening)
    if route.kind.value != "openai":
        answer = svc.pipeline.harden_prediction(answer)
    return answer


async def _open_stream(
    svc: Services, route: RouteConfig, prepared: Prepared, prompt: str, ex: Exchange, caps: list[tuple[str, int]]
) -> StreamingResponse:
    """Start the upstream stream (errors before the first byte are ordinary rejections) and relay it."""
    url = route.upstream + (route.upstream_path or route.path)
    payload = json.dumps(prepared.body, ensure_ascii=False).encode()
    stack = AsyncExitStack()
    started = time.perf_counter()
    response = await stack.enter_async_context(open_stream(svc.client, url, payload, timeout=route.timeout))
    scanner = StreamScanner(
        check=lambda window: svc.pipeline.check_output(window, prompt=prompt),
        lookback=route.stream_lookback,
        holdback=route.stream_holdback,
    )
    outcome = StreamOutcome()

    async def body() -> AsyncIterator[bytes]:
        try:
            async for event in relay(response, scanner, outcome):
                yield event
        finally:
            # NOTE: this runs also when the client goes away mid-stream (the generator is cancelled),
            # so the record and the slot release use no await; the scanner holds the decision so far.
            ex.upstream_seconds = time.perf_counter() - started
            ex.decide(Decision(action=scanner.action, reasons=tuple(scanner.reasons)), "output")
            ex.error = outcome.error
            svc.concurrency.release(caps)
            _record(svc, ex)
            await stack.aclose()

    headers = {"x-request-id": ex.request_id, "cache-control": "no-store"}
    return StreamingResponse(body(), media_type="text/event-stream", headers=headers)


async def _process(svc: Services, route: RouteConfig, request: Request, ex: Exchange) -> Response:
    caps = await _admit(svc, route, request, ex)
    streaming = False
    try:
        raw = await read_body(request, max_bytes=route.max_body_bytes, timeout=svc.config.listen.body_timeout)
        ex.bytes_in = len(raw)
        prepared = await _validate(svc, route, parse_json(raw), ex)
        prompt = await _check_inputs(svc, route, prepared, ex)
        if prepared.stream:
            ex.stream = True
            response = await _open_stream(svc, route, prepared, prompt, ex, caps)
            streaming = True
            return response
        answer = await _respond_json(svc, route, prepared, prompt, ex)
    finally:
        if not streaming:
            svc.concurrency.release(caps)
    headers = {"x-request-id": ex.request_id, "x-mlwarden-decision": ex.action.value}
    return JSONResponse(answer, headers=headers)


def _record(svc: Services, ex: Exchange) -> asyncio.Future[None] | None:
    """Metrics, alert, audit record (synchronous: callable from a cancelled stream's cleanup)."""
    m = svc.metrics
    m.requests.labels(ex.route, str(ex.status)).inc()
    m.decisions.labels(ex.route, ex.action.value).inc()
    for _, reason in ex.reasons:
        m.reasons.labels(ex.route, reason.rule_id, reason.kind).inc()
    m.overhead.labels(ex.route).observe(max(0.0, time.perf_counter() - ex.started - ex.upstream_seconds))
    if ex.upstream_seconds:
        m.upstream.labels(ex.route).observe(ex.upstream_seconds)
    if ex.action is Action.BLOCK:
        svc.alerts.record_block(ex.route, [reason.rule_id for _, reason in ex.reasons])
    done = svc.audit.submit(ex.record())
    m.audit_queue.set(svc.audit.depth())
    return done


async def _finish(svc: Services, ex: Exchange) -> bool:
    """Record the exchange; True when its audit record is known to be committed."""
    done = _record(svc, ex)
    if done is None:
        return False
    try:
        await asyncio.wait_for(asyncio.shield(done), svc.config.audit.commit_timeout)
    except TimeoutError:
        log.error("audit record %s not committed within %.1fs", ex.request_id, svc.config.audit.commit_timeout)
        return False
    return True


def _handler(svc: Services, route: RouteConfig) -> Any:
    async def handle(request: Request) -> Response:
        ex = Exchange(
            request_id=uuid.uuid4().hex, route=route.path, method=request.method, client=svc.client_label(request)
        )
        try:
            response = await _process(svc, route, request, ex)
        except GuardRejection as exc:
            ex.status, ex.error = exc.status, exc.code
            # NOTE: an upstream failure is not a decision of ours: it is recorded as an error only,
            # so it neither counts as a block nor triggers the block alert.
            if not exc.code.startswith("upstream_") and ex.action is not Action.BLOCK:
                ex.refuse(exc.rule_id, exc.kind, "input")
            response = error_response(exc, ex.request_id)
        if isinstance(response, StreamingResponse):
            return response
        ex.status = response.status_code
        committed = await _finish(svc, ex)
        if svc.config.audit.wait_for_commit:
            if not committed and svc.config.audit.fail_mode.value == "closed":
                refusal = GuardRejection(503, "audit_unavailable", "the service cannot record requests right now")
                return error_response(refusal, ex.request_id)
            response.headers["x-mlwarden-audit"] = "committed" if committed else "uncommitted"
        return response

    return handle


async def _healthz(request: Request) -> Response:
    svc: Services = request.app.state.services
    audit_ok = svc.audit.healthy
    status = 200 if audit_ok or svc.config.audit.fail_mode.value == "open" else 503
    return JSONResponse(
        {"status": "ok" if status == 200 else "degraded", "audit": "ok" if audit_ok else "failing"}, status
    )


async def _metrics(request: Request) -> Response:
    svc: Services = request.app.state.services
    scope = svc.config.metrics_scope
    if scope is not None:
        key = extract_key(request.headers.get("authorization"), request.headers.get("x-api-key"))
        principal = svc.keys.authenticate(key) if key else None
        if principal is None or scope not in principal.scopes:
            exc = GuardRejection(401 if principal is None else 403, "unauthorized", "metrics need a privileged key")
            return error_response(exc, uuid.uuid4().hex)
    svc.metrics.audit_queue.set(svc.audit.depth())
    return Response(svc.metrics.render(), media_type=CONTENT_TYPE_LATEST)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Routing errors (404, 405): same sanitised shape, and audited, because probing is a signal (SERVE-06)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    code = {404: "not_found", 405: "method_not_allowed"}.get(status, "error")
    svc: Services = request.app.state.services
    ex = Exchange(
        request_id=uuid.uuid4().hex, route="<unmatched>", method=request.method, client=svc.client_label(request)
    )
    ex.status, ex.error = status, code
    await _finish(svc, ex)
    return error_response(GuardRejection(status, code, code.replace("_", " ")), ex.request_id)


async def _internal_error(request: Request, exc: Exception) -> Response:
    """A bug of ours: logged with its traceback here, never shown to the client."""
    log.exception("internal error on %s", request.url.path, exc_info=exc)
    return error_response(GuardRejection(500, "internal_error", "internal error"), uuid.uuid4().hex)


def create_app(config: GuardConfig, **parts: Any) -> Starlette:
    """The ASGI app for ``config``; ``parts`` (pipeline, transport, backend) replace real ones in tests."""
    svc = make_services(config, **parts)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await svc.audit.start()
        log.info("guard ready: %d routes, %d keys, audit at %s", len(config.routes), len(svc.keys), "configured URL")
        try:
            yield
        finally:
            await svc.alerts.aclose()
            await svc.client.aclose()
            await svc.audit.stop()
            await svc.limiter.close()

    routes = [Route("/healthz", _healthz, methods=["GET"]), Route("/metrics", _metrics, methods=["GET"])]
    routes += [Route(r.path, _handler(svc, r), methods=["POST"]) for r in config.routes]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
    app.state.services = svc
    return app

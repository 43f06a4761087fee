"""Running the guard: the shared parts of a service instance, and uvicorn with connection-level limits.

``make_services`` builds what every request shares (pipeline, key ring, limiter, audit log,
metrics, alert hook, the pooled upstream client). ``serve`` runs the app on uvicorn with the
limits that must act before our code sees a request: total connections, keep-alive and the size
of an incomplete request head. Slow *bodies* are cut by the handler's read deadline.
"""

from __future__ import annotations

import hashlib
import hmac
import http.cookiejar
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
from starlette.requests import Request

from mlwarden.guard.alerts import AlertHook
from mlwarden.guard.audit import AuditLog
from mlwarden.guard.auth import KeyRing
from mlwarden.guard.client_ip import ClientAddress, parse_networks
from mlwarden.guard.config import GuardConfig, load_guard_config
from mlwarden.guard.decision import Decision
from mlwarden.guard.extraction import ExtractionMonitor
from mlwarden.guard.limits import Concurrency, Limiter, RateBackend, make_backend
from mlwarden.guard.metrics import GuardMetrics

__all__ = ["Pipeline", "Services", "make_services", "serve"]

log = logging.getLogger("mlwarden.guard")


class Pipeline(Protocol):
    """What the service needs from ``mlwarden.guard.pipeline.Guard``."""

    def check_input(self, text: str, *, context: Mapping[str, Any] | None = None) -> Decision:
        """The decision on one text sent to the model."""
        ...

    def check_output(self, text: str, *, prompt: str | None = None) -> Decision:
        """The decision on one text the model produced (``prompt``: what it was asked)."""
        ...

    def harden_prediction(self, obj: Any) -> Any:
        """A parsed prediction with the policy's output hardening applied."""
        ...


@dataclass
class Services:
    """Everything one app instance holds; built once, shared by all requests."""

    config: GuardConfig
    pipeline: Pipeline
    keys: KeyRing
    limiter: Limiter
    audit: AuditLog
    metrics: GuardMetrics
    alerts: AlertHook
    client: httpx.AsyncClient
    concurrency: Concurrency = field(default_factory=Concurrency)
    monitors: dict[str, ExtractionMonitor] = field(default_factory=dict)
    ip_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    addresses: ClientAddress = field(default_factory=ClientAddress)

    def client_ip(self, request: Request) -> str:
        """The client's address (through trusted proxies' X-Forwarded-For; see ``client_ip``)."""
        peer = request.client.host if request.client else None
        return self.addresses.resolve(peer, request.headers.getlist("x-forwarded-for"))

    def client_label(self, request: Request) -> str | None:
        """The client address as the audit log stores it (keyed digest by default)."""
        host = self.client_ip(request)
        mode = self.config.audit.client_ip
        if mode == "none":
            return None
        if mode == "clear":
            return host
        return hmac.new(self.ip_key, host.encode(), hashlib.sha256).hexdigest()[:16]


def make_services(
    config: GuardConfig,
    *,
    pipeline: Pipeline | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    backend: RateBackend | None = None,
    ip_key: bytes | None = None,
) -> Services:
    """Build every shared part of the service from the configuration.

    ``ip_key`` keys the client-address digests in the audit log; without one a random per-process
    key is used (digests then link requests within one run only).
    """
    if pipeline is None:
        from mlwarden.guard.config import detection_policy
        from mlwarden.guard.pipeline import Guard

        pipeline = Guard(detection_policy(config))
    metrics = GuardMetrics()
    limits = httpx.Limits(max_connections=config.listen.upstream_connections, max_keepalive_connections=64)
    # NOTE: one client is shared by every caller, so it must never keep cookies an upstream sets:
    # they would be sent on behalf of the next caller. A policy that accepts no domain drops them.
    jar = http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    client = httpx.AsyncClient(
        transport=transport, limits=limits, timeout=httpx.Timeout(30.0), follow_redirects=False, cookies=jar
    )
    limiter = Limiter(
        backend or make_backend(config.backend),
        fail_mode=config.backend.fail_mode,
        on_degraded=metrics.backend_errors.inc,
    )
    audit = AuditLog(config.audit, on_drop=metrics.audit_dropped.inc, on_error=metrics.audit_errors.inc)
    alerts = AlertHook(config.alerts, client=client, on_outcome=lambda o: metrics.alerts.labels(o).inc())
    monitors = {r.path: ExtractionMonitor(r.extraction, r.features) for r in config.routes if r.extraction}
    return Services(
        config,
        pipeline,
        KeyRing(config.api_keys),
        limiter,
        audit,
        metrics,
        alerts,
        client,
        monitors=monitors,
        ip_key=ip_key or secrets.token_bytes(32),
        addresses=ClientAddress(parse_networks(config.listen.trusted_proxies)),
    )


def serve(config_path: Path, *, host: str | None = None, port: int | None = None, log_level: str = "info") -> None:
    """Load ``guard.yaml`` and serve until interrupted (SIGINT/SIGTERM drain in-flight requests)."""
    import uvicorn

    from mlwarden.guard.app import create_app

    config = load_guard_config(config_path)
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # NOTE: httpx logs every upstream request at INFO: a log line per request is a hot-path cost.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The client-address digests use the project key (.mlwarden/redact.key, 0600, created on first
    # use), so an incident responder can link one client's requests across restarts.
    from mlwarden.dataops.keys import keyed_hash, load_key

    ip_key = keyed_hash(load_key(), "guard-client-ip", "v1").encode() if config.audit.client_ip == "digest" else None
    app = create_app(config, ip_key=ip_key)
    uv_config = uvicorn.Config(
        app,
        host=host or config.listen.host,
        port=config.listen.port if port is None else port,
        log_level=log_level,
        access_log=False,
        server_header=False,
        date_header=False,
        proxy_headers=False,
        timeout_keep_alive=int(config.listen.keep_alive),
        limit_concurrency=config.listen.max_connections,
        h11_max_incomplete_event_size=16 * 1024,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    uvicorn.Server(uv_config).run()

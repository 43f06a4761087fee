"""Prometheus metrics, one registry per app (so tests and several apps in one process never collide).

Labels are bounded: the *configured* route path (never the raw request path), the decision, and
rule ids from the rule set. A client can never mint a new label value.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "GuardMetrics"]

_FAST = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
_SLOW = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class GuardMetrics:
    """Counters and histograms the service updates; ``render`` produces the ``/metrics`` body."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "mlwarden_guard_requests", "Requests by route and status", ["route", "status"], registry=r
        )
        self.decisions = Counter("mlwarden_guard_decisions", "Decisions by route", ["route", "decision"], registry=r)
        self.reasons = Counter(
            "mlwarden_guard_reasons", "Decision reasons by rule id and kind", ["route", "rule_id", "kind"], registry=r
        )
        self.overhead = Histogram(
            "mlwarden_guard_overhead_seconds", "Time spent in the guard itself", ["route"], buckets=_FAST, registry=r
        )
        self.upstream = Histogram(
            "mlwarden_guard_upstream_seconds", "Time waiting for the upstream", ["route"], buckets=_SLOW, registry=r
        )
        self.audit_queue = Gauge("mlwarden_guard_audit_queue", "Audit records waiting to be written", registry=r)
        self.audit_dropped = Counter("mlwarden_guard_audit_dropped", "Audit records dropped (queue full)", registry=r)
        self.audit_errors = Counter("mlwarden_guard_audit_errors", "Audit database write failures", registry=r)
        self.backend_errors = Counter(
            "mlwarden_guard_limit_backend_errors", "Rate-limit backend unavailable", registry=r
        )
        self.alerts = Counter("mlwarden_guard_alerts", "Alert webhooks by outcome", ["outcome"], registry=r)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)

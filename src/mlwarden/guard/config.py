"""``guard.yaml``: the service configuration, validated at the trust boundary with line-accurate errors.

Every control the service applies (keys, limits, sizes, schemas, hardening, extraction detection)
is declared here, per route and per API key, so a reviewer can read one file and know what the
guard does. The file stores *hashes* of API keys, never the keys: a leaked config must not
grant access.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mlwarden.core.errors import ConfigError
from mlwarden.core.files import read_regular
from mlwarden.core.yaml_loader import load_yaml
from mlwarden.guard.client_ip import parse_networks
from mlwarden.guard.policy import GuardPolicy

__all__ = [
    "ApiKeyConfig",
    "AuditConfig",
    "BackendConfig",
    "BucketConfig",
    "ExtractionConfig",
    "FailMode",
    "FeatureSpec",
    "GuardConfig",
    "HardeningConfig",
    "LimitsConfig",
    "RouteConfig",
    "UpstreamKind",
    "load_guard_config",
]

DEFAULT_AUDIT_URL = "sqlite:///.mlwarden/guard-audit.db"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpstreamKind(StrEnum):
    """The protocol spoken by the model server behind a route."""

    OPENAI = "openai"
    MLFLOW = "mlflow"
    KSERVE = "kserve"
    GENERIC = "generic"


class FailMode(StrEnum):
    """What to do when a dependency (Redis, the audit database) is unavailable: serve or refuse."""

    OPEN = "open"
    CLOSED = "closed"


class BucketConfig(_Strict):
    """A token bucket (``rate`` tokens per second, up to ``burst``) plus an optional daily quota."""

    rate: float = Field(gt=0)
    burst: int = Field(ge=1)
    daily_quota: int | None = Field(default=None, ge=1)


class LimitsConfig(_Strict):
    """Limits that a route sets and an API key may override (the key's value wins)."""

    rate: BucketConfig | None = None
    concurrency: int | None = Field(default=None, ge=1, description="simultaneous requests in flight")


class FeatureSpec(_Strict):
    """One tabular feature: its name (or position) and the range or categories a valid row uses."""

    name: str = Field(min_length=1)
    min: float | None = None
    max: float | None = None
    categories: list[str | int | float] | None = None
    required: bool = True

    @model_validator(mode="after")
    def _range_is_ordered(self) -> FeatureSpec:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class HardeningConfig(_Strict):
    """Output hardening for classifiers, against model inversion, membership inference and extraction."""

    top_k: int | None = Field(default=1, ge=1, description="keep only the k most probable classes")
    round_digits: int | None = Field(default=2, ge=0, le=6, description="round probabilities")
    labels_only: bool = Field(default=False, description="return the label, no probability at all")
    drop_fields: list[str] = Field(
        default_factory=lambda: [
            "logits",
            "logprobs",
            "top_logprobs",
            "raw_scores",
            "decision_function",
            "embeddings",
            "model_version",
        ],
        description="response fields removed wherever they appear",
    )


class ExtractionConfig(_Strict):
    """Per-key extraction-pattern detection: query volume and input-space coverage in a sliding window."""

    window_seconds: float = Field(default=3600.0, gt=0)
    max_queries: int = Field(default=10_000, ge=1)
    buckets: int = Field(default=8, ge=2, le=1000, description="bins per numeric feature")
    max_cells: int = Field(default=500, ge=1, description="distinct feature-bin cells a key may visit")
    action: Literal["flag", "block"] = "flag"


class RouteConfig(_Strict):
    """One public path and the upstream behind it, with every per-route control."""

    path: str = Field(pattern=r"^/[A-Za-z0-9_./{}:-]*$")
    kind: UpstreamKind
    upstream: str = Field(pattern=r"^https?://", description="base URL of the model server")
    upstream_path: str | None = Field(default=None, description="path on the upstream; default: the same path")
    auth: bool = Field(default=True, description="require an API key")
    roles: list[str] = Field(default_factory=list, description="a key needs one of these roles (empty: any)")
    scopes: list[str] = Field(default_factory=list, description="a key needs every one of these scopes")
    timeout: float = Field(default=30.0, gt=0, description="seconds for the whole upstream call")
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    max_tokens: int | None = Field(default=1024, ge=1, description="cap on completion tokens (OpenAI)")
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    features: list[FeatureSpec] = Field(default_factory=list, description="tabular feature ranges")
    json_schema: dict[str, Any] | None = Field(default=None, description="JSON Schema subset for the body")
    max_rows: int = Field(default=1000, ge=1, description="rows per tabular request")
    hardening: HardeningConfig | None = None
    extraction: ExtractionConfig | None = None
    text_fields: list[str] = Field(default_factory=list, description="generic: dotted paths of input texts")
    output_text_fields: list[str] = Field(default_factory=list, description="generic: paths of output texts")
    stream_lookback: int = Field(default=256, ge=16, le=65536, description="chars re-scanned per SSE chunk")
    stream_holdback: int = Field(default=32, ge=0, le=4096, description="chars held back before relaying")
    log_text: bool = Field(default=False, description="store the (redacted) input text in the audit log")

    @field_validator("upstream")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class ApiKeyConfig(_Strict):
    """A client: an id for logs, the hash of its key (``sha256:<hex>`` or ``scrypt:...``), roles, scopes."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    hash: str = Field(pattern=r"^(sha256:[0-9a-f]{64}|scrypt:\d+:\d+:\d+:[0-9a-f]{32}:[0-9a-f]{64})$")
    roles: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    disabled: bool = False


class RateLimitsConfig(_Strict):
    """Defaults: per API key (when the route and key set none) and per client IP (always)."""

    per_key: BucketConfig | None = BucketConfig(rate=20, burst=40)
    per_ip: BucketConfig | None = BucketConfig(rate=50, burst=100)


class BackendConfig(_Strict):
    """Where buckets and quotas live: this process, or Redis shared by several guard instances."""

    kind: Literal["memory", "redis"] = "memory"
    url: str | None = Field(default=None, pattern=r"^rediss?://")
    fail_mode: FailMode = FailMode.OPEN
    timeout: float = Field(default=0.25, gt=0, description="seconds per Redis call")

    @model_validator(mode="after")
    def _redis_needs_url(self) -> BackendConfig:
        if self.kind == "redis" and not self.url:
            raise ValueError("backend kind 'redis' needs a url")
        return self


class AuditConfig(_Strict):
    """The hash-chained audit log: where, how durable, and what to do when it cannot keep up."""

    url: str = DEFAULT_AUDIT_URL
    fail_mode: FailMode = FailMode.OPEN
    queue_size: int = Field(default=10_000, ge=1)
    wait_for_commit: bool = Field(default=False, description="answer only after the record is committed")
    commit_timeout: float = Field(default=2.0, gt=0)
    batch_size: int = Field(default=256, ge=1)
    linger_ms: float = Field(default=10.0, ge=0, le=1000, description="batching delay when not waiting for commit")
    client_ip: Literal["digest", "clear", "none"] = "digest"


class AlertsConfig(_Strict):
    """A webhook POSTed (off the request path) when blocks per minute pass a threshold."""

    webhook: str | None = Field(default=None, pattern=r"^https?://")
    threshold_per_minute: int = Field(default=20, ge=1)
    cooldown_seconds: float = Field(default=300.0, ge=0)
    timeout: float = Field(default=5.0, gt=0)
    retries: int = Field(default=3, ge=0, le=10)


class ListenConfig(_Strict):
    """Socket and connection-level limits (slow clients, keep-alive, total connections)."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    body_timeout: float = Field(default=10.0, gt=0, description="seconds to receive a whole request body")
    keep_alive: float = Field(default=5.0, gt=0)
    max_connections: int = Field(default=1000, ge=1)
    upstream_connections: int = Field(default=200, ge=1)
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed (none by default)",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        parse_networks(value)  # ValueError names the bad entry
        return value


class GuardConfig(_Strict):
    """The whole ``guard.yaml``."""

    version: int = Field(default=1, ge=1, le=1)
    listen: ListenConfig = Field(default_factory=ListenConfig)
    routes: list[RouteConfig] = Field(min_length=1)
    api_keys: list[ApiKeyConfig] = Field(default_factory=list)
    rate_limits: RateLimitsConfig = Field(default_factory=RateLimitsConfig)
    backend: BackendConfig = Field(default_factory=BackendConfig)
    audit: AuditConfig = Field(default_factory=AuditConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    metrics_scope: str | None = Field(default=None, description="scope a key needs to read /metrics")
    # The pipeline's GuardPolicy sections, at the top level so that one guard.yaml serves both
    # `mlwarden guard check` and `mlwarden guard serve`; validated by GuardPolicy itself.
    detection: dict[str, Any] | None = None
    input: dict[str, Any] | None = None
    output: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _unique(self) -> GuardConfig:
        paths = [route.path for route in self.routes]
        if len(set(paths)) != len(paths):
            raise ValueError("two routes share a path")
        if {"/healthz", "/metrics"} & set(paths):
            raise ValueError("/healthz and /metrics are reserved")
        ids = [key.id for key in self.api_keys]
        if len(set(ids)) != len(ids):
            raise ValueError("two api keys share an id")
        return self


_MAX_CONFIG_BYTES = 1024 * 1024


def read_config_text(path: Path) -> str:
    """The text of a guard config file: regular, at most 1 MiB, UTF-8 (a FIFO or a device must not hang us)."""
    source = str(path)
    try:
        data = read_regular(path, max_bytes=_MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError("guard config not found", source=source, hint="check the --config path") from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read guard config: {exc.strerror or exc}",
            source=source,
            hint="give a regular file of at most 1 MiB",
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"guard config is not UTF-8 text (invalid byte at offset {exc.start})",
            source=source,
            hint="save guard.yaml as UTF-8",
        ) from None


def load_guard_config(path: Path) -> GuardConfig:
    """Read and validate ``guard.yaml``; raise ConfigError naming the key and line of the first problem."""
    return parse_guard_config(read_config_text(path), source=str(path))


def load_check_policy(path: Path | None) -> GuardPolicy:
    """The policy ``mlwarden guard check`` runs: the documented default, or ``check_policy`` of the file."""
    if path is None:
        return GuardPolicy.default()
    return check_policy(read_config_text(path), source=str(path))


def parse_guard_config(text: str, *, source: str = "guard.yaml") -> GuardConfig:
    """Validate YAML text as a GuardConfig (used by the loader and by tests)."""
    document = load_yaml(text, source=source, unique_keys=True)
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError("the guard config must be a mapping of keys", source=source, line=document.line_of(()))
    try:
        config = GuardConfig.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key_path = tuple(error["loc"])
        raise ConfigError(
            error["msg"],
            source=source,
            key=".".join(str(part) for part in key_path),
            line=document.line_of(key_path),
            hint="see docs/guard.md for every key",
        ) from None
    # Validate the pipeline's sections now, so a typo fails at start-up, not on a request.
    detection_policy(config, source=source, lines=document.line_of)
    return config


def check_policy(text: str, *, source: str = "guard.yaml") -> GuardPolicy:
    """The pipeline policy ``mlwarden guard check`` runs, from a policy-only file or a whole ``guard.yaml``.

    A file with only ``detection``/``input``/``output`` needs no routes; any other key makes it a
    service config, validated in full as ``guard serve`` would, so that a typo or a wrong value
    fails here too instead of passing silently with the defaults.
    """
    document = load_yaml(text, source=source, unique_keys=True)
    data = document.data
    if not isinstance(data, dict):
        return GuardPolicy.from_mapping(data, source=source, lines=document.line_of)
    known = set(GuardConfig.model_fields)
    for key in data:
        if key not in known:
            raise ConfigError(
                f"unknown key {key!r}; a guard config has: {', '.join(sorted(known))}",
                source=source,
                key=str(key),
                line=document.line_of((str(key),)),
                hint="see docs/guard.md for every key",
            )
    if set(data) <= {"version", *_POLICY_SECTIONS}:
        if data.get("version", 1) != 1:
            raise ConfigError("unsupported version (expected 1)", source=source, key="version",
                              line=document.line_of(("version",)))  # fmt: skip
        return GuardPolicy.from_mapping(data, source=source, lines=document.line_of)
    return detection_policy(parse_guard_config(text, source=source), source=source, lines=document.line_of)


_POLICY_SECTIONS = ("detection", "input", "output")


def detection_policy(config: GuardConfig, *, source: str = "guard.yaml", lines: Any = None) -> GuardPolicy:
    """The pipeline's GuardPolicy from the ``detection``/``input``/``output`` sections (defaults if absent)."""
    sections = {
        name: value
        for name, value in (("detection", config.detection), ("input", config.input), ("output", config.output))
        if value is not None
    }
    return GuardPolicy.from_mapping(sections, source=source, lines=lines)

"""The OSV public API (``/v1/querybatch`` then ``/v1/vulns/{id}``) with an on-disk cache and a TTL.

When the API cannot be reached the client answers from its cache, however old, and says so; packages it
has no cached answer for are counted as unchecked. It never reports "no vulnerabilities" for a package
it did not check. After a connection failure the host is not retried for a few minutes (per process),
so a scan of many files offline pays the timeout once.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from mlwarden import __version__
from mlwarden.scanners.deps.osv import Advisory, LookupResult, advisory_for

__all__ = ["DEFAULT_API", "OsvApi", "OsvUnavailable", "default_cache_dir"]

DEFAULT_API = "https://api.osv.dev"
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
_BATCH = 1000
_RETRY_STATUS = {429, 500, 502, 503, 504}
_DOWN_SECONDS = 300.0


class OsvUnavailable(Exception):
    """The API could not be reached or answered with something unusable."""


def default_cache_dir() -> Path:
    """``$MLWARDEN_CACHE_DIR/osv`` or ``$XDG_CACHE_HOME/mlwarden/osv`` or ``~/.cache/mlwarden/osv``."""
    if os.environ.get("MLWARDEN_CACHE_DIR"):
        return Path(os.environ["MLWARDEN_CACHE_DIR"]) / "osv"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mlwarden" / "osv"


@dataclass(slots=True)
class _Cached:
    ids: list[str]
    fetched: float


class OsvApi:
    """A bounded HTTP client of the OSV API with a (ecosystem, name, version)-keyed cache."""

    _down_until: ClassVar[dict[str, float]] = {}

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_API,
        cache_dir: Path | None = None,
        timeout: float = 5.0,
        retries: int = 2,
        ttl_seconds: float = 24 * 3600,
        now: Any = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.timeout = timeout
        self.retries = retries
        self.ttl = ttl_seconds
        self.now = now

    # -- HTTP -------------------------------------------------------------------------------------
    def _request(self, path: str, body: dict[str, Any] | None = None) -> Any:
        if self._down_until.get(self.base_url, 0.0) > time.monotonic():
            raise OsvUnavailable("unreachable a moment ago; not retried yet")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the URL is our configured https API
            self.base_url + path,
            data=data,
            headers={"Content-Type": "application/json", "User-Agent": f"mlwarden/{__version__}"},
            method="POST" if data is not None else "GET",
        )
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    raw = response.read(MAX_RESPONSE_BYTES + 1)
            except urllib.error.HTTPError as exc:
                if exc.code in _RETRY_STATUS and attempt < self.retries:
                    time.sleep(min(0.25 * 2**attempt, 2.0))
                    continue
                raise OsvUnavailable(f"HTTP {exc.code} from {self.base_url}") from None
            except Exception as exc:  # noqa: BLE001 - DNS, TLS, refused, timeout, sandboxed sockets alike
                self._down_until[self.base_url] = time.monotonic() + _DOWN_SECONDS
                raise OsvUnavailable(f"{type(exc).__name__}: {exc}"[:200]) from None
            if len(raw) > MAX_RESPONSE_BYTES:
                raise OsvUnavailable("response larger than the limit")
            try:
                return json.loads(raw)
            except ValueError:
                raise OsvUnavailable("response is not JSON") from None
        raise OsvUnavailable("no answer after retries")  # pragma: no cover - the loop always returns or raises

    # -- cache ------------------------------------------------------------------------------------
    def _query_path(self, name: str, version: str) -> Path:
        digest = hashlib.sha256(f"PyPI\x00{name}\x00{version}".encode()).hexdigest()
        return self.cache_dir / "queries" / f"{digest}.json"

    def _vuln_path(self, vuln_id: str) -> Path:
        return self.cache_dir / "vulns" / f"{hashlib.sha256(vuln_id.encode()).hexdigest()[:32]}.json"

    def _read_query(self, name: str, version: str) -> _Cached | None:
        try:
            data = json.loads(self._query_path(name, version).read_text(encoding="utf-8"))
            return _Cached([str(i) for i in data["ids"]], float(data["fetched"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write(self, path: Path, payload: Any) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(payload), encoding="utf-8")
            temporary.replace(path)
        except OSError:
            return  # a read-only cache only costs speed

    def _record(self, vuln_id: str) -> dict[str, Any] | None:
        path = self._vuln_path(vuln_id)
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            if self.now() - float(cached["fetched"]) < self.ttl * 7:
                return dict(cached["record"])
        except (OSError, ValueError, KeyError, TypeError):
            cached = None
        try:
            record = self._request(f"/v1/vulns/{urllib.parse.quote(vuln_id, safe='')}")
        except OsvUnavailable:
            return dict(cached["record"]) if isinstance(cached, dict) and "record" in cached else None
        if isinstance(record, dict):
            self._write(path, {"fetched": self.now(), "record": record})
            return record
        return None

    # -- lookup -----------------------------------------------------------------------------------
    def _fetch_ids(self, packages: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = {}
        for start in range(0, len(packages), _BATCH):
            chunk = packages[start : start + _BATCH]
            body = {"queries": [{"package": {"name": n, "ecosystem": "PyPI"}, "version": v} for n, v in chunk]}
            answer = self._request("/v1/querybatch", body)
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list) or len(results) != len(chunk):
                raise OsvUnavailable("querybatch answered with a different number of results")
            for pair, result in zip(chunk, results, strict=True):
                vulns = result.get("vulns") if isinstance(result, dict) else None
                found[pair] = [str(v["id"]) for v in vulns or [] if isinstance(v, dict) and "id" in v]
                self._write(self._query_path(*pair), {"fetched": self.now(), "ids": found[pair]})
        return found

    def lookup(self, packages: Sequence[tuple[str, str]]) -> LookupResult:
        """Fresh cache entries first, the API for the rest, stale cache entries when the API is down."""
        cached = {pair: self._read_query(*pair) for pair in dict.fromkeys(packages)}
        stale = [pair for pair, entry in cached.items() if entry is None or self.now() - entry.fetched >= self.ttl]
        ids = {pair: entry.ids for pair, entry in cached.items() if entry is not None}
        warning, missing = None, 0
        if stale:
            try:
                ids.update(self._fetch_ids(stale))
            except OsvUnavailable as exc:
                warning, missing = self._offline_warning(str(exc), cached, stale)
        return LookupResult(self._advisories(ids), warning, missing)

    def _offline_warning(
        self, reason: str, cached: dict[tuple[str, str], _Cached | None], stale: list[tuple[str, str]]
    ) -> tuple[str, int]:
        used = [cached[pair] for pair in stale if cached[pair] is not None]
        missing = len(stale) - len(used)
        if not used:
            return (
                f"OSV unreachable ({reason}); no vulnerability data for {missing} package(s): results incomplete",
                missing,
            )
        oldest = datetime.fromtimestamp(min(c.fetched for c in used if c is not None), UTC).strftime("%Y-%m-%d")
        text = f"OSV unreachable ({reason}); used cached results from {oldest} for {len(used)} package(s)"
        if missing:
            text += f"; no vulnerability data for {missing} package(s): results incomplete"
        return text, missing

    def _advisories(self, ids: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], tuple[Advisory, ...]]:
        out: dict[tuple[str, str], tuple[Advisory, ...]] = {}
        for (name, version), vuln_ids in ids.items():
            hits = []
            for vuln_id in vuln_ids:
                record = self._record(vuln_id)
                if record is None:
                    record = {"id": vuln_id, "summary": "details unavailable (OSV unreachable)"}
                advisory = advisory_for(record, name, version, trust_match=True)
                if advisory is not None:
                    hits.append(advisory)
            out[(name, version)] = tuple(hits)
        return out

"""API keys: looked up by hash, compared in constant time, and checked against a route's roles and scopes.

``guard.yaml`` holds only a hash of each key (PLAT-05): SHA-256 for random high-entropy keys (the
fast path, one hash per request), or scrypt for keys a human chose. A scrypt key costs a few
milliseconds to check, so a successful check is remembered under the key's SHA-256 in a small
bounded cache; a failed one is not, so a guessing client pays the scrypt cost every time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from mlwarden.guard.config import ApiKeyConfig, LimitsConfig, RouteConfig

__all__ = ["KeyRing", "Principal", "authorize", "extract_key", "hash_key", "new_key"]

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_MAX_KEY_CHARS = 512
_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller as the rest of the service sees it: never the key itself."""

    key_id: str
    roles: frozenset[str]
    scopes: frozenset[str]
    limits: LimitsConfig


def new_key() -> str:
    """A fresh random API key (256 bits), for ``mlwarden guard keygen``-style tooling and tests."""
    return "mwk_" + secrets.token_urlsafe(32)


def hash_key(key: str, *, scheme: str = "sha256", salt: bytes | None = None) -> str:
    """The string to put in ``guard.yaml`` for ``key``: ``sha256:<hex>`` or ``scrypt:N:r:p:<salt>:<hex>``."""
    raw = key.encode("utf-8")
    if scheme == "sha256":
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if scheme == "scrypt":
        salt = salt or secrets.token_bytes(16)
        digest = hashlib.scrypt(raw, salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
        return f"scrypt:{_SCRYPT_N}:{_SCRYPT_R}:{_SCRYPT_P}:{salt.hex()}:{digest.hex()}"
    raise ValueError(f"unknown key hash scheme {scheme!r}")


def _scrypt_matches(key: bytes, stored: str) -> bool:
    _, n, r, p, salt, expected = stored.split(":")
    digest = hashlib.scrypt(key, salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(digest.hex(), expected)


def extract_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The presented key from ``Authorization: Bearer …`` or ``X-API-Key``; None when absent or absurd."""
    key = None
    if authorization and authorization[:7].lower() == "bearer ":
        key = authorization[7:].strip()
    elif x_api_key:
        key = x_api_key.strip()
    if not key or len(key) > _MAX_KEY_CHARS:
        return None
    return key


class KeyRing:
    """The configured keys, indexed by hash; ``authenticate`` never stores or logs the presented key."""

    def __init__(self, keys: list[ApiKeyConfig]) -> None:
        self._by_sha: dict[str, ApiKeyConfig] = {}
        self._scrypt: list[ApiKeyConfig] = []
        for cfg in keys:
            if cfg.disabled:
                continue
            if cfg.hash.startswith("sha256:"):
                self._by_sha[cfg.hash[7:]] = cfg
            else:
                self._scrypt.append(cfg)
        self._cache: OrderedDict[str, ApiKeyConfig] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_sha) + len(self._scrypt)

    def authenticate(self, key: str) -> Principal | None:
        """The principal whose hash matches ``key``, else None."""
        raw = key.encode("utf-8", "surrogatepass")
        sha = hashlib.sha256(raw).hexdigest()
        cfg = self._lookup_sha(sha) or self._cache.get(sha) or self._lookup_scrypt(raw, sha)
        if cfg is None:
            return None
        return Principal(cfg.id, frozenset(cfg.roles), frozenset(cfg.scopes), cfg.limits)

    def _lookup_sha(self, sha: str) -> ApiKeyConfig | None:
        # NOTE: the dict lookup finds the candidate; compare_digest then confirms it without an
        # early exit, so the answer's timing does not depend on how much of the hash matched.
        cfg = self._by_sha.get(sha)
        if cfg is not None and hmac.compare_digest(cfg.hash[7:], sha):
            return cfg
        return None

    def _lookup_scrypt(self, raw: bytes, sha: str) -> ApiKeyConfig | None:
        for cfg in self._scrypt:
            if _scrypt_matches(raw, cfg.hash):
                self._cache[sha] = cfg
                if len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
                return cfg
        return None


def authorize(principal: Principal, route: RouteConfig) -> str | None:
    """None when ``principal`` may call ``route``, else why not (a short, client-safe reason)."""
    if route.roles and not principal.roles & set(route.roles):
        return "the API key has none of the roles this route needs"
    missing = set(route.scopes) - principal.scopes
    if missing:
        return "the API key lacks a scope this route needs"
    return None

"""Helpers every platform check shares: findings with lines, image references, secrets, capabilities, shells.

The same judgement applies wherever a container is described: an image tag in a Dockerfile, a Pod spec or a
compose file is pinned or not by the same test, and a secret-named variable with a literal value is a leak in
an ENV line, a Kubernetes ``env`` entry or a CI ``variables`` block alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import re2

from mlwarden.artifacts.artifact import Artifact
from mlwarden.core.findings import Finding, Severity
from mlwarden.core.rules import Rule
from mlwarden.detectors.code import find_shell_risks
from mlwarden.detectors.redact import keyed_digest, mask
from mlwarden.detectors.secrets import find_secrets
from mlwarden.scanners.structured import mask as short

__all__ = [
    "Emit",
    "Pin",
    "SecretHit",
    "capability_severity",
    "find_secret",
    "host_path_severity",
    "image_pin",
    "shell_risks",
    "tls_off",
]

_MAX_TEXT = 64 * 1024


@dataclass(frozen=True, slots=True)
class Emit:
    """Makes findings for one artifact with its scanner provenance and a line."""

    artifact: Artifact
    scanner: str
    version: int

    def __call__(  # noqa: PLR0913 - keyword-only, one per Finding field a check chooses
        self,
        rule: Rule,
        message: str,
        *,
        line: int | None,
        key: str,
        evidence: str = "",
        severity: Severity | None = None,
        confidence: float = 1.0,
    ) -> Finding:
        """A finding of ``rule`` at ``line``; ``key`` is the non-secret fact that identifies the match."""
        return rule.finding(
            location=self.artifact.location(line=line),
            message=message,
            scanner=self.scanner,
            scanner_version=self.version,
            match_key=key,
            evidence=short(evidence, 200),
            severity=severity,
            confidence=confidence,
        )


class Pin(StrEnum):
    """How firmly an image reference names its content."""

    DIGEST = "digest"
    TAG = "tag"
    LATEST = "latest"
    UNTAGGED = "untagged"
    UNKNOWN = "unknown"  # a variable or template we cannot resolve


def image_pin(reference: str) -> Pin:
    """Classify ``registry:port/name:tag@sha256:...``; a port colon is not a tag."""
    ref = reference.strip()
    if not ref or any(mark in ref for mark in ("$", "{{", "<")):
        return Pin.UNKNOWN
    if "@sha256:" in ref or ref == "scratch":
        return Pin.DIGEST
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        return Pin.UNTAGGED
    tag = last.rsplit(":", 1)[1]
    if not tag:
        return Pin.UNTAGGED
    return Pin.LATEST if tag.lower() == "latest" else Pin.TAG


# --- secrets ------------------------------------------------------------------------------------------------------
_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "secret", "token", "apikey", "credential", "credentials"})
_KEY_PREFIXES = frozenset({"api", "access", "secret", "private", "signing", "encryption", "master", "account"})
_NOT_VALUE_SUFFIXES = frozenset(
    {"file", "path", "url", "uri", "endpoint", "name", "id", "dir", "ref", "type", "length", "len", "limit", "count",
     "size", "header", "env", "var", "ttl", "expiry", "expires", "timeout", "policy", "key_id", "arn", "location"}
)  # fmt: skip
_PLACEHOLDERS = ("changeme", "change_me", "example", "placeholder", "xxxx", "****", "dummy", "redacted", "your_",
                 "your-", "<", "${", "$(", "{{", "%(", "todo", "replace")  # fmt: skip
_NOT_SECRETS = frozenset({"true", "false", "yes", "no", "none", "null", "", "required", "optional"})


@dataclass(frozen=True, slots=True)
class SecretHit:
    """A credential found in a value: what kind, how sure, and a keyed digest for the fingerprint."""

    kind: str
    confidence: float
    digest: str
    masked: str


def _words(name: str) -> list[str]:
    spaced = "".join(
        f"_{ch.lower()}" if ch.isupper() and i and name[i - 1].islower() else ch for i, ch in enumerate(name)
    )
    return [w for w in spaced.lower().replace("-", "_").replace(".", "_").split("_") if w]


def secret_named(name: str) -> bool:
    """Whether a variable name says it holds a credential: HF_TOKEN, dbPassword, API_KEY (not MAX_TOKENS)."""
    words = _words(name)
    if not words or words[-1] in _NOT_VALUE_SUFFIXES or "_".join(words[-2:]) in _NOT_VALUE_SUFFIXES:
        return False
    if any(word in _SECRET_WORDS for word in words) or words[-1] == "pass":  # DB_PASS, not PASS_THROUGH
        return True
    return any(word == "key" and index and words[index - 1] in _KEY_PREFIXES for index, word in enumerate(words))


def _literal(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _NOT_SECRETS or len(lowered) < 4 or lowered.startswith(("$", "/", "./", "@")):
        return False
    return not any(mark in lowered for mark in _PLACEHOLDERS)


def find_secret(name: str, value: Any) -> SecretHit | None:
    """A secret in ``value``: a known provider format anywhere, or any literal under a secret-looking name."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)[:_MAX_TEXT]
    for match in find_secrets(text):
        found = text[match.start : match.end]
        return SecretHit(match.subtype or "SECRET", match.confidence, keyed_digest(found), mask(found))
    if secret_named(name) and _literal(text):
        return SecretHit("literal value of a secret-named variable", 0.6, keyed_digest(text), mask(text))
    return None


# --- capabilities and host paths ----------------------------------------------------------------------------------
_ROOT_CAPS = frozenset({"ALL", "SYS_ADMIN"})
_DANGEROUS_CAPS = frozenset(
    {"NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "DAC_READ_SEARCH", "DAC_OVERRIDE", "BPF", "SYS_BOOT",
     "PERFMON", "SYS_CHROOT", "SETUID", "SETGID", "MKNOD", "SYS_TIME", "NET_RAW", "LINUX_IMMUTABLE", "MAC_ADMIN"}
)  # fmt: skip
_HOST_CRITICAL = frozenset(
    {"/", "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
     "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock", "/var/run", "/run",
     "/var/lib/kubelet", "/etc", "/root", "/proc", "/var/lib/docker", "/boot", "/dev", "/sys", "/etc/kubernetes"}
)  # fmt: skip


def capability_severity(cap: str) -> Severity:
    """Critical for root-equivalent capabilities, high for the dangerous ones, low for NET_BIND_SERVICE."""
    name = cap.upper().removeprefix("CAP_")
    if name in _ROOT_CAPS:
        return Severity.CRITICAL
    if name in _DANGEROUS_CAPS:
        return Severity.HIGH
    return Severity.LOW if name == "NET_BIND_SERVICE" else Severity.MEDIUM


def host_path_severity(path: str) -> Severity:
    """Critical for the host root, runtime sockets and system directories; high for any other host path."""
    clean = "/" + path.strip().strip("/")
    return Severity.CRITICAL if clean in _HOST_CRITICAL or clean.endswith(".sock") else Severity.HIGH


# --- shell text ---------------------------------------------------------------------------------------------------
_TLS_OFF = (
    (r"\bcurl\b[^\n;&|]*\s(?:--insecure|-[A-Za-z]*k[A-Za-z]*)(?:\s|$)", "curl without certificate checks"),
    (r"\bwget\b[^\n;&|]*--no-check-certificate", "wget --no-check-certificate"),
    (r"--allow-unauthenticated|--force-yes", "apt-get without signature checks"),
    (r"\bapk\b[^\n;&|]*--allow-untrusted", "apk --allow-untrusted"),
    (r"--nogpgcheck|\brpm\b[^\n;&|]*--(?:nosignature|nodigest|nofiledigest|noverify)", "package signature checks off"),
    (r"(?i)sslverify\s*=\s*(?:0|false|no)\b|http\.sslverify\s+(?:false|0)", "SSL verification disabled"),
    (r"(?i)strict-ssl\s+false|npm_config_strict_ssl\s*=\s*[\"']?false", "npm strict-ssl false"),
    (r"\bPYTHONHTTPSVERIFY\s*=\s*[\"']?0", "PYTHONHTTPSVERIFY=0"),
    (r"\bNODE_TLS_REJECT_UNAUTHORIZED\s*=\s*[\"']?0", "NODE_TLS_REJECT_UNAUTHORIZED=0"),
    (r"\bGIT_SSL_NO_VERIFY\s*=", "GIT_SSL_NO_VERIFY"),
    (r"\bPIP_TRUSTED_HOST\s*=|--trusted-host", "pip trusted host"),
)


@lru_cache(maxsize=1)
def _tls_patterns() -> list[tuple[Any, str]]:
    options = re2.Options()
    options.max_mem = 16 << 20
    return [(re2.compile(pattern, options), label) for pattern, label in _TLS_OFF]


def tls_off(text: str) -> Iterator[str]:
    """Labels of the integrity or TLS checks that ``text`` switches off."""
    sample = text[:_MAX_TEXT]
    for regex, label in _tls_patterns():
        if regex.search(sample):
            yield label


def shell_risks(text: str) -> Iterator[tuple[str, str]]:
    """(kind, description) for piped downloads and unpinned pip installs in a shell script."""
    for risk in find_shell_risks(text[:_MAX_TEXT]):
        if risk.key in ("pipe-to-shell", "pip-unpinned"):
            yield risk.key, risk.name

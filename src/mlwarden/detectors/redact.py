"""Masking and keyed digests, so evidence and fingerprints never carry a secret in clear."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["keyed_digest", "mask"]

# NOTE: a per-installation key would make digests unlinkable across installations, but would also
# make fingerprints (and so suppressions committed to a repository) differ between machines. The
# digest only feeds the fingerprint of high-entropy secrets; low-entropy PII never reaches it.
_DEFAULT_KEY = b"mlwarden/fingerprint/v1"


def mask(value: str, *, keep: int = 4) -> str:
    """Show a few leading characters and the length: ``AKIA…(32 chars)``.

    At most one character in eight is shown, so a short password keeps almost all of its secrecy.
    """
    keep = min(keep, len(value) // 8)
    if keep == 0:
        return f"{'*' * min(len(value), 8)}({len(value)} chars)"
    return f"{value[:keep]}…({len(value)} chars)"


def keyed_digest(value: str, *, key: bytes = _DEFAULT_KEY) -> str:
    """An HMAC-SHA256 of ``value``, truncated: stable identity without revealing the value."""
    return hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]

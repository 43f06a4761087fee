"""Which advisory source a scan uses, from policy options and environment variables.

``scanners.options.dependencies`` in ``mlwarden.yaml``: ``osv: online|offline|off``, ``osv_db: PATH``,
``osv_url``, ``osv_timeout``, ``osv_cache_dir``, ``osv_ttl_hours``. Environment variables win over the
default but not over the policy: ``MLWARDEN_OSV`` (mode) and ``MLWARDEN_OSV_DB`` (an OSV export).
With an export configured the default mode is offline; otherwise online with a short timeout.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlwarden.scanners.deps.osv import LookupResult, OsvDirectory, VulnSource
from mlwarden.scanners.deps.osv_api import DEFAULT_API, OsvApi

__all__ = ["MODES", "NoData", "vuln_source"]

MODES = ("online", "offline", "off")
_SAFE_URL = re.compile(r"^(?:https://|http://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))")


@dataclass(frozen=True, slots=True)
class NoData:
    """A source that answers nothing and says why (offline without a database, a bad option)."""

    reason: str

    def lookup(self, packages: Sequence[tuple[str, str]]) -> LookupResult:
        """No advisories, with the reason as the warning."""
        return LookupResult({}, self.reason, len(packages))


def _mode(options: Any, db: str | None) -> str:
    mode = str(options.get("osv") or os.environ.get("MLWARDEN_OSV") or ("offline" if db else "online")).lower()
    return mode if mode in MODES else "invalid:" + mode


def vuln_source(options: Any) -> VulnSource | None:
    """The configured source, or None when vulnerability checks are off."""
    db = options.get("osv_db") or os.environ.get("MLWARDEN_OSV_DB") or None
    mode = _mode(options, db)
    if mode == "off":
        return None
    if mode.startswith("invalid:"):
        return NoData(f"unknown osv mode {mode[8:]!r} (expected online, offline or off): no vulnerability data")
    if mode == "offline":
        if not db:
            return NoData("offline mode without an OSV database (set osv_db or MLWARDEN_OSV_DB): no vulnerability data")
        path = Path(str(db)).expanduser()
        if not path.exists():
            return NoData(f"OSV database {path} does not exist: no vulnerability data")
        return OsvDirectory(path)
    url = str(options.get("osv_url") or DEFAULT_API)
    if not _SAFE_URL.match(url):
        return NoData(f"osv_url {url!r} is neither https nor loopback: no vulnerability data")
    cache = options.get("osv_cache_dir")
    return OsvApi(
        base_url=url,
        cache_dir=Path(str(cache)).expanduser() if cache else None,
        timeout=float(options.get("osv_timeout", 5.0)),
        ttl_seconds=float(options.get("osv_ttl_hours", 24.0)) * 3600,
    )

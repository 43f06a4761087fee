"""Scan-then-sign: scan an artifact, refuse to sign it if the gate fails, else summarise the scan.

The summary is small and factual (tool version, fail level, counts by severity, rule ids that fired,
artifact count, when) and is signed inside the same statement as the manifest, so a verifier learns
"these exact bytes were scanned by mlwarden X and passed at level Y" from one signature.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from mlwarden.core.errors import SigningError
from mlwarden.core.findings import ScanResult, Severity
from mlwarden.core.policy import Outcome, gate

__all__ = ["ScanRefusedError", "scan_attestation", "summarise_scan"]


class ScanRefusedError(SigningError):
    """Signing was refused because the scan found something at or above the fail level."""

    def __init__(self, result: ScanResult, outcome: Outcome) -> None:
        super().__init__(
            f"refusing to sign: {outcome.reason}",
            hint="run 'mlwarden scan' on the artifact, fix or suppress the findings, then sign again",
        )
        self.result = result
        self.outcome = outcome


def summarise_scan(result: ScanResult, *, fail_on: Severity) -> dict[str, Any]:
    """The attestation body: what was scanned, by which version, and what it found."""
    rules = Counter(finding.rule_id for finding in result.findings)
    return {
        "tool": {"name": "mlwarden", "version": result.tool_version},
        "scanned_at": result.finished.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "fail_on": fail_on.label,
        "passed": all(finding.severity < fail_on for finding in result.findings),
        "artifacts": len(result.artifacts),
        "by_severity": {severity.label: count for severity, count in result.count_by_severity().items()},
        "rules": dict(sorted(rules.items())),
        "suppressed": len(result.suppressed),
        "errors": len(result.errors),
    }


def scan_attestation(path: Path, *, fail_on: Severity) -> dict[str, Any]:
    """Scan ``path`` with its policy; raise ``ScanRefusedError`` when the gate fails, else the summary."""
    from mlwarden.api import scan

    result = scan([path])
    outcome = gate(result, fail_on=fail_on)
    if outcome.exit_code != 0:
        raise ScanRefusedError(result, outcome)
    return summarise_scan(result, fail_on=fail_on)

"""Apply a policy to a scan result: suppress what was accepted, then decide the exit code.

Filtering, counting and the exit decision live here rather than in the CLI, so library users get
the same answer as ``mlwarden scan``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, replace

from mlwarden.core.config import Policy, Suppression
from mlwarden.core.findings import Finding, ScanErrorKind, ScanResult, Severity, SuppressedFinding

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "Outcome", "apply_suppressions", "gate"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Outcome:
    """The gate's verdict: the exit code and how many findings were at or above the fail level."""

    exit_code: int
    failing: int
    fail_on: Severity
    reason: str


def _matches(suppression: Suppression, finding: Finding) -> bool:
    if not fnmatch.fnmatchcase(finding.rule_id, suppression.rule):
        return False
    if suppression.fingerprint and suppression.fingerprint != finding.fingerprint:
        return False
    paths = [finding.location.path]
    if finding.location.member:
        paths.append(f"{finding.location.path}!/{finding.location.member}")
    return any(_path_matches(suppression.path, path) for path in paths)


def _path_matches(pattern: str, path: str) -> bool:
    """Glob match where ``**`` spans directories and a leading ``./`` is ignored."""
    path = path.removeprefix("./")
    pattern = pattern.removeprefix("./")
    if pattern in {"**", "*"}:
        return True
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, f"*/{pattern}")


def apply_suppressions(result: ScanResult, policy: Policy, *, today: dt.date | None = None) -> ScanResult:
    """Move suppressed findings aside; expired suppressions stop applying and say so in ``notices``."""
    today = today or dt.datetime.now(dt.UTC).date()
    active = [s for s in policy.suppressions if s.expires is None or s.expires >= today]
    notices = [
        f"suppression of {s.rule} on '{s.path}' expired on {s.expires.isoformat()} and no longer applies"
        for s in policy.suppressions
        if s.expires is not None and s.expires < today
    ]
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = list(result.suppressed)
    for finding in result.findings:
        match = next((s for s in active if _matches(s, finding)), None)
        if match is None:
            kept.append(finding)
        else:
            expires = match.expires.isoformat() if match.expires else None
            suppressed.append(SuppressedFinding(finding=finding, reason=match.reason, expires=expires))
    return replace(
        result,
        findings=tuple(kept),
        suppressed=tuple(suppressed),
        notices=(*result.notices, *notices),
    )


def gate(result: ScanResult, *, fail_on: Severity, min_confidence: float = 0.0) -> Outcome:
    """Exit 2 when a target could not be read at all, 1 when a finding reaches ``fail_on``, else 0."""
    unreadable = {e.path for e in result.errors if e.kind in {ScanErrorKind.UNREADABLE, ScanErrorKind.NOT_FOUND}}
    if unreadable & set(result.targets):
        return Outcome(EXIT_USAGE, 0, fail_on, "a target could not be read")
    failing = sum(1 for f in result.findings if f.severity >= fail_on and f.confidence >= min_confidence)
    if failing:
        return Outcome(EXIT_FINDINGS, failing, fail_on, f"{failing} finding(s) at or above {fail_on.label}")
    return Outcome(EXIT_OK, 0, fail_on, f"no finding at or above {fail_on.label}")

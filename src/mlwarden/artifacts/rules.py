"""Rules for findings about containers themselves: bombs, traversal, truncation, exhausted limits."""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = ["ARTIFACT_RULES", "LIMIT_EXCEEDED"]

LIMIT_EXCEEDED = Rule(
    id="MW-LIMIT-001",
    title="Artifact exceeds a resource limit",
    severity=Severity.HIGH,
    risk_ids=("SERVE-07", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "Reading the artifact hit a size, depth, member-count, decompression-ratio or time limit. "
        "Legitimate models rarely do; hostile files do so on purpose to exhaust the tools that load them."
    ),
    remediation="Do not load the artifact. If it is trusted, raise the named limit in mlwarden.yaml and rescan.",
    cwe="CWE-400",
)

ARTIFACT_RULES: tuple[Rule, ...] = (LIMIT_EXCEEDED,)

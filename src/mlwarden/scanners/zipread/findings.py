"""The finding both zip-based scanners (PyTorch, NumPy ``.npz``) make when one member hits a limit."""

from __future__ import annotations

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.rules import LIMIT_EXCEEDED
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Location

__all__ = ["member_limit_finding"]


def member_limit_finding(
    artifact: Artifact, member: str, exc: BudgetExceeded, *, scanner: str, version: int
) -> Finding:
    """MW-LIMIT-001 at ``outer!/member``: this member stopped, the archive's other members are still scanned."""
    outer = artifact.member
    return LIMIT_EXCEEDED.finding(
        location=Location(path=artifact.path, member=f"{outer}!/{member}" if outer else member),
        message=f"stopped reading member {member}: {exc.message}",
        scanner=scanner,
        scanner_version=version,
        match_key=f"{scanner}:{exc.resource}:{member}",
        evidence=f"{exc.resource}: {exc.actual} > {exc.limit}",
    )

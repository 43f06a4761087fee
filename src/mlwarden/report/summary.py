"""Counting and ordering shared by every reporter, so all formats agree on the numbers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from mlwarden.core.findings import Finding, ScanResult, Severity, Stage

__all__ = [
    "SEVERITIES_DESC",
    "by_stage_and_severity",
    "count_by_stage",
    "display_order",
    "iso_utc",
    "severity_summary",
]

SEVERITIES_DESC: tuple[Severity, ...] = tuple(sorted(Severity, reverse=True))


def count_by_stage(findings: Iterable[Finding]) -> dict[Stage, int]:
    """Findings per stage, every stage present (zero included) in declaration order."""
    counts = {stage: 0 for stage in Stage}
    for finding in findings:
        counts[finding.stage] += 1
    return counts


def by_stage_and_severity(findings: Iterable[Finding]) -> dict[Stage, dict[Severity, int]]:
    """A full stage x severity matrix of counts (worst severity first in each row)."""
    matrix = {stage: {severity: 0 for severity in SEVERITIES_DESC} for stage in Stage}
    for finding in findings:
        matrix[finding.stage][finding.severity] += 1
    return matrix


def _order_key(finding: Finding) -> tuple[int, str, str, int, int, str, str]:
    loc = finding.location
    return (
        -finding.severity,
        loc.path,
        loc.member or "",
        loc.line if loc.line is not None else -1,
        loc.offset if loc.offset is not None else -1,
        finding.rule_id,
        finding.fingerprint,
    )


def display_order(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first, then by place: the order people read in (machine formats keep scan order)."""
    return sorted(findings, key=_order_key)


def severity_summary(result: ScanResult) -> str:
    """``3 critical, 1 high`` (non-zero severities, worst first) or ``no findings``."""
    counts = result.count_by_severity()
    parts = [f"{counts[s]} {s.label}" for s in SEVERITIES_DESC if counts[s]]
    return ", ".join(parts) if parts else "no findings"


def iso_utc(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")

"""Builders of scan results for the store tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mlwarden.core.findings import (
    ArtifactRecord,
    Finding,
    Location,
    ScanResult,
    ScannerRun,
    Severity,
    Stage,
    SuppressedFinding,
)

SHA = "ab" * 32


def make_finding(rule: str = "MW-TEST-001", path: str = "model.pkl", key: str = "os.system") -> Finding:
    """A finding with only what the store reads set."""
    return Finding(
        rule_id=rule,
        risk_id="MODEL-07",
        stage=Stage.MODEL,
        severity=Severity.HIGH,
        title="test finding",
        message=f"matched {key}",
        location=Location(path=path, line=3),
        evidence="os.system",
        scanner="test",
        match_key=key,
    )


def make_result(
    root: Path,
    findings: tuple[Finding, ...] = (),
    *,
    artifacts: tuple[ArtifactRecord, ...] | None = None,
    suppressed: tuple[SuppressedFinding, ...] = (),
) -> ScanResult:
    """A scan result over ``root`` with one artifact (``model.pkl``) and the given findings."""
    now = datetime.now(UTC)
    default = (ArtifactRecord(path=str(root / "model.pkl"), format="pickle", size=10, sha256=SHA),)
    return ScanResult(
        targets=(str(root),),
        tool_version="0.0.test",
        started=now,
        finished=now,
        artifacts=default if artifacts is None else artifacts,
        findings=findings,
        suppressed=suppressed,
        scanners_run=(ScannerRun(name="test", version=1),),
    )

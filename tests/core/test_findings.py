"""The Finding contract: ordering, validation and a fingerprint that must never change."""

from __future__ import annotations

import pytest

from mlwarden.core.findings import Finding, Location, ScanResult, Severity, Stage


def _finding(**overrides: object) -> Finding:
    values: dict[str, object] = {
        "rule_id": "MW-PICKLE-001",
        "risk_id": "MODEL-07",
        "stage": Stage.MODEL,
        "severity": Severity.CRITICAL,
        "title": "Dangerous callable",
        "message": "os.system is called",
        "location": Location(path="models/a.pkl", member="archive/data.pkl", offset=12),
        "match_key": "os.system",
    }
    values.update(overrides)
    return Finding(**values)  # type: ignore[arg-type]


def test_severity_order_and_parsing() -> None:
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM > Severity.LOW > Severity.INFO
    assert Severity.parse(" High ") is Severity.HIGH
    assert Severity.HIGH.label == "high"
    with pytest.raises(ValueError, match="expected one of"):
        Severity.parse("severe")


def test_fingerprint_snapshot_is_stable_across_releases() -> None:
    # NOTE: if this value changes, every user's suppressions and "new since last scan" diffs break.
    assert _finding().fingerprint == "fb0bd1c27863d8c753d75cfcc7b6110a"


def test_fingerprint_ignores_position_but_not_identity() -> None:
    base = _finding()
    moved = _finding(location=Location(path="models/a.pkl", member="archive/data.pkl", offset=999, line=4))
    assert moved.fingerprint == base.fingerprint
    assert _finding(match_key="posix.system").fingerprint != base.fingerprint
    assert _finding(location=Location(path="models/b.pkl", member="archive/data.pkl")).fingerprint != base.fingerprint
    assert _finding(location=Location(path="models/a.pkl")).fingerprint != base.fingerprint


def test_confidence_is_validated_and_findings_are_frozen() -> None:
    with pytest.raises(ValueError, match="confidence"):
        _finding(confidence=1.5)
    finding = _finding()
    with pytest.raises(AttributeError):
        finding.severity = Severity.LOW  # type: ignore[misc]


def test_location_display() -> None:
    assert Location(path="a.tar", member="b.zip!/c.pkl", offset=7).display() == "a.tar!/b.zip!/c.pkl@7"
    assert Location(path="n.ipynb", cell=3, line=2).display() == "n.ipynb[cell 3]:2"


def test_result_counts_and_max_severity() -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    empty = ScanResult(targets=("x",), tool_version="0", started=now, finished=now)
    assert empty.max_severity() is None
    assert set(empty.count_by_severity().values()) == {0}
    result = ScanResult(
        targets=("x",),
        tool_version="0",
        started=now,
        finished=now,
        findings=(_finding(), _finding(severity=Severity.LOW, match_key="k")),
    )
    assert result.max_severity() is Severity.CRITICAL
    assert result.count_by_severity()[Severity.LOW] == 1

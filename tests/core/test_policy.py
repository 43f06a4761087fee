"""Policy file validation (with lines), suppressions with expiry, and the exit-code gate."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlwarden.core.config import Policy, Suppression, load_policy
from mlwarden.core.errors import PolicyError
from mlwarden.core.findings import (
    Finding,
    Location,
    ScanError,
    ScanErrorKind,
    ScanResult,
    Severity,
    Stage,
)
from mlwarden.core.policy import apply_suppressions, gate


def _finding(rule: str, path: str, severity: Severity = Severity.HIGH, member: str | None = None) -> Finding:
    return Finding(
        rule_id=rule,
        risk_id="MODEL-07",
        stage=Stage.MODEL,
        severity=severity,
        title="t",
        message="m",
        location=Location(path=path, member=member),
        match_key=f"{rule}:{path}",
    )


def _result(*findings: Finding, errors: tuple[ScanError, ...] = ()) -> ScanResult:
    now = datetime.now(UTC)
    return ScanResult(targets=("proj",), tool_version="0", started=now, finished=now, findings=findings, errors=errors)


def test_valid_policy_loads(tmp_path: Path) -> None:
    path = tmp_path / "mlwarden.yaml"
    path.write_text(
        "fail_on: medium\nsuppressions:\n  - rule: MW-SECRET-*\n    path: 'tests/**'\n"
        "    reason: fixtures only\n    expires: 2030-01-01\nscanners:\n  disabled: [pickle]\n",
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.fail_on is Severity.MEDIUM
    assert policy.suppressions[0].expires == dt.date(2030, 1, 1)
    assert policy.scanners.disabled == ["pickle"]


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("fail_on: high\nsuppressions:\n  - rule: MW-X-001\n    path: a\n", "suppressions.0.reason", 3),
        ("fail_on: severe\n", "fail_on", 1),
        ("version: 1\nunknown_key: 3\n", "unknown_key", 2),
        ("limits:\n  max_file_bytes: -5\n", "limits.max_file_bytes", 2),
    ],
)
def test_invalid_policy_names_key_and_line(tmp_path: Path, text: str, key: str, line: int) -> None:
    path = tmp_path / "mlwarden.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.key == key
    assert caught.value.line == line
    assert f":{line}" in caught.value.message


def test_yaml_syntax_error_and_non_mapping(tmp_path: Path) -> None:
    path = tmp_path / "mlwarden.yaml"
    path.write_text("fail_on: [high\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="invalid YAML"):
        load_policy(path)
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="mapping"):
        load_policy(path)
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "missing.yaml")


def test_suppression_by_rule_glob_and_path_glob() -> None:
    policy = Policy(suppressions=[Suppression(rule="MW-SECRET-*", path="tests/**", reason="fixtures")])
    kept = _finding("MW-SECRET-001", "src/app.yaml")
    silenced = _finding("MW-SECRET-004", "tests/data/x.env")
    other_rule = _finding("MW-PICKLE-001", "tests/data/x.pkl")
    result = apply_suppressions(_result(kept, silenced, other_rule), policy)
    assert result.findings == (kept, other_rule)
    assert [s.finding for s in result.suppressed] == [silenced]
    assert result.suppressed[0].reason == "fixtures"


def test_suppression_matches_archive_members() -> None:
    policy = Policy(suppressions=[Suppression(rule="MW-PICKLE-002", path="*.tar!/legacy/*", reason="reviewed")])
    inside = _finding("MW-PICKLE-002", "bundle.tar", member="legacy/old.pkl")
    result = apply_suppressions(_result(inside), policy)
    assert result.findings == ()


def test_expired_suppression_stops_suppressing_and_says_so() -> None:
    policy = Policy(suppressions=[Suppression(rule="MW-PICKLE-001", reason="temporary", expires=dt.date(2026, 1, 1))])
    finding = _finding("MW-PICKLE-001", "a.pkl")
    result = apply_suppressions(_result(finding), policy, today=dt.date(2026, 6, 1))
    assert result.findings == (finding,)
    assert any("expired on 2026-01-01" in notice for notice in result.notices)
    still_valid = apply_suppressions(_result(finding), policy, today=dt.date(2025, 12, 31))
    assert still_valid.findings == ()


def test_gate_exit_codes() -> None:
    assert gate(_result(), fail_on=Severity.HIGH).exit_code == 0
    assert gate(_result(_finding("MW-A-001", "a", Severity.MEDIUM)), fail_on=Severity.HIGH).exit_code == 0
    assert gate(_result(_finding("MW-A-001", "a", Severity.MEDIUM)), fail_on=Severity.MEDIUM).exit_code == 1
    outcome = gate(_result(_finding("MW-A-001", "a", Severity.CRITICAL)), fail_on=Severity.HIGH)
    assert (outcome.exit_code, outcome.failing) == (1, 1)
    unreadable = ScanError(path="proj", kind=ScanErrorKind.UNREADABLE, message="denied")
    assert gate(_result(errors=(unreadable,)), fail_on=Severity.HIGH).exit_code == 2

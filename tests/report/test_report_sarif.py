"""SARIF 2.1.0: valid against the vendored official schema, with our documented conventions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator
from referencing import Registry

from mlwarden.core.findings import Location, ScanResult, Severity
from mlwarden.core.rules import RuleSet
from mlwarden.report import Format, ReportOptions, render
from mlwarden.report.sarif import FINGERPRINT_KEY, artifact_uri

_URI_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%")


def _offline(uri: str) -> Any:
    raise AssertionError(f"schema validation tried to fetch {uri}")


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, registry=Registry(retrieve=_offline))  # type: ignore[call-arg]


def _log(result: ScanResult, rules: RuleSet) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(result, rules, Format.SARIF, ReportOptions()))
    return data


def _results_by_rule(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


def test_fixture_log_is_schema_valid(result: ScanResult, rules: RuleSet, validator: Draft4Validator) -> None:
    validator.validate(_log(result, rules))


def test_empty_log_is_schema_valid(empty: ScanResult, validator: Draft4Validator) -> None:
    log = _log(empty, RuleSet())
    validator.validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_driver_and_rules(result: ScanResult, rules: RuleSet) -> None:
    driver = _log(result, rules)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mlwarden"
    assert driver["version"] == "9.9.9"
    assert driver["informationUri"].startswith("https://")
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(ids)
    assert "MW-SECRET-005" in ids  # used by the suppressed finding only
    assert "ACME-PLUGIN-7" in ids  # unknown to the RuleSet: a stand-in descriptor
    pickle = driver["rules"][ids.index("MW-PICKLE-001")]
    assert pickle["name"] == "PickleImportsACallableThatCanRunCode"
    assert pickle["defaultConfiguration"] == {"level": "error"}
    assert pickle["properties"]["security-severity"] == "9.5"
    assert pickle["properties"]["risk_ids"] == ["MODEL-07", "PLAT-02"]
    assert pickle["properties"]["tags"] == ["security", "MODEL-07", "PLAT-02", "external/cwe/cwe-502"]
    assert "Remediation" in pickle["help"]["markdown"]


def test_rule_index_points_at_the_rule(result: ScanResult, rules: RuleSet) -> None:
    run = _log(result, rules)["runs"][0]
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


@pytest.mark.parametrize(
    ("severity", "level", "score"),
    [
        (Severity.CRITICAL, "error", "9.5"),
        (Severity.HIGH, "error", "8.0"),
        (Severity.MEDIUM, "warning", "5.5"),
        (Severity.LOW, "note", "3.0"),
        (Severity.INFO, "note", "0.0"),
    ],
)
def test_levels(severity: Severity, level: str, score: str, rules: RuleSet) -> None:
    rule = rules.get("MW-PICKLE-001")
    assert rule is not None
    finding = rule.finding(
        location=Location(path="a"), message="m", scanner="s", scanner_version=1, match_key="k", severity=severity
    )
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    scan = ScanResult(targets=("a",), tool_version="1", started=moment, finished=moment, findings=(finding,))
    run = _log(scan, RuleSet([replace(rule, severity=severity)]))["runs"][0]
    assert run["results"][0]["level"] == level
    assert run["tool"]["driver"]["rules"][0]["properties"]["security-severity"] == score


def test_archive_member_convention(result: ScanResult, rules: RuleSet) -> None:
    res = _results_by_rule(_log(result, rules))["MW-ARCHIVE-002"]
    location = res["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "bundle/weights.zip", "uriBaseId": "%SRCROOT%"}
    assert "region" not in location["physicalLocation"]  # the offset is inside the member
    assert location["logicalLocations"] == [
        {
            "kind": "member",
            "name": "../../etc/cron.d/x",
            "fullyQualifiedName": "bundle/weights.zip!/inner.tar!/../../etc/cron.d/x",
        }
    ]
    assert res["properties"]["member"] == "inner.tar!/../../etc/cron.d/x"
    assert res["properties"]["region"] == {"byteOffset": 12}


def test_regions(result: ScanResult, rules: RuleSet) -> None:
    by_rule = _results_by_rule(_log(result, rules))
    assert by_rule["MW-PII-003"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5}
    assert by_rule["MW-PICKLE-001"]["locations"][0]["physicalLocation"]["region"] == {"byteOffset": 57}
    notebook = by_rule["MW-NB-004"]
    assert "region" not in notebook["locations"][0]["physicalLocation"]
    assert notebook["properties"]["cell"] == 2
    assert notebook["properties"]["region"] == {"startLine": 4}


def test_hostile_uris_are_percent_encoded(result: ScanResult, rules: RuleSet) -> None:
    by_rule = _results_by_rule(_log(result, rules))
    uri = by_rule["MW-NB-004"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "upload%20dir/a%20%231%20100%25%3Fx%3D1%7C%60%5Bx%5D%28y%29%60%1B%5B2K%FF.bin"
    russian = by_rule["MW-PII-003"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert unquote_to_bytes(russian).decode("utf-8") == "данные/клиенты.csv"
    script = by_rule["MW-SERVE-006"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert script == "%3Cscript%3Ealert%281%29%3C/script%3E"


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1))
def test_any_path_gives_a_safe_reversible_uri(path: str) -> None:
    uri, base = artifact_uri(path)
    body = uri.removeprefix("file://") if base is None else uri
    assert set(body.encode("ascii")) <= _URI_SAFE
    assert unquote_to_bytes(body) == path.encode("utf-8", "surrogateescape")
    assert (base is None) == path.startswith("/")


def test_fingerprints_and_suppressions(result: ScanResult, rules: RuleSet) -> None:
    by_rule = _results_by_rule(_log(result, rules))
    assert by_rule["MW-PICKLE-001"]["partialFingerprints"] == {FINGERPRINT_KEY: result.findings[0].fingerprint}
    assert "suppressions" not in by_rule["MW-PICKLE-001"]
    suppressed = by_rule["MW-SECRET-005"]
    assert suppressed["suppressions"] == [
        {"kind": "external", "justification": "Test key, rotated | `ok`", "properties": {"expires": "2030-01-01"}}
    ]


def test_errors_are_notifications(result: ScanResult, rules: RuleSet) -> None:
    invocation = _log(result, rules)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["startTimeUtc"] == "2025-01-02T03:04:05Z"
    notes = invocation["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    assert [e["descriptor"]["id"] for e in errors] == ["missing-extra", "unreadable"]
    assert "pip install 'mlwarden[onnx]'" in errors[0]["message"]["text"]
    assert errors[1]["properties"]["member"] == "a.txt"
    assert [n["message"]["text"] for n in notes if n["level"] == "note"] == ["Nested archives were read to depth 3"]


def test_golden(result: ScanResult, rules: RuleSet, golden: Any, validator: Draft4Validator) -> None:
    data = render(result, rules, Format.SARIF, ReportOptions())
    golden("report.sarif", data)
    validator.validate(json.loads(data))

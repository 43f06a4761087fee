"""The JSON report: schema-valid, ordered, lossless for Russian text, stable."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry

from mlwarden.core.findings import Location, ScanResult, Severity, Stage
from mlwarden.core.rules import RuleSet
from mlwarden.report import Format, ReportOptions, render
from mlwarden.report.json_report import to_document


def _offline(uri: str) -> Any:
    raise AssertionError(f"schema validation tried to fetch {uri}")


def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=Registry(retrieve=_offline))  # type: ignore[call-arg]


def _load(result: ScanResult, rules: RuleSet) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(result, rules, Format.JSON, ReportOptions()).decode("utf-8"))
    return data


def test_fixture_report_is_schema_valid(result: ScanResult, rules: RuleSet, report_schema_path: Path) -> None:
    _validator(report_schema_path).validate(_load(result, rules))


def test_empty_report_is_schema_valid(empty: ScanResult, report_schema_path: Path) -> None:
    doc = _load(empty, RuleSet())
    _validator(report_schema_path).validate(doc)
    assert doc["summary"]["max_severity"] is None
    assert doc["findings"] == []


def test_schema_rejects_a_broken_report(result: ScanResult, rules: RuleSet, report_schema_path: Path) -> None:
    doc = _load(result, rules)
    doc["findings"][0]["severity"] = "CRITICAL"
    assert not _validator(report_schema_path).is_valid(doc)


def test_top_level_key_order_is_fixed(result: ScanResult, rules: RuleSet) -> None:
    assert list(_load(result, rules)) == [
        "version", "tool", "target", "targets", "started", "finished", "summary", "scanners",
        "artifacts", "findings", "suppressed", "errors", "notices",
    ]  # fmt: skip


def test_summary_counts(result: ScanResult, rules: RuleSet) -> None:
    summary = _load(result, rules)["summary"]
    assert summary["by_severity"] == {"critical": 1, "high": 1, "medium": 1, "low": 2, "info": 1}
    assert summary["by_stage"] == {"design": 1, "data": 1, "model": 2, "serving": 1, "platform": 1}
    assert (summary["findings"], summary["suppressed"], summary["errors"], summary["artifacts"]) == (6, 1, 2, 4)
    assert summary["max_severity"] == "critical"


def test_finding_fields(result: ScanResult, rules: RuleSet) -> None:
    doc = _load(result, rules)
    first = doc["findings"][0]
    finding = result.findings[0]
    assert first["severity"] == "critical"
    assert first["stage"] == "model"
    assert first["location"] == {
        "path": "models/model.pkl", "member": None, "line": None, "column": None, "offset": 57, "cell": None
    }  # fmt: skip
    assert first["fingerprint"] == finding.fingerprint
    assert "match_key" not in first  # the core promises it is never shown
    assert doc["suppressed"][0]["reason"].startswith("Test key")
    assert doc["suppressed"][0]["expires"] == "2030-01-01"
    assert doc["errors"][0]["kind"] == "missing-extra"


def test_russian_text_is_kept_verbatim(result: ScanResult, rules: RuleSet) -> None:
    raw = render(result, rules, Format.JSON, ReportOptions())
    assert "Найден номер паспорта РФ в столбце «паспорт»".encode() in raw
    assert b"\\u04" not in raw  # not \u-escaped


def test_undecodable_file_name_bytes_stay_valid_utf8(result: ScanResult, rules: RuleSet) -> None:
    raw = render(result, rules, Format.JSON, ReportOptions())
    raw.decode("utf-8", "strict")
    paths = [f["location"]["path"] for f in json.loads(raw)["findings"]]
    assert any(path.endswith("\\xff.bin") for path in paths)


def test_times_are_utc_with_z(rules: RuleSet) -> None:
    naive = datetime(2025, 1, 2, 3, 4, 5)
    result = ScanResult(targets=("t",), tool_version="1", started=naive, finished=naive.replace(tzinfo=UTC))
    doc = to_document(result)
    assert doc["started"] == doc["finished"] == "2025-01-02T03:04:05Z"


def test_member_and_every_severity_round_trip(rules: RuleSet) -> None:
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    findings = tuple(
        rule.finding(
            location=Location(path="a.zip", member=f"m{n}.pkl"),
            message="m",
            scanner="s",
            scanner_version=1,
            match_key=str(n),
            severity=severity,
        )
        for n, (rule, severity) in enumerate(zip(list(rules), Severity, strict=False))
    )
    scan = ScanResult(targets=("a.zip",), tool_version="1", started=moment, finished=moment, findings=findings)
    doc = to_document(scan)
    assert {f["severity"] for f in doc["findings"]} == {s.label for s in Severity}
    assert all(f["location"]["member"].startswith("m") for f in doc["findings"])
    assert set(doc["summary"]["by_stage"]) == {stage.value for stage in Stage}


@pytest.mark.parametrize("name", ["report.json"])
def test_golden(name: str, result: ScanResult, rules: RuleSet, golden: Any, report_schema_path: Path) -> None:
    data = render(result, rules, Format.JSON, ReportOptions())
    golden(name, data)
    _validator(report_schema_path).validate(json.loads(data))

"""The public, versioned JSON report (``docs/json-format.md``, ``docs/schema/report.schema.json``).

The layout is a promise to every script that parses it: within ``"version": 1`` fields are only
ever added, never renamed, removed or retyped. Keys come out in a fixed order (the order they are
built in here, never sorted by ``json``), every optional field is present with ``null``, and text
is UTF-8 with non-ASCII kept as is. Lone surrogates from undecodable file-name bytes are shown as
``\\xNN`` so the document is valid UTF-8 for strict parsers.

``Finding.match_key`` is left out on purpose: the core promises it is never shown, and the
``fingerprint`` (which is derived from it) is the stable identity machines need.
"""

from __future__ import annotations

import json
from typing import Any

from mlwarden.core.findings import (
    ArtifactRecord,
    Finding,
    Location,
    ScanError,
    ScanResult,
    SuppressedFinding,
)
from mlwarden.core.rules import RuleSet
from mlwarden.report.base import ReportOptions
from mlwarden.report.sanitize import fix_surrogates
from mlwarden.report.summary import SEVERITIES_DESC, count_by_stage, iso_utc

__all__ = ["REPORT_VERSION", "TOOL_NAME", "render", "to_document"]

REPORT_VERSION = 1
TOOL_NAME = "mlwarden"


def _text(value: str) -> str:
    return fix_surrogates(value)


def _opt(value: str | None) -> str | None:
    return None if value is None else fix_surrogates(value)


def location_json(location: Location) -> dict[str, Any]:
    """A Location as a JSON object with every key present."""
    return {
        "path": _text(location.path),
        "member": _opt(location.member),
        "line": location.line,
        "column": location.column,
        "offset": location.offset,
        "cell": location.cell,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """A Finding as JSON: enums as lowercase strings, location as an object, plus the fingerprint."""
    return {
        "rule_id": finding.rule_id,
        "risk_id": finding.risk_id,
        "stage": finding.stage.value,
        "severity": finding.severity.label,
        "title": _text(finding.title),
        "message": _text(finding.message),
        "location": location_json(finding.location),
        "evidence": _text(finding.evidence),
        "remediation": _text(finding.remediation),
        "confidence": finding.confidence,
        "scanner": finding.scanner,
        "scanner_version": finding.scanner_version,
        "fingerprint": finding.fingerprint,
    }


def _suppressed_json(item: SuppressedFinding) -> dict[str, Any]:
    return {"finding": finding_json(item.finding), "reason": _text(item.reason), "expires": item.expires}


def _error_json(error: ScanError) -> dict[str, Any]:
    return {
        "path": _text(error.path),
        "member": _opt(error.member),
        "kind": error.kind.value,
        "message": _text(error.message),
        "hint": _text(error.hint),
        "scanner": error.scanner,
    }


def _artifact_json(artifact: ArtifactRecord) -> dict[str, Any]:
    return {
        "path": _text(artifact.path),
        "member": _opt(artifact.member),
        "format": artifact.format,
        "size": artifact.size,
        "sha256": artifact.sha256,
    }


def _summary_json(result: ScanResult) -> dict[str, Any]:
    by_severity = result.count_by_severity()
    worst = result.max_severity()
    return {
        "by_severity": {severity.label: by_severity[severity] for severity in SEVERITIES_DESC},
        "by_stage": {stage.value: count for stage, count in count_by_stage(result.findings).items()},
        "max_severity": None if worst is None else worst.label,
        "findings": len(result.findings),
        "suppressed": len(result.suppressed),
        "errors": len(result.errors),
        "artifacts": len(result.artifacts),
    }


def to_document(result: ScanResult) -> dict[str, Any]:
    """The report as a JSON-ready dict (for callers that embed it rather than write it)."""
    return {
        "version": REPORT_VERSION,
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "target": _text(result.targets[0]) if result.targets else "",
        "targets": [_text(target) for target in result.targets],
        "started": iso_utc(result.started),
        "finished": iso_utc(result.finished),
        "summary": _summary_json(result),
        "scanners": [{"name": run.name, "version": run.version} for run in result.scanners_run],
        "artifacts": [_artifact_json(artifact) for artifact in result.artifacts],
        "findings": [finding_json(finding) for finding in result.findings],
        "suppressed": [_suppressed_json(item) for item in result.suppressed],
        "errors": [_error_json(error) for error in result.errors],
        "notices": [_text(notice) for notice in result.notices],
    }


def render(result: ScanResult, rules: RuleSet, options: ReportOptions) -> bytes:
    """The JSON report as UTF-8 bytes, two-space indented, ending in a newline.

    ``rules`` and ``options`` are unused: the JSON report is a record of the scan, not a
    presentation, and rule help belongs to the rules (SARIF carries it).
    """
    del rules, options
    text = json.dumps(to_document(result), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")

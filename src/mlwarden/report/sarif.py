"""SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps, VS Code's SARIF viewer).

One run per report. Conventions, which ``tests/report/test_report_sarif.py`` holds:

* **Paths.** ``artifactLocation.uri`` is the finding's path as a relative URI reference against
  ``%SRCROOT%``: the file name's bytes (UTF-8, undecodable bytes as they were) percent-encoded
  with only ``/`` and RFC 3986 unreserved characters left alone, so spaces, ``#``, ``%``, ``?``,
  ``:`` and non-ASCII can never change the URI's meaning. An absolute path becomes a ``file://``
  URI without ``uriBaseId``.
* **Archive members.** The physical location is the outermost archive file on disk. The member
  (nested archives chained with ``!/``, as in ``Location``) is given twice: as a
  ``logicalLocations`` entry ``{"kind": "member", "name": <last segment>,
  "fullyQualifiedName": "<path>!/<member>"}`` for SARIF viewers, and as
  ``result.properties.member`` for scripts.
* **Positions.** ``physicalLocation.region`` is emitted only when the position is inside the file
  named by the URI: ``startLine`` (and ``startColumn``) when a line is known, else ``byteOffset``.
  A position inside an archive member or a notebook cell is not a position in that file, so it
  goes to ``result.properties.region`` (same shape) next to ``properties.member`` /
  ``properties.cell``.
* **Identity.** ``partialFingerprints["mlwardenFingerprint/v1"]`` is ``Finding.fingerprint``.
* **Suppressed findings** are results with ``suppressions: [{"kind": "external", ...}]``.
* **Scan errors** are ``invocations[0].toolExecutionNotifications`` (level ``error``); the run is
  still ``executionSuccessful``, because errors are reported coverage gaps, not a failed run.

``tool.driver.rules`` lists only the rules that some result refers to, in id order: a log that
lists all several hundred rules for a three-finding scan is mostly noise, and code-scanning hosts
show a rule's help next to its results anyway. A finding whose rule is not in the ``RuleSet`` (a
third-party scanner that did not register its rules) gets a rule built from the finding itself.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from mlwarden.core.findings import Finding, Location, ScanError, ScanResult, Severity, SuppressedFinding
from mlwarden.core.rules import Rule, RuleSet
from mlwarden.report.base import ReportOptions
from mlwarden.report.sanitize import fix_surrogates
from mlwarden.report.summary import iso_utc

__all__ = ["FINGERPRINT_KEY", "INFORMATION_URI", "SARIF_SCHEMA_URI", "artifact_uri", "render", "to_document"]

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# NOTE: the project's home page; change it here when the repository moves.
INFORMATION_URI = "https://github.com/mlwarden/mlwarden"
FINGERPRINT_KEY = "mlwardenFingerprint/v1"
SRCROOT = "%SRCROOT%"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads properties["security-severity"] (a number as a string, 0.0..10.0)
# and shows > 9.0 as critical, 7.0..8.9 high, 4.0..6.9 medium, 0.1..3.9 low.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
_WORD = re.compile(r"[A-Za-z0-9]+")


def artifact_uri(path: str) -> tuple[str, str | None]:
    """``(uri, uriBaseId)`` for a report path: percent-encoded bytes, relative to ``%SRCROOT%``."""
    raw = path.encode("utf-8", "surrogateescape")
    if raw.startswith(b"/"):
        return "file://" + quote(raw, safe="/"), None
    return quote(raw, safe="/"), SRCROOT


def _rule_name(rule: Rule) -> str:
    """``PickleImportsAnUnsafeGlobal`` from the title: SARIF's reportingDescriptor.name."""
    words = _WORD.findall(rule.title)
    return "".join(word[:1].upper() + word[1:] for word in words) or rule.id.replace("-", "")


def _rule_help_markdown(rule: Rule) -> str:
    lines = [rule.help, "", f"**Risks:** {', '.join(rule.risk_ids)} (stage: {rule.stage.value})"]
    if rule.cwe:
        lines.append(f"**CWE:** {rule.cwe}")
    lines += ["", "## Remediation", "", rule.remediation]
    return "\n".join(lines)


def _rule_tags(rule: Rule) -> list[str]:
    tags = ["security", *rule.risk_ids]
    if rule.cwe:
        number = rule.cwe.upper().removeprefix("CWE-")
        tags.append(f"external/cwe/cwe-{number}")
    return tags


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": _rule_name(rule),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help},
        "help": {"text": f"{rule.help}\n\nRemediation: {rule.remediation}", "markdown": _rule_help_markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "risk_ids": list(rule.risk_ids),
            "stage": rule.stage.value,
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "tags": _rule_tags(rule),
        },
    }


def _descriptor_from_finding(finding: Finding) -> dict[str, Any]:
    """A stand-in descriptor for a finding whose rule id the RuleSet does not know.

    Built as a dict, not a ``Rule``, because a third-party rule id need not pass ``Rule``'s checks.
    """
    title = fix_surrogates(finding.title)
    return {
        "id": finding.rule_id,
        "name": "".join(word[:1].upper() + word[1:] for word in _WORD.findall(title)) or "UnknownRule",
        "shortDescription": {"text": title},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "risk_ids": [finding.risk_id],
            "stage": finding.stage.value,
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "tags": ["security", finding.risk_id],
        },
    }


def _used_descriptors(findings: list[Finding], rules: RuleSet) -> list[dict[str, Any]]:
    used: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.rule_id not in used:
            rule = rules.get(finding.rule_id)
            used[finding.rule_id] = _descriptor(rule) if rule else _descriptor_from_finding(finding)
    return [used[rule_id] for rule_id in sorted(used)]


def _region(location: Location) -> dict[str, int] | None:
    if location.line is not None:
        region = {"startLine": max(location.line, 1)}
        if location.column is not None:
            region["startColumn"] = max(location.column, 1)
        return region
    if location.offset is not None:
        return {"byteOffset": max(location.offset, 0)}
    return None


def _physical(path: str, region: dict[str, int] | None) -> dict[str, Any]:
    uri, base = artifact_uri(path)
    artifact: dict[str, Any] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if region is not None:
        physical["region"] = region
    return physical


def _location(location: Location) -> tuple[dict[str, Any], dict[str, Any]]:
    """The SARIF location object and the result properties that carry what it cannot."""
    properties: dict[str, Any] = {}
    region = _region(location)
    inner = location.member is not None or location.cell is not None
    sarif: dict[str, Any] = {"physicalLocation": _physical(location.path, None if inner else region)}
    if location.member is not None:
        member = fix_surrogates(location.member)
        sarif["logicalLocations"] = [
            {
                "kind": "member",
                "name": member.rsplit("!/", 1)[-1],
                "fullyQualifiedName": f"{fix_surrogates(location.path)}!/{member}",
            }
        ]
        properties["member"] = member
    if location.cell is not None:
        properties["cell"] = location.cell
    if inner and region is not None:
        properties["region"] = region
    return sarif, properties


def _result(finding: Finding, rule_index: int, suppressed: SuppressedFinding | None) -> dict[str, Any]:
    location, properties = _location(finding.location)
    properties |= {"risk_id": finding.risk_id, "stage": finding.stage.value, "confidence": finding.confidence}
    if finding.evidence:
        properties["evidence"] = fix_surrogates(finding.evidence)
    properties["scanner"] = {"name": finding.scanner, "version": finding.scanner_version}
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": fix_surrogates(finding.message)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if suppressed is not None:
        suppression: dict[str, Any] = {"kind": "external", "justification": fix_surrogates(suppressed.reason)}
        if suppressed.expires is not None:
            suppression["properties"] = {"expires": suppressed.expires}
        result["suppressions"] = [suppression]
    return result


def _notification(error: ScanError) -> dict[str, Any]:
    text = fix_surrogates(error.message)
    if error.hint:
        text += f" ({fix_surrogates(error.hint)})"
    location = Location(path=error.path, member=error.member)
    sarif_location, properties = _location(location)
    properties |= {"kind": error.kind.value, "hint": fix_surrogates(error.hint), "scanner": error.scanner}
    return {
        "level": "error",
        "message": {"text": text},
        "descriptor": {"id": error.kind.value},
        "locations": [sarif_location],
        "properties": properties,
    }


def _invocation(result: ScanResult) -> dict[str, Any]:
    notices = [{"level": "note", "message": {"text": fix_surrogates(notice)}} for notice in result.notices]
    return {
        "executionSuccessful": True,
        "startTimeUtc": iso_utc(result.started),
        "endTimeUtc": iso_utc(result.finished),
        "toolExecutionNotifications": [_notification(error) for error in result.errors] + notices,
    }


def _artifacts(result: ScanResult) -> list[dict[str, Any]]:
    """Files on disk with size and digest; archive members are described by their findings only."""
    entries = []
    for record in result.artifacts:
        if record.member is not None:
            continue
        uri, base = artifact_uri(record.path)
        location: dict[str, Any] = {"uri": uri} if base is None else {"uri": uri, "uriBaseId": base}
        entry: dict[str, Any] = {"location": location, "length": record.size}
        if record.sha256:
            entry["hashes"] = {"sha-256": record.sha256}
        entry["properties"] = {"format": record.format}
        entries.append(entry)
    return entries


def to_document(result: ScanResult, rules: RuleSet) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    pairs: list[tuple[Finding, SuppressedFinding | None]] = [(f, None) for f in result.findings]
    pairs += [(s.finding, s) for s in result.suppressed]
    used = _used_descriptors([finding for finding, _ in pairs], rules)
    index = {descriptor["id"]: position for position, descriptor in enumerate(used)}
    driver = {
        "name": "mlwarden",
        "version": result.tool_version,
        "semanticVersion": result.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": used,
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [_invocation(result)],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The scanned directory."}}},
        "artifacts": _artifacts(result),
        "results": [_result(finding, index[finding.rule_id], sup) for finding, sup in pairs],
        "columnKind": "unicodeCodePoints",
        "properties": {"targets": [fix_surrogates(target) for target in result.targets]},
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: ScanResult, rules: RuleSet, options: ReportOptions) -> bytes:
    """The SARIF log as UTF-8 JSON bytes; ``options`` is unused (SARIF is for machines)."""
    del options
    text = json.dumps(to_document(result, rules), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")

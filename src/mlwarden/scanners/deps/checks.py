"""From what a file declares to findings: pinning, hashes, URLs, indexes, typosquats, malware, advisories."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from mlwarden.artifacts.artifact import Artifact
from mlwarden.core.findings import Finding, Location, Severity
from mlwarden.core.rules import Rule
from mlwarden.scanners.deps.model import Dependency, Issue, ParsedFile
from mlwarden.scanners.deps.osv import Advisory, LookupResult, VulnSource
from mlwarden.scanners.deps.rules import (
    DIRECT_URL,
    EXTRA_INDEX,
    INCLUDE_PROBLEM,
    INSECURE_INDEX,
    KNOWN_MALICIOUS,
    KNOWN_VULNERABILITY,
    MISSING_HASH,
    TYPOSQUAT,
    UNPARSABLE,
    UNPINNED,
    VULN_DATA_INCOMPLETE,
)
from mlwarden.scanners.deps.typosquat import find_squat, malicious_entries

__all__ = ["Reporter", "dependency_findings", "vulnerability_findings"]

_ISSUE_RULES: dict[str, Rule] = {
    "extra-index": EXTRA_INDEX,
    "insecure-index": INSECURE_INDEX,
    "trusted-host": INSECURE_INDEX,
    "unparsable": UNPARSABLE,
}
_SHA = re.compile(r"@[0-9a-f]{40}(?:[#&]|$)")


@dataclass(frozen=True, slots=True)
class Reporter:
    """Makes findings located in the artifact, or in the included file a dependency came from."""

    artifact: Artifact
    scanner: str
    version: int

    def __call__(  # noqa: PLR0913 - keyword-only finding facts
        self,
        rule: Rule,
        message: str,
        *,
        source: str,
        line: int | None,
        key: str,
        evidence: str = "",
        severity: Severity | None = None,
        confidence: float = 1.0,
    ) -> Finding:
        """One finding of ``rule``."""
        here = source == self.artifact.path
        location = self.artifact.location(line=line) if here else Location(path=source, line=line)
        return rule.finding(
            location=location,
            message=message,
            scanner=self.scanner,
            scanner_version=self.version,
            match_key=key,
            evidence=evidence[:200],
            severity=severity,
            confidence=confidence,
        )


def _issue(issue: Issue, report: Reporter) -> Finding:
    rule = _ISSUE_RULES.get(issue.code, INCLUDE_PROBLEM)
    return report(
        rule,
        issue.message,
        source=issue.source,
        line=issue.line,
        key=issue.key,
        evidence=issue.evidence,
        severity=issue.severity,
    )


def dependency_findings(parsed: ParsedFile, report: Reporter, *, typosquats: bool = True) -> Iterator[Finding]:
    """Every finding about the file's declarations that needs no advisory database."""
    for issue in parsed.issues:
        yield _issue(issue, report)
    hashed = parsed.hash_mode or any(dep.hashes for dep in parsed.dependencies)
    for dep in parsed.dependencies:
        yield from _one(dep, report, hashed=hashed, typosquats=typosquats)


def _one(dep: Dependency, report: Reporter, *, hashed: bool, typosquats: bool) -> Iterator[Finding]:
    src, line = dep.source, dep.line
    shown = f"{dep.raw_name}{dep.specifier}" if not dep.url else f"{dep.raw_name} @ {dep.url}"
    bad_versions = malicious_entries().get(dep.name) if dep.ecosystem == "PyPI" else None
    if bad_versions is not None and (not bad_versions or dep.version in bad_versions):
        what = f"release {dep.version} of '{dep.raw_name}'" if bad_versions else f"'{dep.raw_name}'"
        yield report(
            KNOWN_MALICIOUS,
            f"{what} was publicly reported as malicious",
            key=f"malicious:{dep.name}",
            evidence=shown,
            source=src,
            line=line,
        )
    squat = find_squat(dep.raw_name) if typosquats and dep.ecosystem == "PyPI" and not dep.local else None
    if squat is not None and bad_versions is None:
        yield report(
            TYPOSQUAT,
            f"'{dep.raw_name}' looks like '{squat.target}' ({squat.technique})",
            key=f"typosquat:{dep.name}",
            evidence=shown,
            confidence=squat.confidence,
            severity=Severity.HIGH if squat.confidence >= 0.7 else Severity.MEDIUM,
            source=src,
            line=line,
        )
    if dep.url and not dep.local:
        yield _direct(dep, report, shown)
    if not dep.is_lock and not dep.url and not dep.local:
        yield from _unpinned(dep, report, shown)
    if hashed and not dep.hashes and not dep.local and not dep.editable and not dep.vcs:
        yield report(
            MISSING_HASH,
            f"'{dep.raw_name}' has no hash while other entries of the file do",
            key=f"hash:{dep.name}",
            evidence=shown,
            source=src,
            line=line,
        )


def _direct(dep: Dependency, report: Reporter, shown: str) -> Finding:
    url = dep.url or ""
    if url.lower().startswith(("http://", "git+http://")):
        severity, how = Severity.HIGH, "over plain http"
    elif dep.vcs and _SHA.search(url):
        severity, how = Severity.LOW, "from version control at a fixed commit"
    elif dep.vcs:
        severity, how = Severity.MEDIUM, "from a movable version-control reference"
    else:
        severity, how = (Severity.LOW if dep.hashes else Severity.MEDIUM), "from a direct URL"
    return report(
        DIRECT_URL,
        f"'{dep.raw_name}' is installed {how}: {url[:120]}",
        source=dep.source,
        line=dep.line,
        key=f"url:{dep.name}",
        evidence=shown,
        severity=severity,
    )


def _unpinned(dep: Dependency, report: Reporter, shown: str) -> Iterator[Finding]:
    if dep.version is not None:
        return
    if dep.abstract:
        if not dep.specifier:
            yield report(
                UNPINNED,
                f"'{dep.raw_name}' accepts any version (no constraint at all)",
                source=dep.source,
                line=dep.line,
                key=f"unpinned:{dep.name}",
                evidence=shown,
                severity=Severity.INFO,
            )
        return
    how = "has no version constraint" if not dep.specifier else f"allows a range ({dep.specifier[:60]})"
    note = "" if dep.ecosystem != "PyPI" else "; it cannot be checked for known vulnerabilities"
    yield report(
        UNPINNED,
        f"'{dep.raw_name}' {how}{note}",
        source=dep.source,
        line=dep.line,
        key=f"unpinned:{dep.name}",
        evidence=shown,
    )


def checkable(parsed: ParsedFile) -> list[Dependency]:
    """Dependencies with exactly one PyPI version: the only ones an advisory can be matched to."""
    return [d for d in parsed.dependencies if d.ecosystem == "PyPI" and d.version and not d.url and not d.local]


def vulnerability_findings(parsed: ParsedFile, source: VulnSource, report: Reporter) -> Iterator[Finding]:
    """Advisories for the pinned dependencies, and a finding when the data was incomplete."""
    deps = checkable(parsed)
    if not deps:
        return
    result: LookupResult = source.lookup(sorted({(d.name, d.version or "") for d in deps}))
    for dep in deps:
        for advisory in result.advisories.get((dep.name, dep.version or ""), ()):
            yield _vulnerability(dep, advisory, report)
    if result.warning:
        severity = Severity.MEDIUM if result.missing else Severity.LOW
        yield report(
            VULN_DATA_INCOMPLETE,
            result.warning,
            source=report.artifact.path,
            line=None,
            key="osv-incomplete",
            severity=severity,
        )


def _vulnerability(dep: Dependency, advisory: Advisory, report: Reporter) -> Finding:
    rule = KNOWN_MALICIOUS if advisory.malicious else KNOWN_VULNERABILITY
    aliases = f" ({', '.join(advisory.aliases[:3])})" if advisory.aliases else ""
    fixed = f"fixed in {', '.join(advisory.fixed[:5])}" if advisory.fixed else "no fixed version published"
    score = f"CVSS {advisory.score}" if advisory.score is not None else advisory.severity_source
    message = (
        f"{dep.raw_name} {dep.version}: {advisory.id}{aliases} - {advisory.summary[:120]}; "
        f"affected: {advisory.affected[:120]}; {fixed}; severity {advisory.severity.label} ({score})"
    )
    remediation = f"Upgrade {dep.raw_name} to {advisory.fixed[-1]} or later." if advisory.fixed else None
    finding = report(
        rule,
        message,
        source=dep.source,
        line=dep.line,
        key=f"{dep.name}:{advisory.id}",
        evidence=f"{dep.raw_name}=={dep.version}",
        severity=advisory.severity,
    )
    return finding if remediation is None else replace(finding, remediation=remediation)

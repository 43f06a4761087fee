"""Turn what the machine observed in one pickle into findings a user can act on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mlwarden.core.findings import Finding, Location, Severity
from mlwarden.scanners.pickle.joblib import ArrayPayload
from mlwarden.scanners.pickle.rules import (
    DANGEROUS_CALLABLE,
    NON_ALLOWLISTED_IMPORT,
    SUSPICIOUS_STRUCTURE,
    Judgement,
    Verdict,
)
from mlwarden.scanners.pickle.values import Global

__all__ = ["ImportRecord", "PickleReport", "import_finding", "issue_findings"]

At = Callable[[int | None], Location]

_ISSUE_SEVERITY: dict[str, Severity] = {
    "ext-unknown": Severity.HIGH,
    "unresolved-global": Severity.HIGH,
    "build-on-global": Severity.HIGH,
    "odd-setitems": Severity.LOW,
}
_ISSUE_WHY: dict[str, str] = {
    "ext-unknown": "EXT opcodes import whatever the loader's extension registry maps the code to",
    "unresolved-global": "the imported name is computed in a way static analysis cannot resolve",
    "build-on-global": "setting state on a module-level object rewires it for everything loaded later",
    "memo-undefined": "a loader fails here, after executing every earlier opcode",
    "memo-negative": "a loader fails here, after executing every earlier opcode",
    "stack-underflow": "a loader fails here, after executing every earlier opcode",
    "missing-mark": "a loader fails here, after executing every earlier opcode",
    "odd-setitems": "a loader fails here, after executing every earlier opcode",
}


@dataclass(slots=True)
class ImportRecord:
    """One distinct import in one pickle: its verdict, how often it was used and called."""

    glob: Global
    judgement: Judgement
    count: int = 0
    calls: int = 0
    evidence: str = ""
    call_offset: int | None = None


@dataclass(slots=True)
class _Issue:
    message: str
    offset: int
    count: int = 1


@dataclass(slots=True)
class PickleReport:
    """Observations about one pickle in the stream."""

    index: int = 0
    start: int = 0
    counted: int = 0
    imports: dict[str, ImportRecord] = field(default_factory=dict)
    issues: dict[str, _Issue] = field(default_factory=dict)
    array: ArrayPayload | None = None

    def add_issue(self, kind: str, message: str, offset: int) -> None:
        """Keep the first occurrence of each kind and count the rest."""
        known = self.issues.get(kind)
        if known is None:
            self.issues[kind] = _Issue(message, offset)
        else:
            known.count += 1


def _called_text(record: ImportRecord) -> str:
    if record.calls:
        return f"is called {record.calls} time(s)"
    return "is imported (importing alone runs the module's import-time code)"


def import_finding(record: ImportRecord, at: At, scanner: str, version: int) -> Finding | None:
    """The finding for one import, or ``None`` when it is allowlisted."""
    judgement = record.judgement
    if judgement.verdict is Verdict.SAFE:
        return None
    glob = record.glob
    offset = record.call_offset if record.call_offset is not None else glob.offset
    where = f"via {glob.via} at offset {glob.offset}"
    evidence = record.evidence or glob.qualname
    if judgement.verdict is Verdict.DANGEROUS:
        return DANGEROUS_CALLABLE.finding(
            location=at(offset),
            message=(
                f"The pickle imports {judgement.key} ({where}) and {_called_text(record)}: {judgement.reason}. "
                "Loading this file runs it."
            ),
            scanner=scanner,
            scanner_version=version,
            match_key=judgement.key,
            evidence=evidence,
            confidence=1.0 if record.calls else 0.9,
        )
    severity = Severity.HIGH if record.calls and not judgement.known_package else Severity.MEDIUM
    return NON_ALLOWLISTED_IMPORT.finding(
        location=at(offset),
        message=f"The pickle imports {judgement.key} ({where}) and {_called_text(record)}: {judgement.reason}.",
        scanner=scanner,
        scanner_version=version,
        match_key=judgement.key,
        evidence=evidence,
        severity=severity,
        confidence=0.7 if record.calls else 0.5,
    )


def issue_findings(report: PickleReport, at: At, scanner: str, version: int) -> Iterator[Finding]:
    """One finding per kind of structural oddity in the pickle."""
    for kind, issue in report.issues.items():
        more = f" ({issue.count} occurrences)" if issue.count > 1 else ""
        yield SUSPICIOUS_STRUCTURE.finding(
            location=at(issue.offset),
            message=f"{issue.message} at offset {issue.offset}{more}: {_ISSUE_WHY.get(kind, 'non-standard')}.",
            scanner=scanner,
            scanner_version=version,
            match_key=kind,
            evidence=kind,
            severity=_ISSUE_SEVERITY.get(kind, Severity.MEDIUM),
            confidence=0.8,
        )

"""Turn what the machine observed in one pickle into findings a user can act on."""

from __future__ import annotations

import re
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
from mlwarden.scanners.pickle.values import Call, Global

__all__ = ["ImportRecord", "PickleReport", "import_finding", "issue_findings"]

At = Callable[[int | None], Location]
_CLASS_LIKE = re.compile(r"^_*[A-Z]")

_ISSUE_SEVERITY: dict[str, Severity] = {
    "ext-unknown": Severity.HIGH,
    "unresolved-global": Severity.HIGH,
    "build-on-global": Severity.HIGH,
    "mutate-global": Severity.HIGH,
    "call-built-object": Severity.HIGH,
    "odd-setitems": Severity.LOW,
}
_ISSUE_WHY: dict[str, str] = {
    "ext-unknown": "EXT opcodes import whatever the loader's extension registry maps the code to",
    "unresolved-global": "the imported name is computed in a way static analysis cannot resolve",
    "build-on-global": "setting state on a module-level object rewires it for everything loaded later",
    "call-built-object": (
        "calling an object runs its type's __call__ over state the pickle chose (an nn.Module's smuggled "
        "forward, Parallel items, a partial); picklers only ever call imported globals"
    ),
    "mutate-global": "extending a module-level list or dict (sys.path, a registry) rewires later imports",
    "memo-undefined": "a loader fails here, after executing every earlier opcode",
    "memo-negative": "a loader fails here, after executing every earlier opcode",
    "stack-underflow": "a loader fails here, after executing every earlier opcode",
    "missing-mark": "a loader fails here, after executing every earlier opcode",
    "odd-setitems": "a loader fails here, after executing every earlier opcode",
}


@dataclass(slots=True)
class ImportRecord:
    """One distinct import in one pickle: its verdict, how often it was referenced, run and vetted.

    ``refs`` counts every push of the import (the import opcode, memo GETs, DUP); ``calls`` and
    ``news`` count the call sites that run it as a function or through ``__new__``; ``vetted``
    counts uses in a harmless shape (see ``calls.vetted``); ``unsafe`` explains why an allowlisted
    class was run in a way that is dangerous (``numpy.memmap(...)``).
    """

    glob: Global
    judgement: Judgement
    count: int = 0
    refs: int = 0
    calls: int = 0
    news: int = 0
    vetted: int = 0
    evidence: str = ""
    call_offset: int | None = None
    unsafe: str = ""
    pending: list[Call] = field(default_factory=list)

    @property
    def all_vetted(self) -> bool:
        """Every reference to this import is a vetted use."""
        return self.refs > 0 and self.vetted >= self.refs


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
    if record.news:
        return f"is instantiated {record.news} time(s)"
    return "is imported (importing alone runs the module's import-time code)"


def _unknown_severity(record: ImportRecord) -> Severity:
    """Unknown imports: high when odd or when a stdlib global or a function-like name is run, else medium.

    A user's own class (``__main__.MyModel``, ``mypkg.Net``) instantiated or rebuilt by a reducer is the
    most common benign reason for an unknown import, so it stays medium; a user *function* called with
    arguments at load time, or a standard-library global run at all, is rated high.
    """
    judgement = record.judgement
    if judgement.suspicious:
        return Severity.HIGH
    if judgement.tier == "stdlib":
        return Severity.HIGH if record.calls or record.news else Severity.MEDIUM
    if judgement.tier == "foreign" and record.calls and not _CLASS_LIKE.match(judgement.key.rpartition(".")[2]):
        return Severity.HIGH
    return Severity.MEDIUM


def import_finding(record: ImportRecord, at: At, scanner: str, version: int) -> Finding | None:
    """The finding for one import, or ``None`` when it is allowlisted (and run safely) or fully vetted."""
    judgement = record.judgement
    glob = record.glob
    offset = record.call_offset if record.call_offset is not None else glob.offset
    where = f"via {glob.via} at offset {glob.offset}"
    evidence = record.evidence or glob.qualname
    if judgement.verdict is Verdict.SAFE and not record.unsafe:
        return None
    if judgement.verdict is not Verdict.UNKNOWN:
        if judgement.verdict is Verdict.DANGEROUS and record.all_vetted:
            return None
        reason = record.unsafe or judgement.reason
        return DANGEROUS_CALLABLE.finding(
            location=at(offset),
            message=(
                f"The pickle imports {judgement.key} ({where}) and {_called_text(record)}: {reason}. "
                "Loading this file runs it."
            ),
            scanner=scanner,
            scanner_version=version,
            match_key=judgement.key,
            evidence=evidence,
            confidence=(1.0 if record.calls or record.news else 0.9) - (0.3 if judgement.heuristic else 0.0),
        )
    return NON_ALLOWLISTED_IMPORT.finding(
        location=at(offset),
        message=f"The pickle imports {judgement.key} ({where}) and {_called_text(record)}: {judgement.reason}.",
        scanner=scanner,
        scanner_version=version,
        match_key=judgement.key,
        evidence=evidence,
        severity=_unknown_severity(record),
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

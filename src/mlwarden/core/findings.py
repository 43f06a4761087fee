"""The values every scan produces: findings, errors, artifacts and the result that holds them.

All values are frozen: a finding, once made, is evidence and must not change on its way to a report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum

__all__ = [
    "ArtifactRecord",
    "Finding",
    "Location",
    "ScanError",
    "ScanErrorKind",
    "ScanResult",
    "ScannerRun",
    "Severity",
    "Stage",
    "SuppressedFinding",
]


class Severity(IntEnum):
    """How bad a finding is if true; ordered so that ``Severity.HIGH > Severity.LOW``."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """The lowercase name used in every serialised format."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity name in any case; raise ``ValueError`` naming the valid choices."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r}; expected one of: {choices}") from None


class Stage(StrEnum):
    """The five stages of an ML system's life that the risk catalog is organised by."""

    DESIGN = "design"
    DATA = "data"
    MODEL = "model"
    SERVING = "serving"
    PLATFORM = "platform"


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where a finding sits: a file, optionally a member inside an archive, and a position.

    ``member`` chains nested archives with ``!/`` (``outer.tar!/inner.zip!/data.pkl`` is spelled
    ``member="inner.zip!/data.pkl"``), the same convention as Java's jar URLs.
    """

    path: str
    member: str | None = None
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    cell: int | None = None

    def display(self) -> str:
        """A one-line human form: ``path!/member:line`` or ``path@offset``."""
        text = self.path
        if self.member:
            text += f"!/{self.member}"
        if self.cell is not None:
            text += f"[cell {self.cell}]"
        if self.line is not None:
            text += f":{self.line}"
        elif self.offset is not None:
            text += f"@{self.offset}"
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem found in one artifact.

    ``match_key`` is the non-secret fact that identifies what matched (an imported global such as
    ``posix.system``, or a keyed digest of a secret made by the detector); it feeds the fingerprint
    and is never shown. Line numbers and offsets stay out of the fingerprint, because code moves.
    """

    rule_id: str
    risk_id: str
    stage: Stage
    severity: Severity
    title: str
    message: str
    location: Location
    evidence: str = ""
    remediation: str = ""
    confidence: float = 1.0
    scanner: str = ""
    scanner_version: int = 1
    match_key: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within 0..1, got {self.confidence}")

    @property
    def fingerprint(self) -> str:
        """A stable identity across runs and releases: rule, path, member and what matched."""
        parts = (self.rule_id, self.location.path, self.location.member or "", self.match_key)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


class ScanErrorKind(StrEnum):
    """Why we could not look at something: always our problem, never the artifact's."""

    NOT_FOUND = "not-found"
    UNREADABLE = "unreadable"
    MISSING_EXTRA = "missing-extra"
    SCANNER_CRASH = "scanner-crash"
    PLUGIN_LOAD = "plugin-load"
    TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanError:
    """A place the scan could not cover, with what to do about it."""

    path: str
    kind: ScanErrorKind
    message: str
    hint: str = ""
    member: str | None = None
    scanner: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactRecord:
    """An artifact that was looked at: what it is by content, its size and digest."""

    path: str
    format: str
    size: int
    sha256: str | None
    member: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SuppressedFinding:
    """A finding the policy silenced, kept so reports can still show it and why."""

    finding: Finding
    reason: str
    expires: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScannerRun:
    """Provenance: which scanner at which version looked at this target."""

    name: str
    version: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanResult:
    """Everything one scan produced; reporters, the policy gate and the store read only this."""

    targets: tuple[str, ...]
    tool_version: str
    started: datetime
    finished: datetime
    artifacts: tuple[ArtifactRecord, ...] = ()
    findings: tuple[Finding, ...] = ()
    suppressed: tuple[SuppressedFinding, ...] = ()
    errors: tuple[ScanError, ...] = ()
    scanners_run: tuple[ScannerRun, ...] = field(default_factory=tuple)
    notices: tuple[str, ...] = ()

    def count_by_severity(self) -> dict[Severity, int]:
        """Unsuppressed findings per severity, every severity present (zero included)."""
        counts = {severity: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def max_severity(self) -> Severity | None:
        """The worst unsuppressed severity, or ``None`` when there are no findings."""
        return max((f.severity for f in self.findings), default=None)

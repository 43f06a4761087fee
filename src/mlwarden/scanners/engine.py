"""The scan engine: walk targets, dispatch each artifact to the scanners of its format, collect.

The engine never raises because of an artifact: a hostile file becomes a finding, a file we could
not read becomes a ScanError, and a scanner that crashes keeps the findings it already yielded.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlwarden import __version__
from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.rules import LIMIT_EXCEEDED
from mlwarden.artifacts.walk import walk
from mlwarden.core.errors import BudgetExceeded, MissingExtraError
from mlwarden.core.findings import (
    ArtifactRecord,
    Finding,
    ScanError,
    ScanErrorKind,
    ScannerRun,
    ScanResult,
)
from mlwarden.core.progress import NullProgress, Progress
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.registry import Registry, ScannerHandle, load_registry

__all__ = ["ENGINE_NAME", "ScanOptions", "run_scan"]

ENGINE_NAME = "engine"
ENGINE_VERSION = 1
_HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanOptions:
    """How to scan: limits, per-scanner options by scanner name, and whether to hash artifacts."""

    budget: Budget = field(default_factory=Budget)
    scanner_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    hash_artifacts: bool = True
    exclude: tuple[str, ...] = ()


@dataclass(slots=True)
class _Collector:
    """Mutable accumulation while a scan runs; frozen into a ScanResult at the end."""

    artifacts: list[ArtifactRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    missing_extras: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)


def run_scan(
    targets: Sequence[str | Path],
    *,
    registry: Registry | None = None,
    options: ScanOptions | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Scan every artifact under ``targets`` and return the raw (unsuppressed) result."""
    registry = registry if registry is not None else load_registry()
    options = options or ScanOptions()
    progress = progress or NullProgress()
    started = datetime.now(UTC)
    out = _Collector(errors=list(registry.errors))
    progress.started(None)
    for item in walk(targets, budget=options.budget):
        if isinstance(item, Finding):
            out.findings.append(item)
        elif isinstance(item, ScanError):
            if item.kind is ScanErrorKind.MISSING_EXTRA:  # once per run, like a scanner's missing extra
                if item.hint in out.missing_extras:
                    continue
                out.missing_extras.add(item.hint)
            out.errors.append(item)
        elif not _excluded(item.path, options.exclude):
            _scan_artifact(item, registry, options, out)
            progress.advanced(item.display)
    progress.finished()
    return ScanResult(
        targets=tuple(str(t) for t in targets),
        tool_version=__version__,
        started=started,
        finished=datetime.now(UTC),
        artifacts=tuple(out.artifacts),
        findings=tuple(_dedup(out.findings)),
        errors=tuple(out.errors),
        scanners_run=tuple(ScannerRun(name=s.name, version=s.version) for s in registry.scanners if s.name in out.used),
    )


def _scan_artifact(artifact: Artifact, registry: Registry, options: ScanOptions, out: _Collector) -> None:
    digest = _sha256(artifact, out) if options.hash_artifacts else None
    out.artifacts.append(
        ArtifactRecord(
            path=artifact.path,
            member=artifact.member,
            format=artifact.format.value,
            size=artifact.size,
            sha256=digest,
        )
    )
    for scanner in registry.for_format(artifact.format):
        out.used.add(scanner.name)
        ctx = ScanContext(
            budget=options.budget,
            deadline=options.budget.deadline(),
            options=options.scanner_options.get(scanner.name, {}),
        )
        out.findings.extend(_run_one(scanner, artifact, ctx, out))


def _run_one(scanner: ScannerHandle, artifact: Artifact, ctx: ScanContext, out: _Collector) -> Iterator[Finding]:
    """Yield the scanner's findings; turn whatever it raises into a finding or a ScanError."""
    try:
        yield from scanner.scan(artifact, ctx)
    except BudgetExceeded as exc:
        yield LIMIT_EXCEEDED.finding(
            location=artifact.location(),
            message=f"{scanner.name} stopped reading {artifact.display}: {exc.message}",
            scanner=ENGINE_NAME,
            scanner_version=ENGINE_VERSION,
            match_key=f"{scanner.name}:{exc.resource}",
            evidence=f"{exc.resource}: {exc.actual} > {exc.limit}",
        )
    except MissingExtraError as exc:
        if exc.extra not in out.missing_extras:
            out.missing_extras.add(exc.extra)
            out.errors.append(_error(artifact, scanner, ScanErrorKind.MISSING_EXTRA, exc.message, exc.hint))
    except OSError as exc:
        out.errors.append(_error(artifact, scanner, ScanErrorKind.UNREADABLE, str(exc), "check the file's permissions"))
    except Exception as exc:  # noqa: BLE001 - a scanner bug must not end the scan or lose findings
        out.errors.append(
            _error(
                artifact,
                scanner,
                ScanErrorKind.SCANNER_CRASH,
                f"{type(exc).__name__}: {exc}",
                "this is a bug in the scanner; please report it with the file if you can share it",
            )
        )


def _error(artifact: Artifact, scanner: ScannerHandle, kind: ScanErrorKind, message: str, hint: str) -> ScanError:
    return ScanError(
        path=artifact.path, member=artifact.member, kind=kind, message=message, hint=hint, scanner=scanner.name
    )


def _sha256(artifact: Artifact, out: _Collector) -> str | None:
    digest = hashlib.sha256()
    try:
        with artifact.open() as stream:
            while chunk := stream.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        out.errors.append(
            ScanError(
                path=artifact.path,
                member=artifact.member,
                kind=ScanErrorKind.UNREADABLE,
                message=str(exc),
                hint="check the file's permissions",
            )
        )
        return None
    return digest.hexdigest()


def _excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether a path matches one of the policy's ``exclude`` globs (at any depth)."""
    path = path.removeprefix("./")
    return any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(path, f"*/{p}") for p in patterns)


def _dedup(findings: list[Finding]) -> list[Finding]:
    """Drop exact repeats (same fingerprint and position), keeping first-seen order."""
    seen: set[tuple[str, int | None, int | None, int | None]] = set()
    unique: list[Finding] = []
    for finding in findings:
        where = finding.location
        key = (finding.fingerprint, where.cell, where.line, where.offset)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique

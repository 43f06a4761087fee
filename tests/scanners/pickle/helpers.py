"""Helpers shared by the pickle scanner tests: scan bytes in memory and look at findings."""

from __future__ import annotations

import io

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pickle.analysis import scan_joblib_stream, scan_pickle_stream
from mlwarden.scanners.pickle.scanner import PickleScanner


def artifact_for(data: bytes, fmt: Format = Format.PICKLE, path: str = "model.pkl") -> Artifact:
    """An in-memory artifact over ``data``."""
    return Artifact(path=path, format=fmt, size=len(data), opener=lambda: io.BytesIO(data))


def scan_bytes(data: bytes, *, joblib: bool = False, ctx: ScanContext | None = None, **kw: object) -> list[Finding]:
    """Every finding scan_pickle_stream (or scan_joblib_stream) yields for ``data``."""
    fn = scan_joblib_stream if joblib else scan_pickle_stream
    return list(fn(io.BytesIO(data), artifact=artifact_for(data), ctx=ctx or ScanContext(), **kw))  # type: ignore[arg-type]


def scan_artifact(data: bytes, fmt: Format = Format.PICKLE) -> list[Finding]:
    """Every finding the registered PickleScanner yields for ``data``."""
    return list(PickleScanner().scan(artifact_for(data, fmt), ScanContext()))


def rule_ids(findings: list[Finding]) -> set[str]:
    """The distinct rule ids."""
    return {f.rule_id for f in findings}


def keys(findings: list[Finding], rule: str = "MW-PICKLE-001") -> set[str]:
    """The match keys of one rule's findings."""
    return {f.match_key for f in findings if f.rule_id == rule}

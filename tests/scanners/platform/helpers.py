"""Run the platform scanner on text, as the engine would."""

from __future__ import annotations

import io

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.platform import PlatformScanner


def scan_text(text: str, *, path: str, fmt: Format = Format.YAML, ctx: ScanContext | None = None) -> list[Finding]:
    data = text.encode("utf-8")
    artifact = Artifact(path=path, format=fmt, size=len(data), opener=lambda: io.BytesIO(data))
    return list(PlatformScanner().scan(artifact, ctx or ScanContext()))


def dockerfile(text: str) -> list[Finding]:
    return scan_text(text, path="Dockerfile", fmt=Format.DOCKERFILE)


def rule_ids(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]

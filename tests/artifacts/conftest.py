"""Helpers shared by the artifact tests: run a walk and split what it yields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.walk import walk
from mlwarden.core.findings import Finding, ScanError


@dataclass
class Walked:
    """Everything one walk yielded, by kind, in order."""

    artifacts: list[Artifact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)

    @property
    def displays(self) -> list[str]:
        return [a.display for a in self.artifacts]

    def rules(self) -> list[str]:
        return [f.rule_id for f in self.findings]

    def by_display(self, display: str) -> Artifact:
        return next(a for a in self.artifacts if a.display == display)

    def read(self, display: str) -> bytes:
        with self.by_display(display).open() as stream:
            return stream.read()


def run_walk(targets: Sequence[str | Path], budget: Budget | None = None) -> Walked:
    out = Walked()
    for item in walk(targets, budget=budget or Budget()):
        if isinstance(item, Artifact):
            out.artifacts.append(item)
        elif isinstance(item, Finding):
            out.findings.append(item)
        else:
            out.errors.append(item)
    return out


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path

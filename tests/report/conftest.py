"""A fixed, deliberately awkward ScanResult for every reporter test, and golden-file support.

The result holds every severity, Russian text, an archive member (nested), hostile file names
(markup, escape sequences, an undecodable byte), a rule the RuleSet does not know, a suppressed
finding, scan errors and a notice. Times and versions are fixed so golden files are stable.

Regenerate the golden files with ``MLWARDEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/report``
(pytest only honours ``pytest_addoption`` in the root conftest, so an environment variable it is).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlwarden.core.findings import (
    ArtifactRecord,
    Finding,
    Location,
    ScanError,
    ScanErrorKind,
    ScannerRun,
    ScanResult,
    Severity,
    Stage,
    SuppressedFinding,
)
from mlwarden.core.rules import Rule, RuleSet

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SARIF_SCHEMA = HERE / "data" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = HERE.parent.parent / "docs" / "schema" / "report.schema.json"
UPDATE_GOLDEN = os.environ.get("MLWARDEN_UPDATE_GOLDEN") == "1"

HOSTILE_PATH = "<script>alert(1)</script>"
ODD_PATH = "upload dir/a #1 100%?x=1|`[x](y)`\x1b[2K\udcff.bin"

PICKLE_RULE = Rule(
    id="MW-PICKLE-001",
    title="Pickle imports a callable that can run code",
    severity=Severity.CRITICAL,
    risk_ids=("MODEL-07", "PLAT-02"),
    stage=Stage.MODEL,
    help="Loading this pickle calls the imported global, which runs arbitrary code.",
    remediation="Do not load the file. Re-export the weights as safetensors.",
    cwe="CWE-502",
)
ARCHIVE_RULE = Rule(
    id="MW-ARCHIVE-002",
    title="Archive member escapes the extraction directory",
    severity=Severity.HIGH,
    risk_ids=("PLAT-04",),
    stage=Stage.PLATFORM,
    help="A member name with '..' or an absolute path writes outside the target directory.",
    remediation="Extract with a library that rejects such names, or reject the archive.",
    cwe="CWE-22",
)
PII_RULE = Rule(
    id="MW-PII-003",
    title="Персональные данные в обучающем наборе",
    severity=Severity.MEDIUM,
    risk_ids=("DATA-03",),
    stage=Stage.DATA,
    help="Столбец содержит номера паспортов РФ (проверено по формату).",
    remediation="Удалите или замаскируйте столбец до обучения модели.",
)
NOTEBOOK_RULE = Rule(
    id="MW-NB-004",
    title="Notebook output contains a terminal escape sequence",
    severity=Severity.LOW,
    risk_ids=("DESIGN-01",),
    stage=Stage.DESIGN,
    help="Escape sequences in outputs can hide text from a reviewer.",
    remediation="Clear the outputs before committing the notebook.",
)
SECRET_RULE = Rule(
    id="MW-SECRET-005",
    title="A credential is committed next to the model",
    severity=Severity.HIGH,
    risk_ids=("PLAT-01",),
    stage=Stage.PLATFORM,
    help="Anyone who can read the repository can use the credential.",
    remediation="Rotate the credential and load it from the environment.",
)
INFO_RULE = Rule(
    id="MW-SERVE-006",
    title="Model card does not name an owner",
    severity=Severity.INFO,
    risk_ids=("SERVE-09",),
    stage=Stage.SERVING,
    help="Without an owner nobody answers for incidents.",
    remediation="Add an owner to the model card.",
)
RULES = RuleSet([PICKLE_RULE, ARCHIVE_RULE, PII_RULE, NOTEBOOK_RULE, SECRET_RULE, INFO_RULE])


def _findings() -> tuple[Finding, ...]:
    def make(rule: Rule, location: Location, message: str, key: str, evidence: str = "") -> Finding:
        return rule.finding(
            location=location, message=message, scanner="fixture", scanner_version=1, match_key=key, evidence=evidence
        )

    return (
        make(PICKLE_RULE, Location(path="models/model.pkl", offset=57), "Imports posix.system", "posix.system",
             "GLOBAL 'posix system'"),
        make(ARCHIVE_RULE, Location(path="bundle/weights.zip", member="inner.tar!/../../etc/cron.d/x", offset=12),
             "Member path climbs out with '..'", "../../etc/cron.d/x"),
        make(PII_RULE, Location(path="данные/клиенты.csv", line=3, column=5),
             "Найден номер паспорта РФ в столбце «паспорт»", "passport", "45 ** ******"),
        make(NOTEBOOK_RULE, Location(path=ODD_PATH, cell=2, line=4),
             "Output erases the line:\x1b[2K\r| all clear | **bold** `tick` @octocat #1\nsecond line", "erase"),
        make(INFO_RULE, Location(path=HOSTILE_PATH), "No owner in <b>card</b> & \"quotes\"", "owner"),
        Finding(
            rule_id="ACME-PLUGIN-7", risk_id="MODEL-01", stage=Stage.MODEL, severity=Severity.LOW,
            title="Third-party rule unknown to the RuleSet", message="Plugin says hello",
            location=Location(path="models/model.pkl"), scanner="acme", scanner_version=3, match_key="hello",
            confidence=0.5,
        ),
    )  # fmt: skip


def build_result() -> ScanResult:
    """The fixed result the goldens are rendered from."""
    secret = SECRET_RULE.finding(
        location=Location(path="config/.env", line=1),
        message="AWS access key id",
        scanner="secrets",
        scanner_version=2,
        match_key="digest-1",
        evidence="AKIA************",
    )
    return ScanResult(
        targets=("project",),
        tool_version="9.9.9",
        started=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        finished=datetime(2025, 1, 2, 3, 4, 17, 500000, tzinfo=UTC),
        artifacts=(
            ArtifactRecord(path="models/model.pkl", format="pickle", size=1234, sha256="ab" * 32),
            ArtifactRecord(path="bundle/weights.zip", format="zip", size=99, sha256="cd" * 32),
            ArtifactRecord(path="bundle/weights.zip", member="inner.tar", format="tar", size=50, sha256=None),
            ArtifactRecord(path="данные/клиенты.csv", format="csv", size=4096, sha256="ef" * 32),
        ),
        findings=_findings(),
        suppressed=(SuppressedFinding(finding=secret, reason="Test key, rotated | `ok`", expires="2030-01-01"),),
        errors=(
            ScanError(
                path="models/graph.onnx",
                kind=ScanErrorKind.MISSING_EXTRA,
                message="ONNX graph checks need the onnx package",
                hint="pip install 'mlwarden[onnx]'",
                scanner="onnx",
            ),
            ScanError(
                path="секретно/доступ.bin",
                member="a.txt",
                kind=ScanErrorKind.UNREADABLE,
                message="Нет прав на чтение",
            ),
        ),
        scanners_run=(ScannerRun(name="pickle", version=1), ScannerRun(name="secrets", version=2)),
        notices=("Nested archives were read to depth 3",),
    )


def empty_result() -> ScanResult:
    """A clean scan: nothing found, nothing wrong."""
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    return ScanResult(targets=("clean",), tool_version="9.9.9", started=moment, finished=moment)


@pytest.fixture
def result() -> ScanResult:
    return build_result()


@pytest.fixture
def rules() -> RuleSet:
    return RULES


@pytest.fixture
def golden() -> Callable[[str, bytes], None]:
    """Compare bytes with ``golden/<name>``, or rewrite it when MLWARDEN_UPDATE_GOLDEN=1."""

    def check(name: str, data: bytes) -> None:
        path = GOLDEN / name
        if UPDATE_GOLDEN:
            path.write_bytes(data)
            return
        assert path.exists(), f"{path} is missing; run with MLWARDEN_UPDATE_GOLDEN=1 to create it"
        assert data == path.read_bytes(), f"{name} differs from the golden file; review, then regenerate"

    return check


@pytest.fixture
def empty() -> ScanResult:
    return empty_result()


@pytest.fixture
def sarif_schema_path() -> Path:
    return SARIF_SCHEMA


@pytest.fixture
def report_schema_path() -> Path:
    return REPORT_SCHEMA
